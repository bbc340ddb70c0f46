"""Real, distinct documents for benchmarks: ../shared/corpora/peoples_daily_2019_2020/.

The texts are read where they are, never copied into the project. A subset of N MB is the
files in path order until N MB (10^6 bytes) are reached, the same definition as the mining
and cluster benchmarks use. One short article near the end is held out of every subset, so
that a benchmark can add it to a termbase built from any subset, the largest included.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLES_DAILY = ROOT.parent / "shared" / "corpora" / "peoples_daily_2019_2020"
MB = 1_000_000


def corpus_files(folder: Path = PEOPLES_DAILY) -> list[Path]:
    return sorted(path for path in folder.rglob("*.txt") if path.is_file())


def require(folder: Path = PEOPLES_DAILY) -> list[Path]:
    """The corpus files, or a clear message and a clean exit where the corpus is absent."""
    files = corpus_files(folder) if folder.is_dir() else []
    if not files:
        print(f"skipped: the real corpus {folder} is absent (it is read from there, never copied "
              f"into the project)")
        sys.exit(0)
    return files


def held_out_article(files: list[Path], low: int = 4_500, high: int = 5_500) -> Path:
    """The last article in path order of about 5 KB: left out of subsets, added later."""
    for path in reversed(files):
        if low <= path.stat().st_size <= high:
            return path
    return files[-1]


def subset(files: list[Path], megabytes: float | None, leave_out: Path | None = None) -> list[Path]:
    """Files in path order until `megabytes` are reached (None: all of them)."""
    chosen, total = [], 0
    for path in files:
        if megabytes is not None and total >= megabytes * MB:
            break
        if path == leave_out:
            continue
        chosen.append(path)
        total += path.stat().st_size
    return chosen


def link_folder(files: list[Path], folder: Path, base: Path = PEOPLES_DAILY) -> int:
    """A folder of symbolic links to the files (same relative paths, so the same order); the
    build reads and records the real files. Returns the bytes linked."""
    total = 0
    for path in files:
        link = folder / path.relative_to(base)
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(path, link)
        total += path.stat().st_size
    return total
