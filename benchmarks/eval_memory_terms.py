"""Goal (a) of issue 14: English harvested from the press-conference memory, judged by reading.

Imports ../shared/corpora/bilingual/mfa2026.tmx into a new, empty termbase (so its entries are
the terms mined from the memory's Chinese side), then takes the entries that occur in at least
two segment pairs (<tu>) of the TMX. For each, the harvested English (`translation memory:`
label) is compared with tests/data/memory_judgements.tsv: term, English, verdict (ok: it is
what a reader finds for the term in the aligned English; wrong: it is not, or only part of it),
and a note. Prints how many entries have harvested English, how many of those were judged, and
the share judged ok.

    python benchmarks/eval_memory_terms.py            # the figures
    python benchmarks/eval_memory_terms.py --sample N # N unjudged entries with their example pair, to judge
    python benchmarks/eval_memory_terms.py --tmx wp2020peacekeeping.tmx
        # held out: the white paper's memory, never looked at while the term alignment was tuned
        # (judgements in tests/data/memory_judgements_wp2020peacekeeping.tsv)
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "bilingual" / "mfa2026.tmx"
JUDGEMENTS = HERE.parent / "tests" / "data" / "memory_judgements.tsv"


def judgements_of(tmx: Path) -> Path:
    return JUDGEMENTS if tmx.name == CORPUS.name else JUDGEMENTS.with_name(f"memory_judgements_{tmx.stem}.tsv")


def read_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], str]:
    judged = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            term, english, verdict, *_ = line.split("\t")
            judged[(term, english)] = verdict
    return judged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="print this many unjudged entries to judge")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--tmx", default=CORPUS.name, help="a TMX of ../shared/corpora/bilingual/")
    args = parser.parse_args()
    tmx = CORPUS.with_name(args.tmx)
    if not tmx.exists():
        print(f"skipped: {tmx} is absent (see ../shared/corpora/README.md)")
        return 0
    from glossary.bilingual import import_memory
    from glossary.memory import read_memory
    from glossary.store import Termbase

    memory = read_memory(tmx)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with Termbase(Path(folder) / "t.sqlite3") as termbase:
            import_memory(termbase, memory, "eval")
            rows = termbase.connection.execute(
                "SELECT term, english_memory, memory_json FROM terms").fetchall()
        seconds = time.perf_counter() - started
    segments = [zh for zh, _ in memory.pairs]
    entries = []
    for term, english, memory_json in rows:
        in_segments = sum(1 for zh in segments if term in zh)
        if in_segments >= 2:
            entries.append((term, english, json.loads(memory_json) if memory_json else {}, in_segments))
    harvested = [e for e in entries if e[1]]
    judged = read_judgements(judgements_of(tmx))
    verdicts = [judged[(term, english)] for term, english, _, _ in harvested if (term, english) in judged]
    ok = verdicts.count("ok")
    print(f"{tmx.name} imported into an empty termbase in {seconds:.1f} s: {len(rows)} entries, "
          f"{len(entries)} occur in ≥2 of its {len(segments)} segment pairs")
    print(f"harvested English for {len(harvested)} of those {len(entries)} "
          f"({100 * len(harvested) / max(len(entries), 1):.1f}%); the rest have low-confidence candidates or none")
    if verdicts:
        print(f"judged by reading: {len(verdicts)} of the {len(harvested)}; ok {ok}/{len(verdicts)} = "
              f"{100 * ok / len(verdicts):.1f}% is what a reader finds in the aligned English")
    unjudged = [e for e in harvested if (e[0], e[1]) not in judged]
    print(f"unjudged (new or changed English): {len(unjudged)}")
    if args.sample:
        random.Random(args.seed).shuffle(unjudged)
        for term, english, data, count in unjudged[:args.sample]:
            top = data["candidates"][0]
            print(f"\n{term}\t{english}\t[{count} segments; {top['count']}/{data['read']}]")
            print(f"   zh: {top['example_zh']}")
            print(f"   en: {top['example_en']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
