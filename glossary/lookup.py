"""Lookup: one term now, by its characters, its sound, or the English a translator half remembers.

Reads prepared columns of the termbase (search_pinyin: toneless pinyin run together;
initials; traditional; the effective English) with indexed SQL, and imports neither the
segmenter, OpenCC, pypinyin nor openpyxl, so that a cold `glossary lookup` starts fast.

Ranking: exact term, prefix, pinyin, initials, English words, substring, near miss (edit
distance up to 2); within a rank, by mining score.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import GlossaryError
from .store import (EFFECTIVE_ENGLISH_SQL, MIGRATIONS, Termbase, busy_message, busy_timeout, hidden_alternatives,
                    is_busy_error, pinyin_key, resolve_db_path)

RANKS = ("exact", "prefix", "pinyin", "initials", "english", "substring", "near miss")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_EFFECTIVE_ENGLISH = EFFECTIVE_ENGLISH_SQL
_SOURCE = ("CASE WHEN english_human != '' THEN (CASE WHEN status = 'approved' THEN 'approved' "
           "ELSE 'translator edit' END) WHEN english_imported != '' THEN 'imported: ' || english_imported_source "
           "WHEN english_memory != '' THEN 'translation memory: ' || english_memory_source "
           "ELSE english_auto_source END")
_COLUMNS = (f"id, term, traditional, variants_json, pinyin, pinyin_numbers, initials, search_pinyin, category, "
            f"expansion_json, frequency, documents, score, score_reasons, status, {_EFFECTIVE_ENGLISH} AS english, "
            f"{_SOURCE} AS english_source, gloss, english_memory, english_memory_source, "
            f"english_memory_detail, english_auto, english_auto_source, english_auto_detail, memory_json")


@dataclass
class Match:
    id: int
    term: str
    traditional: str
    pinyin: str
    pinyin_numbers: str
    english: str
    english_source: str
    category: str
    expansion: list[str]
    frequency: int
    documents: int
    status: str
    matched_by: str
    contexts: list[dict] = field(default_factory=list)
    score: float = 0.0
    score_reasons: str = ""
    gloss: str = ""  # dictionary senses of the parts, when no English meets the rules
    alternatives: list[dict] = field(default_factory=list)   # hidden renderings, other memory candidates
    memory_examples: list[dict] = field(default_factory=list)  # aligned pairs of harvested renderings

    def to_json(self) -> dict:
        return asdict(self)


class LookupCache:
    """For a long-running process (`glossary serve`): what lookup scans or compares a query
    with (every term and spelling, for characters anywhere in them; the candidates of near
    misses and "did you mean"), read once per version of the termbase instead of once per
    query; the same tests select among them, so the answers are those without it.

    A change committed by anyone (PRAGMA data_version of a connection kept open to watch) or a
    new file at the path makes a new version. The lists of the version before are used until
    a thread has read the new ones (about a second for 100,000 entries): for that long, a term
    added meanwhile is found by its pinyin, initials and English but not yet by its characters
    or as a near miss."""

    def __init__(self):
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._watched: tuple | None = None
        self._generation = 0
        self._lists: dict[str, tuple[tuple, object]] = {}  # name → (version, value)
        self._loaders: dict[str, object] = {}
        self._reloading: set[str] = set()

    def _current_version(self, db: Path) -> tuple:
        stat = os.stat(db)
        identity = (stat.st_dev, stat.st_ino)
        if self._watch is None or identity != self._watched:
            if self._watch is not None:
                self._watch.close()
            self._watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
            self._watched = identity
            self._generation += 1
        return self._generation, self._watch.execute("PRAGMA data_version").fetchone()[0]

    def get(self, db: Path, name: str, load):
        """The list `name`, made by load(connection) when there is none yet."""
        with self._lock:
            version = self._current_version(db)
            self._loaders[name] = load
            held = self._lists.get(name)
            if held is not None:
                if held[0] != version and name not in self._reloading:
                    self._reloading.add(name)
                    threading.Thread(target=self._reload, args=(db, name, load), daemon=True).start()
                return held[1]
        value = self._load(db, load)
        with self._lock:
            self._lists.setdefault(name, (version, value))
        return value

    def warm(self, db: Path) -> None:
        """Read every list now (a server does it before it answers)."""
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            with self._lock:
                version = self._current_version(db)
            for name, load in _CACHED_LISTS.items():
                self._lists[name] = (version, load(connection))
                self._loaders[name] = load
        finally:
            connection.close()

    @staticmethod
    def _load(db: Path, load):
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return load(connection)
        finally:
            connection.close()

    def _reload(self, db: Path, name: str, load) -> None:
        try:
            while True:
                with self._lock:
                    version = self._current_version(db)
                value = self._load(db, load)
                with self._lock:
                    self._lists[name] = (version, value)
                    if self._current_version(db) == version:
                        return
        except (OSError, sqlite3.Error):
            with self._lock:
                self._lists.pop(name, None)  # the next query reads it itself, or says what is wrong
        finally:
            with self._lock:
                self._reloading.discard(name)


class _Spellings:
    """Every term's spellings (term, traditional, variants as stored) in one string, to find a
    query anywhere in them at the speed of str.find."""

    def __init__(self, connection: sqlite3.Connection):
        self.rows = connection.execute("SELECT id, term, traditional, variants_json, score FROM terms").fetchall()
        pieces, self.starts, position = [], [], 0
        for row in self.rows:
            text = f"{row[1]}\x00{row[2]}\x00{row[3]}\n"
            self.starts.append(position)
            pieces.append(text)
            position += len(text)
        self.text = "".join(pieces)

    def holding(self, query: str) -> list[tuple]:
        """The rows a spelling of which holds the query (as instr() on each column would say)."""
        from bisect import bisect_right

        found, position = [], self.text.find(query)
        while position >= 0:
            index = bisect_right(self.starts, position) - 1
            found.append(self.rows[index])
            following = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            position = self.text.find(query, following)
        return found


def _connect(path: str | None) -> sqlite3.Connection:
    db = resolve_db_path(path)
    if not Path(db).exists():
        raise GlossaryError(f"no termbase at {db}; build one with `glossary build` (or point --db at one)")
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=busy_timeout())
        connection.row_factory = sqlite3.Row
        connection.execute("SELECT search_pinyin FROM terms LIMIT 1")
        if connection.execute("PRAGMA user_version").fetchone()[0] < len(MIGRATIONS):
            # A termbase of an earlier release: upgrade it once, as every other command would.
            connection.close()
            Termbase(db).close()
            connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=busy_timeout())
            connection.row_factory = sqlite3.Row
    except sqlite3.DatabaseError as error:
        if is_busy_error(error):
            raise GlossaryError(busy_message(db, error)) from None
        raise GlossaryError(f"{db} is not a glossary termbase ({error})") from None
    try:
        connection.execute("SELECT english_memory FROM terms LIMIT 1")
    except sqlite3.OperationalError:
        # Written by a release before translation memories: upgrade it once, then read.
        connection.close()
        Termbase(db).close()
        return _connect(path)
    return connection


class _Texts:
    """Texts (terms and traditional forms, or pinyin keys) and the entry of each, to pre-select
    near-miss candidates as the indexed query does (a length within reach, a piece of the
    probe unchanged) through an index of the texts holding each n-gram (characters for
    Chinese, letter pairs for pinyin)."""

    def __init__(self, texts: list[str], ids: list[int], gram: int):
        self.texts, self.ids, self.gram = texts, ids, gram
        self.holding: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            for part in {text[i:i + gram] for i in range(len(text) - gram + 1)}:
                self.holding.setdefault(part, []).append(index)

    def _with_piece(self, piece: str):
        if len(piece) < self.gram:
            return range(len(self.texts))
        parts = [piece[i:i + self.gram] for i in range(len(piece) - self.gram + 1)]
        found = self.holding.get(min(parts, key=lambda part: len(self.holding.get(part, ()))), [])
        return found if len(piece) == self.gram else [i for i in found if piece in self.texts[i]]

    def near(self, probe: str, max_distance: int) -> tuple[list[str], list[int]]:
        low, high = len(probe) - max_distance, len(probe) + max_distance
        pieces = _pieces(probe, max_distance)
        if pieces:
            chosen: set[int] = set()
            for piece in pieces:
                chosen.update(self._with_piece(piece))
            indexes = sorted(chosen)
        else:
            indexes = range(len(self.texts))
        picked = [i for i in indexes if low <= len(self.texts[i]) <= high]
        return [self.texts[i] for i in picked], [self.ids[i] for i in picked]


def lookup(query: str, db_path: str | None = None, limit: int = 10,
           cache: LookupCache | None = None) -> list[Match]:
    """Entries matching `query`, best first (`cache`: a long-running process's LookupCache)."""
    query = query.strip()
    if not query:
        raise GlossaryError("empty query")
    connection = _connect(db_path)
    try:
        found: dict[int, tuple[int, float]] = {}

        def add(pairs, rank: str) -> None:
            order = RANKS.index(rank)
            for term_id, score in pairs:
                if term_id not in found or found[term_id][0] > order:
                    found[term_id] = (order, score)

        if _CJK_RE.search(query):
            # One pass over the table: a term holding the query is exact, prefix or substring.
            if cache is not None and not re.search(r"[\x00\n]", query):
                holding = cache.get(resolve_db_path(db_path), "spellings", _Spellings).holding(query)
            else:
                holding = connection.execute(
                    "SELECT id, term, traditional, variants_json, score FROM terms "
                    "WHERE instr(term, ?) > 0 OR instr(traditional, ?) > 0 OR instr(variants_json, ?) > 0",
                    (query, query, query))
            for term_id, term, traditional, variants, score in holding:
                if query in (term, traditional) or (query in variants and query in json.loads(variants)):
                    add([(term_id, score)], "exact")
                elif term.startswith(query) or traditional.startswith(query):
                    add([(term_id, score)], "prefix")
                else:
                    add([(term_id, score)], "substring")
        else:
            key = pinyin_key(query)
            if key:
                add(connection.execute("SELECT id, score FROM terms WHERE search_pinyin = ?", (key,)), "pinyin")
                if len(key) >= 2:
                    add(connection.execute("SELECT id, score FROM terms WHERE search_pinyin > ? AND search_pinyin < ?",
                                           (key, key + "{")), "pinyin")
                if len(key) <= 10 and " " not in query:
                    add(connection.execute("SELECT id, score FROM terms WHERE initials = ?", (key,)), "initials")
            add(_english_matches(connection, query, limit), "english")
        if not found:
            add(((row["id"], row["score"]) for row in _near_misses(connection, query, cache=cache,
                                                                   db=resolve_db_path(db_path))), "near miss")
        ordered = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))[:limit]
        rows = {row["id"]: row for row in connection.execute(
            f"SELECT {_COLUMNS} FROM terms WHERE id IN ({','.join('?' for _ in ordered)})",
            [term_id for term_id, _ in ordered])} if ordered else {}
        return [_match(connection, rows[term_id], RANKS[order]) for term_id, (order, _) in ordered]
    finally:
        connection.close()


def _english_matches(connection: sqlite3.Connection, query: str, limit: int | None = None
                     ) -> list[tuple[int, float]]:
    """Entries whose English (approved, imported or automatic) has every word of the query,
    each at the start of one of its words; with a limit, only the `limit` best by score (all
    that can make the final list, whatever ranks above English)."""
    words = re.findall(r"[a-z0-9']+", query.lower())
    if not words:
        return []
    pattern = re.compile("".join(rf"(?=.*\b{re.escape(w)})" for w in words))
    # A query word starting with three letters or more starts a word that english_words holds
    # (the run of letters at that place): the entries with a word of that prefix come from its
    # index. The longest such prefix is the rarest.
    prefixes = [m.group() for m in (re.match(r"[a-z]{3,}", w) for w in words) if m]
    if prefixes:
        longest = max(prefixes, key=len)
        rows = connection.execute(
            "SELECT DISTINCT terms.id, terms.score, terms.search_english FROM english_words"
            " JOIN terms ON terms.id = english_words.term_id WHERE english_words.word >= ? AND english_words.word < ?"
            " ORDER BY terms.score DESC", (longest, longest + "{"))
    else:
        # search_english is the English a translator sees, in lower case, kept by the termbase;
        # read best first from an index, so that a short common word stops early.
        clause = " AND ".join("instr(search_english, ?) > 0" for _ in words)
        rows = connection.execute(f"SELECT id, score, search_english FROM terms WHERE {clause} ORDER BY score DESC",
                                  words)
    matches = []
    for term_id, score, english in rows:
        if limit is not None and len(matches) >= limit and score < matches[limit - 1][1]:
            break  # rows come best first; those tied with the last kept one are all read
        if pattern.match(english):
            matches.append((term_id, score))
    return matches


def _pieces(probe: str, edits: int) -> list[str]:
    """`edits` + 1 consecutive pieces of the probe: a string within `edits` edits of it holds
    at least one of them unchanged (each edit breaks one piece at most)."""
    count = edits + 1
    if len(probe) < count:
        return []
    bounds = [len(probe) * i // count for i in range(count + 1)]
    return [probe[a:b] for a, b in zip(bounds, bounds[1:])]


def _holding_any(column: str, pieces: list[str]) -> tuple[str, list[str]]:
    """An SQL condition: the column holds one of the pieces (any row, when there are none)."""
    if not pieces:
        return "1", []
    return "(" + " OR ".join(f"instr({column}, ?) > 0" for _ in pieces) + ")", pieces


def _english_vocabulary(connection: sqlite3.Connection, word: str, edits: int) -> tuple[list[str], list[str]]:
    """The distinct words of the entries' English that may be within `edits` of `word`, each
    also without a plural "s" ("upholds" also as "uphold"): (forms to compare, their words)."""
    condition, pieces = _holding_any("word", _pieces(word, edits))
    forms, words = [], []
    for (vocabulary_word,) in connection.execute(f"SELECT word FROM english_vocabulary WHERE {condition}", pieces):
        forms.append(vocabulary_word)
        words.append(vocabulary_word)
        if len(vocabulary_word) > 4 and vocabulary_word.endswith("s"):
            forms.append(vocabulary_word[:-1])
            words.append(vocabulary_word)
    return forms, words


def _near_texts(connection: sqlite3.Connection, probe: str, cjk: bool, max_distance: int | None
                ) -> tuple[list[str], list[int]]:
    """Terms and traditional forms (Chinese) or pinyin keys (Latin) to compare a probe with,
    and the id of the entry each belongs to: with a distance, only those that may be within it
    (a length within reach, a piece of the probe unchanged); else all. The queries read only
    indexed columns, so SQLite scans an index rather than the table."""
    if max_distance is None:
        low, high, pieces = 0, 1 << 30, []
    else:
        low, high, pieces = len(probe) - max_distance, len(probe) + max_distance, _pieces(probe, max_distance)
    columns = ("term", "traditional") if cjk else ("search_pinyin",)
    texts: list[str] = []
    ids: list[int] = []
    for column in columns:
        condition, arguments = _holding_any(column, pieces)
        rows = connection.execute(f"SELECT id, {column} FROM terms WHERE length({column}) BETWEEN ? AND ?"
                                  f" AND {condition}", [low, high, *arguments]).fetchall()
        texts += [row[1] for row in rows if row[1]]
        ids += [row[0] for row in rows if row[1]]
    return texts, ids


def _scores(connection: sqlite3.Connection, ids) -> dict[int, float]:
    ids = list(set(ids))
    return dict(connection.execute(f"SELECT id, score FROM terms WHERE id IN ({','.join('?' for _ in ids)})", ids))


def _near_misses(connection: sqlite3.Connection, query: str, max_distance: int = 2,
                 cache: LookupCache | None = None, db: Path | None = None) -> list[dict]:
    """Entries within `max_distance` edits: of the term, of its pinyin, or of each English word."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    cjk = bool(_CJK_RE.search(query))
    probe = query if cjk else pinyin_key(query)
    ranked = []
    if probe:
        if cache is not None:
            every = cache.get(db, f"texts cjk={cjk}", _CACHED_LISTS[f"texts cjk={cjk}"])
            texts, ids = every.near(probe, max_distance)
        else:
            texts, ids = _near_texts(connection, probe, cjk, max_distance)
        hits = [(distance, ids[index]) for _, distance, index in
                extract(probe, texts, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=20)
                if len(probe) > distance]
        scores = _scores(connection, [term_id for _, term_id in hits])
        ranked = [(distance, (term_id, scores[term_id])) for distance, term_id in hits]
    words = re.findall(r"[a-z]+", query.lower()) if not cjk else []
    if words:
        # Every English word of the query near some word of the entry's English.
        matching: dict[int, int] = {}
        scores: dict[int, float] = {}
        for position, word in enumerate(words):
            allowed = max_distance if len(word) >= 5 else min(1, max_distance)
            forms, vocabulary = _english_vocabulary(connection, word, allowed)
            nearest: dict[str, int] = {}
            for _, distance, index in extract(word, forms, scorer=Levenshtein.distance, score_cutoff=allowed,
                                               limit=None):
                near = vocabulary[index]
                nearest[near] = min(nearest.get(near, distance), distance)
            found: dict[int, int] = {}
            for near, distance in nearest.items():
                for term_id, score in connection.execute(
                        "SELECT term_id, score FROM english_words JOIN terms ON terms.id = term_id WHERE word = ?",
                        (near,)):
                    found[term_id] = min(found.get(term_id, distance), distance)
                    scores[term_id] = score
            matching = found if position == 0 else {i: matching[i] + d for i, d in found.items() if i in matching}
        ranked += [(distance, (term_id, scores[term_id])) for term_id, distance in matching.items()]
    result, seen = [], set()
    for _, (term_id, score) in sorted(ranked, key=lambda item: (item[0], -item[1][1])):
        if term_id not in seen:
            seen.add(term_id)
            result.append({"id": term_id, "score": score})
    return result


def suggestions(query: str, db_path: str | None = None, limit: int = 5,
                cache: LookupCache | None = None) -> list[str]:
    """"Did you mean": the nearest terms by edit distance, looser than a near miss."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    connection = _connect(db_path)
    try:
        cjk = bool(_CJK_RE.search(query))
        probe = query if cjk else pinyin_key(query) or query.lower()
        if cache is not None:
            name = f"suggestions cjk={cjk}"
            texts, ids = cache.get(resolve_db_path(db_path), name, _CACHED_LISTS[name])
        else:
            texts, ids = _suggestion_texts(connection, probe, cjk)
        hits = extract(probe, texts, scorer=Levenshtein.normalized_distance, score_cutoff=0.6, limit=limit * 4)
        names = []
        for _, _, index in sorted(hits, key=lambda hit: hit[1]):
            row = connection.execute("SELECT term, pinyin FROM terms WHERE id = ?", (ids[index],)).fetchone()
            label = f"{row['term']} ({row['pinyin']})"
            if label not in names:
                names.append(label)
        return names[:limit]
    finally:
        connection.close()


def _suggestion_texts(connection: sqlite3.Connection, probe: str, cjk: bool) -> tuple[list[str], list[int]]:
    texts, ids = _near_texts(connection, probe, cjk, None)
    if not cjk:
        # An English word stands for one of the entries that have it.
        for word, term_id in connection.execute(
                "SELECT word, (SELECT min(term_id) FROM english_words WHERE english_words.word = english_vocabulary.word)"
                " AS term_id FROM english_vocabulary WHERE term_id IS NOT NULL"):
            texts.append(word)
            ids.append(term_id)
    return texts, ids


# What a LookupCache keeps, each made from a connection: every term's spellings, and every
# text near misses and suggestions compare a query with (Chinese, and pinyin with English).
_CACHED_LISTS = {
    "spellings": lambda connection: _Spellings(connection),
    "texts cjk=True": lambda connection: _Texts(*_near_texts(connection, "", True, None), gram=1),
    "texts cjk=False": lambda connection: _Texts(*_near_texts(connection, "", False, None), gram=2),
    "suggestions cjk=True": lambda connection: _suggestion_texts(connection, "", True),
    "suggestions cjk=False": lambda connection: _suggestion_texts(connection, "", False),
}


def _match(connection: sqlite3.Connection, row: sqlite3.Row, matched_by: str) -> Match:
    contexts = [dict(c) for c in connection.execute(
        "SELECT document, text, term_start, traditional FROM contexts WHERE term_id = ? ORDER BY rank LIMIT 3",
        (row["id"],))]
    return Match(id=row["id"], term=row["term"], traditional=row["traditional"], pinyin=row["pinyin"],
                 pinyin_numbers=row["pinyin_numbers"], english=row["english"], english_source=row["english_source"],
                 category=row["category"], expansion=json.loads(row["expansion_json"]), frequency=row["frequency"],
                 documents=row["documents"], status=row["status"], matched_by=matched_by, contexts=contexts,
                 score=row["score"], score_reasons=row["score_reasons"], gloss=row["gloss"],
                 alternatives=[a for a in hidden_alternatives(row, row["english_source"]) if a["en"] != row["english"]],
                 memory_examples=memory_examples(row["memory_json"]))


def memory_examples(memory_json: str) -> list[dict]:
    """The aligned example pair (Chinese sentence, its English) of each harvested rendering."""
    memory = json.loads(memory_json) if memory_json else {}
    return [{"english": c["english"], "count": c["count"], "memory": c.get("memory", ""), "zh": c["example_zh"],
             "en": c["example_en"]} for c in memory.get("candidates", [])[:3] if c.get("example_zh")]
