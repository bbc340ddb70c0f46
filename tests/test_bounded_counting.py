"""Counting through bounded memory: n-gram counts spilled to disk in shards and merged one shard
at a time, and the frequency floor below which a candidate cannot reach the score cut."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from glossary import counting, mine, pipeline
from glossary.clean import clean_document
from glossary.read import read_document
from glossary.scoring import CONTAINER_MARGIN, MiningSettings, frequency_floors, score_ceiling
from glossary.shapes import CATEGORY_COINAGE, CATEGORY_ORGANISATION, CATEGORY_TERM, CATEGORY_WEIGHTS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seed_documents():
    mine.prepare_segmenter()
    return [clean_document(read_document(path)) for path in sorted(SEEDS.iterdir()) if path.is_file()]


def test_spilled_shards_merge_to_the_in_memory_counts_above_the_floor(seed_documents, tmp_path):
    parts = [mine.count_document(document) for document in seed_documents]
    expected = mine.merge_counts(parts).ngrams
    for part in parts:
        counting.spill_ngrams(part.ngrams, str(tmp_path))
    # A document counted twice is taken away again by a negated spill.
    counting.spill_ngrams(parts[0].ngrams, str(tmp_path))
    counting.spill_ngrams(parts[0].ngrams, str(tmp_path), negate=True)
    assert len(list(tmp_path.iterdir())) > counting.SHARDS  # several files per shard
    for floor in (1, 2, 5):
        merged = counting.merge_spilled(str(tmp_path), floor)
        assert merged == Counter({key: count for key, count in expected.items() if count >= floor})


def test_shards_are_the_same_in_every_process():
    # Python's hash() of a string changes between processes; a shard must not.
    assert counting.shard_of("凝聚 共识") == (ord("凝") * 31 + ord("识")) % counting.SHARDS
    shards = {counting.shard_of(key) for key in ("人民 政协", "专门 协商 机构", "中国式 现代化", "政协", "两个 维护")}
    assert shards <= set(range(counting.SHARDS))


def test_no_finished_term_scores_above_the_ceiling_of_its_frequency(seed_documents):
    settings = MiningSettings(min_score=0)
    counts = mine.merge_counts(mine.count_document(document) for document in seed_documents)
    terms = mine.mine_documents(seed_documents, settings)
    assert terms
    for term in terms:
        ceiling = score_ceiling(term.frequency, len(term.term), counts.tokens, CATEGORY_WEIGHTS[term.category])
        assert term.score <= ceiling + 0.0005, term.term  # scores are rounded to 3 places
        if term.category in (CATEGORY_TERM, CATEGORY_ORGANISATION, CATEGORY_COINAGE):
            # The floors assume the heaviest of these weights.
            assert term.score <= score_ceiling(term.frequency, len(term.term), counts.tokens) + 0.0005


def test_the_floor_rises_with_the_corpus_and_is_the_minimum_frequency_without_a_score_cut():
    settings = MiningSettings()
    small, large = frequency_floors(settings, 1_000_000), frequency_floors(settings, 10_000_000)
    assert all(large[length] >= small[length] for length in small)
    assert large[2] > small[2] > settings.min_freq
    # Longer candidates score more per occurrence (log2 of their length), so need fewer.
    assert large[2] >= large[8]
    assert set(frequency_floors(MiningSettings(min_score=0), 10_000_000).values()) == {settings.min_freq}


def test_a_build_leaves_no_spill_behind(tmp_path, monkeypatch):
    spill_root = tmp_path / "tmp"
    spill_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_root))
    report = pipeline.build([str(SEEDS)], db_path=str(tmp_path / "termbase.db"), jobs=1)
    assert report.terms > 100
    assert os.listdir(spill_root) == []


def test_the_floor_is_the_least_frequency_reaching_the_cut_even_for_a_huge_cut():
    settings = MiningSettings()
    for tokens in (5_000, 1_000_000, 12_000_000):
        floors = frequency_floors(settings, tokens)
        for length, floor in floors.items():
            # Linear search from the minimum frequency, as the definition says.
            frequency = settings.min_freq
            while score_ceiling(frequency, length, tokens) < settings.min_score:
                frequency += 1
            assert floor == max(settings.min_freq, frequency // CONTAINER_MARGIN)
    # A cut no term can reach is answered at once (bisection), not by counting up to it.
    assert min(frequency_floors(MiningSettings(min_score=1e15), 12_000_000).values()) > 1_000_000
