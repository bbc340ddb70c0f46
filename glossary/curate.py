"""Hand curation of entries: merge variants the miner did not group, split them apart again.

A merge is remembered in the `merges` table, so every later build counts the variant as a
spelling of the entry it was merged into; the merged entry, with every field a translator
gave it and its ID, waits in `dormant_terms` (and a snapshot in the audit), from which `split`
restores it under the same ID, however deeply it was merged since. Each is the undo of the
other.
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
        termbase.make_dormant(fold["id"], "merged", keep["id"])
        connection.execute("INSERT INTO merges(variant, canonical, who, at) VALUES (?,?,?,?) "
                           "ON CONFLICT(variant) DO UPDATE SET canonical = excluded.canonical",
                           (fold["term"], keep["term"], who, stamp))
        connection.execute("UPDATE merges SET canonical = ? WHERE canonical = ?", (keep["term"], fold["term"]))
        connection.execute(
            "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
            (keep["id"], keep["term"], "merge", snapshot, fold["term"], who, stamp, "merge"))


def _spellings(row: dict) -> set[str]:
    return {s for s in (row["term"], row["traditional"], *json.loads(row["variants_json"])) if s}


def split_terms(termbase: Termbase, canonical: str, variant: str, who: str) -> None:
    """Undo a merge: `variant` becomes its own entry again, under its own ID, with the fields
    it had; entries merged into it before come back with it."""
    keep = _require(termbase, canonical)
    merged = termbase.connection.execute("SELECT canonical FROM merges WHERE variant = ?", (variant,)).fetchone()
    if merged is None or merged[0] != keep["term"]:
        raise GlossaryError(f"{variant!r} was not merged into {keep['term']!r}; only merges made by hand can be split")
    found = termbase.connection.execute(
        "SELECT id FROM dormant_terms WHERE term = ? AND state = 'merged' ORDER BY at DESC LIMIT 1",
        (variant,)).fetchone()
    record = termbase.dormant(found[0]) if found else _legacy_snapshot(termbase, variant)
    if record is None:
        raise GlossaryError(f"the merge of {variant!r} left no record to split it from; nothing changed")
    row = record["row"]
    stamp = now()
    with termbase.transaction():
        connection = termbase.connection
        gone = _spellings(row)
        variants = [v for v in json.loads(keep["variants_json"]) if v not in gone]
        connection.execute("UPDATE terms SET variants_json = ?, frequency = max(frequency - ?, 0), updated_at = ?"
                           " WHERE id = ?", (json.dumps(variants, ensure_ascii=False), row["frequency"], stamp,
                                             keep["id"]))
        # Entries merged in between (the variant into X, X into the entry) lose its spellings too.
        for (between,) in connection.execute("SELECT id FROM dormant_terms WHERE state = 'merged'").fetchall():
            other = termbase.dormant(between)
            if other["id"] == row["id"] or not (gone & set(json.loads(other["row"]["variants_json"]))):
                continue
            other["row"]["variants_json"] = json.dumps(
                [v for v in json.loads(other["row"]["variants_json"]) if v not in gone], ensure_ascii=False)
            connection.execute("UPDATE dormant_terms SET row_json = ? WHERE id = ?",
                               (json.dumps(other["row"], ensure_ascii=False), between))
        if found:
            termbase.revive(found[0])
            term_id = found[0]
        else:
            term_id = _insert_snapshot(termbase, record, stamp)
        # What was merged into the variant before follows it out again.
        followers = [r[0] for r in connection.execute(
            "SELECT term FROM dormant_terms WHERE state = 'merged' AND into_id = ?", (term_id,))]
        for follower in followers:
            connection.execute("UPDATE merges SET canonical = ? WHERE variant = ?", (variant, follower))
        connection.execute("DELETE FROM merges WHERE variant = ?", (variant,))
        connection.execute(
            "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
            (term_id, variant, "split", keep["term"], variant, who, stamp, "split"))


def _legacy_snapshot(termbase: Termbase, variant: str) -> dict | None:
    """A merge made by a release before dormant_terms: its snapshot in the audit."""
    found = termbase.connection.execute(
        "SELECT old FROM audit WHERE field = 'merge' AND new = ? ORDER BY id DESC LIMIT 1", (variant,)).fetchone()
    if found is None:
        return None
    snapshot = json.loads(found[0])
    return {"row": snapshot["row"], "contexts": snapshot["contexts"]}


def _insert_snapshot(termbase: Termbase, record: dict, stamp: str) -> int:
    connection = termbase.connection
    columns = {r[1] for r in connection.execute("PRAGMA table_info(terms)")}
    row = {k: v for k, v in record["row"].items() if k in columns}
    row["updated_at"] = stamp
    if termbase.get_term(row["id"]) is not None:
        row.pop("id")
    term_id = connection.execute(f"INSERT INTO terms({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                                 tuple(row.values())).lastrowid
    for context in record["contexts"]:
        context["term_id"] = term_id
        connection.execute(f"INSERT INTO contexts({', '.join(context)}) VALUES ({', '.join('?' for _ in context)})",
                           tuple(context.values()))
    termbase.refresh_search([term_id])
    return term_id


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
    """The audit, newest first: every change to a human field, merge, split and import. For a
    term: everything recorded under its ID (also while it was merged or retired) and the merges
    and splits that moved it."""
    if term is None:
        return termbase.connection.execute("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    ids = [r[0] for r in termbase.connection.execute(
        "SELECT id FROM terms WHERE term = ? OR traditional = ? UNION SELECT id FROM dormant_terms WHERE term = ?",
        (term, term, term))]
    marks = ",".join("?" for _ in ids) or "NULL"
    return termbase.connection.execute(
        f"SELECT * FROM audit WHERE term = ? OR term_id IN ({marks}) OR (field IN ('merge', 'split') AND new = ?)"
        " ORDER BY id DESC LIMIT ?", (term, *ids, term, limit)).fetchall()


def describe(row) -> str:
    """One audit row for people: a merge is named, not shown as the snapshot it keeps."""
    if row["field"] == "merge":
        return f"merged {row['new']} into {row['term']}"
    if row["field"] == "split":
        return f"split {row['new']} out of {row['old']}"
    old, new = _shorten(row["old"] or ""), _shorten(row["new"] or "")
    return f"{row['term']} {row['field']}: {old!r} → {new!r}"


def _shorten(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


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
            if termbase.set_human(change["term_id"], {change["field"]: _before(termbase, change)}, who,
                                  f"undo #{audit_id} ({row['action']})"):
                restored += 1
    return restored


def _before(termbase: Termbase, change) -> str:
    """The stored value a change replaced. For English that is the translator's own rendering
    (empty when the entry showed machine or imported English), never the machine English."""
    if change["field"] != "english":
        return change["old"] or ""
    if change["old_stored"] is not None:
        return change["old_stored"]
    # Audit rows written before old_stored: machine or imported English was no translator's.
    row = termbase.get_term(change["term_id"])
    if change["old"] in (row["english_auto"], row["english_imported"]):
        return ""
    return change["old"] or ""
