"""The word segmenter: jieba's dictionary and algorithm through its Rust port rjieba.

rjieba segments the same way as jieba (tests/test_segment.py checks agreement on the seeds)
about twenty times faster. Domain words (reference terms, pinyin phrases, and the terms the
termbase already holds) are added so that 两个维护 and 中国式现代化 stay whole.

A build chooses its words once (`use_words`) and every process of the build segments with the
same dictionary, so that the result never depends on what a process segmented before.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable

_current = None
_current_words: frozenset[str] | None = None


class Segmenter:
    def __init__(self, words: Iterable[str] = ()):
        import rjieba

        self.engine = rjieba.Jieba()
        self.words = frozenset(w for w in words if w and len(w) >= 2)
        self.general_words = frozenset(w for w in self.words if self.engine.has_word(w))
        for word in sorted(self.words):
            self.engine.add_word(word, None, None)

    def in_general_dictionary(self, word: str) -> bool:
        if word in self.words:
            return word in self.general_words
        return self.engine.has_word(word)

    def cut(self, text: str) -> list[str]:
        return self.engine.cut(text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self.engine.tag(text)


def use_words(words: Iterable[str]) -> Segmenter:
    """Make a segmenter with jieba's dictionary plus `words` the one cut() and tag() use."""
    global _current, _current_words
    words = frozenset(words)
    if _current is None or words != _current_words:
        _current, _current_words = Segmenter(words), words
    return _current


def fingerprint() -> str:
    """Names the current dictionary: tokens stored under another one must be counted again."""
    import hashlib
    from importlib.metadata import version

    words = "\n".join(sorted(current().words))
    return hashlib.sha256(f"rjieba {version('rjieba')}\n{words}".encode()).hexdigest()[:16]


def current() -> Segmenter:
    return _current if _current is not None else use_words(())


def added_words() -> frozenset[str]:
    return current().words


def cut(text: str) -> list[str]:
    return current().cut(text)


WORD_WINDOW = 2  # characters either side of a place read to tell whether it is a word of its own


def inside_longer_word(text: str, start: int, end: int) -> bool:
    """Whether the segmenter, reading text[start:end] with WORD_WINDOW characters either side,
    takes it as part of a longer everyday word: a word runs across its start or its end, or
    holds all of it and more (委员 in 合作委员会). A longer domain term the tool taught the
    segmenter (中华民族共同体意识 in 铸牢中华民族共同体意识) does not count."""
    low = max(start - WORD_WINDOW, 0)
    return _inside_longer_word(current().words, text[low:end + WORD_WINDOW], start - low, end - low)


@lru_cache(maxsize=262144)
def _inside_longer_word(words: frozenset[str], window: str, start: int, end: int) -> bool:
    position = 0
    for word in cut(window):
        stop = position + len(word)
        if word not in words and (position < start < stop or position < end < stop
                                  or position <= start and end <= stop and stop - position > end - start):
            return True
        if stop >= end:
            return False
        position = stop
    return False


def cutter():
    """The current segmenter's cut, bound once for a loop over many chunks."""
    return current().engine.cut


def tag(text: str) -> list[tuple[str, str]]:
    return current().tag(text)


def in_general_dictionary(word: str) -> bool:
    """Whether jieba's own dictionary has the word (without reading its 5 MB frequency list)."""
    return current().in_general_dictionary(word)


@lru_cache(maxsize=1)
def _background() -> tuple[dict[str, int], dict[str, str], int]:
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    frequencies: dict[str, int] = {}
    tags: dict[str, str] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                frequencies[parts[0]] = int(parts[1])
                if len(parts) >= 3:
                    tags[parts[0]] = parts[2]
    return frequencies, tags, sum(frequencies.values())


def background_frequencies() -> tuple[dict[str, int], int]:
    """jieba's dictionary word frequencies: a general-language background for termhood."""
    frequencies, _, total = _background()
    return frequencies, total


def part_of_speech(word: str) -> str:
    """jieba's dictionary tag of a word ("n", "v", "uj", …), or "?" for words it does not know."""
    return _background()[1].get(word, "?")
