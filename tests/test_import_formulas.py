"""A formula cell in a returned workbook is its calculated value or a reported conflict, never
an empty value that wipes the translator's work (issue 19, point 2)."""

from __future__ import annotations

import re
import shutil
import zipfile

from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import main
from glossary.store import Termbase


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _set_cells(path, term: str, values: dict[str, str]) -> int:
    workbook = load_workbook(path)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Term")].value == term:
            for column, value in values.items():
                row[header.index(column)].value = value
            number = row[0].row
    workbook.save(path)  # openpyxl calculates nothing: formulas are saved without a cached value
    return number


def _cache(path, cell: str, value: str) -> None:
    """Give a formula cell the calculated value a spreadsheet application would have stored."""
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text, count = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                                      rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v>', text)
                assert count == 1
                data = text.encode("utf-8")
            target.writestr(item, data)
    temporary.replace(path)


def test_formulas_without_a_value_are_conflicts_and_keep_the_stored_values(built, tmp_path):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    shutil.copy(built[0], db)
    shutil.copy(built[1], out)
    with Termbase(db) as termbase, termbase.transaction():
        term_id = termbase.find_term("凝聚共识")["id"]
        termbase.set_human(term_id, {"english": "building consensus", "notes": "CPPCC usage"}, "t", "test")
    before = _invoke("history", "--db", db).output
    _set_cells(out, "凝聚共识", {"English": '=UPPER("x")', "Notes": "=A1"})
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 1, result.output
    assert "changed 0" in result.output and "2 conflicts" in result.output
    assert "english: the cell holds a formula without a calculated value" in result.output
    assert '=UPPER("x")' in result.output and "=A1" in result.output
    with Termbase(db) as termbase:
        row = termbase.find_term("凝聚共识")
        assert (row["english_human"], row["notes"]) == ("building consensus", "CPPCC usage")
    assert _invoke("history", "--db", db).output == before


def test_a_formula_with_a_calculated_value_imports_that_value(built, tmp_path):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    shutil.copy(built[0], db)
    shutil.copy(built[1], out)
    number = _set_cells(out, "凝聚共识", {"English": '=LOWER("BUILDING CONSENSUS")'})
    _cache(out, f"E{number}", "building consensus")
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 0 and "changed 1" in result.output and "0 conflicts" in result.output, result.output
    with Termbase(db) as termbase:
        assert termbase.find_term("凝聚共识")["english_human"] == "building consensus"
