"""Mining, selection: score the merged candidate counts, screen them on their occurrences
(boundary entropy, C-value) and rank the finished terms. See glossary.mine for the formula."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import segment
from .clean import to_traditional
from .counting import BOUNDARY, DocumentCounts
from .data import pair_table, word_list
from .locate import Context, Occurrences, choose_contexts
from .shapes import (CATEGORY_COINAGE, CATEGORY_MEETING, CATEGORY_ORGANISATION, CATEGORY_SLOGAN, CATEGORY_TERM,
                     CATEGORY_WEIGHTS)

@dataclass(frozen=True)
class MiningSettings:
    min_freq: int = 2
    min_cohesion: float = 2.0
    min_entropy: float = 0.9
    min_specificity: float = 100.0
    min_common_cohesion: float = 7.0
    common_word_frequency: int = 2500
    max_terms: int = 0  # 0: no limit


@dataclass
class Candidate:
    term: str
    tokens: tuple[str, ...]
    frequency: int
    category: str
    cohesion: float = 0.0
    entropy: float = 0.0
    specificity: float = 0.0
    cvalue: float = 0.0


def _entropy(counter: Counter) -> float:
    total = sum(counter.values())
    if total == 0:
        return 0.0
    entropy = 0.0
    for neighbour, count in counter.items():
        if neighbour == BOUNDARY:
            # Every sentence edge is a different context.
            for _ in range(count):
                p = 1 / total
                entropy -= p * math.log2(p)
        else:
            p = count / total
            entropy -= p * math.log2(p)
    return entropy


def category_of(term: str) -> str:
    best = ""
    category = CATEGORY_TERM
    for suffix, name in pair_table("category_heads.tsv"):
        if term.endswith(suffix) and len(suffix) > len(best) and term != suffix or term == suffix and len(suffix) > len(best):
            best, category = suffix, name
    return category


def score_candidates(counts: DocumentCounts, settings: MiningSettings) -> list[Candidate]:
    """The statistical candidates of merged counts that pass frequency, shape, cohesion and
    specificity; the boundary test and C-value need their occurrences (finish_terms)."""
    background, background_total = segment.background_frequencies()
    total = max(counts.tokens, 1)
    result: list[Candidate] = []
    vouched = _vouched_words()
    for key, frequency in counts.ngrams.items():
        if frequency < settings.min_freq:
            continue
        tokens = tuple(key.split(" "))
        term = "".join(tokens)
        if len(term) < 2 or not _plausible_shape(tokens, term in vouched):
            continue
        candidate = Candidate(term, tokens, frequency, category_of(term))
        if len(tokens) == 1:
            if term not in vouched:
                corpus_share = frequency / total
                background_share = (background.get(term, 0) + 1) / background_total
                candidate.specificity = corpus_share / background_share
                # A two-character word is most often ordinary language: ask three times more.
                needed = settings.min_specificity * (3 if len(term) == 2 else 1)
                if candidate.specificity < needed:
                    continue
        else:
            pmi = 0.0
            for a, b in zip(tokens, tokens[1:]):
                pmi += math.log2(max(counts.ngrams.get(f"{a} {b}", 0), frequency) * total
                                 / (counts.unigrams[a] * counts.unigrams[b]))
            candidate.cohesion = pmi / (len(tokens) - 1)
            if candidate.cohesion < settings.min_cohesion:
                continue
            # Two everyday words side by side (改革任务, 学习培训) are a collocation, not a term,
            # unless they stick together far more than chance.
            if term not in vouched and candidate.cohesion < settings.min_common_cohesion and all(
                    background.get(t, 0) >= settings.common_word_frequency for t in tokens):
                continue
        result.append(candidate)
    return result


def _apply_cvalue(terms: list["Term"], frequency: Counter) -> None:
    """C-value: discount each statistical term by the longer statistical terms containing it."""
    import ahocorasick_rs

    strings = [t.term for t in terms]
    if not strings:
        return
    automaton = ahocorasick_rs.AhoCorasick(strings)
    containers: dict[str, list[str]] = defaultdict(list)
    for longer in strings:
        for index, _, _ in automaton.find_matches_as_indexes(longer, overlapping=True):
            if strings[index] != longer:
                containers[strings[index]].append(longer)
    for term in terms:
        longer = containers.get(term.term, [])
        own = frequency.get(term.term, 0)
        nested = sum(frequency.get(k, 0) for k in longer) / len(longer) if longer else 0.0
        independent = own - max((frequency.get(k, 0) for k in longer), default=0)
        term.cvalue = math.log2(len(term.term)) * (own - nested) if independent > 0 else 0.0


_FUNCTION_POS = {"d", "ad", "p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "m", "q", "f", "y", "e", "o",
                 "k", "t", "z", "zg", "mq", "rr", "rz"}
_SINGLE_WORD_POS = {"n", "nz", "nt", "j", "l", "vn", "an", "nrt"}
_LIST_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|第[一二三四五六七八九十]+)$")


@lru_cache(maxsize=1)
def _vouched_words() -> frozenset[str]:
    """Words the reference translations already vouch for as terms."""
    from .english import reference_terms

    return frozenset(reference_terms())


def _plausible_shape(tokens: tuple[str, ...], vouched: bool) -> bool:
    """Part-of-speech shape of a term: no function word at an edge, no bare verbs or adverbs."""
    if vouched:
        return True
    if any(_LIST_MARKER_RE.match(t) for t in tokens):
        return False
    tags = [segment.part_of_speech(t) for t in tokens]
    if len(tokens) == 1:
        word, tag = tokens[0], tags[0]
        if tag == "?":
            return len(word) >= 3 and word in segment.added_words()
        return tag in _SINGLE_WORD_POS
    if tags[0] in _FUNCTION_POS or tags[-1] in _FUNCTION_POS:
        return False
    if "c" in tags[1:-1]:
        return False
    if tags[0] == "v" and len(tokens) >= 3:
        return False
    if "uj" in tags and len(tokens) > 3:
        return False
    edge = set(word_list("edge_words.txt"))
    if any(t in edge and t != "的" for t in tokens[1:-1]):
        return False
    return True



@dataclass
class Term:
    term: str
    category: str
    score: float = 0.0
    frequency: int = 0
    documents: int = 0
    traditional: str = ""
    variants: list[str] = field(default_factory=list)
    expansion: list[str] = field(default_factory=list)
    expansion_source: str = ""
    contexts: list[Context] = field(default_factory=list)
    cvalue: float = 0.0
    statistical: bool = False  # a mined n-gram: must pass the boundary test and C-value
    scored_by_frequency: bool = False  # a reference term: log2(length) × frequency
    words: int = 1  # segmenter words in a statistical term; one word has its boundaries already


def select_terms(counts: DocumentCounts, settings: MiningSettings = MiningSettings()) -> list[Term]:
    """The glossary entries of merged counts, before occurrences are looked up."""
    terms: dict[str, Term] = {}
    for candidate in score_candidates(counts, settings):
        terms[candidate.term] = Term(candidate.term, candidate.category, statistical=True,
                                     words=len(candidate.tokens))
    for slogan, frequency in counts.slogans.items():
        quoted = counts.quoted_slogans.get(slogan, 0)
        if quoted or frequency >= settings.min_freq or _is_reference(slogan):
            terms[slogan] = Term(slogan, CATEGORY_SLOGAN, cvalue=math.log2(max(len(slogan), 2)) * frequency)
        else:
            terms.setdefault(slogan, Term(slogan, CATEGORY_SLOGAN, cvalue=-1.0))  # decided by expansion
    for reference in _vouched_words():
        # Established terms the reference knows are worth an entry wherever the corpus has them;
        # those it does not have are dropped when no occurrence is found.
        terms.setdefault(reference, Term(reference, category_of(reference), scored_by_frequency=True))
    for meeting, frequency in counts.meetings.items():
        terms[meeting] = Term(meeting, CATEGORY_MEETING, cvalue=math.log2(len(meeting)) * frequency)
    for quoted, frequency in counts.quoted.items():
        if quoted in terms and terms[quoted].category in (CATEGORY_TERM, CATEGORY_ORGANISATION) \
                and not _is_reference(quoted):
            terms[quoted].category = CATEGORY_COINAGE  # a coinage the writers themselves put in quotes
            terms[quoted].statistical = False
            terms[quoted].cvalue = math.log2(len(quoted)) * frequency
            continue
        if quoted in terms or len(quoted) < 3:
            continue
        if frequency >= settings.min_freq or len(quoted) <= 8 and _looks_like_name(quoted):
            terms[quoted] = Term(quoted, CATEGORY_COINAGE, cvalue=math.log2(len(quoted)) * frequency)
    return list(terms.values())


def _is_reference(term: str) -> bool:
    from .english import reference_entry

    return reference_entry(term) is not None


def _looks_like_name(text: str) -> bool:
    """A quoted name (书香政协, 连心汇) rather than a quoted phrase (做出了什么效果)."""
    background, _ = segment.background_frequencies()
    if text in background:
        return False
    tags = [segment.part_of_speech(word) for word in segment.cut(text)]
    return not any(tag in _FUNCTION_POS for tag in tags)


def neighbours(pairs: Counter) -> dict[str, Counter]:
    """Per term, the characters next to it; a newline (the edge of a sentence) is BOUNDARY."""
    by_term: dict[str, Counter] = defaultdict(Counter)
    for (term, character), count in pairs.items():
        by_term[term][BOUNDARY if character == "\n" else character] += count
    return by_term


def screen_terms(terms: list[Term], occurrences: Occurrences, settings: MiningSettings = MiningSettings()
                 ) -> list[Term]:
    """Drop candidates the corpus does not support: statistical ones failing frequency, the
    boundary test or C-value, and any term never found. Needs only frequencies and neighbours,
    so a build screens with a cheap counting pass before looking for contexts."""
    left, right = neighbours(occurrences.left), neighbours(occurrences.right)
    statistical = [t for t in terms if t.statistical and occurrences.frequency.get(t.term, 0) >= settings.min_freq
                   and (t.words == 1 or min(_entropy(left.get(t.term, Counter())),
                                            _entropy(right.get(t.term, Counter()))) >= settings.min_entropy)]
    _apply_cvalue(statistical, occurrences.frequency)
    passed = {t.term for t in statistical if t.cvalue > 0}
    return [t for t in terms if (not t.statistical or t.term in passed) and occurrences.frequency.get(t.term, 0)]


def finish_terms(terms: list[Term], occurrences: Occurrences, settings: MiningSettings = MiningSettings(),
                 screened: bool = False) -> list[Term]:
    """Attach occurrences to terms, drop what the corpus does not support, and rank."""
    if not screened:
        terms = screen_terms(terms, occurrences, settings)
    finished = []
    for term in terms:
        frequency = occurrences.frequency.get(term.term, 0)
        if frequency == 0:
            continue
        if term.term in occurrences.expansions:
            term.expansion, source = occurrences.expansions[term.term]
            term.expansion_source = f"corpus: {source}"
        if term.cvalue < 0:  # an unquoted numbered phrase is a slogan only when something vouches
            if not term.expansion:
                continue
            term.cvalue = math.log2(len(term.term)) * frequency
        if term.scored_by_frequency:
            term.cvalue = math.log2(max(len(term.term), 2)) * frequency
        term.frequency = frequency
        term.documents = occurrences.documents.get(term.term, 0)
        forms = occurrences.traditional.get(term.term)
        term.traditional = forms.most_common(1)[0][0] if forms else to_traditional(term.term)
        term.variants = sorted(set(term.variants) | ({term.traditional} - {term.term}))
        term.contexts = choose_contexts(term.term, occurrences.contexts.get(term.term, []))
        term.score = round(max(term.cvalue, 0.1) * (1 + math.log2(max(term.documents, 1)))
                           * CATEGORY_WEIGHTS.get(term.category, 1.0), 3)
        finished.append(term)
    finished.sort(key=lambda t: (-t.score, -t.frequency, t.term))
    if settings.max_terms:
        finished = finished[: settings.max_terms]
    return finished
