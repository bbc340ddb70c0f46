"""Export: the workbook translators receive (openpyxl write-only mode, so large glossaries stay fast).

Sheets: Glossary, Slogans, Contexts, Sources, About, and a hidden Revisions sheet recording
each row's human fields as exported, which `glossary import` uses to tell a translator's edit
from a change made in the termbase since the export.
"""

from __future__ import annotations

import os
from copy import copy
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from . import __version__
from .atomic import atomic_path
from .english import CEDICT_CREDIT
from .safety import cell_text
from .store import STATUSES, Termbase, TermRow

CJK_FONT = "Microsoft YaHei"
HIGHLIGHT = InlineFont(b=True, color="C00000", rFont=CJK_FONT)
PLAIN = InlineFont(rFont=CJK_FONT)

GLOSSARY_SHEET = "Glossary"
REVISIONS_SHEET = "Revisions"
GLOSSARY_COLUMNS = [
    ("ID", 7), ("Term", 20), ("Traditional", 20), ("Pinyin", 28), ("English", 38), ("English source", 16),
    ("English provenance", 34), ("Category", 16), ("Expansion", 40), ("Frequency", 10), ("Documents", 10),
    ("Context", 70), ("Source", 26), ("Status", 12), ("Notes", 32), ("All contexts", 12),
]
EDITABLE_COLUMNS = {"English", "Status", "Notes"}
REVISION_COLUMNS = ["ID", "Revision", "English", "Status", "Notes"]

_FONT = Font(name=CJK_FONT, size=10)
_LINK_FONT = Font(name=CJK_FONT, size=10, color="0563C1", underline="single")
_HEADER_FONT = Font(name=CJK_FONT, size=10, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="548235")
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_THIN = Border(bottom=Side(style="thin", color="BFBFBF"))


_STYLE_CACHE: dict[tuple, object] = {}


def _cell(sheet, value, font=_FONT, fill=None, alignment=_TOP):
    if isinstance(value, str):
        value = cell_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even "=1+1" or "1+1+9+N"
    # Assigning style objects hashes them against the workbook's tables each time; a cell's
    # style array can be copied instead once the combination is registered.
    key = (id(sheet.parent), id(font), id(fill), id(alignment))
    style = _STYLE_CACHE.get(key)
    if style is None:
        cell.font = font
        cell.alignment = alignment
        if fill is not None:
            cell.fill = fill
        _STYLE_CACHE[key] = copy(cell._style)
    else:
        cell._style = copy(style)
    return cell


def _header(sheet, columns, editable=frozenset()):
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    row = []
    for name, _ in columns:
        cell = _cell(sheet, name, font=_HEADER_FONT,
                     fill=_EDITABLE_HEADER_FILL if name in editable else _HEADER_FILL, alignment=_WRAP)
        cell.border = _THIN
        row.append(cell)
    sheet.append(row)


def highlighted(sheet, text: str, start: int, length: int):
    """The context sentence with the term in bold colour (rich text)."""
    text = cell_text(text)
    if start < 0 or start + length > len(text):
        return _cell(sheet, text, alignment=_WRAP)
    parts = []
    if start:
        parts.append(TextBlock(PLAIN, text[:start]))
    parts.append(TextBlock(HIGHLIGHT, text[start:start + length]))
    if start + length < len(text):
        parts.append(TextBlock(PLAIN, text[start + length:]))
    cell = WriteOnlyCell(sheet, value=CellRichText(parts))
    cell.alignment = _WRAP
    cell.font = _FONT
    return cell


def _components_text(row: TermRow) -> str:
    if not row.expansion:
        return ""
    text = "、".join(row.expansion)
    if row.expansion_source:
        text += f"  [{row.expansion_source}]"
    return text


def write_workbook(termbase: Termbase, out: str | os.PathLike, built_at: str | None = None) -> Path:
    """Write the workbook atomically: a temporary file in the same folder, then a rename."""
    out = Path(out)
    rows = termbase.term_rows()
    documents = termbase.documents()
    workbook = Workbook(write_only=True)
    _glossary_sheet(workbook, rows)
    _slogans_sheet(workbook, rows)
    _contexts_sheet(workbook, rows)
    _sources_sheet(workbook, documents)
    _about_sheet(workbook, termbase, rows, built_at)
    _revisions_sheet(workbook, rows)
    try:
        with atomic_path(out) as temporary:
            workbook.save(temporary)
    finally:
        for key in [k for k in _STYLE_CACHE if k[0] == id(workbook)]:
            del _STYLE_CACHE[key]
    return out


def _glossary_sheet(workbook, rows: list[TermRow]) -> None:
    sheet = workbook.create_sheet(GLOSSARY_SHEET)
    _header(sheet, GLOSSARY_COLUMNS, EDITABLE_COLUMNS)
    last_row = len(rows) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(GLOSSARY_COLUMNS))}{max(last_row, 2)}"
    status_column = get_column_letter([n for n, _ in GLOSSARY_COLUMNS].index("Status") + 1)
    validation = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                                showErrorMessage=True, errorTitle="Status",
                                error="Choose one of: " + ", ".join(STATUSES))
    validation.add(f"{status_column}2:{status_column}{max(last_row, 2)}")
    sheet.data_validations.append(validation)
    context_row = 2
    for row in rows:
        best = row.contexts[0] if row.contexts else None
        context_cell = (highlighted(sheet, best["text"], best["term_start"], len(row.term))
                        if best else _cell(sheet, ""))
        link = _cell(sheet, f"{len(row.contexts)} ▸" if row.contexts else "", font=_LINK_FONT)
        if row.contexts:
            link.hyperlink = Hyperlink(ref="", location=f"'Contexts'!A{context_row}",
                                       tooltip="All example sentences of this term")
            context_row += len(row.contexts)
        sheet.append([
            _cell(sheet, row.id),
            _cell(sheet, row.term),
            _cell(sheet, row.traditional),
            _cell(sheet, row.pinyin),
            _cell(sheet, row.english, fill=_EDITABLE_FILL, alignment=_WRAP),
            _cell(sheet, row.english_source),
            _cell(sheet, "; ".join(p for p in (row.english_detail, row.imported_note) if p), alignment=_WRAP),
            _cell(sheet, row.category),
            _cell(sheet, _components_text(row), alignment=_WRAP),
            _cell(sheet, row.frequency),
            _cell(sheet, row.documents),
            context_cell,
            _cell(sheet, best["document"] if best else ("" if row.in_corpus else "not in corpus")),
            _cell(sheet, row.status, fill=_EDITABLE_FILL),
            _cell(sheet, row.notes, fill=_EDITABLE_FILL, alignment=_WRAP),
            link,
        ])


def _slogans_sheet(workbook, rows: list[TermRow]) -> None:
    columns = [("ID", 7), ("Slogan", 20), ("Pinyin", 26), ("English", 34), ("#", 5), ("Component", 34),
               ("Component pinyin", 34), ("Component English", 44), ("Component English source", 18),
               ("Expansion source", 34)]
    sheet = workbook.create_sheet("Slogans")
    _header(sheet, columns)
    count = 0
    for row in rows:
        if row.category != "numbered slogan":
            continue
        components = row.components or [{"zh": "", "en": "", "pinyin": "", "source": ""}]
        for number, component in enumerate(components, start=1):
            count += 1
            sheet.append([
                _cell(sheet, row.id), _cell(sheet, row.term), _cell(sheet, row.pinyin),
                _cell(sheet, row.english, alignment=_WRAP),
                _cell(sheet, number if component.get("zh") else ""),
                _cell(sheet, component.get("zh", ""), alignment=_WRAP),
                _cell(sheet, component.get("pinyin", ""), alignment=_WRAP),
                _cell(sheet, component.get("en", ""), alignment=_WRAP),
                _cell(sheet, component.get("source", "") if component.get("zh") else ""),
                _cell(sheet, row.expansion_source if component.get("zh") else "(the corpus does not list its components)"),
            ])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(count + 1, 2)}"


def _contexts_sheet(workbook, rows: list[TermRow]) -> None:
    columns = [("ID", 7), ("Term", 20), ("#", 5), ("Context", 90), ("Document", 28), ("Sentence", 9),
               ("Start", 8), ("End", 8), ("Traditional", 60)]
    sheet = workbook.create_sheet("Contexts")
    _header(sheet, columns)
    count = 0
    for row in rows:
        for number, context in enumerate(row.contexts, start=1):
            count += 1
            traditional = context.get("traditional") or ""
            sheet.append([
                _cell(sheet, row.id), _cell(sheet, row.term), _cell(sheet, number),
                highlighted(sheet, context["text"], context["term_start"], len(row.term)),
                _cell(sheet, context["document"]), _cell(sheet, context["sentence"]),
                _cell(sheet, context["start"]), _cell(sheet, context["end"]),
                highlighted(sheet, traditional, context["term_start"], len(row.term)) if traditional
                else _cell(sheet, ""),
            ])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(count + 1, 2)}"


def _sources_sheet(workbook, documents) -> None:
    import json

    columns = [("File", 30), ("Title", 44), ("Date", 12), ("Publication", 22), ("Author", 16), ("Encoding", 11),
               ("Script", 12), ("Lines dropped", 9), ("Why dropped", 50), ("Mojibake segments", 10),
               ("Mojibake", 30), ("Content hash", 20), ("Added", 22)]
    sheet = workbook.create_sheet("Sources")
    _header(sheet, columns)
    for document in documents:
        dropped = json.loads(document["dropped_json"])
        mojibake = json.loads(document["mojibake_json"])
        reasons: dict[str, int] = {}
        for _, reason in dropped:
            reasons[reason] = reasons.get(reason, 0) + 1
        sheet.append([
            _cell(sheet, document["path"]), _cell(sheet, document["title"] or "", alignment=_WRAP),
            _cell(sheet, document["date"] or ""), _cell(sheet, document["publication"] or ""),
            _cell(sheet, document["author"] or ""), _cell(sheet, document["encoding"] or ""),
            _cell(sheet, document["script"] or ""), _cell(sheet, len(dropped)),
            _cell(sheet, "; ".join(f"{reason} ×{n}" for reason, n in sorted(reasons.items())), alignment=_WRAP),
            _cell(sheet, len(mojibake)), _cell(sheet, " | ".join(m[2] for m in mojibake), alignment=_WRAP),
            _cell(sheet, document["hash"][:16]), _cell(sheet, document["added_at"]),
        ])


ABOUT_TEXT = [
    ("What this is", "A glossary of the terms, numbered slogans, meetings and organisations mined from a corpus of "
     "Chinese political writing, with pinyin, English, and example sentences from the corpus."),
    ("Sheets", "Glossary: one row per entry, most important first (by mining score). Slogans: each numbered slogan "
     "with its components. Contexts: every kept example sentence. Sources: each document read. "
     "Revisions (hidden): the values as exported, so that an import can tell your edits from later changes."),
    ("How to edit", "Only the green-headed columns of the Glossary sheet are read back: English, Status and Notes. "
     "Type your rendering in English; set Status to approved to make it the approved rendering (reviewed, "
     "rejected and new are the other values); write anything else in Notes. Keep the ID column as it is, "
     "and do not rename the headers. Then run: glossary import THIS-FILE.xlsx"),
    ("English source: reference", "An established rendering from an official or standard publication, named in "
     "English provenance."),
    ("English source: dictionary draft", "Composed word by word from CC-CEDICT glosses: a draft to check, never an "
     "established rendering."),
    ("English source: approved", "A translator's rendering, approved in the termbase; it always wins."),
    ("English source: translator edit", "A translator's rendering not yet approved."),
    ("English source: imported: FILE", "From an outside glossary brought in with glossary import."),
    ("English source: none", "No reference and no dictionary gloss: the term needs a translator."),
    ("Dictionary", "Draft English uses " + CEDICT_CREDIT + "."),
]


def _about_sheet(workbook, termbase: Termbase, rows: list[TermRow], built_at: str | None) -> None:
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 110
    sheet.append([_cell(sheet, "glossary workbook", font=Font(name=CJK_FONT, size=14, bold=True))])
    facts = [
        ("Tool version", f"glossary {__version__}"),
        ("Built", built_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()),
        ("Corpus fingerprint", termbase.get_meta("corpus_fingerprint", "") or ""),
        ("Documents", str(len(termbase.documents()))),
        ("Entries", str(len(rows))),
    ]
    for label, text in facts + ABOUT_TEXT:
        sheet.append([_cell(sheet, label, font=Font(name=CJK_FONT, size=10, bold=True)),
                      _cell(sheet, text, alignment=_WRAP)])


def _revisions_sheet(workbook, rows: list[TermRow]) -> None:
    sheet = workbook.create_sheet(REVISIONS_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append([_cell(sheet, name) for name in REVISION_COLUMNS])
    for row in rows:
        sheet.append([_cell(sheet, row.id), _cell(sheet, row.revision), _cell(sheet, row.english),
                      _cell(sheet, row.status), _cell(sheet, row.notes)])
