"""How many of the top new entries of a period are genuinely new formulations.

    python benchmarks/eval_new.py [--db TERMBASE] [--since 2024-01-01] [--top 30]

Builds ../shared/corpora/gov_work_reports_national/ into a temporary termbase (or reads --db),
lists `glossary new --since` and scores the top entries against
tests/data/new_formulations_reports_2024.tsv (judged by reading): new, old, junk; entries not
judged there are listed, not guessed. Skips with a message where the corpus is absent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.pipeline import build  # noqa: E402
from glossary.store import Termbase  # noqa: E402
from glossary.timeline import new_entries  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "gov_work_reports_national"
JUDGEMENTS = ROOT / "tests" / "data" / "new_formulations_reports_2024.tsv"


def judgements() -> dict[str, tuple[str, str]]:
    found = {}
    for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, verdict, why = line.split("\t")
            found[term] = (verdict, why)
    return found


def score(db: Path, since: str, top: int) -> None:
    judged = judgements()
    with Termbase(db) as termbase:
        report = new_entries(termbase, since, limit=top)
    tally = {"new": 0, "old": 0, "junk": 0, "not judged": 0}
    for entry in report.entries:
        verdict, why = judged.get(entry.term, ("not judged", ""))
        tally[verdict] += 1
        longer = f"  (longer: {'、'.join(entry.longer)})" if entry.longer else ""
        print(f"{entry.rank:3}. {entry.term:<14} {entry.frequency:3}x {entry.documents} docs  {verdict:<10} {why}{longer}")
    print(f"top {len(report.entries)} new since {since}: " + ", ".join(f"{k} {v}" for k, v in tally.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=None, help="a termbase built from the reports (default: build one)")
    parser.add_argument("--since", default="2024-01-01")
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args()
    if arguments.db:
        score(arguments.db, arguments.since, arguments.top)
        return
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tb.sqlite3"
        started = time.perf_counter()
        report = build([str(CORPUS)], db_path=str(db))
        print(f"built {report.documents_added} documents in {time.perf_counter() - started:.1f} s; "
              f"{report.timeline.dated} dated, {len(report.timeline.undated)} undated")
        score(db, arguments.since, arguments.top)


if __name__ == "__main__":
    main()
