"""Train the termhood model (glossary/termhood.py) on the People's Daily judgments.

    python benchmarks/train_termhood.py                 # fit, print, write glossary/data/termhood.json
    python benchmarks/train_termhood.py --dry-run       # fit and print only
    python benchmarks/train_termhood.py --check gwr     # how the shipped model ranks another corpus

Builds the first `--megabytes` (5) of People's Daily 2019–2020 (the development corpus) from
../shared/corpora/ (never copied into the project; absent: the script says so and stops), with
the whole list kept (--min-score 0), records each entry's features as the build computes them,
and fits a logistic regression on every entry tests/data/judged_pd.tsv has a verdict for. The
Government Work Reports are never trained on: `--check gwr` prints the ranking quality there
(the area under the ROC curve of the plain score and of the model's chance) for information.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from judge_mining import CORPUS_FOLDERS, ROOT as _ROOT, corpus_files, read_judgments, resolve  # noqa: E402

MODEL_PATH = ROOT / "glossary" / "data" / "termhood.json"
EXPONENT = 2.0  # score × chance²: set by the People's Daily bands (see the README, Quality)


def judged_features(corpus: str, megabytes: float | None) -> tuple[list[dict], list[int], list[float], int]:
    """Per judged entry of a fresh build: its features, verdict (1 good) and plain score."""
    from glossary import termhood
    from glossary.pipeline import build
    from glossary.scoring import MiningSettings
    from glossary.store import Termbase

    folder = CORPUS_FOLDERS[corpus]
    if not folder.is_dir():
        sys.exit(f"skipped: {folder} is absent (the shared corpora sit beside the project)")
    recorded: dict[str, dict] = {}
    original = termhood.features

    def recording(term, *args):
        values = original(term, *args)
        recorded[term] = values
        return values

    termhood.features = recording
    try:
        with tempfile.TemporaryDirectory() as folder_name:
            db = str(Path(folder_name) / "train.sqlite3")
            # One process, so that every entry's features are recorded here.
            build([str(f) for f in corpus_files(folder, megabytes)], db_path=db,
                  settings=MiningSettings(min_score=0, min_termhood=0), jobs=1)
            with Termbase(db) as termbase:
                entries = [{"term": row.term, "expansion": row.expansion} for row in termbase.term_rows()]
    finally:
        termhood.features = original
    verdicts = resolve(entries, read_judgments(_ROOT / "tests" / "data" / f"judged_{corpus}.tsv"))
    rows, labels, scores = [], [], []
    for entry in entries:
        if entry["term"] in verdicts and entry["term"] in recorded:
            rows.append(recorded[entry["term"]])
            labels.append(1 if verdicts[entry["term"]][0] == "good" else 0)
            scores.append(recorded[entry["term"]]["log_score"])
    return rows, labels, scores, len(entries)


def area_under_curve(scores: list[float], labels: list[int]) -> float:
    good = [s for s, label in zip(scores, labels) if label]
    bad = [s for s, label in zip(scores, labels) if not label]
    if not good or not bad:
        return float("nan")
    wins = sum((g > b) + 0.5 * (g == b) for g in good for b in bad)
    return wins / (len(good) * len(bad))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0, help="People's Daily subset to train on (MB)")
    parser.add_argument("--l2", type=float, default=20.0, help="L2 penalty on the standardised weights")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    parser.add_argument("--check", choices=sorted(CORPUS_FOLDERS), help="rank another corpus with the shipped model")
    arguments = parser.parse_args()
    from glossary import termhood

    if arguments.check:
        rows, labels, scores, total = judged_features(arguments.check, None if arguments.check == "gwr" else 5.0)
        chances = [termhood.probability(row) for row in rows]
        print(f"{arguments.check}: {len(labels)} judged of {total} entries, {sum(labels)} good; area under the "
              f"ROC curve: plain score {area_under_curve(scores, labels):.3f}, "
              f"termhood {area_under_curve(chances, labels):.3f}")
        return
    rows, labels, scores, total = judged_features("pd", arguments.megabytes)
    names = sorted(rows[0])
    fitted = termhood.fit(rows, labels, names, l2=arguments.l2)
    chances = [termhood.probability(row, fitted) for row in rows]
    print(f"People's Daily {arguments.megabytes:g} MB: {len(labels)} judged of {total} entries, {sum(labels)} good; "
          f"area under the ROC curve (training data): plain score {area_under_curve(scores, labels):.3f}, "
          f"termhood {area_under_curve(chances, labels):.3f}")
    for name, weight in sorted(zip(names, fitted["weights"]), key=lambda item: -abs(item[1])):
        print(f"  {name:24s} {weight:+.3f}")
    fitted.update(exponent=EXPONENT, trained_on=f"People's Daily 2019-2020, first {arguments.megabytes:g} MB "
                  "(files in path order), judgments in tests/data/judged_pd.tsv", judged=len(labels),
                  l2=arguments.l2)
    if not arguments.dry_run:
        MODEL_PATH.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written: {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
