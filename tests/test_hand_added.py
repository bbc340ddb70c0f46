"""Rows a translator adds to the workbook by hand (no ID): an existing term is an edit of its
entry, checked for conflicts; repeated rows are reported; new terms get pinyin and a
traditional form like mined ones; a row that is no term is refused (issue 19, point 9)."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import main
from glossary.store import Termbase


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _add_rows(path, rows: list[dict[str, str]], drop: tuple[str, ...] = ()) -> None:
    """Append rows without ID; `drop` the rows of these terms first (a workbook exported before
    they were mined)."""
    workbook = load_workbook(path)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in reversed(list(sheet.iter_rows(min_row=2))):
        if row[1].value in drop:
            sheet.delete_rows(row[0].row)
    for values in rows:
        sheet.append([values.get(name) for name in header])
    workbook.save(path)


@pytest.fixture()
def copies(built, tmp_path):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    shutil.copy(built[0], db)
    shutil.copy(built[1], out)
    return db, out


def test_a_hand_added_row_of_an_existing_term_is_an_edit_with_a_conflict_check(copies, tmp_path):
    db, out = copies
    with Termbase(db) as termbase, termbase.transaction():
        consensus = termbase.find_term("凝聚共识")["id"]
        termbase.set_human(consensus, {"english": "building consensus"}, "a", "test")
        notes_before = termbase.find_term("界别群众")["notes"]
    _add_rows(out, [{"Term": "凝聚共识", "English": "forging consensus"},
                    {"Term": "界別群眾", "English": "people of the sectors"}],  # traditional spelling
              drop=("凝聚共识", "界别群众"))
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 1, result.output
    assert "added 0, changed 1" in result.output and "1 conflicts" in result.output
    assert "termbase has 'building consensus', file has 'forging consensus'" in result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(consensus)["english_human"] == "building consensus"
        sectors = termbase.find_term("界别群众")
        assert sectors["english_human"] == "people of the sectors" and sectors["notes"] == notes_before
    result = _invoke("import", out, "--db", db, "--prefer", "file")
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(consensus)["english_human"] == "forging consensus"


def test_repeated_rows_are_reported_not_collapsed(copies, tmp_path):
    db, out = copies
    again = tmp_path / "again.xlsx"
    shutil.copy(out, again)
    _add_rows(again, [{"Term": "凝聚共识", "English": "forging consensus"}])  # its row with ID is there too
    sheet = load_workbook(again)["Glossary"]
    first = next(row[1].row for row in sheet.iter_rows(min_row=2) if row[1].value == "凝聚共识")
    result = _invoke("import", again, "--db", db)
    assert result.exit_code == 1 and f"凝聚共识: repeats row {first}" in result.output, result.output
    _add_rows(out, [{"Term": "新质生产力", "English": "new quality productive forces"},
                    {"Term": "新質生產力", "English": "new productive forces"}])
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 1, result.output
    repeated = re.search(r"row (\d+) 新質生產力: repeats row (\d+)", result.output)  # rows follow the seeds' entry count
    assert "added 1," in result.output and repeated and int(repeated[1]) == int(repeated[2]) + 1
    with Termbase(db) as termbase:
        assert termbase.find_term("新质生产力")["english_human"] == "new quality productive forces"


def test_hand_added_terms_get_pinyin_a_traditional_form_and_contexts(copies):
    db, out = copies
    _add_rows(out, [{"Term": "全过程人民民主", "English": "whole-process people's democracy"}])
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        row = termbase.find_term("全过程人民民主")
    assert row["traditional"] == "全過程人民民主" and row["pinyin_marks"].startswith("quán")
    assert row["category"].startswith("added by hand")
    result = _invoke("lookup", "qgcrmmz", "--db", db)
    assert result.exit_code == 0 and "全过程人民民主" in result.output


def test_a_row_that_is_no_term_is_refused_with_one_line(copies):
    db, out = copies
    _add_rows(out, [{"Term": "hello", "English": "world"}])
    before = db.read_bytes()
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "column 'Term': 'hello' is not a term" in lines[0]
    assert db.read_bytes() == before
