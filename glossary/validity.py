"""What may be a term: text holding a Chinese (Han) character, or a numbered formula such as
1+1+9+N (the "1 Party committee + 1 government + 9 departments + N units" kind of slogan)."""

from __future__ import annotations

import re
import unicodedata

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
FORMULA_RE = re.compile(r"[0-9]+(\+([0-9]+|N))+")


def is_term(text: str) -> bool:
    text = unicodedata.normalize("NFKC", text.strip())
    return bool(HAN_RE.search(text) or FORMULA_RE.fullmatch(text))


def term_problem(text: str) -> str | None:
    """None for a term; otherwise the one-line reason it is refused."""
    if is_term(text):
        return None
    return (f"{text!r} is not a term (a term holds a Chinese character or is a numbered formula "
            "such as 1+1+9+N)")
