"""Web pages inside archives and dumps: the page title, and the text handed to cleaning."""

from __future__ import annotations

import html
import re

_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)


def page_title(page: str) -> str | None:
    match = _TITLE_RE.search(page[:200000])
    if not match:
        return None
    title = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))).strip()
    return title or None


def page_text(page: str) -> str:
    """What cleaning starts from: the page itself (see benchmarks/eval_html.py for why not a
    main-content extractor's output)."""
    return page
