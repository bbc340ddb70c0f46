"""Stage 3: mine terms, numbered slogans and their expansions from cleaned documents.

Mining is a map over documents plus a merge of partial counts:

* `count_document` (map) segments one document and counts candidate n-grams with their left
  and right neighbours, numbered slogans, meetings and quoted coinages.
* `merge_counts` (reduce) adds partial counts together; it is associative, so documents can
  be counted in any order, in parallel, or incrementally from a termbase.
* `select_terms` scores the merged candidates (see `score_candidates`) and keeps the terms.
* `find_occurrences` (map again) finds every selected term in each document's sentences for
  frequency, document counts, traditional spellings, context examples and expansions.

The score, documented in the README: for a candidate a of |a| characters, corpus frequency
f(a) and document frequency d(a),

    C-value(a) = log2(|a|) * (f(a) - mean f(b) over longer candidates b that contain a)
    score(a)   = C-value(a) * (1 + log2 d(a)) * weight(category)

and a candidate must pass: f(a) >= min_freq; no edge word at either end (edge_words.txt);
for multiword candidates a cohesion (mean pointwise mutual information of adjacent tokens,
in bits) >= min_cohesion and a boundary entropy (of left and of right neighbours) >=
min_entropy; for single words a specificity (relative frequency in the corpus over relative
frequency in jieba's general dictionary) >= min_specificity.
"""

from __future__ import annotations

import math
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
MAX_TOKENS = 6
MAX_TERM_CHARS = 16


@dataclass(frozen=True)
class MiningSettings:
    min_freq: int = 2
    min_cohesion: float = 2.0
    min_entropy: float = 0.9
    min_specificity: float = 100.0
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
        background, _ = segment.background_frequencies()
        rest = text[1:]
        if text not in background and (len(rest) == 1 or rest in background):
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
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    slogans: Counter = field(default_factory=Counter)
    quoted_slogans: Counter = field(default_factory=Counter)
    meetings: Counter = field(default_factory=Counter)
    quoted: Counter = field(default_factory=Counter)

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "documents": self.documents,
            "unigrams": dict(self.unigrams),
            "ngrams": dict(self.ngrams),
            "left": {f"{k[0]}\t{k[1]}": v for k, v in self.left.items()},
            "right": {f"{k[0]}\t{k[1]}": v for k, v in self.right.items()},
            "slogans": dict(self.slogans),
            "quoted_slogans": dict(self.quoted_slogans),
            "meetings": dict(self.meetings),
            "quoted": dict(self.quoted),
        }

    @classmethod
    def from_json(cls, data: dict) -> "DocumentCounts":
        def pairs(mapping):
            return Counter({tuple(k.split("\t", 1)): v for k, v in mapping.items()})

        return cls(
            tokens=data["tokens"],
            documents=data["documents"],
            unigrams=Counter(data["unigrams"]),
            ngrams=Counter(data["ngrams"]),
            left=pairs(data["left"]),
            right=pairs(data["right"]),
            slogans=Counter(data["slogans"]),
            quoted_slogans=Counter(data["quoted_slogans"]),
            meetings=Counter(data["meetings"]),
            quoted=Counter(data["quoted"]),
        )


BOUNDARY = "\x02"


def minable_sentences(document: CleanDocument) -> Iterable[Sentence]:
    return (s for s in document.sentences if not s.mojibake)


def count_document(document: CleanDocument) -> DocumentCounts:
    """Map step: the candidate counts of one document."""
    counts = DocumentCounts(documents=1)
    edge = set(word_list("edge_words.txt"))
    for sentence in minable_sentences(document):
        text = sentence.text
        for slogan, quoted in find_slogans(text):
            counts.slogans[slogan] += 1
            if quoted:
                counts.quoted_slogans[slogan] += 1
        for meeting in find_meetings(text):
            counts.meetings[meeting] += 1
        for _, _, inner in quoted_strings(text):
            if 2 <= len(inner) <= 12 and cjk_count(inner) == len(inner.replace("·", "")):
                counts.quoted[inner] += 1
        for chunk in _CHUNK_SPLIT_RE.split(text):
            if not chunk:
                continue
            tokens = segment.cut(chunk)
            counts.tokens += len(tokens)
            counts.unigrams.update(tokens)
            _count_ngrams(tokens, edge, counts)
    return counts


def _count_ngrams(tokens: list[str], edge: set[str], counts: DocumentCounts) -> None:
    length = len(tokens)
    for i, first in enumerate(tokens):
        if first in edge:
            continue
        chars = 0
        for j in range(i, min(i + MAX_TOKENS, length)):
            chars += len(tokens[j])
            if chars > MAX_TERM_CHARS:
                break
            last = tokens[j]
            if last in edge or chars < 2:
                continue
            key = " ".join(tokens[i:j + 1])
            counts.ngrams[key] += 1
            counts.left[(key, tokens[i - 1] if i else BOUNDARY)] += 1
            counts.right[(key, tokens[j + 1] if j + 1 < length else BOUNDARY)] += 1


def merge_counts(parts: Iterable[DocumentCounts]) -> DocumentCounts:
    """Reduce step: add partial counts together (order does not matter)."""
    total = DocumentCounts()
    for part in parts:
        total.tokens += part.tokens
        total.documents += part.documents
        for name in ("unigrams", "ngrams", "left", "right", "slogans", "quoted_slogans", "meetings", "quoted"):
            getattr(total, name).update(getattr(part, name))
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
    """Filter and score the statistical candidates of merged counts (module docstring)."""
    background, background_total = segment.background_frequencies()
    total = max(counts.tokens, 1)
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    for (key, neighbour), count in counts.left.items():
        if counts.ngrams[key] >= settings.min_freq:
            left[key][neighbour] += count
    for (key, neighbour), count in counts.right.items():
        if counts.ngrams[key] >= settings.min_freq:
            right[key][neighbour] += count

    kept: dict[str, Candidate] = {}
    vouched = set(_vouched_words())
    for key, frequency in counts.ngrams.items():
        if frequency < settings.min_freq:
            continue
        tokens = tuple(key.split(" "))
        term = "".join(tokens)
        if len(term) < 2 or not _plausible_shape(tokens, term in vouched):
            continue
        candidate = Candidate(term, tokens, frequency, category_of(term))
        candidate.entropy = min(_entropy(left[key]), _entropy(right[key]))
        if len(tokens) == 1:
            if term not in vouched:
                corpus_share = frequency / total
                background_share = (background.get(term, 0) + 1) / background_total
                candidate.specificity = corpus_share / background_share
                if candidate.specificity < settings.min_specificity:
                    continue
        else:
            pmi = 0.0
            for a, b in zip(tokens, tokens[1:]):
                pmi += math.log2(max(counts.ngrams.get(f"{a} {b}", 0), frequency) * total
                                 / (counts.unigrams[a] * counts.unigrams[b]))
            candidate.cohesion = pmi / (len(tokens) - 1)
            if candidate.cohesion < settings.min_cohesion or candidate.entropy < settings.min_entropy:
                continue
        kept[key] = candidate

    # C-value: discount a candidate by the candidates that contain it.
    containers: dict[str, list[str]] = defaultdict(list)
    for key, candidate in kept.items():
        tokens = candidate.tokens
        for i in range(len(tokens)):
            for j in range(i + 1, len(tokens) + 1):
                sub = " ".join(tokens[i:j])
                if sub != key and sub in kept:
                    containers[sub].append(key)
    result = []
    for key, candidate in kept.items():
        longer = containers.get(key, [])
        nested = sum(kept[k].frequency for k in longer) / len(longer) if longer else 0.0
        candidate.cvalue = math.log2(len(candidate.term)) * (candidate.frequency - nested)
        if candidate.cvalue > 0 and candidate.frequency - max((kept[k].frequency for k in longer), default=0) > 0:
            result.append(candidate)
    return result


_FUNCTION_POS = {"d", "ad", "p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "m", "q", "f", "y", "e", "o",
                 "k", "t", "z", "zg", "mq", "rr", "rz"}
_SINGLE_WORD_POS = {"n", "nz", "nt", "j", "l", "vn", "an", "nrt"}
_LIST_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|第[一二三四五六七八九十]+)$")


@lru_cache(maxsize=1)
def _vouched_words() -> frozenset[str]:
    """Words a reference or the domain phrase list already vouches for as terms."""
    from .english import reference_terms
    from .pinyin import domain_phrases

    return frozenset(reference_terms()) | frozenset(domain_phrases())


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

    def to_json(self) -> dict:
        return self.__dict__.copy()


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


def select_terms(counts: DocumentCounts, settings: MiningSettings = MiningSettings()) -> list[Term]:
    """The glossary entries of merged counts, before occurrences are looked up."""
    terms: dict[str, Term] = {}
    for candidate in score_candidates(counts, settings):
        terms[candidate.term] = Term(candidate.term, candidate.category, cvalue=candidate.cvalue)
    for slogan, frequency in counts.slogans.items():
        quoted = counts.quoted_slogans.get(slogan, 0)
        if quoted or frequency >= settings.min_freq or _is_reference(slogan):
            terms[slogan] = Term(slogan, CATEGORY_SLOGAN, cvalue=math.log2(max(len(slogan), 2)) * frequency)
        else:
            terms.setdefault(slogan, Term(slogan, CATEGORY_SLOGAN, cvalue=-1.0))  # decided by expansion
    for meeting, frequency in counts.meetings.items():
        terms[meeting] = Term(meeting, CATEGORY_MEETING, cvalue=math.log2(len(meeting)) * frequency)
    for quoted, frequency in counts.quoted.items():
        if quoted in terms and terms[quoted].category in (CATEGORY_TERM, CATEGORY_ORGANISATION) \
                and not _is_reference(quoted):
            terms[quoted].category = CATEGORY_COINAGE  # a coinage the writers themselves put in quotes
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


def _automaton(patterns: list[str]):
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(patterns)


def find_occurrences(document: CleanDocument, terms: list[Term], max_contexts_per_document: int = 3) -> Occurrences:
    """Map step: frequency, traditional forms, candidate contexts and expansions in one document."""
    found = Occurrences()
    surfaces: dict[str, str] = {}
    for term in terms:
        surfaces[term.term] = term.term
        for variant in term.variants:
            surfaces.setdefault(variant, term.term)
    patterns = list(surfaces)
    if not patterns:
        return found
    automaton = _automaton(patterns)
    name = document.name
    seen_in_document: set[str] = set()
    for sentence in minable_sentences(document):
        for index, start, end in automaton.find_matches_as_indexes(sentence.text, overlapping=True):
            term = surfaces[patterns[index]]
            found.frequency[term] += 1
            seen_in_document.add(term)
            if sentence.traditional:
                found.traditional[term][sentence.traditional[start:end]] += 1
            if len(found.contexts[term]) < max_contexts_per_document * 4:
                found.contexts[term].append(Context(
                    document=name, document_hash=document.content_hash, sentence=sentence.index,
                    start=sentence.start, end=sentence.end, text=sentence.text, term_start=start,
                    traditional=sentence.traditional))
    for term in seen_in_document:
        found.documents[term] += 1
    slogans = [t for t in terms if t.category == CATEGORY_SLOGAN]
    for sentence in minable_sentences(document):
        for term in slogans:
            if term.term in found.expansions:
                continue
            components = find_expansion(term.term, sentence.text)
            if components:
                found.expansions[term.term] = (components, name)
    return found


def merge_occurrences(parts: Iterable[Occurrences]) -> Occurrences:
    total = Occurrences()
    for part in parts:
        total.frequency.update(part.frequency)
        total.documents.update(part.documents)
        for term, forms in part.traditional.items():
            total.traditional[term].update(forms)
        for term, contexts in part.contexts.items():
            total.contexts[term].extend(contexts)
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


def finish_terms(terms: list[Term], occurrences: Occurrences, settings: MiningSettings = MiningSettings()) -> list[Term]:
    """Attach occurrences to terms, drop what the corpus does not support, and rank."""
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

    def quality(context: Context) -> tuple:
        length = len(context.text)
        complete = context.text[-1:] in "。！？!?”"
        too_long = max(0, length - 120)
        too_short = max(0, 15 - length)
        return (not complete, too_long + too_short * 3, context.document, context.start)

    chosen: list[Context] = []
    used_documents: set[str] = set()
    used_sentences: set[tuple[str, int]] = set()
    for context in sorted(contexts, key=quality):
        if context.document in used_documents or (context.document_hash, context.sentence) in used_sentences:
            continue
        chosen.append(context)
        used_documents.add(context.document)
        used_sentences.add((context.document_hash, context.sentence))
        if len(chosen) == limit:
            return chosen
    for context in sorted(contexts, key=quality):
        if (context.document_hash, context.sentence) in used_sentences:
            continue
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
    segment.add_words(t.term for t in terms)
    occurrences = merge_occurrences(find_occurrences(document, terms) for document in documents)
    return finish_terms(terms, occurrences, settings)


def prepare_segmenter() -> None:
    """Domain words into the segmenter before counting, so slogans stay whole."""
    from .english import reference_terms
    from .pinyin import domain_phrases

    segment.add_words(reference_terms())
    segment.add_words(domain_phrases())
