"""The tool's own exports (xlsx, TBX, CSV, OmegaT) re-import into the termbase that wrote them
as a no-op; every text format is formula-safe; what a term may be (issue 19, points 3 and 8)."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.export import csv_text_of, omegat_text
from glossary.store import Termbase
from glossary.validity import is_term, term_problem

VISIBLE = "SELECT id, term, english_human, english_imported, english_imported_source, imported_note, forbidden," \
          " status, notes, revision FROM terms ORDER BY id"


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def curated(built, tmp_path):
    """The seeds' termbase after some translator work: an approved rendering, a rejected term,
    English that starts like a formula, a note."""
    db = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], db)
    with Termbase(db) as termbase, termbase.transaction():
        edits = {"凝聚共识": {"english": "building consensus", "status": "approved"},
                 "政协": {"status": "rejected"},
                 "两个维护": {"english": "-two upholds-", "notes": "=not a formula"}}
        for term, values in edits.items():
            termbase.set_human(termbase.find_term(term)["id"], values, "t", "test")
    return db


def _state(db):
    with Termbase(db) as termbase:
        return [tuple(row) for row in termbase.connection.execute(VISIBLE)], len(termbase.audit())


@pytest.mark.parametrize("format_, name", [("xlsx", "g.xlsx"), ("tbx", "g.tbx"), ("csv", "g.csv"),
                                           ("omegat", "g.utf8")])
def test_an_own_export_reimports_as_a_no_op(curated, tmp_path, format_, name):
    out = tmp_path / name
    assert _invoke("export", "--format", format_, "--db", curated, "--out", out).exit_code == 0
    before = _state(curated)
    result = _invoke("import", out, "--db", curated)
    assert result.exit_code == 0, result.output
    assert "merge 0 into existing entries, add 0 new" in result.output or (
        "added 0, changed 0" in result.output and "0 conflicts" in result.output), result.output
    assert _state(curated) == before


def test_omegat_and_csv_never_start_a_field_with_a_formula(curated):
    with Termbase(curated) as termbase:
        rows = termbase.term_rows()
    for row in rows:
        if row.term == "两个维护":
            row.term = "=HYPERLINK(\"http://x\")"
    risky = ("=", "+", "-", "@")
    for line in omegat_text(rows).splitlines():
        assert not any(field.startswith(risky) for field in line.split("\t")), line
    assert "\t'-two upholds-\t" in omegat_text(rows)
    for record in csv.reader(csv_text_of(rows).splitlines()):
        assert not any(field.startswith(risky) for field in record), record


def test_a_term_holds_a_han_character_or_is_a_numbered_formula():
    assert all(is_term(t) for t in ("凝聚共识", "1+1+9+N", "1+1+9", "１+１+９+N", "政協"))
    assert not any(is_term(t) for t in ("hello", "1+", "N+1", "123", "", "+1+1"))
    assert term_problem("hello") == ("'hello' is not a term (a term holds a Chinese character or is a numbered "
                                     "formula such as 1+1+9+N)")


def test_an_outside_glossary_with_a_formula_term_imports_and_hello_is_refused(curated, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("zh,en\n1+1+9+N,1+1+9+N mechanism\n", encoding="utf-8")
    result = _invoke("import", good, "--db", curated)
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("zh,en\n凝聚共识,consensus\nhello,world\n", encoding="utf-8")
    before = _state(curated)
    result = _invoke("import", bad, "--db", curated)
    assert result.exit_code == 2
    assert result.output.strip() == ("error: bad.csv: row 3 column 'zh': 'hello' is not a term (a term holds a "
                                     "Chinese character or is a numbered formula such as 1+1+9+N)")
    assert _state(curated) == before
