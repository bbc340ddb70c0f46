"""A build that only adds documents counts just those: the merged counts the last build kept
(store.count_snapshot, counting.grow_snapshot) stand in for the stored documents', and the
n-grams that reach the frequency floor are exactly those a full count gives."""

from __future__ import annotations

import random
import shutil
from collections import Counter

import pytest

from click.testing import CliRunner

from glossary.cli import main
from glossary.counting import DocumentCounts, grow_snapshot, pack_snapshot, prune, unpack_snapshot
from glossary.mine import MiningSettings, frequency_floors
from glossary.pipeline import build, stored_snapshot
from glossary.store import Termbase

from corpus_support import PEOPLES_DAILY, files_until



def _counts(ngrams: Counter, tokens: int) -> DocumentCounts:
    return DocumentCounts(tokens=tokens, documents=1, unigrams=Counter({"x": tokens}), ngrams=Counter(ngrams))


def _counter_of(total: Counter):
    """count_stored for grow_snapshot: exact counts of some keys in the stored documents."""
    asked: list[list[str]] = []

    def count_stored(keys):
        asked.append(list(keys))
        return Counter({key: total[key] for key in keys if key in total})
    return count_stored, asked


def test_growing_keeps_its_promise_and_the_counts_at_the_floor_exact():
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(400)]
    documents = [Counter(rng.choices(vocabulary, weights=[1 / (i + 1) for i in range(400)], k=600))
                 for _ in range(30)]
    total = sum(documents[:-1], Counter())
    for keep, floor in ((1, 40), (3, 40), (6, 40), (6, 8), (8, 8)):
        stored = _counts(Counter({k: v for k, v in total.items() if v >= keep}), 600 * 29)
        count_stored, asked = _counter_of(total)
        grown = grow_snapshot(stored, keep, _counts(documents[-1], 600), lambda tokens: floor, count_stored)
        assert grown is not None
        counts, new_keep = grown
        everything = total + documents[-1]
        assert keep <= new_keep <= floor and counts.tokens == 600 * 30 and counts.documents == 2
        # Every n-gram kept is exact; every one left out was seen fewer than new_keep times.
        assert all(everything[k] == v for k, v in counts.ngrams.items())
        assert all(v < new_keep for k, v in everything.items() if k not in counts.ngrams)
        assert prune(counts.ngrams, floor) == prune(everything, floor)
        # Only n-grams the snapshot left out are counted again, and only near the floor.
        assert all(k not in total or total[k] < keep for keys in asked for k in keys)
        if floor == 40:
            assert not asked  # far from the floor: no n-gram is counted again
        if keep == floor:
            assert asked  # at the floor: every n-gram left out that the new document has


def test_growing_counts_again_what_the_new_documents_may_carry_to_the_floor():
    total = Counter({"a": 10, "b": 9, "c": 4})
    stored = _counts(Counter({"a": 10, "b": 9}), 1000)
    # "c" was left out (seen up to 4 times before) and is seen 5 times more: it may now reach 9.
    count_stored, asked = _counter_of(total)
    counts, keep = grow_snapshot(stored, 5, _counts(Counter({"c": 5, "d": 1}), 10), lambda tokens: 9, count_stored)
    assert asked == [["c"]] and counts.ngrams["c"] == 9 and keep == 6  # "d" gained 1, counted nowhere
    # A floor below what the snapshot kept cannot be told from it.
    stored = _counts(Counter({"a": 10, "b": 9}), 1000)
    assert grow_snapshot(stored, 5, _counts(Counter({"a": 1}), 10), lambda tokens: 4, count_stored) is None


def test_adding_a_document_counts_only_it_and_mines_as_a_full_build(tmp_path, seed_paths):
    # A high --min-score raises the floor, so that the snapshot leaves rare n-grams out.
    settings = MiningSettings(min_score=600000)
    corpus, grown, fresh = tmp_path / "corpus", tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    corpus.mkdir()
    for path in seed_paths:
        shutil.copy(path, corpus / path.name)
    article = corpus / "added.txt"
    first = build([corpus], db_path=grown, settings=settings)
    assert not first.counts_reused
    article.write_text("人民政协是具有中国特色的制度安排。凝聚共识是人民政协的重要任务。\n", encoding="utf-8")
    report = build([corpus], db_path=grown, settings=settings)
    assert report.documents_added == 1 and report.counts_reused
    build([corpus], db_path=fresh, settings=settings)
    query = "SELECT term, frequency, documents, score, score_reasons FROM terms WHERE in_corpus = 1 ORDER BY term"
    with Termbase(grown) as one, Termbase(fresh) as other:
        # The seeds are too small for terms at a floor this high: the counts are compared below,
        # the terms on People's Daily (next test).
        assert [tuple(r) for r in one.connection.execute(query)] == [tuple(r) for r in other.connection.execute(query)]
        (_, keep, blob), (_, _, fresh_blob) = one.count_snapshot(), other.count_snapshot()
        kept, full = unpack_snapshot(blob), unpack_snapshot(fresh_blob)
        assert keep > 1, "the snapshot kept every n-gram: the promise went untested"
        floor = min(frequency_floors(settings, full.tokens).values())
        assert keep <= floor and prune(kept.ngrams, floor) == prune(full.ngrams, floor)
        assert (kept.tokens, kept.documents, kept.unigrams, kept.slogans, kept.meetings, kept.quoted) == \
            (full.tokens, full.documents, full.unigrams, full.slogans, full.meetings, full.quoted)
        assert stored_snapshot(one, one.document_hashes(), one.get_meta("segmenter")) is not None


def test_on_peoples_daily_an_added_article_gives_the_terms_of_a_full_build(tmp_path):
    if not PEOPLES_DAILY.is_dir():
        pytest.skip(f"{PEOPLES_DAILY} is absent (see ../shared/corpora/README.md)")
    files = sorted(PEOPLES_DAILY.rglob("*.txt"))
    chosen = files_until(PEOPLES_DAILY, 2)
    corpus, grown, fresh = tmp_path / "corpus", tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    corpus.mkdir()
    for path in chosen:
        (corpus / path.name).symlink_to(path)
    settings = MiningSettings(min_score=5000)  # floor 8 at 2 MB: the snapshot leaves rare n-grams out
    build([corpus], db_path=grown, settings=settings, jobs=2)
    added = files[-1]  # from the end of 2020, far from the slice
    (corpus / added.name).symlink_to(added)
    assert build([corpus], db_path=grown, settings=settings, jobs=2).counts_reused
    build([corpus], db_path=fresh, settings=settings, jobs=2)
    query = "SELECT term, frequency, documents, score, score_reasons, expansion_json FROM terms ORDER BY term"
    with Termbase(grown) as one, Termbase(fresh) as other:
        rows = [tuple(r) for r in one.connection.execute(query)]
        assert len(rows) >= 4 and rows == [tuple(r) for r in other.connection.execute(query)]
        kept = unpack_snapshot(one.count_snapshot()[2])
        full = unpack_snapshot(other.count_snapshot()[2])
        floor = min(frequency_floors(settings, full.tokens).values())
        assert one.count_snapshot()[1] > 1 and prune(kept.ngrams, floor) == prune(full.ngrams, floor)


def test_a_removed_document_makes_the_next_build_count_everything(tmp_path, seed_paths):
    corpus, db = tmp_path / "corpus", tmp_path / "tb.sqlite3"
    corpus.mkdir()
    for path in seed_paths:
        shutil.copy(path, corpus / path.name)
    build([corpus], db_path=db)
    (corpus / seed_paths[0].name).write_text("人民政协是具有中国特色的制度安排。\n", encoding="utf-8")
    report = build([corpus], db_path=db)
    assert report.documents_replaced == 1 and not report.counts_reused


def test_the_build_says_when_it_counted_only_the_new_documents(tmp_path, seed_paths):
    corpus, db = tmp_path / "corpus", tmp_path / "tb.sqlite3"
    corpus.mkdir()
    for path in seed_paths[:4]:
        shutil.copy(path, corpus / path.name)
    runner = CliRunner()
    # At the default the seeds' floor is 2, as low as the snapshot's `keep`: every n-gram of the
    # new document the snapshot left out is counted again in the stored ones, not everything.
    arguments = ["build", str(corpus), "--db", str(db), "--out", str(tmp_path / "g.xlsx")]
    assert "counted only the new documents" not in runner.invoke(main, arguments).output
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0 and "counted only the new documents" in result.output, result.output


def test_a_snapshot_reads_back_as_it_was_packed(cleaned_seeds):
    from glossary.counting import count_document

    counts = DocumentCounts()
    for document in cleaned_seeds.values():
        counts.add(count_document(document))
    assert counts.ngrams and counts.slogans and counts.quoted
    counts.meetings = Counter()  # an empty counter reads back empty
    again = unpack_snapshot(pack_snapshot(counts))
    assert again.to_json() == counts.to_json()
