"""The workbook translators receive: sheets, headers, highlighting, validation, links, safety."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText

from glossary.safety import EXCEL_CELL_LIMIT, cell_text, csv_text
from glossary.store import Termbase
from glossary.workbook import GLOSSARY_COLUMNS, write_workbook

HEADERS = ["ID", "Term", "Traditional", "Pinyin", "English", "English source", "Category", "Expansion", "Frequency",
           "Documents", "Context", "Source", "Status", "Notes"]


@pytest.fixture(scope="module")
def workbook(built):
    return load_workbook(built[1], rich_text=True)


def test_sheets_and_headers(workbook):
    assert workbook.sheetnames == ["Glossary", "New", "Slogans", "Contexts", "Sources", "About", "Revisions"]
    header = [c.value for c in workbook["Glossary"][1]]
    for name in HEADERS:
        assert name in header, name
    assert workbook["Revisions"].sheet_state == "hidden"


def test_glossary_layout(workbook):
    sheet = workbook["Glossary"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet["A1"].font.bold
    header = [c.value for c in sheet[1]]
    english = header.index("English") + 1
    term = header.index("Term") + 1
    assert sheet.cell(1, english).fill.fgColor.rgb != sheet.cell(1, term).fill.fgColor.rgb
    assert sheet.cell(2, english).fill.fgColor.rgb.endswith("FFF2CC")
    assert sheet.column_dimensions["L"].width >= 60
    assert "YaHei" in sheet.cell(2, term).font.name


def test_sorted_by_score_and_status_dropdown(workbook, built):
    sheet = workbook["Glossary"]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    with Termbase(built[0]) as termbase:
        scores = {row.id: row.score for row in termbase.term_rows()}
    ordered = [scores[i] for i in ids]
    assert ordered == sorted(ordered, reverse=True)
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"new,reviewed,approved,rejected"'
    assert str(validations[0].sqref).startswith("N2:N")


def test_context_highlights_the_term(workbook):
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    term_column, context_column = header.index("Term"), header.index("Context")
    checked = 0
    for row in sheet.iter_rows(min_row=2, max_row=60):
        value = row[context_column].value
        assert isinstance(value, CellRichText)
        bold = [block for block in value if not isinstance(block, str) and block.font.b]
        assert len(bold) == 1
        assert bold[0].text == row[term_column].value
        assert bold[0].font.color.rgb.endswith("C00000")
        checked += 1
    assert checked > 50


def test_links_to_contexts_are_internal(workbook):
    sheet = workbook["Glossary"]
    contexts = workbook["Contexts"]
    header = [c.value for c in sheet[1]]
    link_column = header.index("All contexts")
    for row in sheet.iter_rows(min_row=2, max_row=30):
        link = row[link_column].hyperlink
        assert link is not None and link.target is None
        assert link.location.startswith("'Contexts'!A")
        target_row = int(link.location.split("!A")[1])
        assert contexts.cell(target_row, 1).value == row[0].value
        assert contexts.cell(target_row, 3).value == 1


def test_slogans_sheet_lists_components(workbook):
    rows = list(workbook["Slogans"].iter_rows(min_row=2, values_only=True))
    components = [r[5] for r in rows if r[1] == "四个凝聚"]
    assert components == ["凝聚人心", "凝聚共识", "凝聚智慧", "凝聚力量"]
    for row in rows:
        if row[5]:
            assert row[6], row  # every component has pinyin
    assert any(r[1] == "三心两进一流" and not r[5] for r in rows)


def test_sources_and_about(workbook):
    rows = list(workbook["Sources"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    by_file = {os.path.basename(r[0]): r for r in rows}
    first = by_file["000_c2d07c5f0ac9665e.txt"]
    assert first[2] == "2024-12-04" and first[3] == "人民政协报" and first[6] == "traditional"
    assert first[7] >= 5 and first[9] == 2
    about = "\n".join(str(c.value) for row in workbook["About"].iter_rows() for c in row if c.value)
    for needle in ("CC-CEDICT", "CC BY-SA 4.0", "glossary import", "Corpus fingerprint", "dictionary draft",
                   "reference", "approved"):
        assert needle in about


def test_every_entry_has_pinyin_and_labelled_english(workbook):
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    pinyin, english, source = header.index("Pinyin"), header.index("English"), header.index("English source")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        assert row[pinyin], row
        assert row[source] in {"reference", "dictionary draft", "approved", "none"}
        assert bool(row[english]) == (row[source] != "none")


def _crafted_termbase(tmp_path, term_text, context_text, notes=""):
    termbase = Termbase(tmp_path / "crafted.sqlite3")
    entry = {"term": term_text, "traditional": term_text, "variants": [], "category": "political term", "score": 1.0,
             "frequency": 1, "documents": 1, "expansion": [], "expansion_source": "", "pinyin": "p",
             "pinyin_marks": "p", "pinyin_numbers": "p", "pinyin_plain": "p", "initials": "p",
             "english": "=HYPERLINK(\"http://x\")", "english_source": "dictionary draft", "english_detail": "",
             "english_alternatives": [], "components": [],
             "contexts": [{"document": "d.txt", "document_hash": "h", "sentence": 0, "start": 0, "end": 1,
                           "text": context_text, "term_start": 0, "traditional": None}]}
    with termbase.transaction():
        termbase.upsert_mined_terms([entry])
        if notes:
            termbase.set_human(1, {"notes": notes}, "tester", "test")
    return termbase


def test_formulas_are_written_as_text(tmp_path):
    termbase = _crafted_termbase(tmp_path, "=1+1+9+N", "=SUM(A1:A9) 与 +1 与 @cmd", notes="-2+3")
    out = tmp_path / "crafted.xlsx"
    write_workbook(termbase, out)
    sheet = load_workbook(out)["Glossary"]
    values = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in values)
    texts = {c.value for c in values}
    assert "=1+1+9+N" in texts and '=HYPERLINK("http://x")' in texts and "-2+3" in texts
    assert isinstance(sheet["J2"].value, int)  # numbers stay numbers


def test_illegal_characters_removed_and_long_cells_cut(tmp_path):
    termbase = _crafted_termbase(tmp_path, "协商\x00民主\x1f", "长" * (EXCEL_CELL_LIMIT + 500) + "\x07")
    out = tmp_path / "crafted.xlsx"
    write_workbook(termbase, out)
    sheet = load_workbook(out)["Glossary"]
    assert sheet["B2"].value == "协商民主"
    context = sheet["L2"].value
    assert len(context) <= EXCEL_CELL_LIMIT and context.endswith("[truncated]")
    assert cell_text("a\x0bb") == "ab"
    assert csv_text("=1+1") == "'=1+1" and csv_text("@x") == "'@x" and csv_text("协商") == "协商"


def test_columns_are_documented():
    names = [name for name, _ in GLOSSARY_COLUMNS]
    assert names[:2] == ["ID", "Term"] and "All contexts" in names


def test_libreoffice_round_trip(built, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("GLOSSARY_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required here (GLOSSARY_REQUIRE_LIBREOFFICE is set) but not installed")
        pytest.skip("LibreOffice is not installed")
    result = subprocess.run(
        [office, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
         "--outdir", str(tmp_path), str(built[1])],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    produced = [p for p in tmp_path.iterdir() if p.suffix == ".csv"]
    assert produced, result.stdout + result.stderr
    glossary_csv = next((p for p in produced if "Glossary" in p.name), produced[0])
    with open(glossary_csv, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["ID", "Term"]
    original = load_workbook(built[1])["Glossary"]
    assert len(rows) == original.max_row
    terms = {row[1] for row in rows[1:]}
    assert {"凝聚共识", "两个维护", "1+1+9+N"} <= terms


def test_written_files_get_ordinary_permissions(built):
    import stat

    mode = stat.S_IMODE(built[1].stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
