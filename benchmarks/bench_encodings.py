"""Mixed encodings at volume: a check, not a speed figure.

    python benchmarks/bench_encodings.py [--megabytes 5]

Writes a synthetic corpus from the seeds' own lines (benchmarks/corpus.py: UTF-8, UTF-8 with
BOM, GB18030, Big5, UTF-16, half of it in traditional script), builds it, and checks that every
file was read, with the encoding it was written in. Its text repeats the seeds' ~50 KB, so its
build time says little about real corpora: the headline figures come from
benchmarks/bench_build.py on distinct People's Daily articles.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0)
    arguments = parser.parse_args()
    from glossary.pipeline import build

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "corpus"
        written = make_corpus(folder, arguments.megabytes)
        files = sorted(folder.glob("*.txt"))
        start = time.perf_counter()
        report = build([str(folder)], db_path=str(Path(temporary) / "tb.sqlite3"))
        seconds = time.perf_counter() - start
        encodings = Counter(row[0] for row in sqlite3.connect(Path(temporary) / "tb.sqlite3").execute(
            "SELECT encoding FROM documents"))
    print(f"{len(files)} files, {written / 1e6:.1f} MB: {report.documents_seen} read, {len(report.skipped)} skipped, "
          f"{report.documents_added} distinct documents, {report.terms} entries, {seconds:.1f} s")
    print("encodings detected:", ", ".join(f"{name} {count}" for name, count in encodings.most_common()))
    if report.skipped or report.documents_seen != len(files):
        raise SystemExit("error: not every file was read")


if __name__ == "__main__":
    main()
