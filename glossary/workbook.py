"""Export: the workbook translators receive.

Sheets: Glossary, Slogans, Contexts, Sources, About, and a hidden Revisions sheet recording
each row's human fields as exported, which `glossary import` uses to tell a translator's edit
from a change made in the termbase since the export. Written with the streaming writer in
xlsx.py, so a 100,000-entry glossary takes seconds and flat memory.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .atomic import atomic_path
from .english import CEDICT_CREDIT
from .safety import cell_text
from .store import STATUSES, Termbase, TermRow
from .xlsx import BarChart, Cell, Run, Style, Workbook, column_letter, row_height

CJK_FONT = "Microsoft YaHei"
FONT_SIZE = 10
HIGHLIGHT_COLOR = "C00000"

GLOSSARY_SHEET = "Glossary"
REVISIONS_SHEET = "Revisions"
GLOSSARY_COLUMNS = [
    ("ID", 7), ("Term", 20), ("Traditional", 20), ("Pinyin", 28), ("English", 38), ("English source", 16),
    ("English provenance", 34), ("Category", 16), ("Expansion", 40), ("Frequency", 10), ("Documents", 10),
    ("Context", 70), ("Source", 26), ("Status", 12), ("Notes", 32), ("All contexts", 12),
    ("First seen", 12), ("Last seen", 16), ("Score", 9), ("Score reasons", 40),
    ("Gloss", 40),
    ("Memory example", 60), ("Alternatives", 40),
]
EDITABLE_COLUMNS = {"English", "Status", "Notes"}
REVISION_COLUMNS = ["ID", "Revision", "English", "Status", "Notes"]

TOP = Style()
WRAP = Style(wrap=True)
HEADER = Style(bold=True, color="FFFFFF", fill="1F3864", wrap=True, border_bottom=True)
EDITABLE_HEADER = Style(bold=True, color="FFFFFF", fill="548235", wrap=True, border_bottom=True)
EDITABLE = Style(fill="FFF2CC")
EDITABLE_WRAP = Style(fill="FFF2CC", wrap=True)
LINK = Style(color="0563C1", underline=True)
LABEL = Style(bold=True)
TITLE = Style(bold=True, size=14)


def highlighted(text: str, start: int, length: int) -> Cell:
    """The context sentence with the term in bold colour (rich text)."""
    text = cell_text(text)
    if start < 0 or start + length > len(text) or not text:
        return Cell(text, WRAP)
    runs = []
    if start:
        runs.append(Run(text[:start]))
    runs.append(Run(text[start:start + length], bold=True, color=HIGHLIGHT_COLOR))
    if start + length < len(text):
        runs.append(Run(text[start + length:]))
    return Cell(None, WRAP, runs=runs)


def _header(workbook: Workbook, name: str, columns, editable=frozenset(), hidden=False, freeze=True):
    sheet = workbook.add_sheet(name, [width for _, width in columns], freeze="B2" if freeze else None,
                               hidden=hidden)
    sheet.append([Cell(title, EDITABLE_HEADER if title in editable else HEADER) for title, _ in columns])
    return sheet


def _filter(sheet, columns) -> None:
    sheet.autofilter = f"A1:{column_letter(len(columns))}{max(sheet.rows, 2)}"


def _components_text(row: TermRow) -> str:
    if not row.expansion:
        return ""
    text = "、".join(row.expansion)
    if row.expansion_source:
        text += f"  [{row.expansion_source}]"
    return text


def write_workbook(termbase: Termbase, out: str | os.PathLike, built_at: str | None = None,
                   new_since: str | None = None) -> Path:
    """Write the workbook atomically: a temporary file in the same folder, then a rename.

    The New sheet shows the entries first seen since `new_since` (default: 1 January of the
    latest document's year)."""
    out = Path(out)
    rows = termbase.term_rows()
    documents = termbase.documents()
    workbook = Workbook(font=CJK_FONT, size=FONT_SIZE)
    _glossary_sheet(workbook, rows, _sightings(termbase))
    _new_sheet(workbook, termbase, new_since)
    _slogans_sheet(workbook, rows)
    _contexts_sheet(workbook, rows)
    if any(row.memory for row in rows):
        _memory_sheet(workbook, rows)
    _sources_sheet(workbook, documents)
    _about_sheet(workbook, termbase, rows, documents, built_at)
    _revisions_sheet(workbook, rows)
    with atomic_path(out) as temporary:
        workbook.save(temporary, title="glossary workbook", creator=f"glossary {__version__}")
    return out


def _sightings(termbase: Termbase) -> dict[int, tuple[str, str]]:
    """Entry ID → (first seen, last seen, marked historical when the entry faded)."""
    found = {}
    for term_id, first, last, historical in termbase.connection.execute(
            "SELECT id, first_seen, last_seen, historical FROM terms"):
        found[term_id] = (first, f"{last} (historical)" if last and historical else last)
    return found


def _glossary_sheet(workbook: Workbook, rows: list[TermRow], sightings: dict[int, tuple[str, str]] | None = None) -> None:
    sheet = _header(workbook, GLOSSARY_SHEET, GLOSSARY_COLUMNS, EDITABLE_COLUMNS)
    sheet.print_landscape_fit_width = True  # printed, every column fits across an A4 page
    status_column = column_letter([n for n, _ in GLOSSARY_COLUMNS].index("Status") + 1)
    sheet.add_list_validation(f"{status_column}2:{status_column}{max(len(rows) + 1, 2)}", list(STATUSES),
                              "Status", "Choose one of: " + ", ".join(STATUSES))
    widths = dict(GLOSSARY_COLUMNS)
    context_row = 2
    for row in rows:
        best = row.contexts[0] if row.contexts else None
        provenance = "; ".join(p for p in (row.english_detail, row.imported_note) if p)
        expansion = _components_text(row)
        example = memory_example(row)
        alternatives = alternatives_text(row)
        height = row_height([(row.english, widths["English"]), (provenance, widths["English provenance"]),
                             (example, widths["Memory example"]), (alternatives, widths["Alternatives"]),
                             (expansion, widths["Expansion"]), (best["text"] if best else "", widths["Context"]),
                             (row.notes, widths["Notes"]), (row.gloss, widths["Gloss"])])
        link = None
        if row.contexts:
            link = Cell(f"{len(row.contexts)} ▸", LINK, link=f"'Contexts'!A{context_row}",
                        tooltip="All example sentences of this term")
            context_row += len(row.contexts)
        sheet.append([
            row.id, row.term, row.traditional, row.pinyin,
            Cell(row.english, EDITABLE_WRAP), row.english_source, Cell(provenance, WRAP), row.category, Cell(expansion, WRAP), row.frequency, row.documents,
            highlighted(best["text"], best["term_start"], len(row.term)) if best else "",
            best["document"] if best else ("" if row.in_corpus else "not in corpus"),
            Cell(row.status, EDITABLE), Cell(row.notes, EDITABLE_WRAP), link,
            *(sightings or {}).get(row.id, ("", "")),
            row.score, Cell(row.score_reasons, WRAP), Cell(row.gloss, WRAP), Cell(example, WRAP), Cell(alternatives, WRAP),
        ], height=height)
    _filter(sheet, GLOSSARY_COLUMNS)


def memory_example(row: TermRow) -> str:
    """The aligned pair a harvested rendering comes from: the Chinese sentence, then its English."""
    candidates = row.memory.get("candidates") or []
    if not candidates or not candidates[0].get("example_zh"):
        return ""
    top = candidates[0]
    return cell_text(f"{top['example_zh']}\n{top['example_en']}")


def alternatives_text(row: TermRow) -> str:
    """Renderings a higher source hides, and the other candidates of the memories."""
    lines = [f"{a['en']} [{a['source']}" + (f"; {a['detail']}" if a.get("detail") else "") + "]"
             for a in row.english_alternatives if a.get("en") and a["en"] != row.english]
    return cell_text("\n".join(lines))


def _memory_sheet(workbook: Workbook, rows: list[TermRow]) -> None:
    """Every rendering harvested from translation memories, with its count and aligned example."""
    columns = [("ID", 7), ("Term", 20), ("#", 5), ("English in the memory", 34), ("Pairs", 8), ("Confidence", 12),
               ("Memory", 24), ("Chinese sentence", 60), ("English sentence", 70)]
    sheet = _header(workbook, "Memory", columns)
    for row in rows:
        memory = row.memory
        for number, candidate in enumerate(memory.get("candidates") or [], start=1):
            zh = candidate.get("example_zh", "")
            start = zh.find(row.term)
            english_sentence = candidate.get("example_en", "")
            at = english_sentence.find(candidate["english"])
            sheet.append([
                row.id, row.term, number, Cell(candidate["english"], WRAP),
                f"{candidate['count']}/{memory.get('read', 0)}",
                f"{memory.get('confidence', 0):.2f} {memory.get('level', '')}" if number == 1 else "",
                candidate.get("memory", ""),
                highlighted(zh, start, len(row.term)) if start >= 0 else Cell(cell_text(zh), WRAP),
                highlighted(english_sentence, at, len(candidate["english"])) if at >= 0
                else Cell(cell_text(english_sentence), WRAP),
            ], height=row_height([(zh, 60), (english_sentence, 70)]))
    _filter(sheet, columns)


def _slogans_sheet(workbook: Workbook, rows: list[TermRow]) -> None:
    columns = [("ID", 7), ("Slogan", 20), ("Pinyin", 26), ("English", 34), ("#", 5), ("Component", 34),
               ("Component pinyin", 34), ("Component English", 44), ("Component English source", 18),
               ("Expansion source", 34)]
    sheet = _header(workbook, "Slogans", columns)
    for row in rows:
        if row.category != "numbered slogan":
            continue
        components = row.components or [{"zh": "", "en": "", "pinyin": "", "source": ""}]
        for number, component in enumerate(components, start=1):
            listed = bool(component.get("zh"))
            sheet.append([
                row.id, row.term, row.pinyin, Cell(row.english, WRAP), number if listed else "",
                Cell(component.get("zh", ""), WRAP), Cell(component.get("pinyin", ""), WRAP),
                Cell(component.get("en", ""), WRAP), component.get("source", "") if listed else "",
                row.expansion_source if listed else "(the corpus does not list its components)",
            ])
    _filter(sheet, columns)


def _contexts_sheet(workbook: Workbook, rows: list[TermRow]) -> None:
    columns = [("ID", 7), ("Term", 20), ("#", 5), ("Context", 90), ("Document", 28), ("Sentence", 9),
               ("Start", 8), ("End", 8), ("Traditional", 60)]
    sheet = _header(workbook, "Contexts", columns)
    for row in rows:
        length = len(row.term)
        for number, context in enumerate(row.contexts, start=1):
            traditional = context.get("traditional") or ""
            height = row_height([(context["text"], 90), (traditional, 60)])
            sheet.append([
                row.id, row.term, number, highlighted(context["text"], context["term_start"], length),
                context["document"], context["sentence"], context["start"], context["end"],
                highlighted(traditional, context["term_start"], length) if traditional else "",
            ], height=height)
    _filter(sheet, columns)


def _record_origin(path: str) -> tuple[str, str, str]:
    """(file, record, URL) of a document: record and URL only for one read from a WARC or JSONL."""
    match = re.search(r"#((?:offset|line) \d+)(?: (\S+))?$", path)
    if not match:
        return path, "", ""
    return path[:match.start()], match.group(1), match.group(2) or ""


NEW_SHEET = "New"
NEW_COLUMNS = [("Rank", 6), ("ID", 7), ("Term", 22), ("Pinyin", 26), ("English", 34), ("English source", 14),
               ("Category", 15), ("First seen", 12), ("First document", 34), ("Frequency in period", 11),
               ("Documents in period", 11), ("Per million characters", 11), ("Corpus frequency", 10),
               ("Longer forms", 40)]
NEW_CHART_TERMS = 15


def _new_sheet(workbook: Workbook, termbase: Termbase, since: str | None) -> None:
    """The entries first seen in the latest period, ranked as `glossary new` ranks them, with a
    native bar chart of the top ones."""
    from .timeline import latest_period_start, new_entries

    since = since or latest_period_start(termbase)
    sheet = _header(workbook, NEW_SHEET, NEW_COLUMNS)
    if since is None:
        sheet.append(["", "", "No document of the corpus has a date (see the Sources sheet): nothing is new."])
        return
    report = new_entries(termbase, since)
    for entry in report.entries:
        sheet.append([entry.rank, entry.id, entry.term, entry.pinyin, Cell(entry.english, WRAP), entry.english_source,
                      entry.category, entry.first_seen, entry.first_seen_document, entry.frequency, entry.documents,
                      round(entry.per_million, 1), entry.corpus_frequency, Cell("、".join(entry.longer), WRAP)])
    _filter(sheet, NEW_COLUMNS)
    charted = report.entries[:NEW_CHART_TERMS]
    if charted:
        last = len(charted) + 1
        sheet.add_chart(BarChart(
            title=f"New since {since}: occurrences of the top {len(charted)} entries",
            series_name="Frequency in period",
            categories_ref=f"'{NEW_SHEET}'!$C$2:$C${last}",
            values_ref=f"'{NEW_SHEET}'!$J$2:$J${last}",
            categories=[entry.term for entry in charted], values=[entry.frequency for entry in charted],
            anchor=(len(NEW_COLUMNS) + 1, 1, len(NEW_COLUMNS) + 10, 1 + max(16, len(charted) + 4)),
            axis_title=f"occurrences in {report.documents} dated documents since {since}"))
    else:
        sheet.append(["", "", f"No entry was first seen on or after {since}."])


def _date_source(document) -> str:
    try:
        return document["date_source"] or ""
    except (IndexError, KeyError):
        return ""


def _sources_sheet(workbook: Workbook, documents) -> None:
    columns = [("File", 30), ("Title", 44), ("Date", 12), ("Publication", 22), ("Author", 16), ("Encoding", 11),
               ("Script", 12), ("Lines dropped", 9), ("Why dropped", 50), ("Mojibake segments", 10),
               ("Mojibake", 30), ("Content hash", 20), ("Added", 22), ("Date source", 14), ("Record", 14),
               ("URL", 40)]
    sheet = _header(workbook, "Sources", columns)
    for document in documents:
        dropped = json.loads(document["dropped_json"])
        mojibake = json.loads(document["mojibake_json"])
        reasons: dict[str, int] = {}
        for _, reason in dropped:
            reasons[reason] = reasons.get(reason, 0) + 1
        sheet.append([
            _record_origin(document["path"])[0], Cell(document["title"] or "", WRAP), document["date"] or "",
            document["publication"] or "", document["author"] or "", document["encoding"] or "",
            document["script"] or "", len(dropped),
            Cell("; ".join(f"{reason} ×{n}" for reason, n in sorted(reasons.items())), WRAP),
            len(mojibake), Cell(" | ".join(m[2] for m in mojibake), WRAP), document["hash"][:16],
            document["added_at"], _date_source(document), *_record_origin(document["path"])[1:],
        ])
    _filter(sheet, columns)


ABOUT_TEXT = [
    ("What this is", "A glossary of the terms, numbered slogans, meetings and organisations mined from a corpus of "
     "Chinese political writing, with pinyin, English, and example sentences from the corpus."),
    ("Sheets", "Glossary: one row per entry, most important first (by mining score). Slogans: each numbered slogan "
     "with its components. Contexts: every kept example sentence. Sources: each document read. "
     "Revisions (hidden): the values as exported, so that an import can tell your edits from later changes."),
    ("How to edit", "Only the green-headed columns of the Glossary sheet are read back: English, Status and Notes. "
     "Type your rendering in English; set Status to approved to make it the approved rendering (reviewed, "
     "rejected and new are the other values); write anything else in Notes. Keep the ID column as it is, "
     "and do not rename the headers. New terms may be added as rows without an ID. Then run: "
     "glossary import THIS-FILE.xlsx"),
    ("English source: reference", "An established rendering from an official or standard publication, named in "
     "English provenance."),
    ("English source: dictionary draft", "A draft to check, never an established rendering, made only by a strict "
     "rule: the whole term is a CC-CEDICT headword in a fitting sense; or every part has a reference rendering or "
     "a domain gloss and the parts are put in English order; or a naming pattern (Party plenums and congresses, "
     "NPC sessions, Five-Year Plans); or a numbered slogan given by the renderings of its components."),
    ("English source: approved", "A translator's rendering, approved in the termbase; it always wins."),
    ("English source: translator edit", "A translator's rendering not yet approved."),
    ("English source: imported: FILE", "From an outside glossary brought in with glossary import."),
    ("English source: translation memory: FILE", "Harvested from a translation memory (TMX, XLIFF) or a document "
     "aligned with its translation (glossary align): the English the memory's sentence pairs use for the term "
     "most often, with a confidence. Memory example shows an aligned pair; the Memory sheet lists every "
     "candidate. Ranked below approved, translator edit and imported English, above reference and drafts; "
     "what a higher source hides is listed under Alternatives."),
    ("English source: none", "No English that meets the rules: the term needs a translator. The Gloss column then "
     "gives the dictionary senses of the term's parts (营商 … · 环境 environment/circumstances): a hint, never a "
     "rendering."),
    ("Dictionary", "Draft English uses " + CEDICT_CREDIT + "."),
]


def _about_sheet(workbook: Workbook, termbase: Termbase, rows: list[TermRow], documents, built_at) -> None:
    sheet = workbook.add_sheet("About", [30, 110])
    sheet.append([Cell("glossary workbook", TITLE)])
    facts = [
        ("Tool version", f"glossary {__version__}"),
        ("Built", built_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()),
        ("Corpus fingerprint", termbase.get_meta("corpus_fingerprint", "") or ""),
        ("Documents", str(len(documents))),
        ("Entries", str(len(rows))),
    ]
    for label, text in facts + ABOUT_TEXT:
        sheet.append([Cell(label, LABEL), Cell(text, WRAP)], height=row_height([(text, 110)], max_lines=8))


def _revisions_sheet(workbook: Workbook, rows: list[TermRow]) -> None:
    sheet = workbook.add_sheet(REVISIONS_SHEET, hidden=True)
    sheet.append(REVISION_COLUMNS)
    for row in rows:
        sheet.append([row.id, row.revision, row.english, row.status, row.notes])
