"""Build throughput and memory against jieba's own segmentation speed.

    python benchmarks/bench_build.py [--sizes 10,20,40] [--jobs N]

For each size it generates a corpus from the seeds (benchmarks/corpus.py), then in one run
times `glossary build` on it (a fresh termbase, workbook included) and `jieba.lcut` over the
same decoded text in a single process, and prints MB/s for both, their ratio and the build's
peak memory (max RSS of the build process), then times adding one document to that termbase and
a build with nothing changed. The ratio is against jieba.lcut's defaults (HMM on,
as the build's segmenter has it); the rate with HMM=False is printed alongside for reference.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import SEEDS, corpus_text, make_corpus  # noqa: E402


def time_build(folder: Path, work: Path, jobs: int | None) -> tuple[float, float]:
    command = [sys.executable, "-m", "glossary.cli", "build", str(folder), "--db", str(work / "tb.sqlite3"),
               "--out", str(work / "glossary.xlsx")]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def time_jieba(text: str, hmm: bool = True) -> float:
    import jieba

    jieba.initialize()
    start = time.perf_counter()
    jieba.lcut(text, HMM=hmm)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for glossary build (default: its default)")
    parser.add_argument("--jieba-mb", type=float, default=5.0, help="MB of the corpus to time jieba on")
    arguments = parser.parse_args()
    results = []
    for size in [float(s) for s in arguments.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            folder = work / "corpus"
            written = make_corpus(folder, size)
            megabytes = written / 1024 / 1024
            build_seconds, peak_mb = time_build(folder, work, arguments.jobs)
            text = corpus_text(folder)
            sample = text[: int(len(text) * min(1.0, arguments.jieba_mb / megabytes))]
            sample_mb = len(sample.encode("utf-8")) / 1024 / 1024
            jieba_seconds = time_jieba(sample)
            # For reference: jieba without its HMM for unknown words (the build's segmenter keeps it).
            no_hmm = sample[: len(sample) // 2]
            no_hmm_rate = len(no_hmm.encode("utf-8")) / 1024 / 1024 / time_jieba(no_hmm, hmm=False)
            build_rate = megabytes / build_seconds
            jieba_rate = sample_mb / jieba_seconds
            results.append((megabytes, build_seconds))
            print(f"{megabytes:6.1f} MB  build {build_seconds:7.1f} s = {build_rate:5.2f} MB/s   "
                  f"jieba.lcut {jieba_rate:5.2f} MB/s (on {sample_mb:.1f} MB)   ratio {build_rate / jieba_rate:4.1f}x   "
                  f"build peak RSS {peak_mb:6.0f} MB   "
                  f"[jieba.lcut HMM=False {no_hmm_rate:4.2f} MB/s, ratio {build_rate / no_hmm_rate:3.1f}x]", flush=True)
            shutil.copy(sorted(SEEDS.glob("*.txt"))[0], folder / "added.txt")
            added_seconds, _ = time_build(folder, work, arguments.jobs)
            unchanged_seconds, _ = time_build(folder, work, arguments.jobs)
            print(f"{'':9s}then, on the same termbase: one document added {added_seconds:5.1f} s, "
                  f"nothing changed {unchanged_seconds:5.1f} s (workbook included)", flush=True)
    (small_mb, small_s) = results[0]
    for large_mb, large_s in results[1:]:
        print(f"{small_mb:.0f} → {large_mb:.0f} MB: time grew {large_s / small_s:.2f}x for {large_mb / small_mb:.1f}x the input")


if __name__ == "__main__":
    main()
