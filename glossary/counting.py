"""Mining, map step: per-document partial counts (tokens, n-grams, slogans, meetings, quoted
strings) and their merge, which is associative so documents can be counted in any order, in
parallel, or incrementally from a termbase."""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import os
import pickle
import re
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

from . import segment
from .clean import CleanDocument, Sentence, cjk_count
from .data import word_list
from .slogans import find_meetings, find_slogans, quoted_strings

_CHUNK_SPLIT_RE = re.compile(r"[^\u4e00-\u9fff]+")
MAX_TOKENS = 5
MAX_TERM_CHARS = 16


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


# --- n-gram counts through bounded memory ---
#
# The n-grams of a large corpus number in the millions, nearly all seen too rarely to matter,
# but which ones cannot be told before every document is counted. So the map writes each
# batch's n-gram counts to disk in SHARDS parts (by a hash stable across processes), and the
# merge adds them up one shard at a time and keeps only the n-grams at or above a floor: no
# process ever holds the whole corpus's n-grams, and the result is what merging them all in
# memory and then dropping those below the floor gives.

SHARDS = 16


def shard_of(key: str) -> int:
    return (ord(key[0]) * 31 + ord(key[-1])) % SHARDS


def spill_ngrams(ngrams: Counter | dict, directory: str, negate: bool = False) -> None:
    """Write n-gram counts into `directory`, one new file per shard (safe from any process);
    `negate` takes them away again (a document counted twice)."""
    parts: list[dict] = [{} for _ in range(SHARDS)]
    for key, count in ngrams.items():
        parts[shard_of(key)][key] = -count if negate else count
    for shard, part in enumerate(parts):
        if part:
            handle, path = tempfile.mkstemp(prefix=f"{shard:02d}-", suffix=".counts", dir=directory)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(part, stream, protocol=pickle.HIGHEST_PROTOCOL)


def spill_ngrams_of(counts: DocumentCounts, directory: str, negate: bool = False) -> DocumentCounts:
    """`counts` with their n-grams moved to the spill folder (spill_ngrams)."""
    spill_ngrams(counts.ngrams, directory, negate)
    counts.ngrams = Counter()
    return counts


def merge_shard(args: tuple[str, int, int]) -> dict[str, int]:
    """The n-grams of one shard whose merged count reaches `floor` (at least 1)."""
    directory, shard, floor = args
    total: Counter = Counter()
    prefix = f"{shard:02d}-"
    for name in sorted(os.listdir(directory)):
        if name.startswith(prefix) and name.endswith(".counts"):
            with open(os.path.join(directory, name), "rb") as stream:
                total.update(pickle.load(stream))
    floor = max(floor, 1)
    return {key: count for key, count in total.items() if count >= floor}


def merge_spilled(directory: str, floor: int, mapper=map) -> Counter:
    """Every shard merged and pruned at `floor` (with `mapper`, e.g. a process pool's map)."""
    merged: Counter = Counter()
    for part in mapper(merge_shard, [(directory, shard, floor) for shard in range(SHARDS)]):
        dict.update(merged, part)  # shards never share a key
    return merged


# --- the merged counts a build keeps for the next one ---
#
# A build that only adds documents need not count the stored ones again: the last build's
# merged counts are kept (store.count_snapshot) with every n-gram seen `keep` times or more,
# exactly, and the promise that any n-gram left out was seen fewer than `keep` times. Adding a
# document's counts keeps that promise with `keep` raised by the most any left-out n-gram
# gained; while `keep` stays at or below the frequency floor, the n-grams that reach the floor
# are exactly those a full recount gives. Otherwise the build counts everything again.

SNAPSHOT_MARGIN = 3  # a snapshot keeps n-grams from a third of the floor up


def snapshot_keep(floor: int) -> int:
    # Never the n-grams seen once: they are most of them, and would make the termbase grow
    # with every document added instead of with what recurs.
    return max(2, floor // SNAPSHOT_MARGIN)


def counting_fingerprint(segmenter: str) -> str:
    """What the counts of stored tokens depend on besides the documents: the segmenter, the
    edge words and the n-gram limits."""
    words = "\n".join(sorted(_edge_set()))
    return hashlib.sha256(f"{segmenter}\n{MAX_TOKENS} {MAX_TERM_CHARS} {SNAPSHOT_FORMAT}\n{words}".encode()
                          ).hexdigest()[:16]


_COUNTERS = ("unigrams", "ngrams", "slogans", "quoted_slogans", "meetings", "quoted")
SNAPSHOT_FORMAT = "columns 1"  # part of counting_fingerprint: a snapshot in another format is not read


def pack_snapshot(counts: DocumentCounts) -> bytes:
    """Merged counts as compressed columns: per counter its keys joined by newlines (no key
    holds one: they come from single sentences) and its counts joined by spaces. Splitting
    them back runs at C speed, several times faster than reading a JSON object of as many keys."""
    columns: list[bytes] = []
    sizes = {}
    for name in _COUNTERS:
        counter = getattr(counts, name)
        keys, values = "\n".join(counter).encode("utf-8"), " ".join(map(str, counter.values())).encode()
        columns += [keys, values]
        sizes[name] = [len(counter), len(keys), len(values)]
    header = json.dumps({"tokens": counts.tokens, "documents": counts.documents, "columns": sizes}).encode()
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(len(header).to_bytes(4, "big") + header)]
    parts += [compressor.compress(column) for column in columns]
    return b"".join(parts) + compressor.flush()


def unpack_snapshot(blob: bytes) -> DocumentCounts:
    data = zlib.decompress(blob)
    length = int.from_bytes(data[:4], "big")
    header = json.loads(data[4:4 + length])
    counts = DocumentCounts(tokens=header["tokens"], documents=header["documents"])
    at = 4 + length
    for name in _COUNTERS:
        entries, key_bytes, value_bytes = header["columns"][name]
        keys = data[at:at + key_bytes].decode("utf-8")
        values = data[at + key_bytes:at + key_bytes + value_bytes].split()
        at += key_bytes + value_bytes
        if entries:
            setattr(counts, name, Counter(dict(zip(keys.split("\n"), map(int, values)))))
    return counts


def prune(ngrams: dict[str, int], floor: int) -> Counter:
    return Counter({key: count for key, count in ngrams.items() if count >= floor})


def grow_snapshot(stored: DocumentCounts, keep: int, added: DocumentCounts, floor_of,
                  count_stored: Callable[[list[str]], Counter]) -> tuple[DocumentCounts, int] | None:
    """`stored` (n-grams from `keep` up) with the complete counts `added` of new documents, as
    (counts, keep) under the same promise, the n-grams that reach `floor_of(tokens)` exact.

    An n-gram the snapshot left out (seen fewer than `keep` times) that the new documents may
    have carried to the floor is counted again in the stored documents alone
    (`count_stored(keys)`, exact counts), so `keep` only grows by what the others gained and
    stays at or below the floor. None only if the floor fell below `keep`. `stored` is changed
    in place."""
    ngrams = stored.ngrams
    stored.ngrams = Counter()
    stored.add(added)
    floor = floor_of(stored.tokens)
    if keep > floor:
        return None
    left_out: dict[str, int] = {}
    for key, count in added.ngrams.items():
        if key in ngrams:
            ngrams[key] += count
        else:
            left_out[key] = count
    uncertain = [key for key, count in left_out.items() if keep - 1 + count >= floor]
    if uncertain:
        exact = count_stored(uncertain)
        for key in uncertain:
            ngrams[key] = exact.get(key, 0) + left_out.pop(key)
    # Every n-gram still left out was seen fewer than keep - 1 + its gain (< floor) times.
    keep += max(left_out.values(), default=0)
    stored.ngrams = prune(ngrams, keep)
    return stored, keep