"""Inputs other than plain text and HTML files: Word, PDF, web archives and scraper dumps.

A `.docx` or `.pdf` file is one document (`read_single`). A `.warc`/`.warc.gz` archive or a
`.jsonl`/`.jsonl.gz` dump holds many, streamed one record at a time (`iter_records`) so that
an archive is never loaded whole; each record names its file, where it is in the file (byte
offset of a WARC record, line of a JSONL dump) and the digest of its content, so a build of
a grown archive cleans only the records it has not seen. An uncompressed dump or a WARC that
only grew since a build read it (the bytes it read then are unchanged) is read from where
that build stopped (`ReadState`), not from its start.

The readers need the optional extra `glossary[inputs]`; its libraries are imported only when
a file needs them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from ..errors import GlossaryError

EXTRA_HINT = "pip install 'glossary[inputs]'"

# Suffix (as the name ends, lower case) → kind of input.
SUFFIXES = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
}
CONTAINERS = ("warc", "jsonl")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
# The library each kind needs (from the inputs extra); JSONL needs none.
LIBRARIES = {"docx": ("docx", "python-docx"), "pdf": ("pdfminer", "pdfminer.six"), "warc": ("warcio", "warcio")}

# Each document read from an archive is cut off here: a page larger than this is not an article.
MAX_RECORD_BYTES = 32 * 1024 * 1024


def kind_of(path: str | Path) -> str | None:
    name = str(path).lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    return None


def is_container(path: str | Path) -> bool:
    return kind_of(path) in CONTAINERS


def library_available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def require_readers(paths) -> None:
    """One line naming the extra when a file needs a reader that is not installed."""
    for path in paths:
        kind = kind_of(path)
        if kind in LIBRARIES:
            module, package = LIBRARIES[kind]
            if not library_available(module):
                raise GlossaryError(f"reading {Path(path).name} needs {package}: {EXTRA_HINT}")


_SPACE_RE = re.compile(r"\s")


@dataclass(frozen=True)
class Record:
    """One document inside an archive or dump, as streamed from it (payload not yet cleaned)."""

    path: str  # the archive file
    record: str  # where in the file: "offset 1234" (WARC) or "line 12" (JSONL)
    digest: str  # sha256 of what the record holds (URL and payload)
    payload: bytes | str | None  # None when the termbase already holds this record's document
    html: bool
    url: str | None = None
    title: str | None = None
    date: str | None = None
    charset: str | None = None

    @property
    def source_path(self) -> str:
        """The record's identity in the termbase's sources: absolute file path and record."""
        return f"{Path(self.path).resolve()}#{self.record}"

    @property
    def document_path(self) -> str:
        """The path shown in the Sources sheet and (file name onward) in contexts."""
        location = f"{self.path}#{self.record}"
        # A URL never holds a space; a scraper's field might, and the name must stay one token.
        return f"{location} {_SPACE_RE.sub('%20', self.url.strip())}" if self.url else location

    def without_payload(self) -> "Record":
        return Record(self.path, self.record, self.digest, None, self.html, self.url, self.title, self.date,
                      self.charset)


@dataclass(frozen=True)
class Skipped:
    """A record that is not a document (a redirect, an image, a duplicate, a malformed line)."""

    path: str
    record: str
    reason: str
    warn: bool = False  # malformed input is reported one by one; the ordinary skips are counted


@dataclass(frozen=True)
class Broken:
    """The rest of an archive could not be read (truncated or corrupt)."""

    path: str
    reason: str


def record_digest(*parts: bytes | str | None) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else (part or b"")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


_PROBE_BYTES = 64 * 1024


@dataclass(frozen=True)
class ReadState:
    """How far a build read an archive that may grow: `offset` bytes, after `records` lines
    (JSONL; 0 for a WARC, whose records are named by offset), with digests of the first and
    of the last bytes before `offset` to tell a grown file from a changed one."""

    offset: int
    records: int
    head: str
    tail: str
    text_field: str | None = None

    @classmethod
    def of(cls, path: str | Path, offset: int, records: int, text_field: str | None) -> "ReadState":
        return cls(offset, records, _digest_of_range(path, 0, min(offset, _PROBE_BYTES)),
                   _digest_of_range(path, max(0, offset - _PROBE_BYTES), offset), text_field)

    def holds_for(self, path: str | Path, text_field: str | None) -> bool:
        """Whether the file still starts with the bytes read then (it only grew, or is as it was)."""
        try:
            if os.path.getsize(path) < self.offset or text_field != self.text_field:
                return False
            return ReadState.of(path, self.offset, self.records, text_field) == self
        except OSError:
            return False

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> "ReadState | None":
        try:
            return cls(**json.loads(text)) if text else None
        except (TypeError, ValueError):
            return None


def _digest_of_range(path: str | Path, start: int, end: int) -> str:
    with open(path, "rb") as stream:
        stream.seek(start)
        return hashlib.sha256(stream.read(max(0, end - start))).hexdigest()


def resumable(path: str | Path) -> bool:
    """Archives read from a byte offset: plain JSONL and WARC (gzip members start anywhere a
    record does; a gzipped dump is one stream, read from its start)."""
    name = str(path).lower()
    return kind_of(path) == "warc" or (kind_of(path) == "jsonl" and not name.endswith(".gz"))


def iter_records(path: str | Path, text_field: str | None = None, known=frozenset(),
                 start: ReadState | None = None, finished: list | None = None
                 ) -> Iterator[Record | Skipped | Broken]:
    """Stream an archive's records; `known`: digests of records the termbase holds already.
    From `start` (a ReadState that holds for the file) when given; once the whole archive
    was read without a fault, the ReadState of its end is appended to `finished`."""
    kind = kind_of(path)
    if not resumable(path):
        start = None
    if kind == "warc":
        from .warc import iter_warc

        return iter_warc(Path(path), start.offset if start else 0, finished)
    if kind == "jsonl":
        from .jsonl import iter_jsonl

        return iter_jsonl(Path(path), text_field, known, (start.offset, start.records) if start else (0, 0),
                          finished)
    raise ValueError(f"{path} is not an archive")


def read_single(path: Path, data: bytes):
    """(text, metadata) of a .docx or .pdf file; ValueError (one line) when it cannot be read."""
    kind = kind_of(path)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    raise ValueError(f"{path} is not a Word or PDF file")


def skipped_summary(path: str, counts: dict[str, int]) -> str:
    return f"{path}: skipped " + ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
