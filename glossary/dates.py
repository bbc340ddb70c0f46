"""When each document was written, and where the tool learnt it.

A date comes from the page (a dateline or metadata line, read by clean.py), else from the
file's name (`20200525-05-01.txt`, `2019年…`, `gwr2024…`), else from a folder named like a
date (`202005/`), else it is unknown. `--date-pattern REGEX` reads other naming schemes; it is
tried before the built-in file-name rules. A date keeps the precision it was given with:
`2024-03-05`, `2020-05` or `2024`. Compared with full dates, a partial date stands for its first
day (`2024` sorts as 2024-01-01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import GlossaryError

SOURCE_PAGE = "page"
SOURCE_PATTERN = "--date-pattern"
SOURCE_FILE_NAME = "file name"
SOURCE_FOLDER = "folder"
SOURCE_UNKNOWN = "unknown"

_YEAR = r"((?:19|20)\d{2})"
# Separators between parts of a date in names: none, -, _ or . (20200525, 2020-05-25, 2020_05).
_SEP = r"[-_.]?"
# File names, most precise first. A year must not touch other digits (gwr2024 yes, 120245 no).
_NAME_RULES: tuple[re.Pattern, ...] = (
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"),
    re.compile(rf"(?<!\d){_YEAR}{_SEP}(0[1-9]|1[0-2]){_SEP}(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(rf"(?<!\d){_YEAR}\s*年\s*(\d{{1,2}})\s*月"),
    re.compile(rf"(?<!\d){_YEAR}[-_.](0[1-9]|1[0-2])(?!\d)"),
    re.compile(rf"(?<!\d){_YEAR}(?!\d)"),
)
# A folder counts only when its whole name is a date (202005, 2020-05, 2019年, 2024), so that
# peoples_daily_2019_2020/ dates nothing.
_FOLDER_RULES: tuple[re.Pattern, ...] = (
    re.compile(rf"{_YEAR}{_SEP}(0[1-9]|1[0-2]){_SEP}(0[1-9]|[12]\d|3[01])"),
    re.compile(rf"{_YEAR}{_SEP}(0[1-9]|1[0-2])"),
    re.compile(rf"{_YEAR}\s*年(?:\s*(\d{{1,2}})\s*月)?"),
    re.compile(rf"{_YEAR}"),
)
FOLDERS_LOOKED_AT = 3


@dataclass(frozen=True)
class DatedPath:
    date: str | None
    source: str


def format_date(year: str, month: str | None = None, day: str | None = None) -> str | None:
    """`2024`, `2024-03` or `2024-03-05`, or None when the parts are no calendar date."""
    try:
        y = int(year)
        m = int(month) if month else None
        d = int(day) if day else None
    except (TypeError, ValueError):
        return None
    if not 1000 <= y <= 2999:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    days = [31, 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not 1 <= d <= days[m - 1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def compile_date_pattern(text: str | None) -> re.Pattern | None:
    """The user's --date-pattern: named groups year (required), month, day; or up to three
    groups in that order."""
    if not text:
        return None
    try:
        pattern = re.compile(text)
    except re.error as error:
        raise GlossaryError(f"--date-pattern {text!r} is not a regular expression: {error}") from None
    if "year" not in pattern.groupindex and pattern.groups == 0:
        raise GlossaryError(f"--date-pattern {text!r} needs a group for the year: (?P<year>\\d{{4}}) "
                            "and optionally (?P<month>..) and (?P<day>..)")
    return pattern


def _pattern_date(pattern: re.Pattern, path: str) -> str | None:
    match = pattern.search(path)
    if not match:
        return None
    if "year" in pattern.groupindex:
        named = match.groupdict()
        return format_date(named.get("year"), named.get("month"), named.get("day"))
    groups = list(match.groups()[:3]) + [None, None]
    return format_date(groups[0], groups[1], groups[2])


def _first_rule(rules: tuple[re.Pattern, ...], text: str, whole: bool = False) -> str | None:
    for rule in rules:
        match = rule.fullmatch(text) if whole else rule.search(text)
        if match:
            date = format_date(*match.groups())
            if date:
                return date
    return None


def date_from_path(path: str, pattern: re.Pattern | None = None) -> DatedPath:
    """The date a file's path gives: --date-pattern, else its name, else a dated folder."""
    path = path.replace("\\", "/")
    if pattern is not None:
        date = _pattern_date(pattern, path)
        if date:
            return DatedPath(date, SOURCE_PATTERN)
    parts = [part for part in path.split("/") if part]
    if not parts:
        return DatedPath(None, SOURCE_UNKNOWN)
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", parts[-1])
    date = _first_rule(_NAME_RULES, stem)
    if date:
        return DatedPath(date, SOURCE_FILE_NAME)
    for folder in reversed(parts[-1 - FOLDERS_LOOKED_AT:-1]):
        date = _first_rule(_FOLDER_RULES, folder, whole=True)
        if date:
            return DatedPath(date, SOURCE_FOLDER)
    return DatedPath(None, SOURCE_UNKNOWN)


def date_key(date: str | None) -> str | None:
    """A date as a full ISO date for comparisons: a partial date stands for its first day."""
    if not date:
        return None
    return date + "-01-01"[len(date) - 4:] if len(date) < 10 else date


def parse_cli_date(text: str, option: str) -> str:
    """`2024`, `2024-03`, `2024-03-05` (or with / or .) given on the command line, as a key."""
    match = re.fullmatch(r"\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*", text or "")
    date = format_date(*match.groups()) if match else None
    if not date:
        raise GlossaryError(f"{option} {text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return date


def end_key(date: str) -> str:
    """The last day a (partial) date given as an upper bound covers: `2024` → 2024-12-31."""
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"  # compared as text, later than every day of that month
    return date


def period_of(date: str | None, by_month: bool) -> str:
    """The period a document counts in: its year, or its month when asked and known."""
    if not date:
        return "undated"
    if by_month and len(date) >= 7:
        return date[:7]
    return date[:4]


PAGE_DATE_TOLERANCE_DAYS = 7  # a page's date this close to its file name's full date is kept


def _named_day(paths: list[str], pattern: re.Pattern | None) -> DatedPath | None:
    """A full date (day precision) the file's name or --date-pattern gives, if any."""
    for path in sorted(set(paths)):
        found = date_from_path(path, pattern)
        if found.date and len(found.date) == 10 and found.source in (SOURCE_FILE_NAME, SOURCE_PATTERN):
            return found
    return None


def _within_days(first: str, second: str | None, days: int) -> bool:
    from datetime import date as calendar_date

    if not second:
        return False
    if len(second) != 10:
        return first.startswith(second)
    a, b = calendar_date.fromisoformat(first), calendar_date.fromisoformat(second)
    return abs((a - b).days) <= days


def assign_dates(termbase, cleaned: list[tuple[str, str]], pattern: re.Pattern | None = None) -> int:
    """Give each document of this build (absolute path, document hash) its date and its source:
    the page's date when it has one, else what its path says. Documents stored before this
    release without a source learn it too, from the path they were built from. Returns how
    many documents' dates changed."""
    connection = termbase.connection
    paths: dict[str, list[str]] = {}
    for path, document_hash in cleaned:
        paths.setdefault(document_hash, []).append(path)
    for document_hash, path in connection.execute(
            "SELECT hash, path FROM documents WHERE date_source IS NULL").fetchall():
        paths.setdefault(document_hash, []).append(path)
    changed = 0
    for document_hash, candidates in paths.items():
        row = connection.execute("SELECT date, date_source FROM documents WHERE hash = ?",
                                 (document_hash,)).fetchone()
        if row is None:
            continue
        date, source = row[0], row[1]
        if source == SOURCE_PAGE or (source is None and date):
            named = _named_day(candidates, pattern)
            if named and not _within_days(named.date, date, PAGE_DATE_TOLERANCE_DAYS):
                # Dates read from a page are found by heuristics; a full date deliberately put
                # in the file's name (20190215-08-01.txt) wins over a page date far from it.
                connection.execute("UPDATE documents SET date = ?, date_source = ? WHERE hash = ?",
                                   (named.date, named.source, document_hash))
                changed += 1
            elif source is None:
                connection.execute("UPDATE documents SET date_source = ? WHERE hash = ?", (SOURCE_PAGE, document_hash))
                changed += 1
            continue
        found = DatedPath(None, SOURCE_UNKNOWN)
        for path in sorted(set(candidates)):
            found = date_from_path(path, pattern)
            if found.date:
                break
        if (found.date, found.source) != (date, source):
            connection.execute("UPDATE documents SET date = ?, date_source = ? WHERE hash = ?",
                               (found.date, found.source, document_hash))
            changed += 1
    return changed
