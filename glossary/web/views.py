"""What the pages show, read from the termbase: an entry with everything known about it, a page
of entries to browse, and the counts of what is left to review.

Pure functions of a Termbase; no Flask here. Columns the termbase gains in later releases
(a score's reasons, a gloss, first and last seen) are shown when they exist and skipped when
they do not, so a page never fails on an older or newer termbase.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from ..lookup import _SOURCE as ENGLISH_SOURCE_SQL
from ..store import EFFECTIVE_ENGLISH_SQL, STATUSES, Termbase, effective_english

PAGE_SIZE = 50
SORTS = {
    "score": "score DESC, frequency DESC, id",
    "frequency": "frequency DESC, score DESC, id",
    "term": "term, id",
}
ENGLISH_SOURCES = ("approved", "translator edit", "imported", "translation memory", "reference", "dictionary draft",
                   "none")
PREFIXED_SOURCES = {"imported", "translation memory"}  # labelled "imported: FILE" and so on
# Columns every page shows in its own place; any other column of `terms` is listed as it is.
SHOWN_COLUMNS = {
    "id", "term", "traditional", "variants_json", "category", "score", "frequency", "documents", "expansion_json",
    "expansion_source", "pinyin", "pinyin_marks", "pinyin_numbers", "pinyin_plain", "initials", "english_auto",
    "english_auto_source", "english_auto_detail", "english_alternatives_json", "components_json", "english_human",
    "english_imported", "english_imported_source", "status", "notes", "revision", "mined", "in_corpus", "forbidden",
    "created_at", "updated_at", "search_pinyin", "search_english", "imported_note", "gloss",
}
# Bookkeeping of other parts of the tool, never shown.
HIDDEN_COLUMNS = {"enrichment_key"}
# Fields that other parts of the tool add, shown by name, in this order, where the termbase has them.
OPTIONAL_FIELDS = (
    ("score_reasons", "Why this score"),
    ("score_reasons_json", "Why this score"),
    ("first_seen", "First seen"),
    ("first_seen_document", "First seen in"),
    ("last_seen", "Last seen"),
    ("last_seen_document", "Last seen in"),
    ("periods_json", "Seen by period"),
    ("historical", "Historical (no longer seen)"),
    ("examples_json", "Translation-memory examples"),
    ("tm_examples_json", "Translation-memory examples"),
)
EMPTY = (None, "", "[]", "{}", 0)


@dataclass
class Context:
    before: str
    hit: str
    after: str
    document: str
    title: str = ""
    date: str = ""
    publication: str = ""


@dataclass
class Entry:
    id: int
    term: str
    traditional: str
    variants: list[str]
    pinyin: str
    pinyin_numbers: str
    english: str
    english_source: str
    english_detail: str
    english_human: str
    alternatives: list[dict]
    components: list[dict]
    category: str
    expansion: list[str]
    expansion_source: str
    score: float
    frequency: int
    documents: int
    status: str
    notes: str
    revision: int
    in_corpus: bool
    imported_note: str
    gloss: str = ""
    contexts: list[Context] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    extras: list[tuple[str, object]] = field(default_factory=list)


def _json(text, default):
    try:
        return json.loads(text) if text else default
    except (TypeError, ValueError):
        return default


def split_context(text: str, term_start: int, spellings: list[str]) -> tuple[str, str, str]:
    """The sentence cut around the term (or one of its spellings), for highlighting."""
    for spelling in spellings:
        if spelling and 0 <= term_start and text[term_start:term_start + len(spelling)] == spelling:
            return text[:term_start], spelling, text[term_start + len(spelling):]
    for spelling in spellings:
        position = text.find(spelling) if spelling else -1
        if position >= 0:
            return text[:position], spelling, text[position + len(spelling):]
    return text, "", ""


def _extra_value(value):
    """A column added by a later release, in a form a template can show (text, list or mapping)."""
    if isinstance(value, str) and value[:1] in "[{":
        parsed = _json(value, None)
        if parsed is not None:
            return parsed
    return value


def entry(termbase: Termbase, term_id: int) -> Entry | None:
    row = termbase.get_term(term_id)
    if row is None:
        return None
    keys = set(row.keys())
    english, source, detail = effective_english(row)
    variants = _json(row["variants_json"], [])
    spellings = [row["term"], row["traditional"], *variants]
    contexts = []
    for context in termbase.connection.execute(
            "SELECT c.document, c.text, c.term_start, d.title, d.date, d.publication FROM contexts c"
            " LEFT JOIN documents d ON d.hash = c.document_hash WHERE c.term_id = ? ORDER BY c.rank", (term_id,)):
        before, hit, after = split_context(context["text"], context["term_start"], spellings)
        contexts.append(Context(before, hit, after, context["document"], context["title"] or "",
                                context["date"] or "", context["publication"] or ""))
    history = [dict(change) for change in reversed(termbase.audit(term_id))]
    extras = []
    named = set()
    for column, label in OPTIONAL_FIELDS:
        if column in keys and row[column] not in EMPTY:
            extras.append((label, _extra_value(row[column])))
            named.add(column)
    for column in sorted(keys - SHOWN_COLUMNS - HIDDEN_COLUMNS - named - {c for c, _ in OPTIONAL_FIELDS}):
        if row[column] not in EMPTY:
            extras.append((column.replace("_json", "").replace("_", " ").capitalize(), _extra_value(row[column])))
    return Entry(
        id=row["id"], term=row["term"], traditional=row["traditional"], variants=variants, pinyin=row["pinyin"],
        pinyin_numbers=row["pinyin_numbers"], english=english, english_source=source, english_detail=detail,
        english_human=row["english_human"], alternatives=_json(row["english_alternatives_json"], []),
        components=_json(row["components_json"], []), category=row["category"],
        expansion=_json(row["expansion_json"], []), expansion_source=row["expansion_source"], score=row["score"],
        frequency=row["frequency"], documents=row["documents"], status=row["status"], notes=row["notes"],
        revision=row["revision"], in_corpus=bool(row["in_corpus"]), imported_note=row["imported_note"],
        gloss=row["gloss"] if "gloss" in keys else "", contexts=contexts, history=history, extras=extras)


@dataclass
class Page:
    rows: list[sqlite3.Row]
    total: int
    page: int
    pages: int


def browse(termbase: Termbase, category: str = "", status: str = "", source: str = "", sort: str = "score",
           page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """One page of entries, filtered by category, status and English source."""
    conditions, arguments = [], []
    if category:
        conditions.append("category = ?")
        arguments.append(category)
    if status in STATUSES:
        conditions.append("status = ?")
        arguments.append(status)
    if source in PREFIXED_SOURCES:
        conditions.append(f"({ENGLISH_SOURCE_SQL}) LIKE ?")
        arguments.append(source + ":%")
    elif source in ENGLISH_SOURCES:
        conditions.append(f"({ENGLISH_SOURCE_SQL}) = ?")
        arguments.append(source)
    where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    connection = termbase.connection
    total = connection.execute(f"SELECT count(*) FROM terms {where}", arguments).fetchone()[0]
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = connection.execute(
        f"SELECT id, term, traditional, pinyin, category, score, frequency, documents, status,"
        f" {EFFECTIVE_ENGLISH_SQL} AS english, {ENGLISH_SOURCE_SQL} AS english_source FROM terms {where}"
        f" ORDER BY {SORTS.get(sort, SORTS['score'])} LIMIT ? OFFSET ?",
        [*arguments, page_size, (page - 1) * page_size]).fetchall()
    return Page(rows, total, page, pages)


def categories(termbase: Termbase) -> list[str]:
    return [row[0] for row in termbase.connection.execute(
        "SELECT category FROM terms GROUP BY category ORDER BY count(*) DESC, category") if row[0]]


def status_counts(termbase: Termbase) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(termbase.connection.execute("SELECT status, count(*) FROM terms GROUP BY status")))
    return counts
