"""Stage 3: mine terms, numbered slogans and their expansions from cleaned documents.

Mining is a map over documents plus a merge of partial counts:

* `count_document` (map) segments one document and counts candidate n-grams, numbered
  slogans, meetings and quoted coinages.
* `merge_counts` (reduce) adds partial counts together; it is associative, so documents can
  be counted in any order, in parallel, or incrementally from a termbase.
* `select_terms` scores the merged candidates (see `score_candidates`) and keeps the terms.
* `TermLocator.locate` (map again) finds every candidate in each document's sentences (one
  Aho-Corasick pass) for frequency, document counts, the characters left and right of it,
  traditional spellings, context examples and expansions.
* `finish_terms` applies the boundary test and C-value to the located candidates and ranks them.

The score, documented in the README: for a candidate a of |a| characters, corpus frequency
f(a) and document frequency d(a),

    C-value(a) = log2(|a|) * (f(a) - mean f(b) over longer candidates b that contain a)
    score(a)   = C-value(a) * (1 + log2 d(a)) * weight(category)

and a candidate must pass: f(a) >= min_freq; no edge word at either end (edge_words.txt);
for multiword candidates a cohesion (mean pointwise mutual information of adjacent tokens,
in bits) >= min_cohesion and a boundary entropy (of the characters left and of those right of
its occurrences, a sentence edge counting as a new character each time) >= min_entropy; for
single words a specificity (relative frequency in the corpus over relative frequency in
jieba's general dictionary) >= min_specificity. Frequencies are occurrences of the string in
sentences free of mojibake.

The stages live in their own modules, re-exported here: `shapes` (numerals, slogan shapes,
categories), `slogans` (slogans, meetings and quotations in a sentence), `counting` (map and
merge of partial counts), `scoring` (candidates, screening, ranking), `locate` (occurrences,
contexts), `expansions` (what a numbered slogan stands for).
"""

from __future__ import annotations

from . import segment  # noqa: F401  (glossary.mine.segment is used by callers)
from .clean import CleanDocument, to_traditional  # noqa: F401
from .counting import (BOUNDARY, MAX_TERM_CHARS, MAX_TOKENS, DocumentCounts, count_document,  # noqa: F401
                       count_tokens, merge_counts, minable_sentences, tokenize_document)
from .expansions import find_expansion  # noqa: F401
from .locate import (Context, Occurrences, TermLocator, choose_contexts, context_quality,  # noqa: F401
                     joined_sentences, locate_all, merge_occurrences, prune_contexts, sentence_quality)
from .scoring import (Candidate, MiningSettings, Term, category_of, finish_terms, frequency_floors,  # noqa: F401
                      neighbours, score_candidates, screen_terms, select_terms)
from .shapes import (CATEGORY_COINAGE, CATEGORY_MEETING, CATEGORY_ORGANISATION, CATEGORY_SLOGAN,  # noqa: F401
                     CATEGORY_TERM, CATEGORY_WEIGHTS, CLASSIFIERS, NUMERAL_VALUES, canonical_slogan,
                     numeral_value, slogan_shape)
from .slogans import find_meetings, find_slogans, quoted_strings  # noqa: F401


def mine_documents(documents: list[CleanDocument], settings: MiningSettings = MiningSettings()) -> list[Term]:
    """Count, merge, select and locate: the whole mining stage in one process."""
    prepare_segmenter()
    counts = merge_counts(count_document(document) for document in documents)
    terms = select_terms(counts, settings)
    occurrences = locate_all(documents, terms)
    return finish_terms(terms, occurrences, settings, corpus_tokens=counts.tokens)


def prepare_segmenter() -> str:
    """Segment with jieba's dictionary plus the domain words (reference terms, pinyin phrases),
    so that slogans stay whole; returns the dictionary's fingerprint. The words ship with the
    tool and never come from a termbase: a document is cut the same way whenever it is added,
    so adding documents one build at a time mines what one build of them all would."""
    from .english import reference_terms
    from .pinyin import domain_phrases

    segment.use_words([*reference_terms(), *domain_phrases()])
    return segment.fingerprint()
