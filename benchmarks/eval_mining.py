"""Precision and recall of mining on the seeds.

    python benchmarks/eval_mining.py [--min-freq N]

Recall: the share of tests/data/gold_terms.txt (written by reading the seeds) that the build
finds. Precision: the share of mined entries that are good, where good means in the gold list
or judged good in tests/data/mining_judgements.tsv; entries judged nowhere are listed, not
guessed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.mine import MiningSettings  # noqa: E402
from glossary.pipeline import build  # noqa: E402
from glossary.store import Termbase  # noqa: E402


def read_list(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-freq", type=int, default=2)
    arguments = parser.parse_args()
    gold = read_list(ROOT / "tests" / "data" / "gold_terms.txt")
    judged = dict(line.split("\t") for line in read_list(ROOT / "tests" / "data" / "mining_judgements.tsv"))
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tb.sqlite3"
        build([ROOT / "seeds"], db_path=db, settings=MiningSettings(min_freq=arguments.min_freq))
        with Termbase(db) as termbase:
            mined = [row.term for row in termbase.term_rows()]
    found = [g for g in gold if g in mined]
    good = [m for m in mined if m in gold or judged.get(m) == "good"]
    bad = [m for m in mined if judged.get(m) == "bad"]
    unjudged = [m for m in mined if m not in gold and m not in judged]
    print(f"mined entries: {len(mined)}")
    print(f"recall:    {len(found)}/{len(gold)} = {len(found) / len(gold):.1%} of the gold list")
    print(f"precision: {len(good)}/{len(good) + len(bad)} = {len(good) / max(1, len(good) + len(bad)):.1%} "
          f"of judged entries ({len(unjudged)} unjudged)")
    top = mined[:50]
    top_good = [m for m in top if m in gold or judged.get(m) == "good"]
    print(f"precision of the top 50: {len(top_good)}/{len(top)}")
    print("missed:", " ".join(g for g in gold if g not in mined))
    print("bad:", " ".join(bad))
    if unjudged:
        print("unjudged:", " ".join(unjudged))


if __name__ == "__main__":
    main()
