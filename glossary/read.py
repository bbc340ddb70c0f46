"""Stage 1: find documents on disk and decode them, whatever encoding the site used."""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from charset_normalizer import from_bytes

from . import formats
from .errors import GlossaryError
from .hanzi import is_common_hanzi

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".text", ".shtml")

# Chinese pages are written in one of these; anything else charset-normalizer guesses for
# CJK bytes is a near miss (e.g. cp949 for GB18030), so we prefer these when they decode.
CHINESE_ENCODINGS = ("utf_8", "gb18030", "big5", "big5hkscs")


@dataclass(frozen=True)
class RawDocument:
    path: str
    text: str
    encoding: str
    size: int
    # Known from the file's format rather than its text (Word properties, a dump's fields).
    title: str | None = None
    date: str | None = None


def find_documents(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand files and folders (recursively) into a sorted list of candidate text files."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GlossaryError(f"no such file or folder: {path}")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (child.suffix.lower() in TEXT_SUFFIXES or formats.kind_of(child)):
                    found.append(child)
        else:
            found.append(path)
    formats.require_readers(found)
    return found


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def _looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return len(sample) > 0 and control / len(sample) > 0.05


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole file; return (text, encoding name). Raises ValueError if undecodable."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:8192]:
        found = _utf16_without_bom(data)
        if found is not None:
            return found
    if _looks_binary(data):
        raise ValueError("binary file")
    text = _strict_decode(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is not None:
        text = _strict_decode(data, best.encoding)
        if text is not None:
            return text, _canonical(best.encoding)
    # GB18030 and Big5 byte ranges overlap; when the detector gives up, take the one that
    # decodes strictly and yields more common CJK characters.
    candidates = []
    for encoding in ("gb18030", "big5"):
        text = _strict_decode(data, encoding)
        if text is not None:
            candidates.append((_common_cjk_share(text), encoding, text))
    if candidates:
        _, encoding, text = max(candidates)
        return text, encoding
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("undecodable text")
    return str(best), _canonical(best.encoding)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte order mark (some Windows tools): the byte order whose
    decoding is plain text, mostly CJK, wins; anything else stays binary."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict_decode(data, encoding)
        if not text:
            continue
        controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
        cjk = sum(1 for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
        if controls == 0 and cjk >= max(1, len(text) // 10):
            return text, encoding
    return None


def _common_cjk_share(text: str) -> float:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if is_common_hanzi(c)) / len(cjk)


def _canonical(name: str) -> str:
    return codecs.lookup(name).name


def source_digest(data: bytes) -> str:
    """Names a file's exact bytes: a build skips files whose bytes the termbase has cleaned."""
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path) -> RawDocument:
    return document_from_bytes(path, path.read_bytes())


def document_from_bytes(path: Path, data: bytes) -> RawDocument:
    """Decode a file's bytes (raises ValueError when they are empty or not text)."""
    if not data.strip():
        raise ValueError("empty file")
    if formats.is_container(path):
        # Many documents, streamed by pipeline.work_batches; never one document of its bytes.
        raise ValueError("an archive of many documents: its records are read by `glossary build` without --cluster")
    if formats.kind_of(path) in ("docx", "pdf"):
        text, meta = formats.read_single(path, data)
        if not text.strip():
            raise ValueError("no text in it")
        return RawDocument(path=str(path), text=text, encoding=meta["encoding"], size=len(data),
                           title=meta.get("title"), date=meta.get("date"))
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise ValueError("empty file")
    if str(path).lower().endswith(formats.HTML_SUFFIXES):
        from .formats.html import page_document

        text, meta = page_document(text)
        return RawDocument(path=str(path), text=text, encoding=encoding, size=len(data), title=meta.get("title"),
                           date=meta.get("date"))
    return RawDocument(path=str(path), text=text, encoding=encoding, size=len(data))


def read_documents(
    paths: Iterable[str | os.PathLike], warn: Callable[[str], None] | None = None, text_field: str | None = None
) -> Iterator[RawDocument]:
    """Yield every readable document under paths; warn (one line) about each skipped file."""
    files = find_documents(paths)
    if not files:
        raise GlossaryError("no text documents found (looked for " + ", ".join(TEXT_SUFFIXES + tuple(formats.SUFFIXES)) + ")")
    yielded = 0
    for path in files:
        if formats.is_container(path):
            for document in raw_documents(path, warn, text_field):
                yielded += 1
                yield document
            continue
        try:
            document = read_document(path)
        except (ValueError, OSError) as error:
            if warn:
                warn(f"skipped {path}: {error}")
            continue
        yielded += 1
        yield document
    if yielded == 0:
        raise GlossaryError("no readable document in the given paths")


def raw_from_record(record: formats.Record) -> RawDocument:
    """The decoded document of one archive record (its HTML reduced by `html.page_text`)."""
    from .formats.html import page_document

    payload = record.payload
    if isinstance(payload, bytes):
        text = None
        if record.charset:
            try:
                text, encoding = payload.decode(record.charset), record.charset.lower()
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text, encoding = decode_bytes(payload)
        size = len(payload)
    else:
        text, encoding, size = payload or "", "utf-8", len((payload or "").encode("utf-8"))
    title, date = record.title, record.date
    if record.html:
        text, meta = page_document(text)
        title, date = title or meta.get("title"), date or meta.get("date")
    if not text.strip():
        raise ValueError("no text in it")
    return RawDocument(path=record.document_path, text=text, encoding=encoding, size=size, title=title, date=date)


def raw_documents(path, warn=None, text_field: str | None = None):
    """Every document of an archive, decoded (for `glossary clean`); skips are reported."""
    counts: dict[str, int] = {}
    for item in formats.iter_records(path, text_field):
        if isinstance(item, formats.Broken):
            if warn:
                warn(f"skipped the rest of {item.path}: {item.reason}")
        elif isinstance(item, formats.Skipped):
            if item.warn and warn:
                warn(f"skipped {item.path} {item.record}: {item.reason}")
            elif not item.warn:
                counts[item.reason] = counts.get(item.reason, 0) + 1
        else:
            try:
                yield raw_from_record(item)
            except ValueError as error:
                if warn:
                    warn(f"skipped {item.path} {item.record}: {error}")
    if counts and warn:
        warn(formats.skipped_summary(str(path), counts))
