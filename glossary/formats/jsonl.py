"""JSON Lines dumps (.jsonl, .jsonl.gz), as Scrapy, trafilatura and most crawl tools write them:
one page per line. The text comes from `text_field`, else the first of text, content, html,
body present; HTML in it is detected and cleaned like a page. A malformed line is reported by
its number and skipped. The file is streamed line by line."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import Iterator

from . import MAX_RECORD_BYTES, Broken, Record, Skipped, record_digest

TEXT_FIELDS = ("text", "content", "html", "body")
URL_FIELDS = ("url", "link", "uri", "source_url", "href")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "publish_date", "published_at", "pubdate", "pub_date", "datetime", "time",
               "created_at")
_HTML_RE = re.compile(r"<(?:html|head|body|p|div|br|span|table|a|h[1-6]|li|article|section)\b[^<>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return len(_HTML_RE.findall(text[:20000])) >= 2 or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def _first_string(item: dict, names) -> str | None:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _open(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def iter_jsonl(path: Path, text_field: str | None = None, known=frozenset(), start: tuple[int, int] = (0, 0),
               finished: list | None = None) -> Iterator[Record | Skipped | Broken]:
    """Records of a dump, from byte `start[0]` after line `start[1]`; a line whose digest is in
    `known` (the termbase holds its document) is not even parsed. Read to its end, the dump's
    ReadState (after its last complete line) is appended to `finished`."""
    from . import ReadState, resumable

    offset, number = start
    complete = (offset, number)  # the end of the last line read whole (a last line may still be written)
    try:
        with _open(path) as stream:
            if offset:
                stream.seek(offset)
            while True:
                # A line is read at most MAX_RECORD_BYTES at a time: one giant line never fills memory.
                line = stream.readline(MAX_RECORD_BYTES + 1)
                if not line:
                    break
                number += 1
                offset += len(line)
                if line.endswith(b"\n"):
                    complete = (offset, number)
                where = f"line {number}"
                if len(line) > MAX_RECORD_BYTES:
                    while line and not line.endswith(b"\n"):
                        line = stream.readline(MAX_RECORD_BYTES)
                        offset += len(line)
                    if line.endswith(b"\n"):
                        complete = (offset, number)
                    yield Skipped(str(path), where, "too large for an article", warn=True)
                    continue
                if not line.strip():
                    continue
                digest = record_digest(line.strip())
                if digest in known:
                    yield Record(path=str(path), record=where, digest=digest, payload=None, html=False)
                    continue
                try:
                    item = json.loads(line)
                except (ValueError, UnicodeDecodeError) as error:
                    yield Skipped(str(path), where, f"malformed JSON ({error})".split("\n")[0], warn=True)
                    continue
                if not isinstance(item, dict):
                    yield Skipped(str(path), where, "malformed: not a JSON object", warn=True)
                    continue
                if text_field:
                    value = item.get(text_field)
                    text = value.strip() if isinstance(value, str) and value.strip() else None
                else:
                    text = _first_string(item, TEXT_FIELDS)
                if text is None:
                    wanted = text_field or "/".join(TEXT_FIELDS)
                    yield Skipped(str(path), where, f"no text in field {wanted}", warn=True)
                    continue
                date_text = _first_string(item, DATE_FIELDS)
                yield Record(path=str(path), record=where, digest=digest, payload=text,
                             html=looks_like_html(text), url=_first_string(item, URL_FIELDS),
                             title=_first_string(item, TITLE_FIELDS),
                             date=date_text)
    except (OSError, EOFError, zlib.error) as error:
        reason = f"{type(error).__name__}: {error}".split("\n")[0]
        yield Broken(str(path), f"unreadable after line {number} ({reason})")
        return
    if finished is not None and resumable(path):
        finished.append(ReadState.of(path, *complete, text_field))
