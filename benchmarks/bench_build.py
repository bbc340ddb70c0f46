"""Build speed and memory on real, distinct documents, against jieba's own speed.

    python benchmarks/bench_build.py [--sizes 5,10,20,35] [--jobs N] [--keep FOLDER]

Reads ../shared/corpora/peoples_daily_2019_2020/ where it is (never copied into the project;
without it the script says so and stops). For each size, a subset (the files in path order
until that many MB, 10^6 bytes, are reached; 35 means all 9,610 articles) is built with
`glossary build` in a new process: a fresh termbase, default settings, the workbook included.
In the same run `jieba.lcut` (its defaults, HMM on, as the build's segmenter has it) cuts the
same documents in this single process. Printed per size: both throughputs and their ratio, the
number of entries, peak memory (the largest process, and all processes of the build together),
the termbase file against the text, and the growth of build time from the first size. Then on
that termbase: the time to add one article of about 5 KB (held out of every subset), and a
build with nothing changed, both writing the workbook.

Machine load (`uptime`) is printed with the figures: the machine is shared and timings move.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import MB, PEOPLES_DAILY, held_out_article, link_folder, require, subset  # noqa: E402


class TreeMemory:
    """Peak resident memory of a process and all its descendants together, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as handle:
                        fields = handle.read().rsplit(b")", 1)[1].split()
                    children.setdefault(int(fields[1]), []).append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        tree, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            tree.append(pid)
            pending.extend(children.get(pid, []))
        return tree

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/statm") as handle:
                        total += int(handle.read().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_build(folder: Path, work: Path, jobs: int | None) -> tuple[float, float, float, float]:
    """(seconds, peak MB of the largest process, peak MB of all processes together, CPU seconds
    of the build and its worker processes)."""
    command = [sys.executable, "-m", "glossary.cli", "build", str(folder), "--db", str(work / "tb.sqlite3"),
               "--out", str(work / "glossary.xlsx")]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    # Run from the work folder: `-m` puts the current folder first on the path, and the project
    # folder would shadow a release given by PYTHONPATH (how a "before" is measured).
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=work)
    memory = TreeMemory(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    tree_peak = memory.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"glossary build failed with status {process.returncode}")
    # ru_maxrss of wait4 is the largest of the process and the children it waited for.
    return elapsed, usage.ru_maxrss / 1024, tree_peak / 1024 / 1024, usage.ru_utime + usage.ru_stime


def time_jieba(files: list[Path]) -> tuple[float, float, float]:
    """(MB cut, seconds, CPU seconds) for jieba.lcut over each document's decoded text, one process."""
    import jieba

    from glossary.read import decode_bytes

    jieba.initialize()
    texts = [decode_bytes(path.read_bytes())[0] for path in files]
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / MB
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        jieba.lcut(text)
    return megabytes, time.perf_counter() - start, time.process_time() - cpu


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5,10,20,35", help="subset sizes in MB, comma-separated (35: all)")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for glossary build (default: its default)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="copy the termbase of the largest size here (for bench_lookup.py --db)")
    parser.add_argument("--no-jieba", action="store_true", help="skip the jieba.lcut timing")
    arguments = parser.parse_args()
    files = require()
    extra = held_out_article(files)
    total_mb = sum(p.stat().st_size for p in files) / MB
    print(f"corpus: {PEOPLES_DAILY} ({len(files)} files, {total_mb:.1f} MB); held out to add later: "
          f"{extra.relative_to(PEOPLES_DAILY)} ({extra.stat().st_size / 1000:.1f} KB)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; glossary build --jobs {arguments.jobs or 'default'}")
    print(f"load before: {uptime()}", flush=True)
    header = (f"{'size':>8} {'docs':>5} {'jieba.lcut':>11} {'build':>8} {'build':>10} {'ratio':>6} {'entries':>8} "
              f"{'peak RSS':>9} {'all procs':>9} {'termbase':>9} {'x text':>6} {'growth':>7} {'+5 KB':>7} "
              f"{'unchanged':>9}")
    rows = []
    first_seconds = None
    for size in [float(s) for s in arguments.sizes.split(",")]:
        chosen = subset(files, None if size >= total_mb - 0.5 else size, leave_out=extra)
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            folder = work / "corpus"
            text_bytes = link_folder(chosen, folder)
            megabytes = text_bytes / MB
            seconds, peak_mb, tree_mb, cpu_seconds = run_build(folder, work, arguments.jobs)
            load_build = uptime()
            if arguments.no_jieba:
                jieba_rate = jieba_cpu_rate = float("nan")
            else:
                jieba_mb, jieba_seconds, jieba_cpu = time_jieba(chosen)
                jieba_rate, jieba_cpu_rate = jieba_mb / jieba_seconds, jieba_mb / jieba_cpu
            entries = sqlite3.connect(work / "tb.sqlite3").execute("SELECT count(*) FROM terms").fetchone()[0]
            termbase_mb = (work / "tb.sqlite3").stat().st_size / MB
            link_folder([extra], folder)
            added_seconds, _, _, added_cpu = run_build(folder, work, arguments.jobs)
            unchanged_seconds, _, _, unchanged_cpu = run_build(folder, work, arguments.jobs)
            if arguments.keep:
                arguments.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(work / "tb.sqlite3", arguments.keep / "tb.sqlite3")
        first_seconds = first_seconds or seconds
        build_rate = megabytes / seconds
        row = (f"{megabytes:5.1f} MB {len(chosen):5d} {jieba_rate:6.2f} MB/s {seconds:6.1f} s {build_rate:5.2f} MB/s "
               f"{build_rate / jieba_rate:5.2f}x {entries:8d} {peak_mb:6.0f} MB {tree_mb:6.0f} MB "
               f"{termbase_mb:6.1f} MB {termbase_mb / megabytes:5.1f}x {seconds / first_seconds:6.2f}x "
               f"{added_seconds:5.1f} s {unchanged_seconds:7.1f} s")
        rows.append(row)
        if len(rows) == 1:
            print(header)
        print(row, flush=True)
        # CPU time does not depend on what else the shared machine runs: a second view.
        print(f"{'':9}CPU: jieba.lcut {jieba_cpu_rate:.2f} MB per CPU-second; build {cpu_seconds:.1f} CPU-s "
              f"({megabytes / cpu_seconds:.2f} MB per CPU-s, {megabytes / cpu_seconds / jieba_cpu_rate:.2f}x jieba); "
              f"+5 KB {added_cpu:.1f} CPU-s; unchanged {unchanged_cpu:.1f} CPU-s", flush=True)
        print(f"{'':9}load after the build: {load_build}", flush=True)
    print(f"load after: {uptime()}")
    print("jieba.lcut: one process, HMM on; build: wall time of `glossary build` with the workbook; growth: "
          "build time against the first size; +5 KB: adding the held-out article to that termbase; "
          "unchanged: a build right after, nothing changed (both with the workbook)")


if __name__ == "__main__":
    main()
