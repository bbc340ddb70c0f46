"""The shared corpora beside the project (../shared/corpora/, never copied into it), for the
tests that measure on real text and skip where it is absent."""

from __future__ import annotations

from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
PEOPLES_DAILY = CORPORA / "peoples_daily_2019_2020"


def files_until(folder: Path, megabytes: float) -> list[Path]:
    """The files of folder in path order until their size reaches `megabytes` (10^6 bytes)."""
    chosen, size = [], 0
    for path in sorted(folder.rglob("*.txt")):
        if size >= megabytes * 1e6:
            break
        chosen.append(path)
        size += path.stat().st_size
    return chosen
