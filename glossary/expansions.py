"""What a numbered slogan stands for, where the sentence itself lists its components."""

from __future__ import annotations

import re

from . import segment
from .data import word_list
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


_CONJUNCTION_END_RE = re.compile(r"(?:以及|和|与|及|或|、|同)$")
_SLOGAN_INSIDE_RE = re.compile(r"[一二两三四五六七八九十\d][个大项条种类支]")
_MODIFIER_POS = {"a", "ad", "d", "b", "z"}
_LEADING_POS = {"v", "vd", "d", "ad", "p", "c"}
_VERB_POS = {"v", "vd"}
_NUMERALS_RE = re.compile(r"[\d〇零一二三四五六七八九十百千万]+年?")
_INTRODUCED_AFTER_RE = re.compile(r"[”\"」]?[，,：:]?\s*(?:即|是指|指的是|就是|：|:)\s*(.+?)[。；;]")


def _strip_leading(item: str, head: str = "") -> str:
    """守住安全底线 → 安全底线: leading verbs and adverbs go, while more than a word (and more
    than the slogan's head: 看齐意识 stays) is left."""
    tagged = segment.tag(item)
    edge = set(word_list("edge_words.txt"))
    if tagged and len(tagged[0][0]) >= 4 and tagged[0][0][:2] in edge:  # 深入开展 as one word
        tagged = [(tagged[0][0][:2], "v"), (tagged[0][0][2:], "v")] + tagged[1:]
    while len(tagged) > 1 and (tagged[0][1] in _LEADING_POS or tagged[0][0] in edge) \
            and len(item) - len(tagged[0][0]) > len(head):
        item = item[len(tagged[0][0]):]
        tagged = tagged[1:]
    return item


def _listed_before(items: list[str], head: str) -> list[str]:
    """A list right before the slogan, checked: it names things (not modifiers, not a clause
    ending in a verb or preposition), holds no other numbered phrase; leading verbs stripped."""
    if any(_SLOGAN_INSIDE_RE.search(item) or len(item) > 16 for item in items):
        return []
    if head and all(item.startswith(head) for item in items):
        return items
    if head and all(item.endswith(head) for item in items):
        return [_strip_leading(item, head) for item in items]
    if len(head) == 1:
        return []  # 六学, 三通: a one-character head is what the items share, or no list of them
    edge = set(word_list("edge_words.txt")) - {"的"}
    if any(word in edge for item in items for word in segment.cut(_strip_leading(item))[1:]):
        return []  # 工作人员要深刻领悟: a clause, not an item
    last_tags = [tag for _, tag in segment.tag(items[-1])]
    if last_tags and last_tags[-1] in {"v", "p", "c", "u", "uj", "d", "r", "f"}:
        return []
    if all(len(segment.cut(item)) == 1 and segment.part_of_speech(item) in _MODIFIER_POS | _VERB_POS
           for item in items):
        return []  # 全面、直接、双向“三通”, 坚持和落实“两个毫不动摇”: how, not what
    if any(_NUMERALS_RE.fullmatch(item) for item in items):
        return []  # 一九八一、一九八二两个年度计划: years, not components
    lengths = sorted(len(_strip_leading(item)) for item in items)
    if lengths[-1] > 6 and lengths[-1] > 3 * lengths[0]:
        return []  # 中央政府全力支持香港、澳门: one item carries the sentence around the list
    stripped = [_strip_leading(item) for item in items]
    return stripped if all(len(item) >= 2 or item == original for item, original in zip(stripped, items)) else []


def find_expansion(slogan: str, sentence: str) -> list[str]:
    """Components of a numbered slogan where the sentence lists them, else [] (none rather
    than a wrong one).

    Three shapes: a list right before the slogan (团结和民主两大主题; not when the slogan is
    itself the last item of a list: 马列主义、毛泽东思想、邓小平理论和“三个代表”), a list after
    it introduced by 即, 是指 or a colon (“1+1+9+N”…，即党组+机关党组+…), and a list of exactly
    as many items as the numeral, each sharing the slogan's head (凝聚人心、凝聚共识、…).
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
        if not _CONJUNCTION_END_RE.search(before):
            clause = _CLAUSE_SPLIT_RE.split(before)[-1]
            items = _split_items(clause)
            if len(items) == count and all(items):
                listed = _listed_before(items, head)
                if listed:
                    return listed
        after = sentence[position + len(slogan):]
        match = _INTRODUCED_AFTER_RE.match(after)
        if match:
            items = [_strip_leading(i) for i in re.split(r"[，,、]", match.group(1)) if i]
            if len(items) == count and not any(_SLOGAN_INSIDE_RE.search(item) for item in items):
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
            last = items[-1]
            if "的" in last and not any("的" in item for item in items[:-1]):
                items[-1] = last[:last.index("的")]  # 全面从严治党的战略布局: the list ends at 的
            if all(item.startswith(head) and len(item) > len(head) for item in items):
                return items
    return []
