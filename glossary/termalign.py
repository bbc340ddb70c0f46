"""Term alignment: the English equivalent of each termbase entry in a translation memory.

For every entry found on the Chinese side of the memory's sentence pairs, each pair that holds
it proposes the English span that best translates it, scored on three kinds of evidence:

- association over the whole memory: how many of the entry's pairs hold the same English
  words (Dice's coefficient against the rarest word's pair count), so that a rendering the
  translator used again and again wins over words that are everywhere;
- the dictionary: how much of the span CC-CEDICT gives for the entry's words, and how many of
  the entry's words find a translation in the span;
- names: the span spelled as the entry's pinyin (王毅 → Wang Yi).

Dictionary coverage is counted per sense: a span holding one word of "joint declaration" covers
half of 联合声明. Words the memory keeps with the term stand in only for words the dictionary
cannot match, and once the dictionary accounts for the whole term an unexplained word at the
span's edge (a name after a title, "48th session of") counts against it.

The spans proposed by the pairs are then completed where most of them stop before the same
English word (joint → joint statement) and counted by their stems (partnership, partnerships):
the most frequent is the candidate, with its count, the other candidates, an example pair, and a
confidence that grows with the number of pairs and their agreement. An entry seen in one pair only has a low confidence: its candidate
is shown, never made the English.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import STOPWORDS, chinese_words, sense_stems_of, senses_of, stem

MAX_PAIRS_PER_TERM = 40   # pairs read per entry: enough to count renderings, bounded time
MIN_PAIRS_FOR_ENGLISH = 2
_CHUNK_RE = re.compile(r"[,;:.!?()\[\]“”\"‘’—–/]+\s|[;:!?()\[\]“”\"—–]|,|\.$|\s[‘']|['’]\s|^['‘]")
_WORD_RE = re.compile(r"[^\W_][\w'’\-]*")
# Characters whose CC-CEDICT senses are grammar, not content: never required in the English.
_FUNCTION_CHARACTERS = set("的之和与及了在是对把被将为以于等着过而也都就")


@dataclass
class Candidate:
    english: str
    count: int
    example_zh: str = ""
    example_en: str = ""


@dataclass
class TermEquivalent:
    term: str
    pairs: int                           # pairs of the memory holding the term
    read: int                            # pairs read (at most MAX_PAIRS_PER_TERM)
    candidates: list[Candidate] = field(default_factory=list)
    confidence: float = 0.0
    complete: bool = True     # the top candidate accounts for every word of the term

    @property
    def level(self) -> str:
        if self.pairs < MIN_PAIRS_FOR_ENGLISH or self.confidence < 0.4 or not self.complete:
            return "low"
        return "high" if self.confidence >= 0.6 and self.pairs >= 3 else "medium"

    @property
    def usable(self) -> bool:
        return bool(self.candidates) and self.level != "low"

    def describe(self, memory: str) -> str:
        top = self.candidates[0]
        return (f"{memory}: {top.count} of {self.read} aligned pairs"
                + (f" read ({self.pairs} hold the term)" if self.read < self.pairs else "")
                + f"; confidence {self.confidence:.2f} ({self.level})")

    def to_json(self) -> dict:
        return {"pairs": self.pairs, "read": self.read, "confidence": self.confidence, "level": self.level,
                "complete": self.complete,
                "candidates": [c.__dict__ for c in self.candidates[:5]]}


@lru_cache(maxsize=200_000)
def _stem_of(word: str) -> str | None:
    """The stem of a lower-case word, None for a function word."""
    if word in STOPWORDS or (word.endswith("'s") and word[:-2] in STOPWORDS):
        return None
    return stem(word[:-2] if word.endswith("'s") else word)


class _EnglishSide:
    """One English sentence cut into words, with the chunks no rendering crosses."""

    __slots__ = ("text", "words", "spans", "stems", "lower", "chunks")

    def __init__(self, text: str):
        self.text = text
        self.words, self.spans, self.chunks = [], [], []
        chunk = 0
        position = 0
        for match in _WORD_RE.finditer(text):
            between = text[position:match.start()]
            if between != " " and self.words and between.strip() and _CHUNK_RE.search(" " + between + " "):
                chunk += 1
            word = match.group().rstrip("'’-")
            if word[-2:] in ("'s", "’s") and len(word) > 2:
                word = word[:-2]  # Wang Yi’s attendance: the name is Wang Yi
            self.words.append(word)
            self.spans.append((match.start(), match.start() + len(word)))
            self.chunks.append(chunk)
            position = match.end()
        self.lower = [w.lower().replace("’", "'") for w in self.words]
        self.stems = [_stem_of(w) for w in self.lower]

    def phrase(self, start: int, end: int) -> str:
        return self.text[self.spans[start][0]:self.spans[end - 1][1]]


class _TermEvidence:
    """What the dictionary and pinyin say the English of one term may contain."""

    def __init__(self, term: str, reference: str | None, pinyin: str | None,
                 learned: dict[str, set[str]] | None = None):
        learned = learned or {}
        words = [w for w in chinese_words(term) if re.match(r"[\u3400-\u9fff]", w)]
        self.word_glosses: list[frozenset[str]] = []
        # Per word, its senses: a span that gives one word of "joint declaration" covers half of 联合声明.
        self.word_senses: list[tuple[frozenset[str], ...]] = []
        self.glosses: set[str] = set()
        for word in words:
            glosses = set(sense_stems_of(word)) | learned.get(word, set())
            senses = senses_of(word) + ((frozenset(learned[word]),) if word in learned else ())
            if len(word) > 1 and not glosses:
                for character in word:
                    glosses |= sense_stems_of(character)
                senses = tuple(frozenset({g}) for g in glosses)
            self.glosses |= glosses
            if word not in _FUNCTION_CHARACTERS and glosses:
                self.word_glosses.append(frozenset(glosses))
                self.word_senses.append(senses or tuple(frozenset({g}) for g in glosses))
        self.reference: set[str] = set()
        if reference:
            from .lexicon import english_stems

            self.reference = set(english_stems(reference))
            self.glosses |= self.reference
        self.pinyin = re.sub(r"[^a-z]", "", (pinyin or "").lower())
        self.max_words = min(9, max(2, len(term) + 1))   # content words; function words come free
        self.associated: set[str] = set()
        self.coverage: dict[tuple, float] = {}   # _coverage of the spans scored, by their stems


def _candidate_spans(side: _EnglishSide, max_words: int):
    words, chunks, stems = side.words, side.chunks, side.stems
    count = len(words)
    for start in range(count):
        if stems[start] is None:
            continue
        content = 0
        for end in range(start + 1, min(count, start + 2 * max_words) + 1):
            if chunks[end - 1] != chunks[start]:
                break
            if stems[end - 1] is None:
                continue
            content += 1
            if content > max_words:
                break
            yield start, end


def align_terms(pairs: list[tuple[str, str]], terms: list[str], references: dict[str, str] | None = None,
                pinyin: dict[str, str] | None = None) -> dict[str, TermEquivalent]:
    """The English equivalent of each of `terms` found on the Chinese side of `pairs`."""
    import ahocorasick_rs

    references = references or {}
    pinyin = pinyin or {}
    patterns = sorted({t for t in terms if t})
    if not patterns or not pairs:
        return {}
    automaton = ahocorasick_rs.AhoCorasick(patterns)
    holding: dict[str, list[int]] = defaultdict(list)
    for number, (zh, _) in enumerate(pairs):
        for index in {index for index, _, _ in automaton.find_matches_as_indexes(zh, overlapping=True)}:
            holding[patterns[index]].append(number)
    # How many pairs hold each English word: association is measured against the rarest word.
    sides: dict[int, _EnglishSide] = {}
    needed = sorted({n for numbers in holding.values() for n in _spread(numbers)})
    document_frequency: Counter = Counter()
    stem_frequency: Counter = Counter()
    for number, (_, en) in enumerate(pairs):
        document_frequency.update({w.rstrip("'-") for w in _WORD_RE.findall(en.lower().replace("’", "'"))})
    for word, count in document_frequency.items():
        word_stem = _stem_of(word)
        if word_stem:
            stem_frequency[word_stem] += count  # two forms of a word in one pair count twice: near enough
    by_text: dict[str, _EnglishSide] = {}
    for number in needed:
        text = pairs[number][1]
        side = by_text.get(text)
        if side is None:
            side = by_text[text] = _EnglishSide(text)
        sides[number] = side
    chinese_side: dict[int, list[tuple[int, int, frozenset]]] = {}
    results: dict[str, TermEquivalent] = {}
    # Shorter terms first: what the memory says a short term is helps with the longer ones that
    # hold it (分队 → unit, then 医疗分队 → medical unit).
    learned: dict[str, set[str]] = {}
    for term, numbers in sorted(holding.items(), key=lambda item: (len(item[0]), item[0])):
        evidence = _TermEvidence(term, references.get(term), pinyin.get(term), learned)
        read = _spread(numbers)
        # Association: how many of the term's pairs hold each phrase.
        held: Counter = Counter()
        stems_held: Counter = Counter()
        spans: dict[int, list[tuple[int, int, tuple]]] = {}
        for number in read:
            side = sides[number]
            found = spans[number] = [(s, e, _stem_key(side, s, e)) for s, e in _candidate_spans(side, evidence.max_words)]
            held.update({key for _, _, key in found})
            stems_held.update({s for s in side.stems if s})
        if len(read) >= 2:
            # Words found with the term again and again, and rarely without it, are its words too
            # (命运共同体 → shared future), whatever the dictionary says.
            evidence.associated = {s for s, count in stems_held.items()
                                   if count >= 2 and 2 * count / (len(read) + stem_frequency[s]) >= 0.5}
        chosen: list[list] = []   # [pair number, start, end, the pair's outside glosses]
        for number in read:
            side = sides[number]
            outside = _outside_glosses(pairs[number][0], term, chinese_side, number) - evidence.glosses
            best, best_key = 0.0, None
            for start, end, stem_key in spans[number]:
                if _foreign(side.stems[start], evidence, outside) or _foreign(side.stems[end - 1], evidence, outside):
                    continue
                key = tuple(side.lower[start:end])
                score = _score(side, start, end, key, stem_key, held, len(read), evidence, document_frequency,
                               outside)
                if score > best:
                    best, best_key, best_span = score, key, (start, end)
            if best_key is not None:
                chosen.append([number, *best_span, outside])
        if not chosen:
            continue
        _complete_phrases(chosen, sides, evidence)
        # Votes by stems: partnership and partnerships are one rendering, spelled two ways.
        votes: Counter = Counter()
        surfaces: dict[tuple, Counter] = defaultdict(Counter)
        example: dict[tuple, int] = {}
        for number, start, end, _ in chosen:
            key = _stem_key(sides[number], start, end)
            votes[key] += 1
            surfaces[key][sides[number].phrase(start, end)] += 1
            example.setdefault(key, number)
        ranked = votes.most_common()
        candidates = [Candidate(_spelling(surfaces[key]), count, pairs[example[key]][0], pairs[example[key]][1])
                      for key, count in ranked]
        top = ranked[0][1]
        agreement = top / len(read)
        confidence = round(agreement * len(numbers) / (len(numbers) + 1), 2)
        results[term] = TermEquivalent(term, len(numbers), len(read), candidates, confidence,
                                       _accounts_for(candidates[0].english, evidence))
        if results[term].usable:
            learned[term] = {stem for stem in _EnglishSide(candidates[0].english).stems if stem}
    return results


def _complete_phrases(chosen: list[list], sides: dict, evidence: _TermEvidence, rounds: int = 3) -> None:
    """A span the same English word follows in most of the pairs that chose it stops short of a
    phrase (joint → joint statement, Pacific island → Pacific island nations): it is extended by
    that word where the word is there, unless the dictionary gives the word for the Chinese
    around the term, or the span already translates every word of the term (APEC, not APEC
    Economic)."""
    for _ in range(rounds):
        groups: dict[tuple, list[list]] = defaultdict(list)
        for item in chosen:
            groups[_stem_key(sides[item[0]], item[1], item[2])].append(item)
        changed = False
        for key, items in groups.items():
            if len(items) < 2 or (evidence.word_senses and _coverage(set(key), evidence) >= 1):
                continue
            following: Counter = Counter()
            for number, start, end, outside in items:
                side = sides[number]
                if end < len(side.words) and side.chunks[end] == side.chunks[end - 1] \
                        and side.stems[end] and side.stems[end] not in outside:
                    following[side.stems[end]] += 1
            if not following:
                continue
            word, count = following.most_common(1)[0]
            if count >= 2 and count * 3 >= 2 * len(items):
                for item in items:
                    side = sides[item[0]]
                    if item[2] < len(side.words) and side.stems[item[2]] == word \
                            and side.chunks[item[2]] == side.chunks[item[2] - 1]:
                        item[2] += 1
                        changed = True
        if not changed:
            return


def _accounts_for(english: str, evidence: _TermEvidence) -> bool:
    """Whether a rendering has a word for each word of the term the dictionary knows: a word the
    memory keeps with the term (shared future) may stand for one the dictionary cannot match.
    A part of a rendering (中欧经贸 → trade) is a candidate, never the English."""
    side = _EnglishSide(english)
    stems = {s for s in side.stems if s}
    uncovered = sum(1 for glosses in evidence.word_glosses if not glosses & stems)
    if evidence.pinyin and uncovered:
        letters = re.sub(r"[^a-z]", "", english.lower())
        if letters and letters in evidence.pinyin:
            return True  # a name, in pinyin
    if uncovered == 0:
        return True
    if uncovered == len(evidence.word_glosses):
        return False  # nothing the dictionary knows is there: words kept together by chance
    dictionary = set().union(*evidence.word_glosses)
    standing_in = len({s for s in stems if (s in evidence.associated or s in evidence.reference)
                       and s not in dictionary})
    return uncovered <= standing_in


def _spelling(surfaces: Counter) -> str:
    """The most common spelling; a capital that only headings and sentence starts give is dropped."""
    best = max(surfaces.items(), key=lambda item: (item[1], item[0][:1].islower()))[0]
    lowered = best[:1].lower() + best[1:]
    if best[:1].isupper() and lowered in surfaces:
        return lowered
    words = best.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words if len(w) > 3):
        return best  # a name or title: Security Council
    return best


def _spread(numbers: list[int]) -> list[int]:
    """At most MAX_PAIRS_PER_TERM of a term's pairs, spread over the memory."""
    if len(numbers) <= MAX_PAIRS_PER_TERM:
        return numbers
    step = len(numbers) / MAX_PAIRS_PER_TERM
    return [numbers[int(i * step)] for i in range(MAX_PAIRS_PER_TERM)]


def _foreign(word_stem: str, evidence: _TermEvidence, outside: set[str]) -> bool:
    return word_stem in outside and word_stem not in evidence.glosses and word_stem not in evidence.associated


def _outside_glosses(zh: str, term: str, cache: dict, number: int) -> set[str]:
    """What the dictionary gives for the words of the Chinese sentence outside the term: English
    words that translate those belong to them, not to the term (competitive linking)."""
    words = cache.get(zh)
    if words is None:
        words, position = [], 0
        for word in chinese_words(zh):
            glosses = sense_stems_of(word)
            if glosses and word not in _FUNCTION_CHARACTERS:
                words.append((position, position + len(word), glosses))
            position += len(word)
        cache[zh] = words
    taken = []
    start = zh.find(term)
    while start >= 0:
        taken.append((start, start + len(term)))
        start = zh.find(term, start + 1)
    found: set[str] = set()
    for begin, end, glosses in words:
        if not any(begin < b and end > a for a, b in taken):
            found |= glosses
    return found


def _coverage(found: set[str], evidence: _TermEvidence) -> float:
    """The share of the term's words (that the dictionary knows) a span's stems translate: a word
    counts in full when the span holds one of its senses (two of its words, for a longer sense)."""
    if not evidence.word_senses:
        return 0.0
    return sum(max(min(1.0, len(sense & found) / min(len(sense), 2)) for sense in senses)
               for senses in evidence.word_senses) / len(evidence.word_senses)


def _stem_key(side: _EnglishSide, start: int, end: int) -> tuple:
    """A span as its content stems: partnership and partnerships are held by the same pairs."""
    return tuple(s for s in side.stems[start:end] if s)


def _score(side: _EnglishSide, start: int, end: int, key: tuple, stem_key: tuple, held: Counter, read: int,
           evidence: _TermEvidence, document_frequency: Counter, outside: set[str]) -> float:
    stems = stem_key
    if not stems:
        return 0.0
    pinyin = evidence.pinyin
    covered = evidence.coverage.get(stem_key)
    if covered is None:
        covered = evidence.coverage[stem_key] = _coverage(set(stem_key), evidence)
    hits = 0.0
    foreign = 0
    unexplained_edges = 0
    for position in range(start, end):
        word_stem = side.stems[position]
        if word_stem is None:
            continue
        before = hits
        if word_stem in evidence.glosses:
            hits += 1
        elif word_stem in outside:
            foreign += 1
        elif word_stem in evidence.associated and covered < 1:
            # a word kept with the term stands in for one the dictionary cannot match, never beside
            # a rendering the dictionary already accounts for (Defense Minister, not … Shinjiro)
            hits += 0.75
        elif pinyin and side.words[position][:1].isupper() and len(side.lower[position]) >= 2 \
                and side.lower[position] in pinyin:
            hits += 1  # a name written in pinyin: Xi, Jinping
        if hits == before and position in (start, end - 1):
            unexplained_edges += 1
    explained = hits / len(stems)
    rarest = min(document_frequency.get(w, 1) for w in key if w not in STOPWORDS) if any(
        w not in STOPWORDS for w in key) else 1
    together = held[stem_key]
    association = 2 * together / (read + rarest) if read > 1 else 0.0
    name = 0.0
    if evidence.pinyin and re.sub(r"[^a-z]", "", "".join(key)) == evidence.pinyin:
        name = 3.0
    # Once the dictionary accounts for every word of the term, a word at the edge that nothing
    # explains belongs to the sentence (the 48th session of…, …Minister Shinjiro), however often
    # it comes with the term.
    surplus = 1.5 * unexplained_edges if covered >= 1 else 0.0
    return (2.0 * covered + explained + 0.35 * hits - 0.6 * foreign + 1.5 * association + name - surplus
            - 0.04 * (end - start) + 0.01)
