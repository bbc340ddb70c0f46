"""Benchmark: import a 100,000-segment TMX and harvest English from it (issue 14; a benchmark,
not a timed test).

The TMX is synthesised from the shared bilingual pairs (../shared/corpora/bilingual/mfa2026.tmx
and wp2020peacekeeping.tmx): their segment pairs are cut into sentence pairs (as the importer
does), then repeated with varied numbers and names until there are N segments. In copy k,
every number in a pair is raised by k on both sides, and the spokesperson/minister names
(王毅 Wang Yi, 林剑 Lin Jian, …) are rotated through a list of other Chinese names with their
pinyin, on both sides. The file is written to a temporary folder (never into the project);
writing it is not timed.

Times: reading (defusedxml parse and unit reading), then `glossary import` as a whole
(sentence splitting, storing the pairs, mining the Chinese side, term alignment), then the
term alignment alone again, with the peak memory of the process.

    python benchmarks/bench_memory.py [--segments 100000]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bilingual"
NAMES = [("王毅", "Wang Yi"), ("林剑", "Lin Jian"), ("毛宁", "Mao Ning"), ("郭嘉昆", "Guo Jiakun"),
         ("李强", "Li Qiang"), ("韩正", "Han Zheng"), ("赵乐际", "Zhao Leji"), ("丁薛祥", "Ding Xuexiang")]
_NUMBER_RE = re.compile(r"\d+")


def source_pairs() -> list[tuple[str, str]]:
    from glossary.bilingual import memory_pairs
    from glossary.memory import read_memory

    pairs = []
    for name in ("mfa2026.tmx", "wp2020peacekeeping.tmx"):
        pairs += [(zh, en) for _, zh, en in memory_pairs(read_memory(CORPUS / name))]
    return pairs


def varied(zh: str, en: str, copy: int) -> tuple[str, str]:
    if copy == 0:
        return zh, en
    bump = lambda match: str(int(match.group()) + copy)  # noqa: E731
    zh, en = _NUMBER_RE.sub(bump, zh), _NUMBER_RE.sub(bump, en)
    for index, (name_zh, name_en) in enumerate(NAMES):
        if name_zh in zh and name_en in en:
            other_zh, other_en = NAMES[(index + copy) % len(NAMES)]
            zh, en = zh.replace(name_zh, other_zh), en.replace(name_en, other_en)
    return zh, en


def write_tmx(path: Path, segments: int) -> None:
    pairs = source_pairs()
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="bench" '
                  'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="zh-CN" '
                  'datatype="plaintext"/>\n<body>\n')
        for number in range(segments):
            zh, en = varied(*pairs[number % len(pairs)], number // len(pairs))
            out.write(f'<tu tuid="{number + 1}"><tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
                      f'<tuv xml:lang="en"><seg>{escape(en)}</seg></tuv></tu>\n')
        out.write("</body></tmx>\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=100_000)
    args = parser.parse_args()
    if not (CORPUS / "mfa2026.tmx").exists():
        print(f"skipped: {CORPUS} is absent (see ../shared/corpora/README.md)")
        return 0
    from glossary.bilingual import import_memory, refresh_memory_english
    from glossary.memory import read_memory
    from glossary.store import Termbase

    with tempfile.TemporaryDirectory() as folder:
        tmx = Path(folder) / "synthetic.tmx"
        write_tmx(tmx, args.segments)
        size = tmx.stat().st_size / 1e6
        started, cpu = time.perf_counter(), time.process_time()
        memory = read_memory(tmx)
        read_seconds, read_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        with Termbase(Path(folder) / "t.sqlite3") as termbase:
            report = import_memory(termbase, memory, "bench")
            import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            with termbase.transaction():
                refresh_memory_english(termbase)
            align_seconds, align_cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.segments:,} segments ({size:.1f} MB TMX, {report.pairs:,} sentence pairs, "
          f"{sum(len(zh) for zh, _ in memory.pairs) / 1e6:.1f} M Chinese characters)")
    print(f"read (defusedxml): {read_seconds:.1f} s ({read_cpu:.1f} s CPU)")
    print(f"import (split, store, mine the Chinese side, align terms): {import_seconds:.1f} s "
          f"({import_cpu:.1f} s CPU); read + import: {read_seconds + import_seconds:.1f} s "
          f"({read_cpu + import_cpu:.1f} s CPU)")
    print(f"  terms {report.terms:,}, English harvested for {report.harvested:,}, "
          f"low confidence {report.low_confidence:,}")
    print(f"term alignment alone, again: {align_seconds:.1f} s ({align_cpu:.1f} s CPU)")
    print(f"peak RSS {peak:.0f} MB; load average {os.getloadavg()[0]:.2f} (2 cores, shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
