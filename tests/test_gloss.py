"""The Gloss: where no English meets the rules, the dictionary senses of a term's parts, shown
apart from the English in the workbook, lookup, JSON, TBX and CSV, never as a rendering."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from types import SimpleNamespace

from click.testing import CliRunner
from lxml import etree
from openpyxl import load_workbook

from glossary.cli import main
from glossary.enrich import enrich
from glossary.export import csv_text_of, json_text, tbx_text
from glossary.lookup import lookup
from glossary.store import MIGRATIONS, Termbase
from glossary.workbook import write_workbook


def _termbase(tmp_path) -> Termbase:
    termbase = Termbase(tmp_path / "tb.sqlite3")
    # a mined term as enrich reads it
    entries = [enrich(SimpleNamespace(term=term, traditional=term, variants=[], category="political term", score=1.0,
                                      frequency=3, documents=2, expansion=[], expansion_source="", contexts=[],
                                      score_reasons=""))
               for term in ("汽车整车", "基础设施")]
    with termbase.transaction():
        termbase.upsert_mined_terms(entries)
    return termbase


def test_entry_without_english_carries_a_gloss_and_a_draft_none(tmp_path):
    rows = {row.term: row for row in _termbase(tmp_path).term_rows()}
    assert (rows["汽车整车"].english, rows["汽车整车"].english_source) == ("", "none")
    assert rows["汽车整车"].gloss.startswith("汽车 automobiles · ")
    assert rows["基础设施"].english == "infrastructure" and rows["基础设施"].gloss == ""


def test_gloss_in_workbook_json_tbx_and_csv(tmp_path):
    termbase = _termbase(tmp_path)
    rows = termbase.term_rows()
    sheet = load_workbook(write_workbook(termbase, tmp_path / "g.xlsx"))["Glossary"]
    header = [cell.value for cell in sheet[1]]
    by_term = {r[header.index("Term")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_term["汽车整车"][header.index("Gloss")].startswith("汽车 automobiles")
    assert by_term["汽车整车"][header.index("English")] in (None, "")
    assert by_term["汽车整车"][header.index("English source")] == "none"
    assert json.loads(json_text(rows))[0]["gloss"] or json.loads(json_text(rows))[1]["gloss"]
    notes = etree.fromstring(tbx_text(rows).encode("utf-8")).xpath("//note/text()")
    assert any(note.startswith("gloss (dictionary senses of the parts, not a rendering): 汽车") for note in notes)
    records = list(csv.DictReader(io.StringIO(csv_text_of(rows))))
    assert {r["zh-CN"]: r["gloss"] for r in records}["汽车整车"].startswith("汽车 automobiles")


def test_lookup_prints_the_gloss_apart_from_the_english(tmp_path):
    _termbase(tmp_path).close()
    db = str(tmp_path / "tb.sqlite3")
    match = lookup("汽车整车", db)[0]
    assert match.english == "" and match.gloss.startswith("汽车 automobiles")
    result = CliRunner().invoke(main, ["lookup", "汽车整车", "--db", db])
    assert result.exit_code == 0
    assert "(no English yet)  [none]" in result.output
    assert "gloss (not a rendering): 汽车 automobiles" in result.output
    result = CliRunner().invoke(main, ["lookup", "汽车整车", "--db", db, "--json"])
    assert json.loads(result.output)[0]["gloss"].startswith("汽车 automobiles")


def test_lookup_upgrades_a_termbase_of_an_earlier_release(tmp_path):
    # a termbase written before the Gloss: its schema stops just before that migration
    db = tmp_path / "old.sqlite3"
    version = next(i for i, script in enumerate(MIGRATIONS) if "ADD COLUMN gloss" in script)
    connection = sqlite3.connect(db)
    for script in MIGRATIONS[:version]:
        connection.executescript(script)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()
    assert lookup("基础设施", str(db)) == []
    with Termbase(db) as termbase:
        assert termbase.schema_version() == len(MIGRATIONS)
