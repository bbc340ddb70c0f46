"""Termhood: the learnt chance that an entry is a term, and the score it weighs on. The corpus
test reads ../shared/corpora/ and skips where it is absent."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from glossary import termhood
from glossary.store import Termbase

ROOT = Path(__file__).resolve().parent.parent
GWR = ROOT.parent / "shared" / "corpora" / "gov_work_reports_national"


def test_the_shipped_model_reads_the_features_the_code_computes():
    model = termhood.model()
    assert model is not None and "People's Daily" in model["trained_on"] and model["judged"] >= 300
    computed = termhood.features("凝聚共识", "political term", 40, 5, 900.0, 6.5, 2.1)
    # A feature renamed or added without training again would be read as 0 (or never read).
    assert sorted(computed) == sorted(model["features"])
    assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(model["features"])
    assert model["exponent"] > 0


def test_every_score_is_its_statistical_score_weighed_by_termhood(built):
    with Termbase(built[0]) as termbase:
        rows = termbase.term_rows()
    power = termhood.exponent()
    assert len(rows) > 200
    for row in rows:
        found = re.search(r"statistical score ([0-9.e+]+) × termhood ([0-9.]+)", row.score_reasons)
        assert found, row.score_reasons
        statistical, chance = float(found.group(1)), float(found.group(2))
        assert 0 < chance < 1
        # The reasons round the chance to two places.
        assert statistical * (chance - 0.005) ** power - 0.01 <= row.score <= statistical * (chance + 0.005) ** power + 0.01
    scores = [row.score for row in rows]
    assert scores == sorted(scores, reverse=True)


def _judged_seed_entries() -> dict[str, str]:
    judged = {}
    for line in (ROOT / "tests" / "data" / "mining_judgements.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            term, verdict = line.split("\t")[:2]
            judged[term] = verdict
    return judged


@pytest.fixture(scope="module")
def unfloored(tmp_path_factory, seed_paths):
    """The seeds built with every entry the termhood floor would drop kept (min_termhood 0)."""
    from glossary.mine import MiningSettings
    from glossary.pipeline import build

    db = tmp_path_factory.mktemp("unfloored") / "termbase.sqlite3"
    build([str(path) for path in seed_paths], db_path=db, settings=MiningSettings(min_termhood=0))
    return db


def test_termhood_tells_judged_terms_from_judged_phrases_on_the_seeds(unfloored):
    judged = _judged_seed_entries()
    # The list before the floor: after it, the entries left are those the model ranked high.
    with Termbase(unfloored) as termbase:
        chances = {row.term: float(re.search(r"termhood ([0-9.]+)", row.score_reasons).group(1))
                   for row in termbase.term_rows()}
    good = [chances[t] for t, v in judged.items() if v == "good" and t in chances]
    bad = [chances[t] for t, v in judged.items() if v == "bad" and t in chances]
    assert len(good) > 100 and len(bad) > 15
    # The seeds were never trained on: how often a judged term outranks a judged phrase.
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad) / (len(good) * len(bad))
    assert wins > 0.6


def test_the_floor_drops_mined_phrases_the_model_doubts_and_nothing_else(built, unfloored):
    from glossary.mine import MiningSettings

    floor = MiningSettings().min_termhood
    with Termbase(built[0]) as termbase:
        kept = {row.term for row in termbase.term_rows()}
    with Termbase(unfloored) as termbase:
        every = termbase.term_rows()
    chance = {row.term: float(re.search(r"termhood ([0-9.]+)", row.score_reasons).group(1)) for row in every}
    dropped = [row for row in every if row.term not in kept]
    # The seeds lose some phrases, none of the gold terms, and keep every slogan whatever its chance.
    gold = {line.strip() for line in (ROOT / "tests" / "data" / "gold_terms.txt").read_text(encoding="utf-8")
            .splitlines() if line.strip() and not line.startswith("#")}
    assert 5 <= len(dropped) < len(every) // 5
    assert all(row.category == "political term" and chance[row.term] < floor + 0.005 for row in dropped)
    assert not gold & {row.term for row in dropped}
    assert all(row.term in kept for row in every if row.category == "political term" and chance[row.term] >= floor + 0.005)
    judged = _judged_seed_entries()
    verdicts = [judged[row.term] for row in dropped if row.term in judged]
    assert verdicts.count("bad") > verdicts.count("good")


def test_slogans_meetings_bodies_and_coinages_are_kept_whatever_the_floor(unfloored, tmp_path, seed_paths):
    from glossary.mine import MiningSettings
    from glossary.pipeline import build

    build([str(path) for path in seed_paths], db_path=tmp_path / "high.sqlite3",
          settings=MiningSettings(min_termhood=0.95))
    with Termbase(tmp_path / "high.sqlite3") as termbase:
        kept = {row.term: row.category for row in termbase.term_rows()}
    with Termbase(unfloored) as termbase:
        every = {row.term: row.category for row in termbase.term_rows()}
    others = {term for term, category in every.items() if category != "political term"}
    assert len(others) >= 10 and others <= set(kept)
    assert sum(category == "political term" for category in kept.values()) < \
        sum(category == "political term" for category in every.values()) // 2


def test_fit_learns_which_side_of_a_feature_is_good():
    rows = [{"signal": x / 10, "noise": (x * 7 % 5) / 5} for x in range(-20, 21) if x]
    labels = [1 if row["signal"] > 0 else 0 for row in rows]
    fitted = termhood.fit(rows, labels, ["noise", "signal"], l2=1.0, steps=500)
    assert termhood.probability({"signal": 1.5, "noise": 0.5}, fitted) > 0.8
    assert termhood.probability({"signal": -1.5, "noise": 0.5}, fitted) < 0.2
    assert abs(fitted["weights"][1]) > 5 * abs(fitted["weights"][0])


def test_termhood_ranks_the_government_work_reports_better_than_the_plain_score():
    """The reports were never trained on (benchmarks/train_termhood.py --check gwr prints this)."""
    if not GWR.is_dir():
        pytest.skip(f"{GWR} is absent (see ../shared/corpora/README.md)")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_termhood import area_under_curve, judged_features

    rows, labels, plain, _ = judged_features("gwr", None)
    assert len(labels) > 500
    learnt = area_under_curve([termhood.probability(row) for row in rows], labels)
    assert learnt > area_under_curve(plain, labels) + 0.05


def test_the_command_line_sets_the_floor(unfloored, tmp_path, seed_paths):
    from click.testing import CliRunner

    from glossary.cli import main

    corpus = tmp_path / "seeds"
    corpus.mkdir()
    for path in seed_paths:
        (corpus / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "all.sqlite3"
    result = CliRunner().invoke(main, ["build", str(corpus), "--db", str(db), "--out", str(tmp_path / "g.xlsx"),
                                       "--min-termhood", "0"])
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase, Termbase(unfloored) as other:
        assert sorted(row.term for row in termbase.term_rows()) == sorted(row.term for row in other.term_rows())
    bad = CliRunner().invoke(main, ["build", str(corpus), "--db", str(db), "--min-termhood", "2"])
    assert bad.exit_code != 0 and "--min-termhood" in bad.output and "Traceback" not in bad.output
