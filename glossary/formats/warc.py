"""Web archives (.warc, .warc.gz, as wget, Heritrix, Browsertrix and the Internet Archive write
them): every HTML response is a document, its URL the source. Redirects, other HTTP statuses,
non-HTML payloads, revisit records and payloads already seen in the archive are skipped and
counted. Records are streamed: the archive is never loaded whole."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from . import MAX_RECORD_BYTES, Broken, Record, Skipped, record_digest

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def iter_warc(path: Path, start: int = 0, finished: list | None = None) -> Iterator[Record | Skipped | Broken]:
    """Records from byte `start` (where an earlier read ended); read to its end, the archive's
    ReadState is appended to `finished`."""
    from warcio.archiveiterator import ArchiveIterator

    from . import ReadState

    payloads: set[str] = set()
    count = 0
    with open(path, "rb") as stream:
        if start:
            stream.seek(start)
        records = ArchiveIterator(stream, no_record_parse=False, arc2warc=True)
        try:
            for record in records:
                # (warcio finds an uncompressed record's offset by reading past its content: ask
                # only once the content is read or not needed.)
                def where() -> str:
                    return f"offset {records.get_record_offset()}"

                kind = record.rec_type
                count += 1
                if kind == "revisit":
                    yield Skipped(str(path), where(), "duplicate payload (revisit record)")
                    continue
                if kind not in ("response", "resource"):
                    continue  # requests, metadata, warcinfo: not pages
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.http_headers is not None:
                    status = record.http_headers.get_statuscode() or ""
                    content_type = record.http_headers.get_header("Content-Type") or ""
                    if status.startswith("3"):
                        yield Skipped(str(path), where(), "redirect")
                        continue
                    if status != "200":
                        yield Skipped(str(path), where(), f"HTTP status {status or 'missing'}")
                        continue
                else:
                    content_type = record.rec_headers.get_header("Content-Type") or ""
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    yield Skipped(str(path), where(), "not HTML")
                    continue
                payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
                if len(payload) > MAX_RECORD_BYTES:
                    yield Skipped(str(path), where(), "too large for an article", warn=True)
                    continue
                if not payload.strip():
                    yield Skipped(str(path), where(), "empty payload")
                    continue
                payload_digest = record_digest(payload)
                if payload_digest in payloads:
                    yield Skipped(str(path), where(), "duplicate payload")
                    continue
                payloads.add(payload_digest)
                yield Record(path=str(path), record=where(), digest=record_digest(url, payload), payload=payload,
                             html=True, url=url, charset=_charset(content_type))
        except Exception as error:  # warcio, gzip and zlib all raise their own kinds on a damaged archive
            reason = f"{type(error).__name__}: {error}".split("\n")[0]
            yield Broken(str(path), f"unreadable after {count} records ({reason})")
            return
        end = stream.tell()
    if finished is not None:
        finished.append(ReadState.of(path, end, 0, None))
