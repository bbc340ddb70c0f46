"""Cold-start lookup on a large termbase.

    python benchmarks/bench_lookup.py [--entries 100000] [--runs 7]
    python benchmarks/bench_lookup.py --db TERMBASE [--runs 7]

Without --db, builds a termbase of synthetic but realistic entries (terms assembled from the
seeds' own words, with real pinyin, initials and English drafts). With --db, uses a termbase
built from a real corpus, e.g. the one `benchmarks/bench_build.py --keep FOLDER` keeps of all
35 MB of People's Daily (opened read-only, as lookup does). Then runs `glossary lookup` as a
new process for each query form several times and prints the median and worst wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["两个维护", "兩個維護", "liang ge wei hu", "lianggeweihu", "liang3 ge4", "lgwh", "uphold",
           "consultative body", "维护", "lainggeweihu", "consultetive body", "两个维户", "zzqqxx"]
KINDS = ["exact", "traditional", "pinyin", "pinyin", "pinyin", "initials", "English", "English", "substring",
         "near miss", "near miss", "near miss", "no match"]


def build_termbase(path: Path, count: int) -> None:
    from glossary.clean import clean_document
    from glossary.pipeline import build
    from glossary.pinyin import to_pinyin
    from glossary.read import read_documents
    from glossary.segment import Segmenter
    from glossary.store import Termbase

    build([ROOT / "seeds"], db_path=path)  # the real seed entries, with contexts
    rng = random.Random(5)
    words = sorted({w for d in (clean_document(r) for r in read_documents([ROOT / "seeds"]))
                    for s in d.sentences for w in Segmenter().cut(s.text) if len(w) >= 2 and w.isalpha()})
    english = ["committee", "consultation", "democracy", "reform", "unity", "front", "members", "work", "system",
               "deepen", "modernization", "supervision", "proposal", "sector", "people", "governance", "party"]
    entries, seen = [], set()
    with Termbase(path) as termbase:
        seen.update(row[0] for row in termbase.connection.execute("SELECT term FROM terms"))
        while len(entries) < count:
            term = "".join(rng.sample(words, rng.choice((2, 2, 3))))
            if term in seen:
                continue
            seen.add(term)
            pinyin = to_pinyin(term)
            entries.append({
                "term": term, "traditional": term, "variants": [], "category": "political term",
                "score": rng.random(), "frequency": rng.randrange(2, 300), "documents": rng.randrange(1, 40),
                "expansion": [], "expansion_source": "", "pinyin": pinyin.display, "pinyin_marks": pinyin.marks,
                "pinyin_numbers": pinyin.numbers, "pinyin_plain": pinyin.plain, "initials": pinyin.initials,
                "english": " ".join(rng.sample(english, 3)), "english_source": "dictionary draft",
                "english_detail": "", "english_alternatives": [], "components": [], "contexts": []})
        with termbase.transaction():
            termbase.upsert_mined_terms_without_retiring(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="an existing termbase (not modified)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        import sqlite3

        if arguments.db:
            db = arguments.db
            total = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("SELECT count(*) FROM terms").fetchone()[0]
            print(f"termbase: {db}, {total} entries, {db.stat().st_size / 1e6:.1f} MB")
        else:
            db = Path(folder) / "tb.sqlite3"
            start = time.perf_counter()
            build_termbase(db, arguments.entries)
            total = sqlite3.connect(db).execute("SELECT count(*) FROM terms").fetchone()[0]
            print(f"termbase: {total} entries, built in {time.perf_counter() - start:.0f} s")
        print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
        command = [sys.executable, "-m", "glossary.cli", "lookup", "--db", str(db), "--limit", "5"]
        environment = dict(os.environ, NO_COLOR="1")
        for query, kind in zip(QUERIES, KINDS):
            times = []
            for _ in range(arguments.runs):
                begin = time.perf_counter()
                subprocess.run(command + [query], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment)
                times.append((time.perf_counter() - begin) * 1000)
            print(f"{kind:12s} {query:22s} median {statistics.median(times):6.0f} ms   worst {max(times):6.0f} ms",
                  flush=True)


if __name__ == "__main__":
    main()
