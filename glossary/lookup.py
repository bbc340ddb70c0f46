"""Lookup: one term now, by its characters, its sound, or the English a translator half remembers.

Reads prepared columns of the termbase (search_pinyin: toneless pinyin run together;
initials; traditional; the effective English) with indexed SQL, and imports neither the
segmenter, OpenCC, pypinyin nor openpyxl, so that a cold `glossary lookup` starts fast.

Ranking: exact term, prefix, pinyin, initials, English words, substring, near miss (edit
distance up to 2); within a rank, by mining score.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import GlossaryError
from .store import EFFECTIVE_ENGLISH_SQL, pinyin_key, resolve_db_path

RANKS = ("exact", "prefix", "pinyin", "initials", "english", "substring", "near miss")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD_RE = re.compile(r"[a-z]{3,}")
_EFFECTIVE_ENGLISH = EFFECTIVE_ENGLISH_SQL
_SOURCE = ("CASE WHEN english_human != '' THEN (CASE WHEN status = 'approved' THEN 'approved' "
           "ELSE 'translator edit' END) WHEN english_imported != '' THEN 'imported: ' || english_imported_source "
           "ELSE english_auto_source END")
_COLUMNS = (f"id, term, traditional, variants_json, pinyin, pinyin_numbers, initials, search_pinyin, category, "
            f"expansion_json, frequency, documents, score, status, {_EFFECTIVE_ENGLISH} AS english, "
            f"{_SOURCE} AS english_source")


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

    def to_json(self) -> dict:
        return asdict(self)


def _connect(path: str | None) -> sqlite3.Connection:
    db = resolve_db_path(path)
    if not Path(db).exists():
        raise GlossaryError(f"no termbase at {db}; build one with `glossary build` (or point --db at one)")
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        connection.execute("SELECT search_pinyin FROM terms LIMIT 1")
    except sqlite3.DatabaseError as error:
        raise GlossaryError(f"{db} is not a glossary termbase ({error})") from None
    return connection


def lookup(query: str, db_path: str | None = None, limit: int = 10) -> list[Match]:
    """Entries matching `query`, best first."""
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
            for term_id, term, traditional, variants, score in connection.execute(
                    "SELECT id, term, traditional, variants_json, score FROM terms "
                    "WHERE instr(term, ?) > 0 OR instr(traditional, ?) > 0 OR instr(variants_json, ?) > 0",
                    (query, query, query)):
                if query in (term, traditional) or query in json.loads(variants):
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
            add(_english_matches(connection, query), "english")
        if not found:
            add(((row["id"], row["score"]) for row in _near_misses(connection, query)), "near miss")
        ordered = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))[:limit]
        rows = {row["id"]: row for row in connection.execute(
            f"SELECT {_COLUMNS} FROM terms WHERE id IN ({','.join('?' for _ in ordered)})",
            [term_id for term_id, _ in ordered])} if ordered else {}
        return [_match(connection, rows[term_id], RANKS[order]) for term_id, (order, _) in ordered]
    finally:
        connection.close()


def _english_matches(connection: sqlite3.Connection, query: str) -> list[tuple[int, float]]:
    """Entries whose English (approved, imported or automatic) has every word of the query."""
    words = re.findall(r"[a-z0-9']+", query.lower())
    if not words:
        return []
    # search_english is the English a translator sees, in lower case, kept by the termbase.
    clause = " AND ".join("instr(search_english, ?) > 0" for _ in words)
    pattern = re.compile("".join(rf"(?=.*\b{re.escape(w)})" for w in words))
    matches = []
    for term_id, score, english in connection.execute(
            f"SELECT id, score, search_english FROM terms WHERE {clause}", words):
        if pattern.match(english):
            matches.append((term_id, score))
    return matches


def _candidates(connection: sqlite3.Connection, query: str) -> tuple[list[str], list[tuple[int, float]]]:
    """Texts to compare a query with, and the (id, score) of the entry each belongs to: terms and
    traditional forms for Chinese, pinyin keys and the distinct English words for Latin input."""
    texts: list[str] = []
    owners: list[tuple[int, float]] = []
    if _CJK_RE.search(query):
        for term_id, term, traditional, score in connection.execute(
                "SELECT id, term, traditional, score FROM terms"):
            texts.append(term)
            owners.append((term_id, score))
            if traditional and traditional != term:
                texts.append(traditional)
                owners.append((term_id, score))
        return texts, owners
    words: dict[str, list[tuple[int, float]]] = {}
    for term_id, pinyin, english, score in connection.execute(
            "SELECT id, search_pinyin, search_english, score FROM terms"):
        texts.append(pinyin)
        owners.append((term_id, score))
        for word in _WORD_RE.findall(english):
            words.setdefault(word, []).append((term_id, score))
    # Each distinct English word once (the vocabulary is small), "upholds" also as "uphold".
    for word, entries in words.items():
        forms = [word, word[:-1]] if len(word) > 4 and word.endswith("s") else [word]
        for form in forms:
            for entry in entries:
                texts.append(form)
                owners.append(entry)
    return texts, owners


def _near_misses(connection: sqlite3.Connection, query: str, max_distance: int = 2) -> list[dict]:
    """Entries within `max_distance` edits: of the term, of its pinyin, or of each English word."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    cjk = bool(_CJK_RE.search(query))
    probe = query if cjk else pinyin_key(query)
    texts, owners = _candidates(connection, query)
    ranked = [(distance, owners[index]) for _, distance, index in
              extract(probe, texts, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=20)
              if len(probe) > distance]
    words = re.findall(r"[a-z]+", query.lower()) if not cjk else []
    if words:
        # Every English word of the query near some word of the entry's English.
        matching: dict[int, int] = {}
        scores: dict[int, float] = {}
        for position, word in enumerate(words):
            allowed = max_distance if len(word) >= 5 else min(1, max_distance)
            found: dict[int, int] = {}
            for _, distance, index in extract(word, texts, scorer=Levenshtein.distance, score_cutoff=allowed,
                                               limit=None):
                term_id, score = owners[index]
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


def suggestions(query: str, db_path: str | None = None, limit: int = 5) -> list[str]:
    """"Did you mean": the nearest terms by edit distance, looser than a near miss."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extract

    connection = _connect(db_path)
    try:
        texts, owners = _candidates(connection, query)
        probe = query if _CJK_RE.search(query) else pinyin_key(query) or query.lower()
        hits = extract(probe, texts, scorer=Levenshtein.normalized_distance, score_cutoff=0.6, limit=limit * 4)
        names = []
        for _, _, index in sorted(hits, key=lambda hit: hit[1]):
            row = connection.execute("SELECT term, pinyin FROM terms WHERE id = ?", (owners[index][0],)).fetchone()
            label = f"{row['term']} ({row['pinyin']})"
            if label not in names:
                names.append(label)
        return names[:limit]
    finally:
        connection.close()


def _match(connection: sqlite3.Connection, row: sqlite3.Row, matched_by: str) -> Match:
    contexts = [dict(c) for c in connection.execute(
        "SELECT document, text, term_start, traditional FROM contexts WHERE term_id = ? ORDER BY rank LIMIT 3",
        (row["id"],))]
    return Match(id=row["id"], term=row["term"], traditional=row["traditional"], pinyin=row["pinyin"],
                 pinyin_numbers=row["pinyin_numbers"], english=row["english"], english_source=row["english_source"],
                 category=row["category"], expansion=json.loads(row["expansion_json"]), frequency=row["frequency"],
                 documents=row["documents"], status=row["status"], matched_by=matched_by, contexts=contexts)
