"""Import: take a workbook translators edited back into the termbase without losing anything.

Every row is validated before anything is written; the changes are applied in one transaction
and each is recorded in the audit. The hidden Revisions sheet of the export says what each row
held when it was exported, so that a value changed both in the file and in the termbase since
then is reported as a conflict instead of silently overwriting either side.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GlossaryError
from .sheets import cell_text as _text, open_workbook
from .store import HUMAN_FIELDS, STATUSES, Termbase

REQUIRED_HEADERS = ("ID", "Term", "English", "Status", "Notes")


@dataclass
class Change:
    term_id: int | None
    term: str
    values: dict[str, str]
    row: int
    note: str = ""  # how the row was matched, when not by its own live ID


@dataclass
class Conflict:
    term_id: int
    term: str
    field: str
    exported: str
    in_store: str
    in_file: str
    row: int
    reason: str = ""  # set when the file's value is unusable (a formula without a calculated value)


@dataclass
class NotApplied:
    row: int
    term: str
    reason: str


@dataclass
class ImportReport:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    skipped: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    applied: bool = False
    merged: list[Change] = field(default_factory=list)    # edits of merged entries, for the entry that absorbed them
    retired: list[Change] = field(default_factory=list)   # edits kept on retired entries (shown when they return)
    revived: list[Change] = field(default_factory=list)   # rows without ID naming a retired term: back, same ID
    not_applied: list[NotApplied] = field(default_factory=list)  # repeated rows, IDs never given out

    @property
    def complete(self) -> bool:
        """Everything the file asks for was applied (no conflict, no row left out)."""
        return not self.conflicts and not self.not_applied


def is_our_workbook(path: str | os.PathLike) -> bool:
    workbook = open_workbook(path)
    try:
        if "Glossary" not in workbook.sheetnames:
            return False
        header = next(workbook["Glossary"].iter_rows(values_only=True, max_row=1), ()) or ()
        return "ID" in [_text(c) for c in header]
    finally:
        workbook.close()


EDITABLE = ("English", "Status", "Notes")


def _formula_cells(path: Path, columns: dict[str, int]) -> dict[int, dict[str, str]]:
    """Sheet row → {column: formula} of the editable cells of the Glossary sheet that hold a
    formula. A tool that does not calculate (openpyxl, pandas, some web spreadsheets) saves
    formulas without a cached value, which must not be read as an empty cell."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False, rich_text=False)
    try:
        found: dict[int, dict[str, str]] = {}
        rows = workbook["Glossary"].iter_rows(min_row=2)
        for number, cells in enumerate(rows, start=2):
            for name in EDITABLE:
                position = columns[name]
                if position < len(cells) and getattr(cells[position], "data_type", None) == "f":
                    found.setdefault(number, {})[name] = str(cells[position].value)
        return found
    finally:
        workbook.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula at all (most never do)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as handle:
                    tail = b""
                    while chunk := handle.read(1 << 20):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk or b":f>" in tail + chunk:
                            return True
                        tail = chunk[-8:]
    return False


def read_workbook_rows(path: str | os.PathLike):
    """(data rows with their sheet row numbers, revisions by ID) of our workbook. A record's
    "formulas" holds its editable cells that are formulas without a calculated value."""
    path = Path(path)
    try:
        return _read_workbook_rows(path)
    except GlossaryError:
        raise
    except Exception as error:  # noqa: BLE001 - a cut or damaged sheet fails while it is read
        raise GlossaryError(f"{path.name} is not a readable .xlsx workbook (a damaged sheet: "
                            f"{type(error).__name__}: {error})") from None


def _read_workbook_rows(path: Path):
    workbook = open_workbook(path)
    try:
        if "Glossary" not in workbook.sheetnames:
            raise GlossaryError(f"{path.name}: no sheet named 'Glossary' (is this a glossary workbook?)")
        sheet = workbook["Glossary"]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = [_text(cell) for cell in header]
        index = {}
        for position, name in enumerate(names):
            if name and name.casefold() not in {k.casefold() for k in index}:
                index[name] = position
        folded = {name.casefold(): position for name, position in index.items()}
        for required in REQUIRED_HEADERS:
            if required.casefold() not in folded:
                raise GlossaryError(f"{path.name}: sheet 'Glossary' has no column '{required}' in its header row")
        columns = {required: folded[required.casefold()] for required in REQUIRED_HEADERS}
        formulas = _formula_cells(path, columns) if _has_formulas(path) else {}
        data = []
        for number, values in enumerate(rows, start=2):
            values = list(values)
            if not any(_text(v) for v in values) and number not in formulas:
                continue
            record = {name: _text(values[position]) if position < len(values) else ""
                      for name, position in columns.items()}
            # A formula's cached value is what the translator saw: it counts. Without one, the
            # cell is reported, never read as empty.
            record["formulas"] = {name: formula for name, formula in formulas.get(number, {}).items()
                                  if not record[name]}
            data.append((number, record))
        revisions = {}
        if "Revisions" in workbook.sheetnames:
            revision_rows = workbook["Revisions"].iter_rows(values_only=True)
            revision_header = [_text(c) for c in next(revision_rows, ())]
            for values in revision_rows:
                item = dict(zip(revision_header, (_text(v) for v in values)))
                if item.get("ID", "").isdigit():
                    revisions[int(item["ID"])] = item
        return data, revisions
    finally:
        workbook.close()


def _translator_values(row) -> dict[str, str]:
    """The human fields a translator set (empty where the entry shows machine values)."""
    return {"english": row["english_human"], "status": "" if row["status"] == "new" else row["status"],
            "notes": row["notes"]}


def _plan_fields(report: ImportReport, file_values: dict[str, str], in_store: dict[str, str],
                 exported: dict[str, str] | None, own: dict[str, str] | None, prefer: str | None,
                 term_id: int, term: str, number: int) -> tuple[dict[str, str], bool]:
    """The fields to change, and whether any conflict was reported.

    With `exported` (the row's values when the file was written) a field is the translator's
    edit where the file differs from it, and a conflict where the termbase changed it too.
    With `own` (the translator values of the entry an edit lands on: a merged entry's
    absorber, an existing term added again by hand) an edit conflicts with a translator's
    value there that differs from it."""
    changes: dict[str, str] = {}
    conflicted = False
    for field_name in HUMAN_FIELDS:
        if field_name not in file_values:
            continue
        new = file_values[field_name]
        if exported is not None and new == exported[field_name]:
            continue  # the translator did not touch it
        if new == in_store[field_name]:
            continue
        if own is not None:
            if not new and field_name != "status":
                continue  # an empty cell in a row that was never exported says nothing
            clash = bool(own[field_name]) and own[field_name] != new
        else:
            clash = in_store[field_name] != exported[field_name]
        if clash:
            if prefer == "file":
                changes[field_name] = new
            elif prefer != "store":
                conflicted = True
                report.conflicts.append(Conflict(term_id, term, field_name,
                                                 exported[field_name] if exported else "",
                                                 in_store[field_name], new, number))
            continue
        changes[field_name] = new
    return changes, conflicted


def plan_import(termbase: Termbase, path: str | os.PathLike, prefer: str | None = None) -> ImportReport:
    """Validate every row and work out the changes; writes nothing.

    A workbook exported at any earlier point imports: an ID merged since goes to the entry that
    absorbed it, a retired ID keeps the edit on the retired entry, an ID the termbase never gave
    out or a repeated row is reported and left out; nothing refuses the whole file but rows that
    cannot mean anything (a bad status, a term that is no term)."""
    from .clean import to_simplified
    from .validity import term_problem

    name = Path(path).name
    data, revisions = read_workbook_rows(path)
    report = ImportReport()
    seen_ids: dict[int, int] = {}
    seen_terms: dict[str, int] = {}
    merges = dict(termbase.connection.execute("SELECT variant, canonical FROM merges"))
    for number, record in data:
        where = f"{name}: sheet 'Glossary' row {number}"
        formulas = record.get("formulas", {})
        status = record["Status"].lower() or "new"
        if "Status" not in formulas and status not in STATUSES:
            raise GlossaryError(f"{where} column 'Status': unknown value {record['Status']!r} "
                                f"(one of {', '.join(STATUSES)})")
        file_values = {"english": record["English"], "status": status, "notes": record["Notes"]}
        for column in formulas:
            file_values.pop(column.lower())
        if not record["ID"]:
            if not record["Term"]:
                raise GlossaryError(f"{where}: a row without ID needs a Term")
            problem = term_problem(record["Term"])
            if problem:
                raise GlossaryError(f"{where} column 'Term': {problem}")
            key = to_simplified(record["Term"])
            if key in seen_terms:
                report.not_applied.append(NotApplied(number, record["Term"], f"repeats row {seen_terms[key]}"))
                continue
            seen_terms[key] = number
            if not record["Status"]:
                file_values.pop("status", None)  # no status given: nothing to say about it
            row = (termbase.find_term(key) or termbase.find_term(record["Term"])
                   or (termbase.find_term(merges[key]) if key in merges else None))
            if row is not None:
                if row["id"] in seen_ids:
                    report.not_applied.append(NotApplied(number, record["Term"],
                                                         f"repeats row {seen_ids[row['id']]} (ID {row['id']})"))
                    continue
                seen_ids[row["id"]] = number
                _report_formulas(report, formulas, row, number)
                changes, conflicted = _plan_fields(report, file_values, termbase.human_values(row), None,
                                                   _translator_values(row), prefer, row["id"], row["term"], number)
                if changes:
                    report.changed.append(Change(row["id"], row["term"], changes, number,
                                                 f"already an entry (ID {row['id']}): treated as an edit of it"))
                elif not conflicted and not formulas:
                    report.skipped += 1
                continue
            retired = termbase.connection.execute(
                "SELECT id FROM dormant_terms WHERE term = ? AND state = 'retired'", (key,)).fetchone()
            values = {k: v for k, v in file_values.items() if v}
            if retired:
                report.revived.append(Change(retired[0], key, values, number,
                                             f"retired entry ID {retired[0]} brought back"))
            else:
                report.added.append(Change(None, key, values, number))
            continue
        if not record["ID"].isdigit():
            raise GlossaryError(f"{where} column 'ID': {record['ID']!r} is not an ID this tool wrote")
        term_id = int(record["ID"])
        if term_id in seen_ids:
            report.not_applied.append(NotApplied(number, record["Term"],
                                                 f"ID {term_id} repeats row {seen_ids[term_id]}"))
            continue
        seen_ids[term_id] = number
        state, row, dormant = termbase.resolve_id(term_id)
        if state == "unknown":
            report.not_applied.append(NotApplied(number, record["Term"],
                                                 f"ID {term_id} was never an entry of this termbase"))
            continue
        entry = row if state == "live" else dormant["row"]
        if record["Term"] and record["Term"] not in (entry["term"], entry["traditional"]):
            report.not_applied.append(NotApplied(number, record["Term"],
                                                 f"ID {term_id} is {entry['term']!r}, not {record['Term']!r}"))
            continue
        seen_terms.setdefault(entry["term"], number)  # headwords are simplified already
        exported = revisions.get(term_id)
        exported_values = ({"english": exported.get("English", ""), "status": exported.get("Status", ""),
                            "notes": exported.get("Notes", "")} if exported else termbase.human_values(entry))
        if state == "merged":
            _report_formulas(report, formulas, row, number)
            changes, conflicted = _plan_fields(report, file_values, termbase.human_values(row), exported_values,
                                               _translator_values(row), prefer, row["id"], row["term"], number)
            note = f"ID {term_id} {entry['term']} was merged into {row['term']} (ID {row['id']})"
            if changes:
                change = Change(row["id"], row["term"], changes, number, note)
                report.changed.append(change)
                report.merged.append(change)
            elif not conflicted and not formulas:
                report.skipped += 1
            continue
        _report_formulas(report, formulas, entry, number)
        changes, conflicted = _plan_fields(report, file_values, termbase.human_values(entry), exported_values,
                                           None, prefer, term_id, entry["term"], number)
        if (state == "live" and file_values.get("status") == "approved" and "english" not in changes
                and entry["status"] != "approved"):
            # Approving a row makes its English the approved rendering, whatever its source.
            if file_values.get("english") and not entry["english_human"]:
                changes["english"] = file_values["english"]
        if not changes:
            if not conflicted and not formulas:
                report.skipped += 1
        elif state == "retired":
            report.retired.append(Change(term_id, entry["term"], changes, number,
                                         f"ID {term_id} {entry['term']} is retired (no longer mined): kept on it"))
        else:
            report.changed.append(Change(term_id, entry["term"], changes, number))
    return report


def _report_formulas(report: ImportReport, formulas: dict[str, str], entry, number: int) -> None:
    for column, formula in formulas.items():
        report.conflicts.append(Conflict(entry["id"], entry["term"], column.lower(), "", "", formula, number,
                                         reason="the cell holds a formula without a calculated value"))


def apply_import(termbase: Termbase, report: ImportReport, who: str, source: str) -> None:
    """Apply a planned import in one transaction."""
    from .outside import add_entries
    from .store import now

    action = f"import {source}"
    with termbase.transaction():
        for change in report.changed:
            _set(termbase, change.term_id, change.values, who, action)
        for change in report.retired:
            termbase.set_dormant_human(change.term_id, change.values, who, action)
        for change in report.revived:
            termbase.revive(change.term_id)
            _set(termbase, change.term_id, change.values, who, action)
        if report.added:
            stamp = now()
            ids = add_entries(termbase, [change.term for change in report.added], "added by hand")
            for change in report.added:
                term_id = ids[change.term]
                termbase.connection.execute(
                    "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
                    (term_id, change.term, "term", None, change.term, who, stamp, action))
                change.term_id = term_id
                _set(termbase, term_id, change.values, who, action)
    report.applied = True


def _set(termbase: Termbase, term_id: int, values: dict[str, str], who: str, action: str) -> None:
    values = dict(values)
    if "english" in values:
        # Write English first so that approving and editing in one row approve the new text.
        termbase.set_human(term_id, {"english": values.pop("english")}, who, action)
    if values:
        termbase.set_human(term_id, values, who, action)
