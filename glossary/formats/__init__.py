"""Inputs other than plain text and HTML files: Word, PDF, web archives and scraper dumps.

A `.docx` or `.pdf` file is one document (`read_single`). A `.warc`/`.warc.gz` archive or a
`.jsonl`/`.jsonl.gz` dump holds many, streamed one record at a time (`iter_records`) so that
an archive is never loaded whole; each record names its file, where it is in the file (byte
offset of a WARC record, line of a JSONL dump) and the digest of its content, so a build of
a grown archive cleans only the records it has not seen.

The readers need the optional extra `glossary[inputs]`; its libraries are imported only when
a file needs them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from dataclasses import dataclass
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


def iter_records(path: str | Path, text_field: str | None = None,
                 known=frozenset()) -> Iterator[Record | Skipped | Broken]:
    """Stream an archive's records; `known`: digests of records the termbase holds already."""
    kind = kind_of(path)
    if kind == "warc":
        from .warc import iter_warc

        return iter_warc(Path(path))
    if kind == "jsonl":
        from .jsonl import iter_jsonl

        return iter_jsonl(Path(path), text_field, known)
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
