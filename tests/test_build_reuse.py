"""A rebuild reuses what it computed before: pinyin and English of unchanged terms, unchanged
entries, and a workbook nothing has changed since. Results stay those of a fresh build."""

from __future__ import annotations

import json
import shutil

import pytest

from glossary import enrich
from glossary.mine import MiningSettings
from glossary.pipeline import build
from glossary.store import Termbase
from glossary.workbook import write_workbook

MACHINE_QUERY = ("SELECT term, traditional, category, frequency, documents, score, pinyin, pinyin_numbers, "
                 "initials, english_auto, english_auto_source, components_json, expansion_json "
                 "FROM terms ORDER BY term")
CONTEXT_QUERY = ("SELECT t.term, c.rank, c.document, c.text, c.term_start FROM contexts c JOIN terms t "
                 "ON t.id = c.term_id ORDER BY t.term, c.rank")


@pytest.fixture()
def corpus(tmp_path, seed_paths):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in seed_paths[:4]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture()
def enrichment_calls(monkeypatch):
    """The terms `enrichment` computes (the build runs in one process for so few files)."""
    calls: list[str] = []
    original = enrich.enrichment

    def counting(term, *args):
        calls.append(term)
        return original(term, *args)

    monkeypatch.setattr(enrich, "enrichment", counting)
    return calls


def _rows(db, query):
    with Termbase(db) as termbase:
        return [tuple(row) for row in termbase.connection.execute(query)]


def test_a_grown_corpus_enriches_only_new_terms_and_mines_as_a_fresh_build(
        tmp_path, corpus, seed_paths, enrichment_calls):
    grown, fresh = tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    build([corpus], db_path=grown)
    first = len(enrichment_calls)
    assert first == len(_rows(grown, MACHINE_QUERY)) > 100
    enrichment_calls.clear()
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    build([corpus], db_path=grown)
    entries = _rows(grown, MACHINE_QUERY)
    # Only terms that are new, or whose category or expansion changed, are enriched again.
    assert 0 < len(enrichment_calls) < len(entries) / 2
    assert len(set(enrichment_calls)) == len(enrichment_calls)
    build([corpus], db_path=fresh)
    assert entries == _rows(fresh, MACHINE_QUERY)
    assert _rows(grown, CONTEXT_QUERY) == _rows(fresh, CONTEXT_QUERY)


def test_a_new_release_enriches_every_term_again(tmp_path, corpus, enrichment_calls, monkeypatch):
    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db)
    entries = len(enrichment_calls)
    enrichment_calls.clear()
    build([corpus], db_path=db, settings=MiningSettings(max_terms=50))
    assert len(enrichment_calls) == 0  # fewer entries, the same terms: nothing to enrich again
    monkeypatch.setattr(enrich, "release_key", lambda: "a later release")
    build([corpus], db_path=db)  # back to the default settings, so mining runs again
    assert len(enrichment_calls) >= entries * 0.9


def test_release_key_follows_code_and_data():
    key = enrich.release_key()
    assert len(key) == 64 and key == enrich.release_key()
    assert enrich.enrichment_key("两个维护", "numbered slogan", [], "") != enrich.enrichment_key(
        "两个维护", "political term", [], "")


def test_an_unchanged_build_keeps_the_workbook_until_something_changes(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    build([corpus], db_path=db, write_workbook=write_workbook, out=str(out))
    written = out.stat().st_mtime_ns
    report = build([corpus], db_path=db, write_workbook=write_workbook, out=str(out))
    assert report.unchanged and report.workbook == str(out)
    assert out.stat().st_mtime_ns == written  # up to date: not written again
    # A translator's change in the termbase (here through the library) shows in the next workbook.
    with Termbase(db) as termbase:
        term_id = termbase.connection.execute("SELECT id FROM terms ORDER BY score DESC").fetchone()[0]
        with termbase.transaction():
            termbase.set_human(term_id, {"notes": "checked"}, "tester", "test")
    build([corpus], db_path=db, write_workbook=write_workbook, out=str(out))
    assert out.stat().st_mtime_ns != written
    from openpyxl import load_workbook

    sheet = load_workbook(out)["Glossary"]
    header = [cell.value for cell in sheet[1]]
    notes = [row[header.index("Notes")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "checked" in notes
    # A workbook removed or changed on disk is written again.
    out.unlink()
    build([corpus], db_path=db, write_workbook=write_workbook, out=str(out))
    assert out.exists()
    rewritten = out.stat().st_mtime_ns
    out.write_bytes(out.read_bytes() + b"\0")
    build([corpus], db_path=db, write_workbook=write_workbook, out=str(out))
    assert out.stat().st_mtime_ns != rewritten
    with Termbase(db) as termbase:
        assert json.loads(termbase.get_meta("workbook"))[0] == str(out.resolve())


def test_a_cut_list_locates_only_what_it_keeps_and_keeps_what_a_full_list_ranks_first(
        tmp_path, corpus, monkeypatch):
    from glossary import pipeline

    full, cut = tmp_path / "full.sqlite3", tmp_path / "cut.sqlite3"
    build([corpus], db_path=full)
    located: list[int] = []
    original = pipeline.worth_locating

    def counting(terms, counted, settings, corpus_tokens=0):
        chosen = original(terms, counted, settings, corpus_tokens)
        located.append(len(chosen))
        return chosen

    monkeypatch.setattr(pipeline, "worth_locating", counting)
    build([corpus], db_path=cut, settings=MiningSettings(max_terms=60))
    assert located and located[0] < 120  # the 60 kept, and slogans an expansion may still add
    query = ("SELECT term, traditional, category, score, frequency, documents, english_auto, expansion_json "
             "FROM terms ORDER BY score DESC, frequency DESC, term")
    assert _rows(cut, query) == _rows(full, query)[:60]
    contexts = ("SELECT t.term, c.rank, c.document, c.text FROM contexts c JOIN terms t ON t.id = c.term_id "
                "WHERE t.term IN (SELECT term FROM terms) ORDER BY t.term, c.rank")
    kept = {row[0] for row in _rows(cut, query)}
    assert _rows(cut, contexts) == [row for row in _rows(full, contexts) if row[0] in kept]


def test_files_whose_stat_is_unchanged_are_not_read_again(corpus, monkeypatch):
    import os
    import pathlib
    import time

    past = time.time() - 3600
    for path in corpus.iterdir():
        os.utime(path, (past, past))
    db = corpus.parent / "stat.sqlite3"
    build([corpus], db_path=db, jobs=1)
    read: list[str] = []
    original = pathlib.Path.read_bytes

    def counting(self):
        if self.parent == corpus:
            read.append(self.name)
        return original(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", counting)
    assert build([corpus], db_path=db, jobs=1).unchanged and read == []
    # A file edited since is read (its size or time differs), and so is one touched a moment
    # ago, even with the same bytes: a change within the clock's tick would not show in its stat.
    edited, touched = sorted(corpus.iterdir())[:2]
    text = edited.read_text(encoding="utf-8")
    middle = text.index("。", len(text) // 3) + 1
    edited.write_text(text[:middle] + "市政协围绕乡村振兴开展专题调研，提出意见建议四十余条。" + text[middle:],
                      encoding="utf-8")
    os.utime(touched)
    report = build([corpus], db_path=db, jobs=1)
    assert sorted(read) == sorted([edited.name, touched.name]) and report.documents_replaced == 1
    with Termbase(db) as termbase:
        stats = termbase.source_stats()
    assert str(touched.resolve()) in stats and str(edited.resolve()) in stats
    read.clear()
    report = build([corpus], db_path=db, jobs=1)
    assert report.unchanged and sorted(read) == sorted([edited.name, touched.name])  # still within the tick


def test_a_new_release_mines_an_unchanged_corpus_again(corpus, tmp_path):
    import dataclasses
    import json as json_module

    db = tmp_path / "release.sqlite3"
    build([corpus], db_path=db)
    assert build([corpus], db_path=db).unchanged
    with Termbase(db) as termbase:
        # As an earlier release left it: the settings alone, or another release's digest.
        termbase.set_meta("settings", json_module.dumps(dataclasses.asdict(MiningSettings()), sort_keys=True))
        termbase.connection.execute("UPDATE terms SET score_reasons = 'left by an earlier release'")
        termbase.connection.commit()
    report = build([corpus], db_path=db)
    assert not report.unchanged
    with Termbase(db) as termbase:
        assert not termbase.connection.execute(
            "SELECT count(*) FROM terms WHERE score_reasons = 'left by an earlier release' AND in_corpus = 1").fetchone()[0]
    assert build([corpus], db_path=db).unchanged
