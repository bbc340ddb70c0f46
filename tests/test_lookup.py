"""`glossary lookup`: by characters, sound, initials, English, substring and near miss."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.errors import GlossaryError
from glossary.lookup import lookup, suggestions


@pytest.fixture(scope="module")
def db(built):
    return str(built[0])


def _first(query, db):
    matches = lookup(query, db)
    assert matches, query
    return matches[0]


@pytest.mark.parametrize("query, term, matched_by", [
    ("两个维护", "两个维护", "exact"),
    ("兩個維護", "两个维护", "exact"),                  # traditional input
    ("凝聚共", "凝聚共识", "prefix"),
    ("liǎng gè wéi hù", "两个维护", "pinyin"),          # tone marks, spaced
    ("liang3 ge4 wei2 hu4", "两个维护", "pinyin"),      # tone numbers
    ("liang ge wei hu", "两个维护", "pinyin"),          # toneless, spaced
    ("lianggeweihu", "两个维护", "pinyin"),             # run together
    ("zhuanmen xieshang jigou", "专门协商机构", "pinyin"),
    ("lgwh", "两个维护", "initials"),
    ("sgzx", "四个自信", "initials"),
    ("uphold", "两个维护", "english"),
    ("consultative body", "专门协商机构", "english"),
    ("门协商机", "专门协商机构", "substring"),
    ("lainggeweihu", "两个维护", "near miss"),          # a typo in pinyin
    ("consultetive body", "专门协商机构", "near miss"),  # a typo in English
    ("两个维户", "两个维护", "near miss"),               # a wrong character
    ("uphols", "两个维护", "near miss"),                # a typo in one English word
])
def test_query_forms(db, query, term, matched_by):
    match = _first(query, db)
    assert (match.term, match.matched_by) == (term, matched_by)


def test_tone_number_prefix_finds_every_matching_entry(db):
    terms = [m.term for m in lookup("liang3 ge4", db)]
    assert {"两个维护", "两个确立"} <= set(terms)


def test_ranking_exact_before_prefix_before_substring(db):
    matches = lookup("凝聚共识", db, limit=20)
    assert matches[0].term == "凝聚共识" and matches[0].matched_by == "exact"
    ranks = [m.matched_by for m in matches]
    assert ranks == sorted(ranks, key=["exact", "prefix", "pinyin", "initials", "english", "substring",
                                       "near miss"].index)


def test_entry_carries_what_a_translator_needs(db):
    match = _first("四个凝聚", db)
    assert match.traditional == "四個凝聚" and match.pinyin == "sì gè níngjù"
    # English only by the rules (issue 14): else none, with the Gloss as a hint
    assert (match.english and match.english_source in ("reference", "dictionary draft")) or \
        (match.english_source == "none" and match.gloss.startswith("四 four"))
    assert match.expansion == ["凝聚人心", "凝聚共识", "凝聚智慧", "凝聚力量"]
    assert match.frequency == 7 and match.documents == 1
    assert 1 <= len(match.contexts) <= 3 and "四个凝聚" in match.contexts[0]["text"]


def test_cli_output_plain_when_piped(db):
    result = CliRunner().invoke(main, ["lookup", "lgwh", "--db", db])
    assert result.exit_code == 0
    assert "两个维护" in result.output and "兩個維護" in result.output and "liǎng gè wéihù" in result.output
    assert "[reference]" in result.output and "\x1b[" not in result.output


def test_cli_json(db):
    result = CliRunner().invoke(main, ["lookup", "consultative body", "--json", "--limit", "3", "--db", db])
    assert result.exit_code == 0
    entries = json.loads(result.output)
    assert entries[0]["term"] == "专门协商机构" and len(entries) <= 3
    assert {"traditional", "pinyin", "english", "english_source", "category", "expansion", "frequency",
            "documents", "contexts"} <= set(entries[0])


def test_no_match_exits_1_with_suggestions(db):
    result = CliRunner().invoke(main, ["lookup", "lianggeweihuu zz", "--db", db])
    assert result.exit_code == 1
    assert "no entry matches" in result.output
    assert suggestions("lianggewei", db)[0].startswith("两个维护")


def test_missing_termbase_says_how_to_build_one(tmp_path):
    missing = tmp_path / "none.sqlite3"
    result = CliRunner().invoke(main, ["lookup", "协商", "--db", str(missing)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: no termbase at {missing}; build one with `glossary build` (or point --db at one)"]
    assert not missing.exists()
    with pytest.raises(GlossaryError):
        lookup("协商", str(missing))


def test_lookup_path_imports_no_heavy_module(db):
    code = ("import sys; from click.testing import CliRunner; from glossary.cli import main; "
            f"r = CliRunner().invoke(main, ['lookup', 'lgwh', '--db', {db!r}]); assert r.exit_code == 0, r.output; "
            "heavy = [m for m in ('jieba', 'rjieba', 'opencc', 'pypinyin', 'openpyxl') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_near_misses_follow_english_a_translator_gave(tmp_path, built):
    import shutil

    from glossary.store import Termbase

    db = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], db)
    with Termbase(db) as termbase:
        term_id = termbase.connection.execute("SELECT id FROM terms WHERE term = '两个维护'").fetchone()[0]
        with termbase.transaction():
            termbase.set_human(term_id, {"english": "the Two Safeguards"}, who="test", action="import")
    match = _first("safegards", str(db))
    assert (match.term, match.matched_by) == ("两个维护", "near miss")
