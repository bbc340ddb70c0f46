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
from .store import HUMAN_FIELDS, STATUSES, Termbase

REQUIRED_HEADERS = ("ID", "Term", "English", "Status", "Notes")


@dataclass
class Change:
    term_id: int | None
    term: str
    values: dict[str, str]
    row: int


@dataclass
class Conflict:
    term_id: int
    term: str
    field: str
    exported: str
    in_store: str
    in_file: str
    row: int


@dataclass
class ImportReport:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    skipped: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    applied: bool = False


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_workbook(path: str | os.PathLike):
    """Open an .xlsx safely (openpyxl parses with defusedxml, a dependency: no entity bombs)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.exists():
        raise GlossaryError(f"no such file: {path}")
    try:
        return load_workbook(path, read_only=True, data_only=True, rich_text=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise GlossaryError(f"{path.name} is not a readable .xlsx workbook ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - malformed XML inside a zip takes many shapes
        raise GlossaryError(f"{path.name} is not a readable .xlsx workbook ({type(error).__name__}: {error})") from None


def is_our_workbook(path: str | os.PathLike) -> bool:
    workbook = open_workbook(path)
    try:
        if "Glossary" not in workbook.sheetnames:
            return False
        header = next(workbook["Glossary"].iter_rows(values_only=True, max_row=1), ()) or ()
        return "ID" in [_text(c) for c in header]
    finally:
        workbook.close()


def read_workbook_rows(path: str | os.PathLike):
    """(data rows with their sheet row numbers, revisions by ID) of our workbook."""
    path = Path(path)
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
        data = []
        for number, values in enumerate(rows, start=2):
            values = list(values)
            if not any(_text(v) for v in values):
                continue
            record = {name: _text(values[position]) if position < len(values) else ""
                      for name, position in columns.items()}
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


def plan_import(termbase: Termbase, path: str | os.PathLike, prefer: str | None = None) -> ImportReport:
    """Validate every row and work out the changes; writes nothing."""
    name = Path(path).name
    data, revisions = read_workbook_rows(path)
    report = ImportReport()
    seen_ids: set[int] = set()
    for number, record in data:
        where = f"{name}: sheet 'Glossary' row {number}"
        status = record["Status"].lower() or "new"
        if status not in STATUSES:
            raise GlossaryError(f"{where} column 'Status': unknown value {record['Status']!r} "
                                f"(one of {', '.join(STATUSES)})")
        file_values = {"english": record["English"], "status": status, "notes": record["Notes"]}
        if not record["ID"]:
            if not record["Term"]:
                raise GlossaryError(f"{where}: a row without ID needs a Term")
            report.added.append(Change(None, record["Term"], file_values, number))
            continue
        if not record["ID"].isdigit():
            raise GlossaryError(f"{where} column 'ID': {record['ID']!r} is not an ID this tool wrote")
        term_id = int(record["ID"])
        if term_id in seen_ids:
            raise GlossaryError(f"{where} column 'ID': ID {term_id} appears twice")
        seen_ids.add(term_id)
        row = termbase.get_term(term_id)
        if row is None:
            raise GlossaryError(f"{where} column 'ID': no term with ID {term_id} in the termbase")
        if record["Term"] and record["Term"] not in (row["term"], row["traditional"]):
            raise GlossaryError(f"{where} column 'Term': {record['Term']!r} but ID {term_id} is {row['term']!r}")
        in_store = termbase.human_values(row)
        exported = revisions.get(term_id)
        exported_values = ({"english": exported.get("English", ""), "status": exported.get("Status", ""),
                            "notes": exported.get("Notes", "")} if exported else in_store)
        changes: dict[str, str] = {}
        for field_name in HUMAN_FIELDS:
            new = file_values[field_name]
            if new == exported_values[field_name]:
                continue  # the translator did not touch it
            if in_store[field_name] != exported_values[field_name] and in_store[field_name] != new:
                if prefer == "file":
                    changes[field_name] = new
                elif prefer != "store":
                    report.conflicts.append(Conflict(term_id, row["term"], field_name, exported_values[field_name],
                                                     in_store[field_name], new, number))
                continue
            if new != in_store[field_name]:
                changes[field_name] = new
        if file_values["status"] == "approved" and "english" not in changes and row["status"] != "approved":
            # Approving a row makes its English the approved rendering, whatever its source.
            if file_values["english"] and not row["english_human"]:
                changes["english"] = file_values["english"]
        if changes:
            report.changed.append(Change(term_id, row["term"], changes, number))
        else:
            report.skipped += 1
    return report


def apply_import(termbase: Termbase, report: ImportReport, who: str, source: str) -> None:
    """Apply a planned import in one transaction."""
    from .store import now

    with termbase.transaction():
        for change in report.changed:
            values = dict(change.values)
            if "english" in values:
                # Write English first so that approving and editing in one row approve the new text.
                termbase.set_human(change.term_id, {"english": values.pop("english")}, who, f"import {source}")
            if values:
                termbase.set_human(change.term_id, values, who, f"import {source}")
        for change in report.added:
            existing = termbase.find_term(change.term)
            if existing is None:
                stamp = now()
                cursor = termbase.connection.execute(
                    "INSERT INTO terms(term, traditional, category, mined, in_corpus, created_at, updated_at)"
                    " VALUES (?, '', 'added by hand', 0, 0, ?, ?)", (change.term, stamp, stamp))
                term_id = cursor.lastrowid
                termbase.connection.execute(
                    "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
                    (term_id, change.term, "term", None, change.term, who, stamp, f"import {source}"))
            else:
                term_id = existing["id"]
            termbase.set_human(term_id, change.values, who, f"import {source}")
    report.applied = True
