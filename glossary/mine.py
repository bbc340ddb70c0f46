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
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from . import segment
from .clean import CleanDocument, Sentence, cjk_count, to_traditional
from .data import pair_table, word_list

NUMERAL_VALUES = {"一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000}
CLASSIFIERS = "个大项支条种张类"
_NUM = "[二两三四五六七八九十百千]"
_CHAIN_RE = re.compile(r"^(?:[一二两三四五六七八九十双][\u4e00-\u9fff]){2,}$")
_NUM_CLASSIFIER_RE = re.compile(rf"^({_NUM}{{1,3}})([{CLASSIFIERS}])([\u4e00-\u9fff]{{1,8}})$")
_NUM_CHAR_RE = re.compile(rf"^({_NUM}{{1,2}})([\u4e00-\u9fff])$")
_DOUBLE_RE = re.compile(r"^双[\u4e00-\u9fff]{1,3}$")
_FORMULA_RE = re.compile(r"\d+(?:\s*[+＋]\s*(?:\d+|[A-Za-zＮ]))+")
_UNQUOTED_RE = re.compile(rf"(?<![\d一二两三四五六七八九十百千第])({_NUM}{{1,2}})([{CLASSIFIERS}])(?=[\u4e00-\u9fff])")
_MEETING_RE = re.compile(
    r"(?:(?:中共|党的)?(?:[一二三四五六七八九十]+)届(?:[一二三四五六七八九十]+)(?:中|次)全会"
    r"|党的(?:[一二三四五六七八九十]+)大(?![\u4e00-\u9fff]{0,1}(?:学|小|力|会))"
    r"|(?<![\u4e00-\u9fff])(?:[一二三四五六七八九十]+)大精神)"
)
_QUOTED_RE = re.compile(r"[“「『\"]([^“”「」『』\"\n]{2,16})[”」』\"]")
_CHUNK_SPLIT_RE = re.compile(r"[^\u4e00-\u9fff]+")

CATEGORY_SLOGAN = "numbered slogan"
CATEGORY_MEETING = "meeting"
CATEGORY_ORGANISATION = "organisation"
CATEGORY_COINAGE = "quoted coinage"
CATEGORY_TERM = "political term"
CATEGORY_WEIGHTS = {CATEGORY_SLOGAN: 8.0, CATEGORY_MEETING: 4.0, CATEGORY_COINAGE: 2.0,
                    CATEGORY_ORGANISATION: 1.0, CATEGORY_TERM: 1.0}
MAX_TOKENS = 5
MAX_TERM_CHARS = 16


@dataclass(frozen=True)
class MiningSettings:
    min_freq: int = 2
    min_cohesion: float = 2.0
    min_entropy: float = 0.9
    min_specificity: float = 100.0
    min_common_cohesion: float = 7.0
    common_word_frequency: int = 2500
    max_terms: int = 0  # 0: no limit


# --- slogans ---------------------------------------------------------------------------


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
        if head in word_list("count_nouns.txt"):
            return None
        return numeral_value(match.group(1)), head
    match = _NUM_CHAR_RE.match(text)
    if match:
        return numeral_value(match.group(1)), match.group(2)
    if _CHAIN_RE.match(text):
        return None, ""
    if _DOUBLE_RE.match(text):
        rest = text[1:]
        if not segment.in_general_dictionary(text) and (len(rest) == 1 or segment.in_general_dictionary(rest)):
            return 2, rest
    return None


def quoted_strings(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), m.group(1)) for m in _QUOTED_RE.finditer(text)]


def find_slogans(sentence: str) -> list[tuple[str, bool]]:
    """(canonical slogan, quoted?) for each numbered slogan or formula in a sentence."""
    found: list[tuple[str, bool]] = []
    quoted_spans = []
    for start, end, inner in quoted_strings(sentence):
        quoted_spans.append((start, end))
        if slogan_shape(inner):
            found.append((canonical_slogan(inner), True))
    for match in _FORMULA_RE.finditer(sentence):
        if not any(s <= match.start() < e for s, e in quoted_spans) and "+" in match.group(0):
            found.append((canonical_slogan(match.group(0)), False))
    meeting_spans = [m.span() for m in _MEETING_RE.finditer(sentence)]
    for match in _UNQUOTED_RE.finditer(sentence):
        if any(s <= match.start() < e for s, e in quoted_spans + meeting_spans):
            continue
        rest = re.match(r"[\u4e00-\u9fff]+", sentence[match.end():]).group(0)
        tokens = segment.cut(rest)
        head = tokens[0] if tokens else ""
        if len(head) < 2 or head in word_list("count_nouns.txt") or head in word_list("edge_words.txt"):
            continue
        candidate = canonical_slogan(match.group(0) + head)
        if slogan_shape(candidate):
            found.append((candidate, False))
    return found


def find_meetings(sentence: str) -> list[str]:
    """Party congresses and plenums, without the 中共/党的 prefix (one entry for all spellings)."""
    return [re.sub(r"^(中共|党的)(?=.*届)", "", m.group(0)) for m in _MEETING_RE.finditer(sentence)]


# --- counting (map) --------------------------------------------------------------------


@dataclass
class DocumentCounts:
    """Partial counts of one document (or, after merging, of many)."""

    tokens: int = 0
    documents: int = 0
    unigrams: Counter = field(default_factory=Counter)
    ngrams: Counter = field(default_factory=Counter)
    slogans: Counter = field(default_factory=Counter)
    quoted_slogans: Counter = field(default_factory=Counter)
    meetings: Counter = field(default_factory=Counter)
    quoted: Counter = field(default_factory=Counter)

    def add(self, other: "DocumentCounts") -> None:
        """Add another part's counts to these, in place."""
        self.tokens += other.tokens
        self.documents += other.documents
        for name in ("unigrams", "ngrams", "slogans", "quoted_slogans", "meetings", "quoted"):
            getattr(self, name).update(getattr(other, name))

    def subtract(self, other: "DocumentCounts") -> None:
        """Take a part's counts away again (a document two parts both counted)."""
        self.tokens -= other.tokens
        self.documents -= other.documents
        for name in ("unigrams", "ngrams", "slogans", "quoted_slogans", "meetings", "quoted"):
            counter = getattr(self, name)
            counter.subtract(getattr(other, name))
            for key in [k for k, v in getattr(other, name).items() if counter[k] <= 0]:
                del counter[key]

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "documents": self.documents,
            "unigrams": dict(self.unigrams),
            "ngrams": dict(self.ngrams),
            "slogans": dict(self.slogans),
            "quoted_slogans": dict(self.quoted_slogans),
            "meetings": dict(self.meetings),
            "quoted": dict(self.quoted),
        }

    @classmethod
    def from_json(cls, data: dict) -> "DocumentCounts":
        return cls(
            tokens=data["tokens"],
            documents=data["documents"],
            unigrams=Counter(data["unigrams"]),
            ngrams=Counter(data["ngrams"]),
            slogans=Counter(data["slogans"]),
            quoted_slogans=Counter(data["quoted_slogans"]),
            meetings=Counter(data["meetings"]),
            quoted=Counter(data["quoted"]),
        )


BOUNDARY = "\x02"


def minable_sentences(document: CleanDocument) -> Iterable[Sentence]:
    return (s for s in document.sentences if not s.mojibake)


_SLOGAN_HINT_RE = re.compile(r"[二两三四五六七八九十百千双+＋“「『\"]|届")


def count_document(document: CleanDocument) -> DocumentCounts:
    """Map step: the candidate counts of one document."""
    stream, counts = tokenize_document(document)
    counts.add(count_tokens(stream))
    return counts


def tokenize_document(document: CleanDocument) -> tuple[list[str], DocumentCounts]:
    """The document's tokens (BOUNDARY after each run of Chinese characters, so also at the
    end: the tokens of several documents can be counted as one stream) and its counts of
    numbered slogans, meetings and quoted strings. The termbase keeps the tokens rather than
    the n-gram counts: they are several times smaller and `count_tokens` recounts them exactly."""
    counts = DocumentCounts(documents=1)
    cut = segment.cutter()
    stream: list[str] = []
    for sentence in minable_sentences(document):
        text = sentence.text
        if _SLOGAN_HINT_RE.search(text):
            for slogan, quoted in find_slogans(text):
                counts.slogans[slogan] += 1
                if quoted:
                    counts.quoted_slogans[slogan] += 1
            if "届" in text or "大" in text:
                counts.meetings.update(find_meetings(text))
            for _, _, inner in quoted_strings(text):
                if 2 <= len(inner) <= 12 and cjk_count(inner) == len(inner.replace("·", "")):
                    counts.quoted[inner] += 1
        for chunk in _CHUNK_SPLIT_RE.split(text):
            if chunk:
                stream.extend(cut(chunk) if len(chunk) > 1 else (chunk,))
                stream.append(BOUNDARY)
    return stream, counts


@lru_cache(maxsize=1)
def _edge_set() -> frozenset[str]:
    return frozenset(word_list("edge_words.txt")) | {BOUNDARY}


def count_tokens(stream: list[str]) -> DocumentCounts:
    """Tokens and the 1..MAX_TOKENS-grams that neither start nor end with an edge word nor
    cross a BOUNDARY. Most n-grams do one or the other, so they are masked out before they are
    counted; masks, zip and Counter all run at C level."""
    edge = _edge_set()
    counts = DocumentCounts()
    counts.unigrams.update(stream)
    counts.tokens = len(stream) - counts.unigrams.pop(BOUNDARY, 0)
    ngrams = counts.ngrams
    dict.update(ngrams, {token: count for token, count in counts.unigrams.items() if token not in edge})
    at_edge = [token not in edge for token in stream]  # may start or end an n-gram
    inside = [token != BOUNDARY for token in stream]  # may stand inside one
    clear: Iterable[bool] | None = None  # for each start: no BOUNDARY between its ends
    for n in range(2, MAX_TOKENS + 1):
        if n > 2:
            clear = inside[1:] if clear is None else list(map(operator.and_, clear, inside[n - 2:]))
        mask = map(operator.and_, at_edge, at_edge[n - 1:])
        if clear is not None:
            mask = map(operator.and_, mask, clear)
        mask = list(mask)
        # Each column is masked before zip, so only the n-grams kept are ever made.
        raw = Counter(zip(*(itertools.compress(stream[i:], mask) for i in range(n))))
        limit = MAX_TERM_CHARS + n - 1  # characters of the tokens plus the spaces between them
        # n-grams of different lengths never share a key, so plain dict.update adds them.
        dict.update(ngrams, {joined: count for key, count in raw.items() if len(joined := " ".join(key)) <= limit})
    return counts


def merge_counts(parts: Iterable[DocumentCounts]) -> DocumentCounts:
    """Reduce step: add partial counts together (order does not matter)."""
    total = DocumentCounts()
    for part in parts:
        total.add(part)
    return total


# --- scoring ---------------------------------------------------------------------------


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


# --- selection -------------------------------------------------------------------------


@dataclass
class Context:
    document: str
    document_hash: str
    sentence: int
    start: int
    end: int
    text: str
    term_start: int
    traditional: str | None
    quality: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        if not self.quality:
            self.quality = context_quality(self)

    def to_json(self) -> dict:
        data = self.__dict__.copy()
        del data["quality"]
        return data


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


# --- occurrences (second map) ----------------------------------------------------------


@dataclass
class Occurrences:
    """What one document (or several, merged) says about each selected term."""

    frequency: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    traditional: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    contexts: dict[str, list[Context]] = field(default_factory=lambda: defaultdict(list))
    expansions: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    # (term, character) → how often the character stands just left (right) of the term.
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    # Working state of TermLocator: per term, the best example ranks of the leading documents.
    leading_documents: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list), repr=False)
    # Terms no document named from `last_document` on can give an example to, and terms that
    # may join them as names grow.
    closed_terms: set[str] = field(default_factory=set, repr=False)
    closable_terms: set[str] = field(default_factory=set, repr=False)
    last_document: str = field(default="", repr=False)
    # Closable terms by the rank of their last leading document (a heap; entries may be stale),
    # so that closing looks only at the terms that close, not at all of them, per document.
    closing: list[tuple] = field(default_factory=list, repr=False)
    reopened: int = field(default=0, repr=False)  # how often closed terms were opened again


def _automaton(patterns: list[str]):
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(patterns)


class TermLocator:
    """Finds a fixed list of terms in documents: one Aho-Corasick automaton for all of them.

    Counting (frequencies, documents, neighbours) runs over a whole document at once and is
    tallied by C-level Counter passes; examples are looked for sentence by sentence, best
    sentences first, so that a term stops being looked at once it has its examples.
    """

    def __init__(self, terms: list[Term], per_document: int = 3, counts_only: bool = False,
                 neighbours: bool = True, documents_kept: int = 3, counting: bool = True):
        self.counts_only = counts_only
        # A pass after screening takes frequencies and document counts from the screening.
        self.counting = counting
        self._open: tuple | None = None  # (Occurrences, terms left out, automaton, pattern indexes)
        surfaces: dict[str, str] = {}
        for term in terms:
            surfaces[term.term] = term.term
            for variant in term.variants:
                surfaces.setdefault(variant, term.term)
        # Sentences are joined with newlines to be searched at once; no sentence holds one.
        self.patterns = [surface for surface in surfaces if surface and "\n" not in surface]
        self.terms = [surfaces[surface] for surface in self.patterns]  # by pattern index
        self.automaton = _automaton(self.patterns) if self.patterns else None
        # Neighbours feed the boundary test; a pass after screening does not need them.
        wanted = {t.term for t in terms if t.statistical and t.words > 1} if neighbours else set()
        self.neighbour_indexes = frozenset(i for i, term in enumerate(self.terms) if term in wanted)
        slogans = [(t.term, slogan_shape(t.term)) for t in terms if t.category == CATEGORY_SLOGAN]
        self.slogans = [(term, shape) for term, shape in slogans if shape]
        # A sentence is worth an expansion attempt for a slogan when it holds the slogan, or
        # its head word: probes are both, each with the slogans it may stand for.
        probes: dict[str, set[int]] = defaultdict(set)
        for number, (term, (count, head)) in enumerate(self.slogans):
            probes[term].add(number)
            if head and len(head) >= 2 and count:
                probes[head].add(number)
        self.probe_slogans = [sorted(numbers) for numbers in probes.values()]
        self.probe = _automaton(list(probes)) if probes else None
        self.per_document = per_document
        self.documents_kept = documents_kept

    def locate(self, document: CleanDocument, found: Occurrences | None = None) -> Occurrences:
        """Add what one document says about the terms to `found` (a new Occurrences if None)."""
        found = Occurrences() if found is None else found
        if self.automaton is None:
            return found
        sentences = list(minable_sentences(document))
        if not sentences:
            return found
        text = joined_sentences([sentence.text for sentence in sentences])
        if self.counting or self.counts_only:
            self.count(text, found)
        if not self.counts_only:
            self._find_traditional(sentences, found)
            offsets = list(itertools.accumulate((len(sentence.text) + 1 for sentence in sentences), initial=0))
            self._find_examples(text, offsets, sentences, document, found)
            self._find_expansions(text, offsets, sentences, document.name, found)
        return found

    def count(self, text: str, found: Occurrences) -> None:
        """Add the frequencies, the document count, and the neighbours of multiword statistical
        terms in one document's `joined_sentences` to `found`."""
        if self.automaton is None:
            return
        matches = self.automaton.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            return
        terms = self.terms
        found.frequency.update(map(terms.__getitem__, [index for index, _, _ in matches]))
        found.documents.update({terms[index] for index, _, _ in matches})
        wanted = self.neighbour_indexes
        if wanted:
            # Tallied as (term, character) pairs by C-level Counter passes; a newline is a
            # sentence edge (see neighbours()).
            found.left.update([(terms[index], text[start - 1]) for index, start, _ in matches if index in wanted])
            found.right.update([(terms[index], text[end]) for index, _, end in matches if index in wanted])

    def _find_traditional(self, sentences: list[Sentence], found: Occurrences) -> None:
        """How each term is spelled in the traditional sentences (the text is their simplified
        form, character for character), tallied at C level."""
        pairs = [(sentence.text, sentence.traditional) for sentence in sentences if sentence.traditional]
        if not pairs:
            return
        text = joined_sentences([simplified for simplified, _ in pairs])
        original = joined_sentences([traditional for _, traditional in pairs])
        if len(original) != len(text):
            return
        matches = self.automaton.find_matches_as_indexes(text, overlapping=True)
        if not matches:
            return
        indexes, starts, ends = zip(*matches)
        spellings = map(original.__getitem__, map(slice, starts, ends))
        terms, traditional = self.terms, found.traditional
        for (index, spelling), count in Counter(zip(indexes, spellings)).items():
            traditional[terms[index]][spelling] += count

    def _open_automaton(self, found: Occurrences):
        """An automaton for the terms not closed in `found` (closed ones cannot gain examples),
        rebuilt when it would leave out a term that is open again, or when many have closed."""
        closed = found.closed_terms
        cached = self._open
        if cached is None or cached[0] is not found or cached[4] != found.reopened \
                or len(closed) - len(cached[1]) > max(8, (len(self.terms) - len(cached[1])) // 4):
            indexes = [i for i, term in enumerate(self.terms) if term not in closed]
            automaton = _automaton([self.patterns[i] for i in indexes]) if indexes else None
            self._open = cached = (found, frozenset(closed), automaton, indexes, found.reopened)
        return cached[2], cached[3]

    def _find_examples(self, text: str, offsets: list[int], sentences: list[Sentence], document: CleanDocument,
                       found: Occurrences) -> None:
        """The best `per_document` places of each open term in this document, kept as examples
        when the document can still be among the `documents_kept` best."""
        terms, per_document = self.terms, self.per_document
        name = document.name
        document_hash = document.content_hash
        leaders, closed, closable = found.leading_documents, found.closed_terms, found.closable_terms
        if name < found.last_document:  # out of name order: any term may gain again
            closed.clear()
            found.reopened += 1
            closable.update(term for term, leading in leaders.items() if len(leading) >= self.documents_kept)
            found.closing = [(leaders[term][-1], term) for term in closable]
            heapq.heapify(found.closing)
        found.last_document = name
        # No sentence of this document, or of one named after it, can rank above this bar, so a
        # term whose leading documents all rank above it is done (documents come in name order).
        bar = (False, 0, name)
        closing = found.closing
        while closing and closing[0][0] < bar:
            term = heapq.heappop(closing)[1]
            if term in closable and leaders[term][-1] < bar:
                closed.add(term)
                closable.discard(term)
        automaton, indexes = self._open_automaton(found)
        if automaton is None:
            return
        by_sentence: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for index, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            number = bisect.bisect_right(offsets, start) - 1
            by_sentence[number].append((indexes[index], start - offsets[number] - 1))
        ranked = sorted((sentence_quality(sentences[number].text, name, document_hash, sentences[number].start),
                         number) for number in by_sentence)
        places: dict[str, list[tuple]] = defaultdict(list)
        last = per_document - 1
        # Sentences come best first: a term with enough places in better sentences is done.
        for rank, number in ranked:
            sentence = sentences[number]
            for index, start in by_sentence[number]:
                term = terms[index]
                if term in closed:
                    continue
                term_places = places[term]
                if len(term_places) <= last or term_places[last][2] is sentence:
                    term_places.append((rank, start, sentence))
        for term, found_places in places.items():
            found_places.sort(key=_rank_and_start)
            # Only the documents whose best example ranks among the best `documents_kept` can
            # ever give an example (prune_contexts); the others need no Context made at all.
            best = found_places[0][0] + (found_places[0][1],)
            leading = leaders[term]
            if len(leading) >= self.documents_kept and best >= leading[-1]:
                continue
            bisect.insort(leading, best)
            del leading[self.documents_kept:]
            if len(leading) >= self.documents_kept:
                closable.add(term)
                heapq.heappush(found.closing, (leading[-1], term))
            kept = found.contexts[term]
            kept.extend(
                Context(document=name, document_hash=document_hash, sentence=sentence.index, start=sentence.start,
                        end=sentence.end, text=sentence.text, term_start=start, traditional=sentence.traditional,
                        quality=rank + (start,))
                for rank, start, sentence in found_places[:per_document])
            if len(kept) > 30:  # pruning early or late gives the same final choice
                found.contexts[term] = prune_contexts(kept)

    def _find_expansions(self, text: str, offsets: list[int], sentences: list[Sentence], name: str,
                         found: Occurrences) -> None:
        """What each numbered slogan stands for, from the first document by name that lists it;
        looked for in the sentences that hold a slogan or its head word."""
        if self.probe is None:
            return
        probed = self.probe.find_matches_as_indexes(text, overlapping=True)
        if not probed:
            return
        candidates: dict[int, set[int]] = defaultdict(set)
        for index, start, _ in probed:
            candidates[bisect.bisect_right(offsets, start) - 1].update(self.probe_slogans[index])
        expansions = found.expansions
        for number in sorted(candidates):
            text = sentences[number].text
            enumerations = text.count("、")
            for term, (count, head) in (self.slogans[slogan] for slogan in sorted(candidates[number])):
                if term in expansions and expansions[term][1] <= name:
                    continue
                if term not in text and not (head and len(head) >= 2 and head in text
                                             and count and enumerations >= count - 2):
                    continue
                components = find_expansion(term, text)
                if components:
                    expansions[term] = (components, name)


def _rank_and_start(place: tuple) -> tuple:
    return place[0], place[1]


def joined_sentences(texts: list[str]) -> str:
    """A document's sentences searched at once: each after a newline, and one at the end."""
    return "\n" + "\n".join(texts) + "\n"


def _quality(context: Context) -> tuple:
    return context.quality


def sentence_quality(text: str, document: str, document_hash: str, start: int) -> tuple:
    """Sort key for examples: complete sentences of a readable length first, then a fixed order."""
    length = len(text)
    complete = text[-1:] in "。！？!?”"
    return (not complete, max(0, length - 120) + max(0, 15 - length) * 3, document, document_hash, start)


def context_quality(context: Context) -> tuple:
    return sentence_quality(context.text, context.document, context.document_hash, context.start) + (
        context.term_start,)


def prune_contexts(contexts: list[Context], documents: int = 3, per_document: int = 3) -> list[Context]:
    """The best `per_document` contexts of the `documents` documents whose best context ranks
    highest: all `choose_contexts` can ever pick, and the same whatever order parts are merged in."""
    by_document: dict[str, list[Context]] = defaultdict(list)
    for context in sorted(contexts, key=_quality):
        if len(by_document[context.document_hash]) < per_document:
            by_document[context.document_hash].append(context)
    best = sorted(by_document.values(), key=lambda group: group[0].quality)[:documents]
    return [context for group in best for context in group]


def merge_occurrences(parts: Iterable[Occurrences]) -> Occurrences:
    total = Occurrences()
    for part in parts:
        total.frequency.update(part.frequency)
        total.documents.update(part.documents)
        for term, forms in part.traditional.items():
            total.traditional[term].update(forms)
        total.left.update(part.left)
        total.right.update(part.right)
        for term, contexts in part.contexts.items():
            combined = total.contexts.get(term, []) + contexts
            if len(combined) > 30:  # pruning early or late gives the same final choice
                combined = prune_contexts(combined)
            total.contexts[term] = combined
        for term, expansion in part.expansions.items():
            # The same choice whatever order documents are merged in: the first by name.
            if term not in total.expansions or expansion[1] < total.expansions[term][1]:
                total.expansions[term] = expansion
    return total


# --- expansions ------------------------------------------------------------------------

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


def find_expansion(slogan: str, sentence: str) -> list[str]:
    """Components of a numbered slogan where the sentence lists them, else [].

    Three shapes: a list right before the slogan (团结和民主两大主题), a list after it
    introduced by 即 (“1+1+9+N”…，即党组+机关党组+…), and anywhere a list of exactly as many
    items as the numeral, each beginning with the slogan's head (凝聚人心、凝聚共识、…).
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
        clause = _CLAUSE_SPLIT_RE.split(before)[-1]
        items = _split_items(clause)
        if len(items) == count and all(items):
            return _trim_first_item(items)
        after = sentence[position + len(slogan):]
        match = re.match(r"[”\"」]?[，,：:]?\s*即\s*(.+?)[。；;]", after)
        if match:
            items = [i for i in re.split(r"[，,、]", match.group(1)) if i]
            if len(items) == count:
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
            if all(item.startswith(head) and len(item) > len(head) for item in items):
                return items
    return []


# --- the whole mining step -------------------------------------------------------------


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


def choose_contexts(term: str, contexts: list[Context], limit: int = 3) -> list[Context]:
    """Up to `limit` examples for a translator: different documents first, complete and not too long."""
    ordered = sorted(contexts, key=_quality)
    chosen: list[Context] = []
    used_documents: set[str] = set()
    for context in ordered:
        if context.document_hash not in used_documents:
            chosen.append(context)
            used_documents.add(context.document_hash)
            if len(chosen) == limit:
                return chosen
    used_sentences = {(c.document_hash, c.sentence) for c in chosen}
    for context in ordered:
        if (context.document_hash, context.sentence) not in used_sentences:
            chosen.append(context)
            used_sentences.add((context.document_hash, context.sentence))
            if len(chosen) == limit:
                break
    return chosen


def mine_documents(documents: list[CleanDocument], settings: MiningSettings = MiningSettings()) -> list[Term]:
    """Count, merge, select and locate: the whole mining stage in one process."""
    prepare_segmenter()
    counts = merge_counts(count_document(document) for document in documents)
    terms = select_terms(counts, settings)
    occurrences = locate_all(documents, terms)
    return finish_terms(terms, occurrences, settings)


def locate_all(documents: Iterable[CleanDocument], terms: list[Term], counts_only: bool = False,
               neighbours: bool = True) -> Occurrences:
    locator = TermLocator(terms, counts_only=counts_only, neighbours=neighbours)
    found = Occurrences()
    for document in documents:
        locator.locate(document, found)
    return found


def prepare_segmenter() -> str:
    """Segment with jieba's dictionary plus the domain words (reference terms, pinyin phrases),
    so that slogans stay whole; returns the dictionary's fingerprint. The words ship with the
    tool and never come from a termbase: a document is cut the same way whenever it is added,
    so adding documents one build at a time mines what one build of them all would."""
    from .english import reference_terms
    from .pinyin import domain_phrases

    segment.use_words([*reference_terms(), *domain_phrases()])
    return segment.fingerprint()
