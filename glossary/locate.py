"""Mining, second map: find a fixed list of terms in documents (frequencies, documents,
neighbours, traditional spellings, context examples, expansions) and merge what was found."""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from .clean import CleanDocument, Sentence
from .counting import minable_sentences
from .expansions import find_expansion
from .segment import inside_longer_word
from .shapes import CATEGORY_SLOGAN, slogan_shape

if TYPE_CHECKING:
    from .scoring import Term


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
    inside_word: bool = False  # the term stands inside a longer word here: a last resort
    quality: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        if not self.quality:
            self.quality = context_quality(self)

    def to_json(self) -> dict:
        data = self.__dict__.copy()
        del data["quality"], data["inside_word"]
        return data


@dataclass
class Occurrences:
    """What one document (or several, merged) says about each selected term."""

    frequency: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    traditional: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    contexts: dict[str, list[Context]] = field(default_factory=lambda: defaultdict(list))
    expansions: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    # (term, two characters) → how often they stand just left (right) of the term.
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


def surface_owners(terms: list[Term]) -> dict[str, str]:
    """Each string searched for and the term it is found for: the term itself and its variants
    (a variant two terms share goes to the first)."""
    surfaces: dict[str, str] = {}
    for term in terms:
        surfaces[term.term] = term.term
        for variant in term.variants:
            surfaces.setdefault(variant, term.term)
    # Sentences are joined with newlines to be searched at once; no sentence holds one.
    return {surface: owner for surface, owner in surfaces.items() if surface and "\n" not in surface}


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
        surfaces = surface_owners(terms)
        self.patterns = list(surfaces)
        self.terms = [surfaces[surface] for surface in self.patterns]  # by pattern index
        self.automaton = _automaton(self.patterns) if self.patterns else None
        # Neighbours feed the boundary test; a pass after screening does not need them.
        wanted = {t.term for t in terms if t.statistical or t.category == CATEGORY_SLOGAN} if neighbours else set()
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
        self.probe_patterns = list(probes)
        # Probe → the slogan it spells out in full (a head word spells none).
        slogan_numbers = {term: number for number, (term, _) in enumerate(self.slogans)}
        self.probe_holds = {index: slogan_numbers[pattern] for index, pattern in enumerate(self.probe_patterns)
                            if pattern in slogan_numbers}
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
            found.left.update([(terms[index], text[max(start - 2, 0):start]) for index, start, _ in matches
                               if index in wanted])
            found.right.update([(terms[index], text[end:end + 2]) for index, _, end in matches if index in wanted])

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
        bar = (False, False, 0, name)
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
        # A place where the term stands inside a longer word (委员 in 合作委员会) is an example
        # only for a term with no other: it ranks after them all, so it waits here.
        last_resort: dict[str, list[tuple]] = defaultdict(list)
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
                    if inside_longer_word(sentence.text, start, start + len(term)):
                        last_resort[term].append(((True,) + rank, start, sentence))
                    else:
                        term_places.append(((False,) + rank, start, sentence))
        for term, waiting in last_resort.items():
            term_places = places[term]
            for place in waiting:
                if len(term_places) <= last or term_places[last][2] is place[2]:
                    term_places.append(place)
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
                        inside_word=rank[0], quality=rank + (start,))
                for rank, start, sentence in found_places[:per_document])
            if len(kept) > 30:  # pruning early or late gives the same final choice
                found.contexts[term] = prune_contexts(kept)

    def _find_expansions(self, text: str, offsets: list[int], sentences: list[Sentence], name: str,
                         found: Occurrences) -> None:
        """What each numbered slogan stands for, from the first document by name that lists it;
        looked for in the sentences that hold a slogan, and in those holding its head word right
        before a sentence that holds the slogan (a list attached to it, never a distant one)."""
        if self.probe is None:
            return
        probed = self.probe.find_matches_as_indexes(text, overlapping=True)
        if not probed:
            return
        holding: dict[int, set[int]] = defaultdict(set)  # slogan → the sentences that hold it
        numbers = [bisect.bisect_right(offsets, start) - 1 for _, start, _ in probed]
        for (index, _, _), number in zip(probed, numbers):
            if index in self.probe_holds:
                holding[self.probe_holds[index]].add(number)
        if not holding:
            return  # head words alone (发展, 全面): no slogan here to attach a list to
        candidates: dict[int, set[int]] = defaultdict(set)
        for (index, _, _), number in zip(probed, numbers):
            candidates[number].update(slogan for slogan in self.probe_slogans[index] if slogan in holding)
        expansions = found.expansions
        for number in sorted(candidates):
            text = sentences[number].text
            enumerations = text.count("、")
            for slogan in sorted(candidates[number]):
                term, (count, head) = self.slogans[slogan]
                if term in expansions and expansions[term][1] <= name:
                    continue
                if number not in holding[slogan] and number + 1 not in holding[slogan]:
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
    return (context.inside_word,) + sentence_quality(
        context.text, context.document, context.document_hash, context.start) + (context.term_start,)


def prune_contexts(contexts: list[Context], documents: int = 3, per_document: int = 3) -> list[Context]:
    """The best `per_document` contexts of the `documents` documents whose best context ranks
    highest: all `choose_contexts` can ever pick, and the same whatever order parts are merged in."""
    by_document: dict[str, list[Context]] = defaultdict(list)
    for context in sorted(contexts, key=_quality):
        if len(by_document[context.document_hash]) < per_document:
            by_document[context.document_hash].append(context)
    best = sorted(by_document.values(), key=lambda group: group[0].quality)[:documents]
    return [context for group in best for context in group]


def merge_occurrences(parts: Iterable[Occurrences], consume: bool = False) -> Occurrences:
    """Occurrences of several parts added up (in any order: the same result). With `consume`,
    the first part becomes the total (parts fresh from a worker, used by nobody else), so a
    stream of parts is merged without a copy of the largest."""
    parts = iter(parts)
    total = next(parts, None) if consume else None
    if total is None:
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


def choose_contexts(term: str, contexts: list[Context], limit: int = 3) -> list[Context]:
    """Up to `limit` examples for a translator: different documents first, complete and not too
    long; places where the term stands inside a longer word only when there are no others."""
    alone = [context for context in contexts if not context.inside_word]
    if alone and len(alone) < len(contexts):
        chosen = choose_contexts(term, alone, limit)
        if len(chosen) < limit:
            chosen += choose_contexts(term, [c for c in contexts if c.inside_word], limit - len(chosen))
        return chosen
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


def locate_all(documents: Iterable[CleanDocument], terms: list[Term], counts_only: bool = False,
               neighbours: bool = True) -> Occurrences:
    locator = TermLocator(terms, counts_only=counts_only, neighbours=neighbours)
    found = Occurrences()
    for document in documents:
        locator.locate(document, found)
    return found


# --- what a build found, kept for the next one ---
#
# Each term is found independently of the others (matches overlap; examples and expansions are
# chosen per term), and what documents say about a term adds up in any order
# (merge_occurrences). So what the last build found of a term, plus what the documents added
# since say, is what a pass over every document gives, as long as the term is looked for the
# same way: the same surfaces, its neighbours tallied or not, a slogan or not.


def term_signatures(terms: list[Term], neighbours: bool) -> dict[str, str]:
    """How each term is looked for, as a string to compare with a later build's."""
    surfaces: dict[str, list[str]] = defaultdict(list)
    for surface, owner in surface_owners(terms).items():
        surfaces[owner].append(surface)
    # Fields joined by a control character no surface holds (cleaning removes them).
    return {term.term: "\x1f".join([*sorted(surfaces.get(term.term, ())),
                                    "N" if neighbours and (term.statistical or term.category == CATEGORY_SLOGAN) else "",
                                    "S" if term.category == CATEGORY_SLOGAN else ""])
            for term in terms}


def restrict(found: Occurrences, terms: set[str]) -> Occurrences:
    """What `found` holds of `terms` only (a new Occurrences; examples pruned to what can be chosen)."""
    return Occurrences(
        frequency=Counter({term: n for term, n in found.frequency.items() if term in terms}),
        documents=Counter({term: n for term, n in found.documents.items() if term in terms}),
        traditional=defaultdict(Counter, {term: Counter(forms) for term, forms in found.traditional.items()
                                          if term in terms}),
        contexts=defaultdict(list, {term: prune_contexts(contexts) for term, contexts in found.contexts.items()
                                    if term in terms}),
        expansions={term: expansion for term, expansion in found.expansions.items() if term in terms},
        left=Counter({key: n for key, n in found.left.items() if key[0] in terms}),
        right=Counter({key: n for key, n in found.right.items() if key[0] in terms}))


@dataclass
class FoundSnapshot:
    """What one pass of a build found of its terms in all the documents it had, and how it
    looked for each (term_signatures)."""

    signatures: dict[str, str]
    found: Occurrences
    neighbours: bool

    @classmethod
    def of(cls, terms: list[Term], found: Occurrences, neighbours: bool) -> "FoundSnapshot":
        return cls(term_signatures(terms, neighbours), found, neighbours)

    def split(self, terms: list[Term]) -> tuple[Occurrences, list[Term]]:
        """What the snapshot says of the `terms` looked for as it looked for them, and the
        terms it cannot vouch for (to be looked for in the documents it covers)."""
        current = term_signatures(terms, self.neighbours)
        known = {term for term, signature in current.items() if self.signatures.get(term) == signature}
        return restrict(self.found, known), [term for term in terms if term.term not in known]

    def to_json(self) -> dict:
        found = self.found

        def by_term(pairs: Counter) -> dict:
            grouped: dict[str, dict[str, int]] = defaultdict(dict)
            for (term, context), count in pairs.items():
                grouped[term][context] = count
            return grouped

        return {"signatures": self.signatures, "neighbours": self.neighbours,
                "frequency": dict(found.frequency), "documents": dict(found.documents),
                "traditional": {term: dict(forms) for term, forms in found.traditional.items()},
                "contexts": {term: [{key: value for key, value in context.__dict__.items() if key != "quality"}
                                   for context in prune_contexts(contexts)]
                             for term, contexts in found.contexts.items()},
                "expansions": {term: list(expansion) for term, expansion in found.expansions.items()},
                "left": by_term(found.left), "right": by_term(found.right)}

    @classmethod
    def from_json(cls, data: dict) -> "FoundSnapshot":
        def pairs(grouped: dict) -> Counter:
            return Counter({(term, context): count for term, contexts in grouped.items()
                            for context, count in contexts.items()})

        contexts = defaultdict(list)
        for term, items in data["contexts"].items():
            contexts[term] = [Context(**item) for item in items]
        found = Occurrences(
            frequency=Counter(data["frequency"]), documents=Counter(data["documents"]),
            traditional=defaultdict(Counter, {term: Counter(forms) for term, forms in data["traditional"].items()}),
            contexts=contexts,
            expansions={term: (components, name) for term, (components, name) in data["expansions"].items()},
            left=pairs(data["left"]), right=pairs(data["right"]))
        return cls(data["signatures"], found, data["neighbours"])
