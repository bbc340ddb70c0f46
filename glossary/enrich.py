"""Stage 4: pinyin and English for mined terms, as flat entries the termbase stores."""

from __future__ import annotations

from .english import english_for
from .mine import Term
from .pinyin import to_pinyin


def enrich(term: Term) -> dict:
    pinyin = to_pinyin(term.term)
    english = english_for(term.term, term.category, term.expansion)
    components = []
    for component in english.components:
        component = dict(component)
        component["pinyin"] = to_pinyin(component["zh"]).display if component.get("zh") else ""
        components.append(component)
    return {
        "term": term.term,
        "traditional": term.traditional,
        "variants": term.variants,
        "category": term.category,
        "score": term.score,
        "score_reasons": getattr(term, "score_reasons", ""),  # terms made by hand have none
        "frequency": term.frequency,
        "documents": term.documents,
        "expansion": term.expansion or [c["zh"] for c in components],
        "expansion_source": term.expansion_source or ("reference" if components else ""),
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
        "contexts": [context.to_json() for context in term.contexts],
    }
