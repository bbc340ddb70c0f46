"""Hand curation of entries: merge variants the miner did not group, split them apart again.

A merge is remembered in the `merges` table, so every later build counts the variant as a
spelling of the entry it was merged into; the merged entry's row, with every field a
translator gave it, is kept in the audit, from which `split` restores it. Each is the undo
of the other.
"""

from __future__ import annotations

import json

from .errors import GlossaryError
from .store import Termbase, now


def _require(termbase: Termbase, text: str):
    row = termbase.find_term(text)
    if row is None:
        raise GlossaryError(f"no entry {text!r} in the termbase")
    return row


def merge_terms(termbase: Termbase, canonical: str, variant: str, who: str) -> None:
    """Fold entry `variant` into entry `canonical`."""
    keep, fold = _require(termbase, canonical), _require(termbase, variant)
    if keep["id"] == fold["id"]:
        raise GlossaryError(f"{canonical!r} and {variant!r} are the same entry")
    stamp = now()
    contexts = [dict(r) for r in termbase.connection.execute(
        "SELECT * FROM contexts WHERE term_id = ? ORDER BY rank", (fold["id"],))]
    snapshot = json.dumps({"row": dict(fold), "contexts": contexts}, ensure_ascii=False)
    with termbase.transaction():
        connection = termbase.connection
        variants = json.loads(keep["variants_json"])
        for spelling in (fold["term"], fold["traditional"], *json.loads(fold["variants_json"])):
            if spelling and spelling != keep["term"] and spelling not in variants:
                variants.append(spelling)
        connection.execute(
            "UPDATE terms SET variants_json = ?, frequency = frequency + ?, documents = max(documents, ?),"
            " updated_at = ? WHERE id = ?",
            (json.dumps(variants, ensure_ascii=False), fold["frequency"], fold["documents"], stamp, keep["id"]))
        if not keep["english_imported"] and fold["english_imported"]:
            connection.execute("UPDATE terms SET english_imported = ?, english_imported_source = ? WHERE id = ?",
                               (fold["english_imported"], fold["english_imported_source"], keep["id"]))
        human = {}
        if not keep["english_human"] and fold["english_human"]:
            human["english"] = fold["english_human"]
        if fold["notes"]:
            human["notes"] = "; ".join(n for n in (keep["notes"], f"[from {fold['term']}] {fold['notes']}") if n)
        if human:
            termbase.set_human(keep["id"], human, who, f"merge {fold['term']} into {keep['term']}")
        termbase.refresh_search([keep["id"]])
        connection.execute("DELETE FROM terms WHERE id = ?", (fold["id"],))
        connection.execute("INSERT INTO merges(variant, canonical, who, at) VALUES (?,?,?,?) "
                           "ON CONFLICT(variant) DO UPDATE SET canonical = excluded.canonical",
                           (fold["term"], keep["term"], who, stamp))
        connection.execute("UPDATE merges SET canonical = ? WHERE canonical = ?", (keep["term"], fold["term"]))
        connection.execute(
            "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
            (keep["id"], keep["term"], "merge", snapshot, fold["term"], who, stamp, "merge"))


def split_terms(termbase: Termbase, canonical: str, variant: str, who: str) -> None:
    """Undo a merge: `variant` becomes its own entry again, with the fields it had."""
    keep = _require(termbase, canonical)
    merged = termbase.connection.execute("SELECT canonical FROM merges WHERE variant = ?", (variant,)).fetchone()
    if merged is None or merged[0] != keep["term"]:
        raise GlossaryError(f"{variant!r} was not merged into {keep['term']!r}; only merges made by hand can be split")
    record = termbase.connection.execute(
        "SELECT old FROM audit WHERE term_id = ? AND field = 'merge' AND new = ? ORDER BY id DESC LIMIT 1",
        (keep["id"], variant)).fetchone()
    snapshot = json.loads(record[0])
    row, contexts = snapshot["row"], snapshot["contexts"]
    stamp = now()
    with termbase.transaction():
        connection = termbase.connection
        variants = [v for v in json.loads(keep["variants_json"])
                    if v not in (row["term"], row["traditional"], *json.loads(row["variants_json"]))]
        connection.execute("UPDATE terms SET variants_json = ?, frequency = max(frequency - ?, 0), updated_at = ?"
                           " WHERE id = ?", (json.dumps(variants, ensure_ascii=False), row["frequency"], stamp,
                                             keep["id"]))
        row = dict(row)
        row.pop("id")
        row["updated_at"] = stamp
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        term_id = connection.execute(f"INSERT INTO terms({columns}) VALUES ({marks})", tuple(row.values())).lastrowid
        termbase.refresh_search([term_id])  # its English words went with the merged row
        for context in contexts:
            context["term_id"] = term_id
            connection.execute(f"INSERT INTO contexts({', '.join(context)}) VALUES ({', '.join('?' for _ in context)})",
                               tuple(context.values()))
        connection.execute("DELETE FROM merges WHERE variant = ?", (variant,))
        connection.execute(
            "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
            (term_id, variant, "split", keep["term"], variant, who, stamp, "split"))


def apply_merges(terms: list, merges: dict[str, str]) -> list:
    """Before locating a build's terms: a merged variant is a spelling of its entry."""
    from .mine import Term

    if not merges:
        return terms
    by_term = {t.term: t for t in terms}
    for variant, canonical in sorted(merges.items()):
        folded = by_term.pop(variant, None)
        target = by_term.get(canonical)
        if target is None:
            if folded is None:
                continue
            target = Term(canonical, folded.category, cvalue=max(folded.cvalue, 0.1))
            by_term[canonical] = target
        if variant not in target.variants:
            target.variants.append(variant)
    return list(by_term.values())


def history(termbase: Termbase, term: str | None = None, limit: int = 50) -> list:
    """The audit, newest first: every change to a human field, merge, split and import."""
    if term is None:
        return termbase.connection.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return termbase.connection.execute("SELECT * FROM audit WHERE term = ? ORDER BY id DESC LIMIT ?",
                                       (term, limit)).fetchall()


def undo(termbase: Termbase, audit_id: int, who: str) -> int:
    """Put back the English, status and notes one command changed (the batch of audit row
    `audit_id`: same action, same moment). Returns how many fields were restored; the undo is
    itself audited, so it can be undone in turn."""
    from .store import HUMAN_FIELDS

    row = termbase.connection.execute("SELECT * FROM audit WHERE id = ?", (audit_id,)).fetchone()
    if row is None:
        raise GlossaryError(f"no audit entry #{audit_id} (see `glossary history`)")
    batch = termbase.connection.execute(
        "SELECT * FROM audit WHERE action = ? AND at = ? AND who = ? ORDER BY id DESC",
        (row["action"], row["at"], row["who"])).fetchall()
    restorable = [r for r in batch if r["field"] in HUMAN_FIELDS and r["term_id"] is not None]
    if not restorable:
        raise GlossaryError(f"audit entry #{audit_id} ({row['action']}) changed no English, status or notes; "
                            "merges are undone with `glossary split`")
    restored = 0
    with termbase.transaction():
        for change in restorable:
            if termbase.get_term(change["term_id"]) is None:
                continue
            if termbase.set_human(change["term_id"], {change["field"]: change["old"] or ""}, who,
                                  f"undo #{audit_id} ({row['action']})"):
                restored += 1
    return restored
