"""Stage 5: the termbase, one SQLite file.

The path comes from `--db`, else the GLOSSARY_DB environment variable, else
`~/.local/share/glossary/termbase.sqlite3` (XDG_DATA_HOME honoured). The schema is versioned:
each entry of MIGRATIONS runs once, in order, and `schema_version` records how far a file is.

Machine fields (counts, pinyin, automatic English, contexts) are rewritten by every build.
Human fields (English given by a translator, status, notes) are written only by `set_human`
and import, each change recorded in `audit`, and never touched by a build.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
import zlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field as dataclass_field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from .errors import GlossaryError

STATUSES = ("new", "reviewed", "approved", "rejected")
HUMAN_FIELDS = ("english", "status", "notes")

MIGRATIONS: list[str] = [
    # 1: the first release.
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        name TEXT NOT NULL,
        title TEXT, date TEXT, publication TEXT, author TEXT,
        encoding TEXT, script TEXT,
        dropped_json TEXT NOT NULL DEFAULT '[]',
        mojibake_json TEXT NOT NULL DEFAULT '[]',
        sentences BLOB NOT NULL,
        counts BLOB NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE terms (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL UNIQUE,
        traditional TEXT NOT NULL DEFAULT '',
        variants_json TEXT NOT NULL DEFAULT '[]',
        category TEXT NOT NULL DEFAULT '',
        score REAL NOT NULL DEFAULT 0,
        frequency INTEGER NOT NULL DEFAULT 0,
        documents INTEGER NOT NULL DEFAULT 0,
        expansion_json TEXT NOT NULL DEFAULT '[]',
        expansion_source TEXT NOT NULL DEFAULT '',
        pinyin TEXT NOT NULL DEFAULT '',
        pinyin_marks TEXT NOT NULL DEFAULT '',
        pinyin_numbers TEXT NOT NULL DEFAULT '',
        pinyin_plain TEXT NOT NULL DEFAULT '',
        initials TEXT NOT NULL DEFAULT '',
        english_auto TEXT NOT NULL DEFAULT '',
        english_auto_source TEXT NOT NULL DEFAULT 'none',
        english_auto_detail TEXT NOT NULL DEFAULT '',
        english_alternatives_json TEXT NOT NULL DEFAULT '[]',
        components_json TEXT NOT NULL DEFAULT '[]',
        english_human TEXT NOT NULL DEFAULT '',
        english_imported TEXT NOT NULL DEFAULT '',
        english_imported_source TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'new',
        notes TEXT NOT NULL DEFAULT '',
        revision INTEGER NOT NULL DEFAULT 0,
        mined INTEGER NOT NULL DEFAULT 1,
        in_corpus INTEGER NOT NULL DEFAULT 1,
        forbidden INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE contexts (
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        document_hash TEXT NOT NULL,
        document TEXT NOT NULL,
        sentence INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        term_start INTEGER NOT NULL,
        traditional TEXT,
        PRIMARY KEY (term_id, rank)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        term_id INTEGER,
        term TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        who TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE INDEX terms_pinyin_plain ON terms(pinyin_plain);
    CREATE INDEX terms_initials ON terms(initials);
    CREATE INDEX terms_traditional ON terms(traditional);
    CREATE INDEX audit_term ON audit(term_id);
    """,
    # 2: a search key per term for fast lookup (pinyin run together, English words).
    """
    ALTER TABLE terms ADD COLUMN search_pinyin TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN search_english TEXT NOT NULL DEFAULT '';
    CREATE INDEX terms_search_pinyin ON terms(search_pinyin);
    """,
    # 3: outside glossaries (what they said that is not English to use) and hand-made merges.
    """
    ALTER TABLE terms ADD COLUMN imported_note TEXT NOT NULL DEFAULT '';
    CREATE TABLE merges (
        variant TEXT PRIMARY KEY,
        canonical TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 4: search_english becomes the English a translator sees (approved, imported or automatic).
    """
    UPDATE terms SET search_english = lower(CASE WHEN english_human != '' THEN english_human
        WHEN english_imported != '' THEN english_imported ELSE english_auto END);
    """,
    # 5: a document's token stream; its n-gram counts are recounted from it instead of stored
    # (documents stored before keep their full counts and no tokens).
    """
    ALTER TABLE documents ADD COLUMN tokens BLOB;
    """,
    # 6: the files a build has cleaned: where (absolute path), the digest of their bytes, and
    # the document each became (two encodings of one article are two sources of one document).
    """
    CREATE TABLE sources (
        path TEXT NOT NULL,
        digest TEXT NOT NULL,
        document_hash TEXT NOT NULL,
        PRIMARY KEY (path, digest)
    );
    CREATE INDEX sources_digest ON sources(digest);
    CREATE INDEX sources_document ON sources(document_hash);
    """,
    # 7: the words of the English a translator sees, for near misses without reading every entry.
    """
    CREATE TABLE english_words (
        word TEXT NOT NULL,
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        PRIMARY KEY (word, term_id)
    ) WITHOUT ROWID;
    CREATE INDEX english_words_term ON english_words(term_id);
    CREATE TABLE english_vocabulary (word TEXT PRIMARY KEY) WITHOUT ROWID;
    """,
]
# Migrations that need more than SQL: the Python step that runs after the SQL of that number.
DATA_MIGRATIONS = {7: lambda termbase: termbase.refresh_search()}
# Entry IDs are kept for the life of a termbase: a retired or merged entry waits in
# dormant_terms with every field it had and its ID, which no other entry is ever given
# (terms becomes AUTOINCREMENT); the audit keeps the translator's own English before each
# change (old_stored), so that an undo never turns machine English into a translator's.
MIGRATIONS.append("""
    CREATE TABLE dormant_terms (
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL,
        state TEXT NOT NULL,
        into_id INTEGER,
        row_json TEXT NOT NULL,
        contexts_json TEXT NOT NULL DEFAULT '[]',
        at TEXT NOT NULL
    );
    CREATE INDEX dormant_terms_term ON dormant_terms(term);
    CREATE INDEX dormant_terms_into ON dormant_terms(into_id);
    ALTER TABLE audit ADD COLUMN old_stored TEXT;
    """)
DATA_MIGRATIONS[len(MIGRATIONS)] = lambda termbase: termbase._ids_never_reused()
# Time (glossary/dates.py, glossary/timeline.py): where each document's date came from; how
# often each surface of an entry occurs in each document (for the documents and surfaces scanned
# so far, so a build scans only what is new); per entry its first and last sighting, its counts
# per period and whether it faded.
MIGRATIONS.append("""
    ALTER TABLE documents ADD COLUMN date_source TEXT;
    UPDATE documents SET date_source = 'page' WHERE date IS NOT NULL AND date != '';
    CREATE TABLE timeline_documents (document_hash TEXT PRIMARY KEY, characters INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE timeline_surfaces (surface TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE term_occurrences (
        surface TEXT NOT NULL,
        document_hash TEXT NOT NULL,
        frequency INTEGER NOT NULL,
        PRIMARY KEY (surface, document_hash)
    ) WITHOUT ROWID;
    CREATE INDEX term_occurrences_document ON term_occurrences(document_hash);
    ALTER TABLE terms ADD COLUMN first_seen TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN first_seen_document TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN last_seen TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN last_seen_document TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN periods_json TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE terms ADD COLUMN historical INTEGER NOT NULL DEFAULT 0;
    """)
# Covering indexes for lookup's two scans (characters anywhere in a term or its spellings; short
# words in its English, best score first): SQLite reads a narrow index, not the wide rows.
MIGRATIONS.append("""
    CREATE INDEX terms_lookup_characters ON terms(term, traditional, variants_json, score);
    CREATE INDEX terms_lookup_english ON terms(score, search_english);
    """)
# What each term's score rests on (frequency, documents, C-value, cohesion, boundary entropy,
# specificity, category), for the Score reasons column, the JSON export and lookup.
MIGRATIONS.append("""
    ALTER TABLE terms ADD COLUMN score_reasons TEXT NOT NULL DEFAULT '';
    """)
# The Gloss, the dictionary senses of a term's parts where no English meets the rules.
MIGRATIONS.append("""
    ALTER TABLE terms ADD COLUMN gloss TEXT NOT NULL DEFAULT '';
    """)
# Translation memories (TMX, XLIFF, aligned documents): their sentence pairs, and the English
# each term has there (a machine field, rewritten whenever memories or terms change).
MIGRATIONS.append("""
    CREATE TABLE memories (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        digest TEXT NOT NULL,
        format TEXT NOT NULL,
        segments INTEGER NOT NULL,
        document_hash TEXT,
        who TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE memory_pairs (
        memory_id INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
        segment INTEGER NOT NULL,
        zh TEXT NOT NULL,
        en TEXT NOT NULL
    );
    CREATE INDEX memory_pairs_memory ON memory_pairs(memory_id);
    ALTER TABLE terms ADD COLUMN english_memory TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN english_memory_source TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN english_memory_detail TEXT NOT NULL DEFAULT '';
    ALTER TABLE terms ADD COLUMN memory_json TEXT NOT NULL DEFAULT '';
    """)
# What an entry's machine pinyin and English were computed from (release, term, category,
# expansion), so that a build enriches only the terms whose key changed (glossary/enrich.py).
MIGRATIONS.append("""
    ALTER TABLE terms ADD COLUMN enrichment_key TEXT NOT NULL DEFAULT '';
    """)
# A counter of changes to what the workbook shows (entries and their contexts, documents,
# merges), kept by triggers, so that a build that changes nothing can tell that the workbook it
# wrote last is still up to date. Contexts are written with their entry (or deleted with it),
# whose trigger counts the change.
CHANGE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_counted AFTER {event} ON {table} "
    "BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'changes'; END"
    for table in ("terms", "documents", "merges") for event in ("INSERT", "UPDATE", "DELETE")]


def _create_change_triggers(termbase: "Termbase") -> None:
    for statement in CHANGE_TRIGGERS:  # one statement each: the SQL runner splits on semicolons
        termbase.connection.execute(statement)


MIGRATIONS.append("""
    INSERT OR IGNORE INTO meta(key, value) VALUES ('changes', '0');
    """)
DATA_MIGRATIONS[len(MIGRATIONS)] = _create_change_triggers

# The merged counts of the stored documents as the last build left them (n-grams from `keep`
# occurrences up, counting.grow_snapshot): a build that only adds documents counts just those.
# `key` names the documents and the counting they came from; any other corpus recounts.
MIGRATIONS.append("""
    CREATE TABLE count_snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        key TEXT NOT NULL,
        keep INTEGER NOT NULL,
        counts BLOB NOT NULL
    );
    """)
# The file's size, modification time and inode when it was read, and when that was: a file
# whose stat is unchanged since is not read again (pipeline.unchanged_files).
MIGRATIONS.append("""
    ALTER TABLE sources ADD COLUMN stat TEXT NOT NULL DEFAULT '';
    """)
# What the last build found of its candidates (screening) and of its kept terms (examples,
# traditional forms, expansions) in all its documents: a build that only adds documents looks
# in those alone for the terms looked for the same way (locate.FoundSnapshot). `key` names
# the documents and the release that looked.
MIGRATIONS.append("""
    CREATE TABLE found_snapshot (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        key TEXT NOT NULL,
        screened BLOB NOT NULL,
        located BLOB NOT NULL
    );
    """)
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a command waits for another one writing the termbase
ENGLISH_WORD_RE = re.compile(r"[a-z]{3,}")


def pinyin_key(text: str) -> str:
    """The pinyin search key: liǎng gè / liang3 ge4 / Liang Ge → liangge (ü and v both as u)."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.lower())
    letters = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z]", "", letters.replace("v", "u"))


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "glossary" / "termbase.sqlite3"


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("GLOSSARY_DB")
    return Path(from_env) if from_env else default_db_path()


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def current_user(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return "unknown"


def pack(value) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)


def unpack(blob: bytes):
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def pack_tokens(tokens: list[str]) -> bytes:
    """A token stream (no token holds a space) as compressed text."""
    return zlib.compress(" ".join(tokens).encode("utf-8"), 1)


def unpack_tokens(blob: bytes) -> list[str]:
    text = zlib.decompress(blob).decode("utf-8")
    return text.split(" ") if text else []


def document_counts(counts_blob: bytes, tokens_blob: bytes | None):
    """A stored document's partial counts: those stored, plus the n-grams of its tokens."""
    return documents_counts([(counts_blob, tokens_blob)])


def documents_counts(blobs: Iterable[tuple[bytes, bytes | None]]):
    """The merged partial counts of stored documents, given as (counts, tokens) blobs: their
    stored counts, plus the n-grams of all their tokens counted as one stream."""
    from .mine import DocumentCounts, count_tokens

    total = DocumentCounts()
    tokens: list[str] = []
    for counts_blob, tokens_blob in blobs:
        total.add(DocumentCounts.from_json(unpack(counts_blob)))
        if tokens_blob is not None:  # documents stored before migration 5 have full counts
            tokens.extend(unpack_tokens(tokens_blob))
    total.add(count_tokens(tokens))
    return total


def ngram_counts_in(args: tuple[list[tuple[bytes, bytes | None]], list[str]]) -> Counter:
    """How often each n-gram of `keys` occurs in stored documents, given as (counts, tokens)
    blobs: exactly what count_tokens counts for them, found by searching the stored token text
    (tokens joined by spaces) for " key " rather than counting every n-gram."""
    import ahocorasick_rs

    blobs, keys = args
    found: Counter = Counter()
    automaton = ahocorasick_rs.AhoCorasick([f" {key} " for key in keys])
    wanted = set(keys)
    for counts_blob, tokens_blob in blobs:
        if tokens_blob is None:  # stored before migration 5: its n-grams are in its counts
            ngrams = unpack(counts_blob)["ngrams"]
            found.update({key: ngrams[key] for key in wanted.intersection(ngrams)})
            continue
        text = " " + zlib.decompress(tokens_blob).decode("utf-8") + " "
        found.update(map(keys.__getitem__, [index for index, _, _ in
                                            automaton.find_matches_as_indexes(text, overlapping=True)]))
    return found


@dataclass
class TermRow:
    """A termbase entry as the exports and lookup see it."""

    id: int
    term: str
    traditional: str
    variants: list[str]
    category: str
    score: float
    frequency: int
    documents: int
    expansion: list[str]
    expansion_source: str
    pinyin: str
    pinyin_marks: str
    pinyin_numbers: str
    pinyin_plain: str
    initials: str
    english: str
    english_source: str
    english_detail: str
    english_alternatives: list[dict]
    components: list[dict]
    english_human: str
    status: str
    notes: str
    revision: int
    in_corpus: bool
    forbidden: bool
    contexts: list[dict]
    imported_note: str = ""
    score_reasons: str = ""
    gloss: str = ""  # the dictionary senses of the term's parts: a hint, never a rendering
    memory: dict = dataclass_field(default_factory=dict)  # candidates from translation memories, with examples


EFFECTIVE_ENGLISH_SQL = ("CASE WHEN english_human != '' THEN english_human "
                         "WHEN english_imported != '' THEN english_imported "
                         "WHEN english_memory != '' THEN english_memory ELSE english_auto END")
# The same, for a termbase whose schema is older than the memories (a data migration on the way).
EFFECTIVE_ENGLISH_SQL_BEFORE_MEMORIES = ("CASE WHEN english_human != '' THEN english_human "
                                         "WHEN english_imported != '' THEN english_imported ELSE english_auto END")
MEMORY_LABEL = "translation memory: "


def effective_english(row: sqlite3.Row) -> tuple[str, str, str]:
    """(English, source label, detail): approved > translator edit > imported > translation memory >
    reference > draft."""
    if row["english_human"]:
        label = "approved" if row["status"] == "approved" else "translator edit"
        return row["english_human"], label, ""
    if row["english_imported"]:
        return row["english_imported"], "imported: " + row["english_imported_source"], ""
    if "english_memory" in row.keys() and row["english_memory"]:
        return row["english_memory"], MEMORY_LABEL + row["english_memory_source"], row["english_memory_detail"]
    return row["english_auto"], row["english_auto_source"], row["english_auto_detail"]


busy_timeout_option: float | None = None  # --busy-timeout of the running command


def busy_timeout() -> float:
    """Seconds to wait for a termbase another command is writing: --busy-timeout, else
    GLOSSARY_BUSY_TIMEOUT, else 30."""
    if busy_timeout_option is not None:
        return busy_timeout_option
    value = os.environ.get("GLOSSARY_BUSY_TIMEOUT")
    try:
        return float(value) if value else DEFAULT_BUSY_TIMEOUT
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


def is_busy_error(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


def busy_message(path, error: BaseException | None = None) -> str:
    return (f"the termbase {path} is busy: another glossary command is writing to it and did not finish "
            f"within {busy_timeout():g} s; try again when it has finished (or raise --busy-timeout)")


def refuse_empty_file(path: Path) -> None:
    """A 0-byte file is no termbase: refuse it rather than quietly make one in its place."""
    if path.exists() and path.is_file() and path.stat().st_size == 0:
        raise GlossaryError(f"{path} is an empty file (0 bytes), not a glossary termbase; "
                            "delete it or point --db at a termbase")


class Termbase:
    def __init__(self, path: str | os.PathLike | None = None, create: bool = True):
        self.path = resolve_db_path(path)
        if not self.path.exists():
            if not create:
                raise GlossaryError(f"no termbase at {self.path}; run `glossary build` first")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        refuse_empty_file(self.path)
        try:
            self.connection = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout())
            self.connection.row_factory = sqlite3.Row
            # Migrations run before foreign keys are enforced: rebuilding a table (migration
            # of stable IDs) must not cascade into the tables that refer to it.
            self._migrate()
            self.connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            if is_busy_error(error):
                raise GlossaryError(busy_message(self.path, error)) from None
            if "readonly" in str(error):
                raise GlossaryError(f"cannot write the termbase {self.path}: it is read-only") from None
            raise GlossaryError(f"{self.path} is not a glossary termbase ({error})") from None

    # --- schema ---

    def schema_version(self) -> int:
        return self.connection.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise GlossaryError(f"{self.path} was written by a newer glossary (schema {version})")
        if version == len(MIGRATIONS):
            return
        if version == 0 and self.connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]:
            raise GlossaryError(f"{self.path} is an SQLite file but not a glossary termbase")
        with self.transaction():
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self.connection.execute(statement)
                if number in DATA_MIGRATIONS:
                    DATA_MIGRATIONS[number](self)
                self.connection.execute(f"PRAGMA user_version = {number}")

    def _ids_never_reused(self) -> None:
        """Give `terms` AUTOINCREMENT (the documented rebuild: new table, copy, drop, rename),
        so SQLite never hands out an ID twice, not even the highest one after it is retired;
        IDs that older releases deleted (seen in the audit) are not handed out again either."""
        connection = self.connection
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'terms'").fetchone()[0]
        if "AUTOINCREMENT" not in sql.upper():
            rebuilt = re.sub(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", "id INTEGER PRIMARY KEY AUTOINCREMENT", sql,
                             count=1, flags=re.IGNORECASE)
            rebuilt = re.sub(r"^CREATE TABLE\s+\"?terms\"?", "CREATE TABLE terms_rebuilt", rebuilt, count=1)
            extras = [row[0] for row in connection.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'terms' AND type IN ('index', 'trigger')"
                " AND sql IS NOT NULL")]
            connection.execute(rebuilt)
            connection.execute("INSERT INTO terms_rebuilt SELECT * FROM terms")
            connection.execute("DROP TABLE terms")
            connection.execute("ALTER TABLE terms_rebuilt RENAME TO terms")
            for statement in extras:
                connection.execute(statement)
        high = max(connection.execute("SELECT coalesce(max(id), 0) FROM terms").fetchone()[0],
                   connection.execute("SELECT coalesce(max(term_id), 0) FROM audit").fetchone()[0],
                   connection.execute("SELECT coalesce(max(id), 0) FROM dormant_terms").fetchone()[0])
        connection.execute("DELETE FROM sqlite_sequence WHERE name = 'terms'")
        connection.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('terms', ?)", (high,))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_busy_error(error):
                raise GlossaryError(busy_message(self.path, error)) from None
            raise
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- meta ---

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def changes(self) -> str:
        """A counter that moves with every change to entries, contexts, documents or merges."""
        return self.get_meta("changes", "") or ""

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- documents ---

    def document_hashes(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT hash FROM documents")}

    def add_document_record(self, record: dict) -> None:
        """Store one cleaned document's sentences, tokens and partial counts (the map output), packed."""
        self.connection.execute(
            "INSERT INTO documents(hash, path, name, title, date, publication, author, encoding, script,"
            " dropped_json, mojibake_json, sentences, counts, tokens, added_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (record["hash"], record["path"], record["name"], record["title"], record["date"], record["publication"],
             record["author"], record["encoding"], record["script"], record["dropped_json"],
             record["mojibake_json"], record["sentences"], record["counts"], record["tokens"], now()))

    def sources(self) -> dict[str, str]:
        """File digest → the hash of the document the file was cleaned into."""
        return dict(self.connection.execute(
            "SELECT digest, document_hash FROM sources WHERE document_hash IN (SELECT hash FROM documents)"))

    def documents_by_path(self) -> dict[str, set[str]]:
        """Absolute file path → the documents files at that path were cleaned into."""
        found: dict[str, set[str]] = {}
        for path, document_hash in self.connection.execute("SELECT path, document_hash FROM sources"):
            found.setdefault(path, set()).add(document_hash)
        return found

    def add_source(self, path: str, digest: str, document_hash: str, stat: str = "") -> None:
        self.connection.execute("INSERT INTO sources(path, digest, document_hash, stat) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT(path, digest) DO UPDATE SET stat = excluded.stat "
                                "WHERE excluded.stat != '' AND excluded.stat != sources.stat",
                                (path, digest, document_hash, stat))

    def source_stats(self) -> dict[str, tuple[str, str, str]]:
        """Absolute file path → (stat, digest, document hash) of the files last read there whose
        document the termbase still holds."""
        return {path: (stat, digest, document_hash) for path, digest, document_hash, stat in self.connection.execute(
            "SELECT path, digest, document_hash, stat FROM sources WHERE stat != '' "
            "AND document_hash IN (SELECT hash FROM documents)")}

    def remove_document(self, document_hash: str) -> None:
        """Forget a document (an earlier version of a file that has changed) and its sources."""
        self.connection.execute("DELETE FROM documents WHERE hash = ?", (document_hash,))
        self.connection.execute("DELETE FROM sources WHERE document_hash = ?", (document_hash,))

    def set_document_counts(self, document_hash: str, counts: bytes, tokens: bytes) -> None:
        self.connection.execute("UPDATE documents SET counts = ?, tokens = ? WHERE hash = ?",
                                (counts, tokens, document_hash))

    def documents(self) -> list[sqlite3.Row]:
        return self.connection.execute(
            "SELECT id, hash, path, name, title, date, publication, author, encoding, script, dropped_json,"
            " mojibake_json, added_at, date_source FROM documents ORDER BY name, id").fetchall()

    def stored_count_blobs(self, only: set[str] | None = None) -> list[tuple[bytes, bytes | None]]:
        """(counts, tokens) blobs of every document, or of those with hashes in `only`, in hash order."""
        return [(counts, tokens) for document_hash, counts, tokens in self.connection.execute(
            "SELECT hash, counts, tokens FROM documents ORDER BY hash") if only is None or document_hash in only]

    def count_snapshot(self) -> tuple[str, int, bytes] | None:
        """(key, keep, packed counts) of the merged counts the last build kept, if any."""
        row = self.connection.execute("SELECT key, keep, counts FROM count_snapshot").fetchone()
        return tuple(row) if row else None

    def set_count_snapshot(self, key: str | None, keep: int = 0, counts: bytes = b"") -> None:
        """Keep these merged counts for the next build (None: forget them)."""
        self.connection.execute("DELETE FROM count_snapshot")
        if key is not None:
            self.connection.execute("INSERT INTO count_snapshot(id, key, keep, counts) VALUES (1, ?, ?, ?)",
                                    (key, keep, counts))

    def found_snapshot(self) -> tuple[str, bytes, bytes] | None:
        """(key, packed screening findings, packed located findings) the last build kept, if any."""
        row = self.connection.execute("SELECT key, screened, located FROM found_snapshot").fetchone()
        return tuple(row) if row else None

    def set_found_snapshot(self, key: str | None, screened: bytes = b"", located: bytes = b"") -> None:
        """Keep these findings for the next build (None: forget them)."""
        self.connection.execute("DELETE FROM found_snapshot")
        if key is not None:
            self.connection.execute("INSERT INTO found_snapshot(id, key, screened, located) VALUES (1, ?, ?, ?)",
                                    (key, screened, located))

    def stored_counts(self, only: set[str] | None = None) -> Iterator:
        """The stored partial counts of every document, or of the documents with hashes in `only`."""
        for counts, tokens in self.stored_count_blobs(only):
            yield document_counts(counts, tokens)

    def stored_document_blobs(self, only: Iterable[str] | None = None) -> list[tuple]:
        """(hash, path, encoding, script, packed sentences) of every document, or of those with
        hashes in `only`, in hash order."""
        if only is None:
            return [tuple(row) for row in self.connection.execute(
                "SELECT hash, path, encoding, script, sentences FROM documents ORDER BY hash")]
        return [tuple(row) for row in self.connection.execute(
            "SELECT hash, path, encoding, script, sentences FROM documents "
            "WHERE hash IN (SELECT value FROM json_each(?)) ORDER BY hash", (json.dumps(sorted(only)),))]

    # --- terms ---

    def upsert_mined_terms_without_retiring(self, entries: list[dict]) -> dict[str, int]:
        """Add or update entries, leaving every other term as it is (bulk loads, benchmarks)."""
        return self.upsert_mined_terms(entries, retire=False)

    def upsert_mined_terms(self, entries: list[dict], retire: bool = True) -> dict[str, int]:
        """Write machine fields of mined terms; keep every human field. Returns counts by outcome.

        A term that comes back after it was retired gets its ID and human fields back ("returned");
        an untouched term the build no longer mines is retired, keeping its ID (dormant_terms).
        An entry whose machine fields and contexts are already stored as they are is not written
        again (a rebuild rewrites only what changed)."""
        stamp = now()
        existing = {row["term"]: row for row in self.connection.execute(
            "SELECT id, term, status, revision, english_human, notes, english_imported, mined, in_corpus"
            " FROM terms")}
        retired = dict(self.connection.execute("SELECT term, id FROM dormant_terms WHERE state = 'retired'"))
        stored = self._stored_machine_values()
        outcome = {"added": 0, "updated": 0, "retired": 0, "returned": 0}
        mined_terms = set()
        written: list[int] = []
        replaced_contexts: list[tuple[int]] = []
        new_contexts: list[tuple] = []
        for entry in entries:
            mined_terms.add(entry["term"])
            values = _machine_values(entry)
            contexts = [(context["document_hash"], context["document"], context["sentence"], context["start"],
                         context["end"], context["text"], context["term_start"], context["traditional"])
                        for context in entry["contexts"]]
            if entry["term"] not in existing and entry["term"] in retired:
                self.revive(retired[entry["term"]])
                existing[entry["term"]] = self.get_term(retired[entry["term"]])
                outcome["returned"] += 1
                outcome["updated"] -= 1
            if entry["term"] in existing:
                row = existing[entry["term"]]
                term_id = row["id"]
                if row["mined"] and row["in_corpus"] and stored.get(term_id) == (tuple(values.values()), contexts):
                    continue
                assignments = ", ".join(f"{k} = ?" for k in values)
                self.connection.execute(f"UPDATE terms SET {assignments}, mined = 1, in_corpus = 1, updated_at = ?"
                                        " WHERE id = ?", (*values.values(), stamp, term_id))
                outcome["updated"] += 1
                replaced_contexts.append((term_id,))
            else:
                columns = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                cursor = self.connection.execute(
                    f"INSERT INTO terms({columns}, created_at, updated_at) VALUES ({marks}, ?, ?)",
                    (*values.values(), stamp, stamp))
                term_id = cursor.lastrowid
                outcome["added"] += 1
            written.append(term_id)
            new_contexts.extend((term_id, rank, *context) for rank, context in enumerate(contexts))
        self.connection.executemany("DELETE FROM contexts WHERE term_id = ?", replaced_contexts)
        self.connection.executemany(
            "INSERT INTO contexts(term_id, rank, document_hash, document, sentence, start, end, text,"
            " term_start, traditional) VALUES (?,?,?,?,?,?,?,?,?,?)", new_contexts)
        # The lookup columns of the entries written; all of them when most were.
        self.refresh_search(None if len(written) * 4 > len(existing) else written)
        for term, row in list(existing.items()):
            if term in mined_terms or not retire:
                continue
            touched = row["revision"] > 0 or row["status"] != "new" or row["english_imported"]
            if touched:
                self.connection.execute("UPDATE terms SET mined = 0 WHERE id = ?", (row["id"],))
            else:
                self.make_dormant(row["id"], "retired")
                outcome["retired"] += 1
        return outcome

    def _stored_machine_values(self) -> dict[int, tuple[tuple, list[tuple]]]:
        """Per term ID: its machine values (in `_machine_values` order) and its contexts, as stored."""
        columns = ", ".join(_MACHINE_COLUMNS)
        values = {row[0]: tuple(row[1:]) for row in self.connection.execute(f"SELECT id, {columns} FROM terms")}
        contexts: dict[int, list[tuple]] = {}
        for row in self.connection.execute(
                "SELECT term_id, document_hash, document, sentence, start, end, text, term_start, traditional"
                " FROM contexts ORDER BY term_id, rank"):
            contexts.setdefault(row[0], []).append(tuple(row[1:]))
        return {term_id: (stored, contexts.get(term_id, [])) for term_id, stored in values.items()}

    def cached_enrichments(self) -> dict[str, tuple[str, dict]]:
        """Term → (enrichment key, the machine pinyin and English stored with it), for the
        entries a build enriched (see enrich.py)."""
        cached = {}
        for row in self.connection.execute(
                "SELECT term, enrichment_key, expansion_json, expansion_source, pinyin, pinyin_marks, pinyin_numbers,"
                " pinyin_plain, initials, english_auto, english_auto_source, english_auto_detail,"
                " english_alternatives_json, components_json, gloss FROM terms WHERE enrichment_key != ''"):
            cached[row[0]] = (row[1], {
                "expansion": json.loads(row[2]), "expansion_source": row[3], "pinyin": row[4],
                "pinyin_marks": row[5], "pinyin_numbers": row[6], "pinyin_plain": row[7], "initials": row[8],
                "english": row[9], "english_source": row[10], "english_detail": row[11],
                "english_alternatives": json.loads(row[12]), "components": json.loads(row[13]), "gloss": row[14]})
        return cached

    def _audit_human(self, term_id: int, term: str, field: str, old: str, new: str, stored: str,
                     who: str, stamp: str, action: str) -> None:
        """One human field's change in the audit. old_stored: the translator's own English
        before, so an undo puts back exactly that (and machine English stays machine English)."""
        self.connection.execute(
            "INSERT INTO audit(term_id, term, field, old, new, who, at, action, old_stored)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (term_id, term, field, old, new, who, stamp, action, stored if field == "english" else None))

    # --- entries that are not live: retired, or merged into another ---

    def make_dormant(self, term_id: int, state: str, into_id: int | None = None) -> None:
        """Take an entry out of the live terms, keeping every field and its ID for its return."""
        row = self.get_term(term_id)
        contexts = [dict(c) for c in self.connection.execute(
            "SELECT * FROM contexts WHERE term_id = ? ORDER BY rank", (term_id,))]
        self.connection.execute(
            "INSERT OR REPLACE INTO dormant_terms(id, term, state, into_id, row_json, contexts_json, at)"
            " VALUES (?,?,?,?,?,?,?)",
            (term_id, row["term"], state, into_id, json.dumps(dict(row), ensure_ascii=False),
             json.dumps(contexts, ensure_ascii=False), now()))
        self.connection.execute("DELETE FROM terms WHERE id = ?", (term_id,))

    def dormant(self, term_id: int) -> dict | None:
        """A retired or merged entry: its state, what it was merged into, its fields and contexts."""
        found = self.connection.execute("SELECT * FROM dormant_terms WHERE id = ?", (term_id,)).fetchone()
        if found is None:
            return None
        record = dict(found)
        record["row"] = json.loads(record.pop("row_json"))
        record["contexts"] = json.loads(record.pop("contexts_json"))
        return record

    def revive(self, term_id: int) -> None:
        """Bring a dormant entry back under its own ID, with the fields and contexts it had."""
        record = self.dormant(term_id)
        columns = {row[1] for row in self.connection.execute("PRAGMA table_info(terms)")}
        row = {k: v for k, v in record["row"].items() if k in columns}
        row["id"] = term_id
        row["updated_at"] = now()
        self.connection.execute(f"INSERT INTO terms({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                                tuple(row.values()))
        context_columns = {row[1] for row in self.connection.execute("PRAGMA table_info(contexts)")}
        for context in record["contexts"]:
            context = {k: v for k, v in context.items() if k in context_columns}
            context["term_id"] = term_id
            self.connection.execute(f"INSERT INTO contexts({', '.join(context)}) VALUES "
                                    f"({', '.join('?' for _ in context)})", tuple(context.values()))
        self.connection.execute("DELETE FROM dormant_terms WHERE id = ?", (term_id,))
        self.refresh_search([term_id])

    def resolve_id(self, term_id: int) -> tuple[str, sqlite3.Row | None, dict | None]:
        """Where an ID any earlier export showed stands now: ("live", row, None),
        ("merged", the live entry that absorbed it, its record), ("retired", None, its record),
        or ("unknown", None, None) for an ID this termbase never gave out."""
        row = self.get_term(term_id)
        if row is not None:
            return "live", row, None
        record = self.dormant(term_id)
        if record is None:
            return "unknown", None, None
        if record["state"] == "merged":
            target, seen = record["into_id"], {term_id}
            while target is not None and target not in seen:
                seen.add(target)
                live = self.get_term(target)
                if live is not None:
                    return "merged", live, record
                further = self.dormant(target)
                target = further["into_id"] if further and further["state"] == "merged" else None
        return "retired", None, record

    def set_dormant_human(self, term_id: int, changes: dict[str, str], who: str, action: str) -> bool:
        """Change human fields of a retired entry (shown when it returns), audited like set_human."""
        record = self.dormant(term_id)
        row = record["row"]
        current = self.human_values(row)
        stamp = now()
        changed = False
        for field, new in changes.items():
            stored = row["english_human"] if field == "english" else current[field]
            if new == stored:
                continue
            if field == "status" and new not in STATUSES:
                raise GlossaryError(f"unknown status {new!r} (one of {', '.join(STATUSES)})")
            row["english_human" if field == "english" else field] = new
            self._audit_human(term_id, row["term"], field, current[field], new, stored, who, stamp, action)
            changed = True
        if changed:
            row["revision"] = row.get("revision", 0) + 1
            row["updated_at"] = stamp
            self.connection.execute("UPDATE dormant_terms SET row_json = ? WHERE id = ?",
                                    (json.dumps(row, ensure_ascii=False), term_id))
        return changed

    def _effective_english_sql(self) -> str:
        columns = {row[1] for row in self.connection.execute("PRAGMA table_info(terms)")}
        return EFFECTIVE_ENGLISH_SQL if "english_memory" in columns else EFFECTIVE_ENGLISH_SQL_BEFORE_MEMORIES

    def refresh_search(self, term_ids: Iterable[int] | None = None) -> None:
        """Keep the lookup column and the table of its words in step with the English a
        translator sees (lower case)."""
        EFFECTIVE_ENGLISH_SQL = self._effective_english_sql()
        if term_ids is None:
            self.connection.execute(f"UPDATE terms SET search_english = lower({EFFECTIVE_ENGLISH_SQL})")
            self.connection.execute("DELETE FROM english_words")
            rows = self.connection.execute("SELECT id, search_english FROM terms").fetchall()
        else:
            ids = [(term_id,) for term_id in term_ids]
            self.connection.executemany(
                f"UPDATE terms SET search_english = lower({EFFECTIVE_ENGLISH_SQL}) WHERE id = ?", ids)
            self.connection.executemany("DELETE FROM english_words WHERE term_id = ?", ids)
            rows = [row for (term_id,) in ids for row in self.connection.execute(
                "SELECT id, search_english FROM terms WHERE id = ?", (term_id,))]
        pairs = [(word, term_id) for term_id, english in rows for word in set(ENGLISH_WORD_RE.findall(english))]
        self.connection.executemany("INSERT OR IGNORE INTO english_words(word, term_id) VALUES (?, ?)", pairs)
        # The distinct words, for near misses; a word no entry has any more finds nothing there.
        if term_ids is None:
            self.connection.execute("DELETE FROM english_vocabulary")
        self.connection.executemany("INSERT OR IGNORE INTO english_vocabulary(word) VALUES (?)",
                                    [(word,) for word in {word for word, _ in pairs}])

    def term_rows(self, include_rejected: bool = True) -> list[TermRow]:
        rows = self.connection.execute("SELECT * FROM terms ORDER BY (status = 'rejected'), score DESC,"
                                       " frequency DESC, term").fetchall()
        contexts: dict[int, list[dict]] = {}
        for context in self.connection.execute("SELECT * FROM contexts ORDER BY term_id, rank"):
            contexts.setdefault(context["term_id"], []).append(dict(context))
        result = []
        for row in rows:
            if not include_rejected and row["status"] == "rejected":
                continue
            result.append(_term_row(row, contexts.get(row["id"], [])))
        return result

    def get_term(self, term_id: int) -> sqlite3.Row | None:
        return self.connection.execute("SELECT * FROM terms WHERE id = ?", (term_id,)).fetchone()

    def find_term(self, text: str) -> sqlite3.Row | None:
        return self.connection.execute("SELECT * FROM terms WHERE term = ? OR traditional = ?",
                                       (text, text)).fetchone()

    def human_values(self, row: sqlite3.Row) -> dict[str, str]:
        english, _, _ = effective_english(row)
        return {"english": english, "status": row["status"], "notes": row["notes"]}

    def set_human(self, term_id: int, changes: dict[str, str], who: str, action: str) -> bool:
        """Change human fields of one term, recording each change; True when anything changed."""
        row = self.get_term(term_id)
        if row is None:
            raise GlossaryError(f"no term with ID {term_id}")
        current = self.human_values(row)
        stamp = now()
        changed = False
        for field, new in changes.items():
            if field not in HUMAN_FIELDS:
                raise ValueError(field)
            if field == "status" and new not in STATUSES:
                raise GlossaryError(f"unknown status {new!r} (one of {', '.join(STATUSES)})")
            # English is compared with the translator's own rendering, so that approving an
            # automatic rendering unchanged still records it as the approved one.
            stored = row["english_human"] if field == "english" else current[field]
            if new == stored:
                continue
            column = {"english": "english_human"}.get(field, field)
            self.connection.execute(f"UPDATE terms SET {column} = ?, updated_at = ? WHERE id = ?",
                                    (new, stamp, term_id))
            self._audit_human(term_id, row["term"], field, current[field], new, stored, who, stamp, action)
            changed = True
        if changed:
            self.connection.execute("UPDATE terms SET revision = revision + 1 WHERE id = ?", (term_id,))
            self.refresh_search([term_id])
        return changed

    def audit(self, term_id: int | None = None) -> list[sqlite3.Row]:
        if term_id is None:
            return self.connection.execute("SELECT * FROM audit ORDER BY id").fetchall()
        return self.connection.execute("SELECT * FROM audit WHERE term_id = ? ORDER BY id", (term_id,)).fetchall()


def _machine_values(entry: dict) -> dict:
    return {
        "term": entry["term"],
        "traditional": entry["traditional"],
        "variants_json": json.dumps(entry["variants"], ensure_ascii=False),
        "category": entry["category"],
        "score": entry["score"],
        "score_reasons": entry.get("score_reasons", ""),
        "frequency": entry["frequency"],
        "documents": entry["documents"],
        "expansion_json": json.dumps(entry["expansion"], ensure_ascii=False),
        "expansion_source": entry["expansion_source"],
        "pinyin": entry["pinyin"],
        "pinyin_marks": entry["pinyin_marks"],
        "pinyin_numbers": entry["pinyin_numbers"],
        "pinyin_plain": entry["pinyin_plain"],
        "initials": entry["initials"],
        "english_auto": entry["english"],
        "english_auto_source": entry["english_source"],
        "english_auto_detail": entry["english_detail"],
        "english_alternatives_json": json.dumps(entry["english_alternatives"], ensure_ascii=False),
        "components_json": json.dumps(entry["components"], ensure_ascii=False),
        "search_pinyin": pinyin_key(entry["pinyin_plain"]),
        "gloss": entry.get("gloss", ""),
        "enrichment_key": entry.get("enrichment_key", ""),
    }


_MACHINE_COLUMNS = ("term", "traditional", "variants_json", "category", "score", "frequency", "documents",
                    "expansion_json", "expansion_source", "pinyin", "pinyin_marks", "pinyin_numbers", "pinyin_plain",
                    "initials", "english_auto", "english_auto_source", "english_auto_detail",
                    "english_alternatives_json", "components_json", "search_pinyin", "enrichment_key")


def _term_row(row: sqlite3.Row, contexts: list[dict]) -> TermRow:
    english, source, detail = effective_english(row)
    return TermRow(
        id=row["id"], term=row["term"], traditional=row["traditional"],
        variants=json.loads(row["variants_json"]), category=row["category"], score=row["score"],
        frequency=row["frequency"], documents=row["documents"], expansion=json.loads(row["expansion_json"]),
        expansion_source=row["expansion_source"], pinyin=row["pinyin"], pinyin_marks=row["pinyin_marks"],
        pinyin_numbers=row["pinyin_numbers"], pinyin_plain=row["pinyin_plain"], initials=row["initials"],
        english=english, english_source=source, english_detail=detail,
        english_alternatives=json.loads(row["english_alternatives_json"])
        + [a for a in hidden_alternatives(row, source) if a["en"] != english],
        components=json.loads(row["components_json"]), english_human=row["english_human"],
        status=row["status"], notes=row["notes"], revision=row["revision"], in_corpus=bool(row["in_corpus"]),
        forbidden=bool(row["forbidden"]), contexts=contexts, imported_note=row["imported_note"],
        score_reasons=row["score_reasons"], gloss=row["gloss"],
        memory=json.loads(row["memory_json"]) if "memory_json" in row.keys() and row["memory_json"] else {})


def hidden_alternatives(row: sqlite3.Row, shown_source: str) -> list[dict]:
    """What a higher source hides, and the other candidates of the translation memories."""
    if "english_memory" not in row.keys():
        return []
    found = []
    memory_label = MEMORY_LABEL + row["english_memory_source"]
    if row["english_memory"] and shown_source != memory_label:
        found.append({"en": row["english_memory"], "source": memory_label, "detail": row["english_memory_detail"]})
    if row["english_auto"] and shown_source != row["english_auto_source"]:
        found.append({"en": row["english_auto"], "source": row["english_auto_source"],
                      "detail": row["english_auto_detail"]})
    memory = json.loads(row["memory_json"]) if row["memory_json"] else {}
    for candidate in memory.get("candidates", [])[1 if row["english_memory"] else 0:]:
        found.append({"en": candidate["english"], "source": MEMORY_LABEL + candidate.get("memory", ""),
                      "detail": f"{candidate['count']} of {memory.get('read', 0)} aligned pairs"
                                + (f"; confidence {memory.get('confidence', 0):.2f} ({memory.get('level')})"
                                   if not row["english_memory"] else "")})
    return found
