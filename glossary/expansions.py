"""What a numbered slogan stands for, where the sentence itself lists its components."""

from __future__ import annotations

import re

from . import segment
from .shapes import slogan_shape

_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;：:！？!?]")
_LAST_ITEM_SPLIT_RE = re.compile(r"(?:以及|和|与|及)")
_TRIMMABLE_POS = {"v", "vd", "vn", "d", "a", "ad", "p", "c", "u", "r", "ul", "uj", "l"}


def _split_items(clause: str) -> list[str]:
    items = [item for item in clause.split("、")]
    if len(items) >= 1:
        last = _LAST_ITEM_SPLIT_RE.split(items[-1], maxsplit=1)
        items = items[:-1] + [part for part in last if part]
    return [item.replace("“", "").replace("”", "").strip() for item in items if item.strip()]


def _trim_first_item(items: list[str]) -> list[str]:
    others = sorted(len(item) for item in items[1:])
    median = others[len(others) // 2]
    first = items[0]
    tagged = segment.tag(first)
    while len(tagged) > 1 and len(first) > median + 1 and tagged[0][1] in _TRIMMABLE_POS:
        first = first[len(tagged[0][0]):]
        tagged = tagged[1:]
    return [first] + items[1:]


def find_expansion(slogan: str, sentence: str) -> list[str]:
    """Components of a numbered slogan where the sentence lists them, else [].

    Three shapes: a list right before the slogan (团结和民主两大主题), a list after it
    introduced by 即 (“1+1+9+N”…，即党组+机关党组+…), and anywhere a list of exactly as many
    items as the numeral, each beginning with the slogan's head (凝聚人心、凝聚共识、…).
    """
    shape = slogan_shape(slogan)
    if shape is None:
        return []
    count, head = shape
    position = sentence.find(slogan)
    if position >= 0 and "+" in slogan:
        after = sentence[position + len(slogan):]
        match = re.match(r"[”\"」]?[^，,。]{0,12}[，,]?\s*即\s*([^，,。；;]+)", after)
        if match:
            items = [item for item in re.split(r"[+＋]", match.group(1)) if item]
            parts = re.split(r"\+", slogan)
            if len(items) >= len(parts) and all(p in items[i] for i, p in enumerate(parts) if p.isdigit() and p != "1"):
                return items
        return []
    if not count or count < 2 or count > 12:
        return []
    if position >= 0:
        before = sentence[:position].rstrip("“\"「的等这共")
        clause = _CLAUSE_SPLIT_RE.split(before)[-1]
        items = _split_items(clause)
        if len(items) == count and all(items):
            return _trim_first_item(items)
        after = sentence[position + len(slogan):]
        match = re.match(r"[”\"」]?[，,：:]?\s*即\s*(.+?)[。；;]", after)
        if match:
            items = [i for i in re.split(r"[，,、]", match.group(1)) if i]
            if len(items) == count:
                return items
    if head and len(head) >= 2:
        for clause in _CLAUSE_SPLIT_RE.split(sentence):
            if clause.count("、") < count - 2:
                continue
            items = _split_items(clause)
            if len(items) != count:
                continue
            first = items[0]
            if head in first:
                items[0] = first[first.index(head):]
            if all(item.startswith(head) and len(item) > len(head) for item in items):
                return items
    return []
