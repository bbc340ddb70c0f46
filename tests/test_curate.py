"""Merge, split, undo and history by hand (issue 19, points 4 and 6, and history of a variant)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import main
from glossary.pipeline import build
from glossary.store import Termbase


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def db(built, tmp_path):
    path = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], path)
    return path


def _ids(path) -> dict[str, int]:
    with Termbase(path) as termbase:
        return dict(termbase.connection.execute("SELECT term, id FROM terms"))


def test_undo_of_an_import_leaves_machine_english_machine(db, tmp_path, built, seed_paths):
    with Termbase(db) as termbase:
        before = termbase.find_term("协商")
    assert before["english_human"] == "" and before["english_auto"]
    out = tmp_path / "g.xlsx"
    shutil.copy(built[1], out)
    workbook = load_workbook(out)
    for row in workbook["Glossary"].iter_rows(min_row=2):
        if row[1].value == "协商":
            row[4].value = "deliberation"
    workbook.save(out)
    assert _invoke("import", out, "--db", db).exit_code == 0
    audit_id = int(_invoke("history", "协商", "--db", db).output.split()[0].lstrip("#"))
    result = _invoke("undo", audit_id, "--db", db)
    assert result.exit_code == 0 and "restored 1 field" in result.output
    with Termbase(db) as termbase:
        row = {r.term: r for r in termbase.term_rows()}["协商"]
        assert row.english == before["english_auto"] and row.english_source == before["english_auto_source"]
        assert row.english_human == ""
        # Later builds keep updating the machine English: nothing marks it as a translator's.
        with termbase.transaction():
            termbase.connection.execute("UPDATE terms SET english_auto = 'stale' WHERE term = '协商'")
            termbase.set_meta("settings", "changed")
    build([str(p) for p in seed_paths], db_path=db)
    with Termbase(db) as termbase:
        assert termbase.find_term("协商")["english_auto"] == before["english_auto"]


def test_nested_merge_and_split_restore_every_entry_under_its_id(db):
    ids = _ids(db)
    assert _invoke("merge", "凝聚共识", "凝聚力量", "--db", db).exit_code == 0
    assert _invoke("merge", "政协", "凝聚共识", "--db", db).exit_code == 0
    with Termbase(db) as termbase:
        variants = {r.term: r for r in termbase.term_rows()}["政协"].variants
    assert {"凝聚共识", "凝聚力量"} <= set(variants)
    result = _invoke("split", "政协", "凝聚力量", "--db", db)
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        rows = {r.term: r for r in termbase.term_rows()}
    assert rows["凝聚力量"].id == ids["凝聚力量"] and "凝聚力量" not in rows["政协"].variants
    assert "凝聚共识" in rows["政协"].variants
    result = _invoke("split", "政协", "凝聚共识", "--db", db)
    assert result.exit_code == 0, result.output
    assert _ids(db) == ids
    with Termbase(db) as termbase:
        rows = {r.term: r for r in termbase.term_rows()}
        assert "凝聚力量" not in rows["凝聚共识"].variants and "凝聚共识" not in rows["政协"].variants
        assert termbase.connection.execute("SELECT count(*) FROM merges").fetchone()[0] == 0


def test_splitting_the_middle_entry_brings_what_was_merged_into_it_along(db):
    ids = _ids(db)
    assert _invoke("merge", "凝聚共识", "凝聚力量", "--db", db).exit_code == 0
    assert _invoke("merge", "政协", "凝聚共识", "--db", db).exit_code == 0
    assert _invoke("split", "政协", "凝聚共识", "--db", db).exit_code == 0
    with Termbase(db) as termbase:
        merges = dict(termbase.connection.execute("SELECT variant, canonical FROM merges"))
    assert merges == {"凝聚力量": "凝聚共识"}
    assert _invoke("split", "凝聚共识", "凝聚力量", "--db", db).exit_code == 0
    assert _ids(db) == ids


def test_history_of_a_variant_shows_the_merge_in_words(db):
    assert _invoke("merge", "凝聚共识", "凝聚力量", "--db", db, "--user", "lead").exit_code == 0
    result = _invoke("history", "凝聚力量", "--db", db)
    assert result.exit_code == 0
    assert "lead [merge] merged 凝聚力量 into 凝聚共识" in result.output
    assert '{"row"' not in result.output and "'{" not in result.output
    assert _invoke("split", "凝聚共识", "凝聚力量", "--db", db).exit_code == 0
    result = _invoke("history", "凝聚力量", "--db", db)
    assert "[split] split 凝聚力量 out of 凝聚共识" in result.output
