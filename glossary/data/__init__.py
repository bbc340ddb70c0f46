"""Language data files shipped with glossary, and small loaders for them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


def data_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    lines = []
    for line in data_text(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    return tuple(data_lines(name))


@lru_cache(maxsize=None)
def pair_table(name: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in data_lines(name):
        left, right = line.split("\t")[:2]
        pairs.append((left.strip(), right.strip()))
    return tuple(pairs)
