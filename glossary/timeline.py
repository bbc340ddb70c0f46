"""Entries over time: first and last sighting, counts per period, what is new, what faded.

After each build the termbase knows, for every surface of every entry (the term and its
variants) and every stored document, how often the surface occurs in the document's minable
sentences (those free of mojibake, as the miner counts them). The table is kept incrementally:
a build scans its new documents for every surface, and the documents stored before only for
surfaces no build has scanned for yet; the rows of forgotten documents and surfaces are
dropped. Whatever order documents arrive in, the table holds the same counts, so the dates,
periods and rankings derived from it (and from the documents' dates) are the same as those of
one build of the whole corpus.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Iterator

from .dates import date_key, end_key, period_of
from .store import Termbase, unpack

FADED_YEARS = 3  # last seen this many years or more before the corpus ends: historical
BY_MONTH_MAX_MONTHS = 36  # corpora spanning up to this many months are counted per month
CATEGORY_SLOGAN = "numbered slogan"
_NOT_CJK_RE = re.compile("[^\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]+")


def _cjk_characters(text: str) -> int:
    return len(_NOT_CJK_RE.sub("", text))


def minable_text(blob: bytes) -> tuple[str, int]:
    """A stored document's sentences free of mojibake, each after a newline (no surface holds
    one, so no match spans two sentences), and how many Chinese characters they hold."""
    texts = [item[4] for item in unpack(blob) if not item[6]] if blob else []
    text = "\n" + "\n".join(texts) + "\n"
    return text, _cjk_characters(text)


class SurfaceCounter:
    """Counts a fixed set of surfaces in texts with one Aho-Corasick automaton (overlapping
    matches, as the miner counts)."""

    def __init__(self, surfaces: list[str]):
        import ahocorasick_rs

        self.surfaces = [surface for surface in surfaces if surface and "\n" not in surface]
        self.automaton = ahocorasick_rs.AhoCorasick(self.surfaces) if self.surfaces else None

    def count(self, text: str) -> Counter:
        if self.automaton is None:
            return Counter()
        surfaces = self.surfaces
        return Counter(surfaces[index] for index, _, _ in
                       self.automaton.find_matches_as_indexes(text, overlapping=True))


def entry_surfaces(termbase: Termbase) -> dict[int, list[str]]:
    """Entry ID → its surfaces: the term and its variants, each once."""
    found = {}
    for term_id, term, variants in termbase.connection.execute("SELECT id, term, variants_json FROM terms"):
        surfaces = [term] + [variant for variant in json.loads(variants or "[]") if variant != term]
        found[term_id] = [surface for surface in dict.fromkeys(surfaces) if surface and "\n" not in surface]
    return found


@dataclass
class TimelineSummary:
    documents: int = 0
    dated: int = 0
    undated: list[str] = field(default_factory=list)  # names of the documents without a date
    sources: dict[str, int] = field(default_factory=dict)  # date source → documents
    first: str | None = None
    last: str | None = None
    by_month: bool = False
    scanned_documents: int = 0  # documents scanned by this refresh (all surfaces)
    scanned_surfaces: int = 0  # surfaces looked for in the documents scanned before


def scan_stored(termbase: Termbase, work: dict[str, list[str]]) -> Iterator[tuple[str, int, Counter]]:
    """(document, its Chinese characters, surface → count) for each stored document of `work`
    (document → surfaces to count), read from the termbase, one document's sentences at a time."""
    counters: dict[int, SurfaceCounter] = {}  # by list: documents share few lists of surfaces
    for document_hash, blob in termbase.connection.cursor().execute(
            "SELECT hash, sentences FROM documents ORDER BY hash"):
        surfaces = work.get(document_hash)
        if surfaces is None:
            continue
        key = id(surfaces)
        if key not in counters:
            counters[key] = SurfaceCounter(surfaces)
        text, characters = minable_text(blob)
        yield document_hash, characters, counters[key].count(text)


def refresh(termbase: Termbase, dates_changed: bool = True,
            scan: Callable[[Termbase, dict[str, list[str]]], Iterable[tuple[str, int, Counter]]] = scan_stored
            ) -> TimelineSummary:
    """Bring the occurrence table up to date with the termbase's documents and entries, then
    each entry's first and last sighting, counts per period and historical flag (left as they
    are when no document, entry or date changed). `scan` counts surfaces in stored documents
    (a cluster build counts them where the documents are)."""
    connection = termbase.connection
    surfaces_by_entry = entry_surfaces(termbase)
    surfaces = {surface for listed in surfaces_by_entry.values() for surface in listed}
    documents = {row[0] for row in connection.execute("SELECT hash FROM documents")}
    scanned_documents = {row[0] for row in connection.execute("SELECT document_hash FROM timeline_documents")}
    scanned_surfaces = {row[0] for row in connection.execute("SELECT surface FROM timeline_surfaces")}
    gone_documents = [(h,) for h in sorted(scanned_documents - documents)]
    connection.executemany("DELETE FROM term_occurrences WHERE document_hash = ?", gone_documents)
    connection.executemany("DELETE FROM timeline_documents WHERE document_hash = ?", gone_documents)
    gone_surfaces = [(s,) for s in sorted(scanned_surfaces - surfaces)]
    connection.executemany("DELETE FROM term_occurrences WHERE surface = ?", gone_surfaces)
    connection.executemany("DELETE FROM timeline_surfaces WHERE surface = ?", gone_surfaces)
    new_documents = documents - scanned_documents
    new_surfaces = sorted(surfaces - scanned_surfaces)
    if scan is scan_stored and termbase.get_meta("document_store"):
        # The documents' sentences live in a cluster's store (merge, split): only a cluster build
        # can count there. What is new stays unscanned, and unmarked, until it does.
        new_documents, new_surfaces = set(), []
    if not (new_documents or new_surfaces or gone_documents or gone_surfaces or dates_changed):
        return summary_of(termbase)
    summary = TimelineSummary(scanned_documents=len(new_documents),
                              scanned_surfaces=len(new_surfaces) if scanned_documents & documents else 0)
    if new_documents or new_surfaces:
        every = sorted(surfaces)
        work = {document_hash: every if document_hash in new_documents else new_surfaces
                for document_hash in documents if document_hash in new_documents or new_surfaces}
        for document_hash, characters, counts in scan(termbase, work):
            connection.executemany(
                "INSERT OR REPLACE INTO term_occurrences(surface, document_hash, frequency) VALUES (?, ?, ?)",
                [(surface, document_hash, n) for surface, n in sorted(counts.items())])
            if document_hash in new_documents:
                connection.execute("INSERT OR REPLACE INTO timeline_documents(document_hash, characters)"
                                   " VALUES (?, ?)", (document_hash, characters))
        connection.executemany("INSERT OR IGNORE INTO timeline_surfaces(surface) VALUES (?)",
                               [(s,) for s in new_surfaces])
    _aggregate(termbase, surfaces_by_entry, summary)
    return summary


@dataclass(frozen=True)
class DocumentTime:
    name: str
    date: str | None
    key: str | None
    characters: int


def document_times(termbase: Termbase) -> dict[str, DocumentTime]:
    return {document_hash: DocumentTime(name, date or None, date_key(date), characters or 0)
            for document_hash, name, date, characters in termbase.connection.execute(
                "SELECT d.hash, d.name, d.date, t.characters FROM documents d"
                " LEFT JOIN timeline_documents t ON t.document_hash = d.hash")}


def corpus_span(times: dict[str, DocumentTime]) -> tuple[str | None, str | None, bool]:
    """(first date, last date, whether periods are months) of the dated documents."""
    dated = sorted((t.key, t.date) for t in times.values() if t.key)
    if not dated:
        return None, None, False
    first, last = dated[0], dated[-1]
    months = (int(last[0][:4]) - int(first[0][:4])) * 12 + int(last[0][5:7]) - int(first[0][5:7])
    return first[1], last[1], months < BY_MONTH_MAX_MONTHS


def occurrences_by_surface(termbase: Termbase) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for surface, document_hash, frequency in termbase.connection.execute(
            "SELECT surface, document_hash, frequency FROM term_occurrences"):
        found[surface][document_hash] = frequency
    return found


def per_document(surfaces: list[str], occurrences: dict[str, dict[str, int]]) -> Counter:
    counts: Counter = Counter()
    for surface in surfaces:
        counts.update(occurrences.get(surface, {}))
    return counts


def _aggregate(termbase: Termbase, surfaces_by_entry: dict[int, list[str]], summary: TimelineSummary) -> None:
    connection = termbase.connection
    times = document_times(termbase)
    first, last, by_month = corpus_span(times)
    summary.documents = len(times)
    summary.dated = sum(1 for t in times.values() if t.key)
    summary.undated = sorted(t.name for t in times.values() if not t.key)
    summary.sources = dict(Counter(source or "unknown" for (source,) in connection.execute(
        "SELECT date_source FROM documents")))
    summary.first, summary.last, summary.by_month = first, last, by_month
    end_year = int(date_key(last)[:4]) if last else None
    occurrences = occurrences_by_surface(termbase)
    updates = []
    for term_id, surfaces in surfaces_by_entry.items():
        counts = per_document(surfaces, occurrences)
        periods: dict[str, list[int]] = {}
        for document_hash, frequency in counts.items():
            period = period_of(times[document_hash].date, by_month) if document_hash in times else "undated"
            tally = periods.setdefault(period, [0, 0])
            tally[0] += frequency
            tally[1] += 1
        dated = sorted((times[h].key, times[h].name, times[h].date) for h in counts if h in times and times[h].key)
        if dated:
            first_seen, last_seen = dated[0], dated[-1]
            historical = end_year is not None and int(last_seen[0][:4]) <= end_year - FADED_YEARS
            values = (first_seen[2], first_seen[1], last_seen[2], last_seen[1])
        else:
            historical, values = False, ("", "", "", "")
        updates.append((*values, json.dumps(dict(sorted(periods.items())), ensure_ascii=False),
                        int(historical), term_id))
    connection.executemany("UPDATE terms SET first_seen = ?, first_seen_document = ?, last_seen = ?,"
                           " last_seen_document = ?, periods_json = ?, historical = ? WHERE id = ?", updates)


def summary_of(termbase: Termbase) -> TimelineSummary:
    """The dating of the stored corpus, without scanning anything."""
    summary = TimelineSummary()
    times = document_times(termbase)
    summary.documents = len(times)
    summary.dated = sum(1 for t in times.values() if t.key)
    summary.undated = sorted(t.name for t in times.values() if not t.key)
    summary.sources = dict(Counter(source or "unknown" for (source,) in termbase.connection.execute(
        "SELECT date_source FROM documents")))
    summary.first, summary.last, summary.by_month = corpus_span(times)
    return summary


# --- what is new -------------------------------------------------------------------------------


@dataclass
class NewEntry:
    rank: int
    id: int
    term: str
    category: str
    pinyin: str
    english: str
    english_source: str
    first_seen: str
    first_seen_document: str
    last_seen: str
    frequency: int  # in the period
    documents: int  # in the period
    per_million: float  # occurrences per million characters of the period's documents
    frequency_before: int
    documents_before: int
    take_off: float  # rate in the period over the rate before (smoothed); inf when nothing came before
    corpus_frequency: int
    # Longer new entries that contain this one (发展新质生产力 under 新质生产力), listed here
    # instead of taking places of their own; `within` names the entry a longer one is under.
    longer: list[str] = field(default_factory=list)
    within: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        data["take_off"] = None if math.isinf(self.take_off) else round(self.take_off, 2)
        data["per_million"] = round(self.per_million, 2)
        return data


@dataclass
class NewReport:
    since: str
    until: str | None
    documents: int  # dated documents in the period
    characters: int
    documents_before: int
    entries: list[NewEntry]
    undated: list[str]


def latest_period_start(termbase: Termbase) -> str | None:
    """The first day of the year of the latest dated document: the workbook's default period."""
    _, last, _ = corpus_span(document_times(termbase))
    return f"{date_key(last)[:4]}-01-01" if last else None


def new_entries(termbase: Termbase, since: str, until: str | None = None, limit: int | None = None) -> NewReport:
    """Entries first seen within [since, until], numbered slogans first, then by how strongly
    they took off: documents of the period that use them, then their rate in the period against
    their rate before it (occurrences per character, smoothed by half an occurrence)."""
    from .store import effective_english

    since_key, until_key = date_key(since), end_key(until) if until else None
    times = document_times(termbase)

    def in_period(key: str | None) -> bool:
        return bool(key) and key >= since_key and (until_key is None or key <= until_key)

    period_documents = {h for h, t in times.items() if in_period(t.key)}
    before_documents = {h for h, t in times.items() if t.key and t.key < since_key}
    characters_after = sum(times[h].characters for h in period_documents)
    characters_before = sum(times[h].characters for h in before_documents)
    surfaces_by_entry = entry_surfaces(termbase)
    occurrences = occurrences_by_surface(termbase)
    found = []
    for row in termbase.connection.execute("SELECT * FROM terms WHERE first_seen != '' AND status != 'rejected'"):
        if not in_period(date_key(row["first_seen"])):
            continue
        counts = per_document(surfaces_by_entry.get(row["id"], []), occurrences)
        after = {h: n for h, n in counts.items() if h in period_documents}
        before = {h: n for h, n in counts.items() if h in before_documents}
        frequency, frequency_before = sum(after.values()), sum(before.values())
        rate_after = (frequency + 0.5) / max(characters_after, 1)
        take_off = rate_after / ((frequency_before + 0.5) / characters_before) if characters_before else math.inf
        english, source, _ = effective_english(row)
        found.append(NewEntry(
            rank=0, id=row["id"], term=row["term"], category=row["category"], pinyin=row["pinyin"],
            english=english, english_source=source, first_seen=row["first_seen"],
            first_seen_document=row["first_seen_document"], last_seen=row["last_seen"], frequency=frequency,
            documents=len(after), per_million=frequency * 1e6 / max(characters_after, 1),
            frequency_before=frequency_before, documents_before=len(before), take_off=take_off,
            corpus_frequency=sum(counts.values())))
    found.sort(key=_new_rank)
    listed = nest_longer_forms(found)
    for rank, entry in enumerate(listed, start=1):
        entry.rank = rank
    return NewReport(since=since, until=until, documents=len(period_documents), characters=characters_after,
                     documents_before=len(before_documents), entries=listed[:limit] if limit else listed,
                     undated=sorted(t.name for t in times.values() if not t.key))


def _new_rank(entry: NewEntry) -> tuple:
    return (entry.category != CATEGORY_SLOGAN, -entry.documents, -entry.take_off, -entry.frequency, entry.term)


def nest_longer_forms(ranked: list[NewEntry]) -> list[NewEntry]:
    """The entries that contain no other new entry, in rank order; each longer entry is listed
    under the best-ranked new entry it contains (its occurrences are already counted there)."""
    position = {entry.term: index for index, entry in enumerate(ranked)}
    by_term = {entry.term: entry for entry in ranked}
    for entry in ranked:
        text = entry.term
        inside = {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)} - {text}
        contained = sorted((position[part], part) for part in inside if part in position)
        if contained:
            entry.within = contained[0][1]
    for entry in ranked:
        if entry.within:
            root = entry.within
            while by_term[root].within:
                root = by_term[root].within
            entry.within = root
            by_term[root].longer.append(entry.term)
    return [entry for entry in ranked if not entry.within]


# --- trends ----------------------------------------------------------------------------------


@dataclass
class Trend:
    periods: list[str]
    characters: list[int]  # Chinese characters of the period's documents
    frequency: dict[str, list[int]]  # term → occurrences per period
    per_million: dict[str, list[float]]
    historical: dict[str, bool]
    entries: dict[str, bool]  # whether each term is an entry of the termbase
    thin: list[bool] = field(default_factory=list)  # too little text for a rate to mean anything


THIN_SHARE = 0.1  # a period with less text than this share of the median period's is not drawn


def trend(termbase: Termbase, terms: list[str], by: str = "auto") -> Trend:
    """Occurrences of each term per period (year, or month for short spans or `by='month'`),
    per million characters of that period. An entry is counted with its variants from the
    stored table; any other string is looked for in the stored documents."""
    times = document_times(termbase)
    _, _, short = corpus_span(times)
    by_month = short if by == "auto" else by == "month"
    periods_of = {h: period_of(t.date, by_month) for h, t in times.items() if t.key}
    periods = sorted(set(periods_of.values()))
    characters = Counter()
    for document_hash, period in periods_of.items():
        characters[period] += times[document_hash].characters
    occurrences = occurrences_by_surface(termbase)
    scanned = {row[0] for row in termbase.connection.execute("SELECT surface FROM timeline_surfaces")}
    surfaces_by_entry = entry_surfaces(termbase)
    sizes = sorted(characters[p] for p in periods)
    median = sizes[len(sizes) // 2] if sizes else 0
    result = Trend(periods=periods, characters=[characters[p] for p in periods], frequency={}, per_million={},
                   historical={}, entries={}, thin=[characters[p] < THIN_SHARE * median for p in periods])
    missing = []
    counts_by_term: dict[str, Counter] = {}
    for term in terms:
        row = termbase.find_term(term)
        surfaces = surfaces_by_entry.get(row["id"], []) if row is not None else []
        if row is not None and surfaces and all(s in scanned for s in surfaces):
            counts_by_term[term] = per_document(surfaces, occurrences)
            result.historical[term] = bool(row["historical"])
            result.entries[term] = True
        else:
            missing.append(term)
            result.historical[term] = False
            result.entries[term] = row is not None
    if missing:
        counter = SurfaceCounter(missing)
        for term in missing:
            counts_by_term[term] = Counter()
        for document_hash, blob in termbase.connection.execute("SELECT hash, sentences FROM documents"):
            text, _ = minable_text(blob)
            for surface, n in counter.count(text).items():
                counts_by_term[surface][document_hash] = n
    for term in terms:
        per_period = Counter()
        for document_hash, n in counts_by_term[term].items():
            if document_hash in periods_of:
                per_period[periods_of[document_hash]] += n
        result.frequency[term] = [per_period[p] for p in periods]
        result.per_million[term] = [per_period[p] * 1e6 / characters[p] if characters[p] else 0.0
                                    for p in periods]
    return result


def require_matplotlib():
    """matplotlib, from the `charts` extra, or a one-line error naming the extra."""
    from .errors import GlossaryError

    try:
        import matplotlib
    except ImportError:
        raise GlossaryError("glossary trend needs matplotlib: pip install 'glossary[charts]'") from None
    return matplotlib


def plot_trend(result: Trend, out: str, title: str | None = None, image_format: str | None = None) -> str:
    """Draw the trend as a line chart (PNG, SVG or PDF by `image_format`) with matplotlib."""
    matplotlib = require_matplotlib()
    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot

    cjk = _cjk_font(font_manager)
    if cjk:
        pyplot.rcParams["font.sans-serif"] = [cjk, "DejaVu Sans"]
        pyplot.rcParams["font.family"] = "sans-serif"
    by_month = any(len(p) == 7 for p in result.periods)
    # A period with hardly any text (a short resolution alone in its year) would spike: not drawn.
    drawn = [i for i, thin in enumerate(result.thin) if not thin] or list(range(len(result.periods)))
    xs = [_period_number(result.periods[i]) for i in drawn]
    figure, axes = pyplot.subplots(figsize=(10, 5.5), dpi=120)
    for term in result.frequency:
        label = term + (" (historical)" if result.historical.get(term) else "")
        axes.plot(xs, [result.per_million[term][i] for i in drawn], marker="o", markersize=3, linewidth=1.6,
                  label=label)
    axes.set_ylabel("occurrences per million characters")
    axes.set_xlabel("month" if by_month else "year")
    if by_month:
        ticks = xs[:: max(1, len(xs) // 12)]
        axes.set_xticks(ticks)
        axes.set_xticklabels([result.periods[drawn[xs.index(t)]] for t in ticks], rotation=45, ha="right")
    axes.set_title(title or ("Frequency per month, per million characters of that month's documents" if by_month
                             else "Frequency per year, per million characters of that year's documents"))
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", fontsize=10)
    figure.tight_layout()
    figure.savefig(out, format=image_format)
    pyplot.close(figure)
    return out


def _period_number(period: str) -> float:
    if len(period) == 7:
        return int(period[:4]) + (int(period[5:7]) - 1) / 12
    return float(period[:4])


_CJK_FONT_HINTS = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Microsoft YaHei",
                   "SimHei", "PingFang", "Heiti", "Noto Serif CJK", "Droid Sans Fallback", "AR PL")


def _cjk_font(font_manager) -> str | None:
    names = {font.name for font in font_manager.fontManager.ttflist}
    for hint in _CJK_FONT_HINTS:
        for name in sorted(names):
            if name.startswith(hint):
                return name
    return None
