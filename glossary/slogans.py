"""Numbered slogans, formulae, Party meetings and quoted strings in one sentence."""

from __future__ import annotations

import re

from . import segment
from .data import word_list
from .shapes import _FORMULA_RE, _NUM, CLASSIFIERS, canonical_slogan, slogan_shape

_UNQUOTED_RE = re.compile(rf"(?<![\d一二两三四五六七八九十百千第])({_NUM}{{1,2}})([{CLASSIFIERS}])(?=[\u4e00-\u9fff])")
_MEETING_RE = re.compile(
    r"(?:(?:中共|党的)?(?:[一二三四五六七八九十]+)届(?:[一二三四五六七八九十]+)(?:中|次)全会"
    r"|党的(?:[一二三四五六七八九十]+)大(?![\u4e00-\u9fff]{0,1}(?:学|小|力|会))"
    r"|(?<![\u4e00-\u9fff])(?:[一二三四五六七八九十]+)大精神)"
)
_QUOTED_RE = re.compile(r"[“「『\"]([^“”「」『』\"\n]{2,16})[”」』\"]")


def quoted_strings(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), m.group(1)) for m in _QUOTED_RE.finditer(text)]


def find_slogans(sentence: str) -> list[tuple[str, bool]]:
    """(canonical slogan, quoted?) for each numbered slogan or formula in a sentence."""
    found: list[tuple[str, bool]] = []
    quoted_spans = []
    for start, end, inner in quoted_strings(sentence):
        quoted_spans.append((start, end))
        if slogan_shape(inner):
            found.append((canonical_slogan(inner), True))
    for match in _FORMULA_RE.finditer(sentence):
        if not any(s <= match.start() < e for s, e in quoted_spans) and "+" in match.group(0):
            found.append((canonical_slogan(match.group(0)), False))
    meeting_spans = [m.span() for m in _MEETING_RE.finditer(sentence)]
    for match in _UNQUOTED_RE.finditer(sentence):
        if any(s <= match.start() < e for s, e in quoted_spans + meeting_spans):
            continue
        rest = re.match(r"[\u4e00-\u9fff]+", sentence[match.end():]).group(0)
        tokens = segment.cut(rest)
        head = tokens[0] if tokens else ""
        if len(head) < 2 or head in word_list("count_nouns.txt") or head in word_list("edge_words.txt"):
            continue
        candidate = canonical_slogan(match.group(0) + head)
        if slogan_shape(candidate):
            found.append((candidate, False))
    return found


def find_meetings(sentence: str) -> list[str]:
    """Party congresses and plenums, without the 中共/党的 prefix (one entry for all spellings)."""
    return [re.sub(r"^(中共|党的)(?=.*届)", "", m.group(0)) for m in _MEETING_RE.finditer(sentence)]
