"""Text that goes into spreadsheets and CSV files: never a formula, never an illegal character."""

from __future__ import annotations

import re

EXCEL_CELL_LIMIT = 32_767
TRUNCATION_MARK = " …[truncated]"
# XML 1.0 forbids these; openpyxl refuses them, Excel reports a corrupt file.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """A string safe for a spreadsheet cell: illegal characters gone, length within Excel's limit."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return value


def csv_text(value: str) -> str:
    """A CSV field no spreadsheet will evaluate: a leading apostrophe before = + - @."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unguarded(value: str) -> str:
    """Our own CSV or OmegaT text read back: the apostrophe csv_text put before = + - @ removed."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES[:4]):
        return value[1:]
    return value
