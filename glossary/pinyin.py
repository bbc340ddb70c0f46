"""Stage 4a: pinyin a translator can trust.

Phrase-level conversion with pypinyin, its phrase dictionary extended by the domain phrases
in data/pinyin_phrases.tsv (the same words go into the segmenter), citation tones without
sandhi, and a display form following the basic rules of GB/T 16159-2012: syllables of one word
written together, numerals apart from measure words, an apostrophe before a, o or e inside a
word, proper names capitalised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .data import data_lines

NUMERAL_CHARS = set("〇零一二两三四五六七八九十百千万亿双")
MEASURE_CHARS = set("个大项支条种张类届次中位名")
PROPER_POS = {"ns", "nr", "nrt", "nrfg"}
# Words that are always proper names whatever the tagger says (nation, party, places).
_PROPER_PREFIXES = ("中国", "中华", "中共")


@lru_cache(maxsize=1)
def domain_phrase_table() -> dict[str, list[str]]:
    table = {}
    for line in data_lines("pinyin_phrases.tsv"):
        word, syllables = line.split("\t")[:2]
        table[word.strip()] = syllables.split()
    return table


def domain_phrases() -> list[str]:
    return list(domain_phrase_table())


@lru_cache(maxsize=1)
def _pypinyin():
    import pypinyin
    from pypinyin import load_phrases_dict

    load_phrases_dict({word: [[s] for s in syllables] for word, syllables in domain_phrase_table().items()})
    return pypinyin


@lru_cache(maxsize=1)
def _word_splitter():
    """A segmenter with jieba's plain dictionary: orthography needs words, not whole terms."""
    import rjieba

    return rjieba.Jieba()


@dataclass(frozen=True)
class Pinyin:
    marks: str      # liǎng gè wéi hù
    numbers: str    # liang3 ge4 wei2 hu4
    plain: str      # liang ge wei hu
    display: str    # liǎng gè wéihù
    initials: str   # lgwh


def _is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def _words(term: str, tags: list[tuple[str, str]] | None = None) -> list[tuple[str, bool]]:
    """Orthographic words of a term with a proper-name flag (`tags`: the term's tagged words)."""
    words: list[tuple[str, bool]] = []
    for word, pos in (_word_splitter().tag(term) if tags is None else tags):
        proper = ((pos in PROPER_POS and _is_name(word, pos)) or word.startswith(_PROPER_PREFIXES)) \
            and not any(c in NUMERAL_CHARS for c in word)
        # Numerals are written apart from measure words: liǎng gè, shíjiǔ jiè, sì zhōng.
        match = re.match(r"^([〇零一二两三四五六七八九十百千万亿]+)([个项支条种张届次位名大中])(.*)$", word)
        if proper and pos.startswith("nr") and 2 <= len(word) <= 3:
            words.append((word[0], True))  # surname and given name apart: Xí Jìnpíng
            words.append((word[1:], True))
            continue
        if len(word) >= 4 and proper and len(_subwords(word)) > 1:
            words.extend((part, True) for part in _subwords(word))
            continue
        if pos == "ns" and len(word) >= 3 and word[-1] in "省市县州区":
            words.append((word[:-1], True))  # proper and common part apart: Liáoníng Shěng
            words.append((word[-1], True))
            continue
        if match and not proper:
            words.append((match.group(1), False))
            words.append((match.group(2), False))
            if match.group(3):
                words.append((match.group(3), False))
            continue
        if len(word) >= 3:
            parts = _subwords(word)
            if pos == "i" and len(word) == 4 and len(parts) == 2:
                words.append((word, proper))  # a four-character idiom: two halves with a hyphen
                continue
            words.extend((part, proper) for part in parts)
            continue
        words.append((word, proper))
    return words


SEPARATE_CHARS = set("的之和与及")
ADMINISTRATIVE_CHARS = set("省市县州区")


def _is_name(word: str, pos: str) -> bool:
    """jieba tags some common words as names (智慧, 权威); CC-CEDICT writes a proper noun's pinyin
    with a capital and a common word's in lower case, so a word is a name when it has no
    lower-case entry there."""
    from .cedict import cedict

    entries = cedict().lines.get(word)
    if not entries:
        return pos in ("nrfg", "nrt", "ns")  # full personal names and places jieba knows
    return not any(entry[1:2].islower() for entry in entries)


def _subwords(word: str) -> list[str]:
    """Meaning units of a long dictionary word: 政协委员 → 政协 委员 (GB/T 16159 writes them apart).

    Split first around words always written apart (党的领导 → 党 的 领导), then each part into
    the fewest of the segmenter's sub-words; a part that cannot be covered stays whole.
    """
    parts: list[str] = []
    current = ""
    for char in word:
        if char in SEPARATE_CHARS and current and len(word) > 2:
            parts.extend(_cover(current))
            parts.append(char)
            current = ""
        else:
            current += char
    if current:
        parts.extend(_cover(current))
    return parts


def _cover(word: str) -> list[str]:
    if len(word) < 3:
        return [word]
    pieces = {w for w in _word_splitter().cut_for_search(word) if 2 <= len(w) < len(word)}
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(end):
            piece = word[start:end]
            if best[start] is None or not (piece in pieces or piece in ADMINISTRATIVE_CHARS):
                continue
            if best[end] is None or len(best[start]) + 1 < len(best[end]):
                best[end] = best[start] + [piece]
    return best[-1] or [word]


_CITATION = {"一": {"TONE": "yī", "TONE3": "yi1"}, "不": {"TONE": "bù", "TONE3": "bu4"}}


_TONE_NUMBERED_RE = re.compile(r"[a-zv]+[1-5]")


def _tone_numbers_and_marks(text: str) -> tuple[list[str], list[str]]:
    """(liang3 ge4, liǎng gè): one pypinyin pass; the marks are written from the numbers (an
    item with a tone number can only come from a hanzi, anything else stays as it is)."""
    pypinyin = _pypinyin()
    numbers = [item[0] for item in pypinyin.pinyin(text, style=pypinyin.Style.TONE3,
                                                    errors=lambda chars: list(chars), neutral_tone_with_five=True)]
    if len(numbers) == len(text):
        # Citation tones: pypinyin's phrase entries carry tone sandhi for 一 and 不 (进一步 jìnyíbù).
        for index, char in enumerate(text):
            if char in _CITATION:
                numbers[index] = _CITATION[char]["TONE3"]
    marks = [_MARKED.get(item) or _marked(item) for item in numbers]
    return numbers, marks


_MARKED: dict[str, str] = {}  # a few thousand syllables: each converted once


def _marked(item: str) -> str:
    from pypinyin.contrib.tone_convert import to_tone

    marked = _MARKED[item] = to_tone(item) if _TONE_NUMBERED_RE.fullmatch(item) else item
    return marked


def _chain_slogan(term: str) -> bool:
    # 三心两进一流, 一委一品: numeral + one character, repeated; each pair is a word.
    return len(term) >= 4 and len(term) % 2 == 0 and all(term[i] in NUMERAL_CHARS for i in range(0, len(term), 2))


_SPOKEN = {"0": "零", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七", "8": "八",
           "9": "九", "+": "加", "＋": "加"}


def spoken_form(term: str) -> str:
    """How a formula is read aloud: 1+1+9+N → 一加一加九加N (single digits only; longer numbers stay)."""
    if not any(c in _SPOKEN for c in term) or re.search(r"\d\d", term):
        return term
    return "".join(_SPOKEN.get(c, c) for c in term)


def to_pinyin(term: str) -> Pinyin:
    original, term = term, spoken_form(term)
    numbers, marks = _tone_numbers_and_marks(term)
    plain = [_strip_tone(s) for s in marks]
    initials = "".join(p[0] for p, c in zip(plain, term) if _is_hanzi(c) and p)
    return Pinyin(
        marks=" ".join(marks),
        numbers=" ".join(numbers),
        plain=" ".join(plain),
        display=display_form(original, marks),
        initials=initials.lower(),
    )


def display_form(term: str, marks: list[str] | None = None) -> str:
    """Hanyu Pinyin orthography: words together, apostrophes, capitals for proper names."""
    spoken = spoken_form(term)
    if marks is None:
        marks = _tone_numbers_and_marks(spoken)[1]
    if spoken != term:
        return " ".join(marks)  # a formula is read symbol by symbol
    term = spoken
    tags = _word_splitter().tag(term)
    if _chain_slogan(term):
        words = [(term[i:i + 2], False) for i in range(0, len(term), 2)]
    else:
        words = _words(term, tags)
    out = []
    position = 0
    idioms = {w for w, p in tags if p == "i" and len(w) == 4}
    for word, proper in words:
        syllables = marks[position:position + len(word)]
        position += len(word)
        if not syllables:
            continue
        if not all(_is_hanzi(c) for c in word):
            out.append(" ".join(syllables))
            continue
        written = syllables[0]
        for index, syllable in enumerate(syllables[1:], start=1):
            if word in idioms and index == 2:
                written += "-"
            elif _strip_tone(syllable)[:1] in ("a", "o", "e"):
                written += "'"
            written += syllable
        if proper:
            written = written[:1].upper() + written[1:]
        out.append(written)
    return " ".join(out)
