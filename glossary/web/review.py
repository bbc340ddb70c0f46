"""Review from the web page: English, status and notes of one entry, through the same library
call and audit as an import (Termbase.set_human), in one transaction."""

from __future__ import annotations

from ..errors import GlossaryError
from ..safety import ILLEGAL_CHARACTERS_RE
from ..store import HUMAN_FIELDS, STATUSES, Termbase

ACTION = "web review"
LIMITS = {"english": 1000, "notes": 5000}


def clean_value(field_name: str, value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value or "").strip()
    if field_name == "english":
        value = " ".join(value.split())  # one line, as in the workbook's English column
    if field_name == "status":
        value = value.lower() or "new"
        if value not in STATUSES:
            raise GlossaryError(f"unknown status {value!r} (one of {', '.join(STATUSES)})")
    limit = LIMITS.get(field_name)
    if limit and len(value) > limit:
        raise GlossaryError(f"{field_name} is longer than {limit} characters")
    return value


def review(termbase: Termbase, term_id: int, submitted: dict[str, str], revision: int | None, who: str) -> dict:
    """Apply what the reviewer changed; returns the changes (empty when nothing changed).

    `revision` is the entry's revision when the page was opened: if someone changed the entry
    since, nothing is written (the reviewer reloads and sees their change)."""
    who = " ".join((who or "").split())
    if not who:
        raise GlossaryError("give your name first: every change is recorded with who made it")
    if len(who) > 80:
        raise GlossaryError("the name is longer than 80 characters")
    values = {name: clean_value(name, submitted[name]) for name in HUMAN_FIELDS if name in submitted}
    with termbase.transaction():
        row = termbase.get_term(term_id)
        if row is None:
            raise GlossaryError(f"no term with ID {term_id}")
        if revision is not None and row["revision"] != revision:
            raise GlossaryError(f"{row['term']} was changed by someone else since this page was opened; "
                                "reload it and try again")
        current = termbase.human_values(row)
        changes = {name: value for name, value in values.items() if value != current[name]}
        if values.get("status") == "approved" and "english" not in changes and not row["english_human"] \
                and current["english"] and row["status"] != "approved":
            # As an import: approving a row makes its English the approved rendering.
            changes["english"] = current["english"]
        remaining = dict(changes)
        if "english" in remaining:
            # English first, so that editing and approving at once approves the new text.
            termbase.set_human(term_id, {"english": remaining.pop("english")}, who, ACTION)
        if remaining:
            termbase.set_human(term_id, remaining, who, ACTION)
    return changes
