"""Shapes of numbered slogans and formulae (两个维护, 三心两进一流, 1+1+9+N), numerals and the
entry categories: the low-level vocabulary that mining, English drafts and pinyin all share."""

from __future__ import annotations

import re
from functools import lru_cache

from . import segment
from .data import word_list

NUMERAL_VALUES = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000}
CLASSIFIERS = "个大项支条种张类"
_NUM = "[二两三四五六七八九十百千]"
_CHAIN_RE = re.compile(r"^(?:[一二两三四五六七八九十双][\u4e00-\u9fff]){2,}$")
_NUM_CLASSIFIER_RE = re.compile(rf"^({_NUM}{{1,3}})([{CLASSIFIERS}])([\u4e00-\u9fff]{{1,8}})$")
_NUM_CHAR_RE = re.compile(rf"^({_NUM}{{1,2}})([\u4e00-\u9fff])$")
_DOUBLE_RE = re.compile(r"^双[\u4e00-\u9fff]{1,3}$")
_FORMULA_RE = re.compile(r"\d+(?:\s*[+＋]\s*(?:\d+|[A-Za-zＮ]))+")

CATEGORY_SLOGAN = "numbered slogan"
CATEGORY_MEETING = "meeting"
CATEGORY_ORGANISATION = "organisation"
CATEGORY_COINAGE = "quoted coinage"
CATEGORY_TERM = "political term"
CATEGORY_WEIGHTS = {CATEGORY_SLOGAN: 8.0, CATEGORY_MEETING: 4.0, CATEGORY_COINAGE: 2.0,
                    CATEGORY_ORGANISATION: 1.0, CATEGORY_TERM: 1.0}


def numeral_value(text: str) -> int | None:
    """两 → 2, 十 → 10, 二十 → 20, 十九 → 19; None when text is not a Chinese numeral."""
    if not text or any(c not in NUMERAL_VALUES for c in text):
        return None
    if text in ("百", "千"):
        return NUMERAL_VALUES[text]
    if "十" in text:
        tens, _, units = text.partition("十")
        return (NUMERAL_VALUES.get(tens, 1) if tens else 1) * 10 + (NUMERAL_VALUES.get(units, 0) if units else 0)
    return NUMERAL_VALUES[text[0]] if len(text) == 1 else None


def canonical_slogan(text: str) -> str:
    """One key for spelling variants: 二个维护 and 两个维护 are the same slogan."""
    text = re.sub(r"\s+", "", text).replace("＋", "+")
    return re.sub(r"^二(?=[个支条种项])", "两", text)


@lru_cache(maxsize=65536)
def slogan_shape(text: str) -> tuple[int | None, str] | None:
    """(numeral value, head) when text has the shape of a numbered slogan or formula."""
    text = canonical_slogan(text)
    if _FORMULA_RE.fullmatch(text):
        return None, text
    match = _NUM_CLASSIFIER_RE.match(text)
    if match:
        head = match.group(3)
        if head in word_list("count_nouns.txt") or not concept_head(head):
            return None
        return numeral_value(match.group(1)), head
    match = _NUM_CHAR_RE.match(text)
    if match:
        if match.group(2) in word_list("count_nouns.txt"):
            return None  # 五年, 九天, 三甲: a count, a unit or a grade
        return numeral_value(match.group(1)), match.group(2)
    if _CHAIN_RE.match(text):
        return None, ""
    if _DOUBLE_RE.match(text):
        rest = text[1:]
        if rest.endswith(_SYSTEM_SUFFIXES):
            return None  # 双导师制: a dual-something system, a word rather than a numbered slogan
        if not segment.in_general_dictionary(text) and (len(rest) == 1 or segment.in_general_dictionary(rest)):
            return 2, rest
    return None


_SYSTEM_SUFFIXES = ("制", "型", "性", "化", "式")
_AMOUNT_RE = re.compile(r"[\d０-９万亿元%％第]")
_NOT_CONCEPT_TAGS = {"m", "q", "t", "nr", "nrt", "nrfg", "ns", "mq"}


def concept_head(head: str) -> bool:
    """Whether the head of a numbered phrase can name a concept: not an amount or rank
    (两个万亿元, 十个全国第一), not a unit or time, not a person or place."""
    if _AMOUNT_RE.search(head) or head.startswith("半"):
        return False  # 两个半小时: two and a half hours
    words = segment.cut(head)
    return bool(words) and segment.part_of_speech(words[0]) not in _NOT_CONCEPT_TAGS
