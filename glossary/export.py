"""Export: the termbase in the formats CAT tools import (TBX, CSV, OmegaT) and JSON for scripts.

The workbook lives in workbook.py. Every writer here is atomic (atomic.py).
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict
from xml.sax.saxutils import escape

from . import __version__
from .atomic import write_text_atomic
from .errors import GlossaryError
from .safety import ILLEGAL_CHARACTERS_RE, csv_text
from .store import Termbase, TermRow

FORMATS = ("xlsx", "tbx", "csv", "omegat", "json")
DEFAULT_NAMES = {"xlsx": "output/glossary.xlsx", "tbx": "output/glossary.tbx", "csv": "output/glossary.csv",
                 "omegat": "output/glossary.utf8", "json": "output/glossary.json"}
TBX_STATUS = {"approved": "preferredTerm-admn-sts", "rejected": "deprecatedTerm-admn-sts",
              "reviewed": "admittedTerm-admn-sts", "new": "admittedTerm-admn-sts"}


def export(termbase: Termbase, format: str, out: str | os.PathLike) -> None:
    if format == "xlsx":
        from .workbook import write_workbook

        write_workbook(termbase, out)
        return
    writers = {"tbx": tbx_text, "csv": csv_text_of, "omegat": omegat_text, "json": json_text}
    if format not in writers:
        raise GlossaryError(f"unknown format {format!r} (one of {', '.join(FORMATS)})")
    text = writers[format](termbase.term_rows())
    write_text_atomic(out, text, encoding="utf-8-sig" if format == "csv" else "utf-8")


def _xml(text: str) -> str:
    return escape(ILLEGAL_CHARACTERS_RE.sub("", text or ""))


def _best_context(row: TermRow) -> dict | None:
    return row.contexts[0] if row.contexts else None


def tbx_text(rows: list[TermRow]) -> str:
    """TBX-Basic (the martif form memoQ, Trados MultiTerm and Phrase import)."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n')
    out.write('<martif type="TBX-Basic" xml:lang="en">\n<martifHeader>\n<fileDesc>\n')
    out.write(f"<titleStmt><title>glossary {__version__} termbase export</title></titleStmt>\n")
    out.write("<sourceDesc><p>Mined from a corpus of Chinese political writing by glossary; English labelled by "
              "source (reference, dictionary draft, approved).</p></sourceDesc>\n")
    out.write('</fileDesc>\n<encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>\n')
    out.write("</martifHeader>\n<text>\n<body>\n")
    for row in rows:
        out.write(f'<termEntry id="term-{row.id}">\n')
        out.write(f'<descrip type="subjectField">{_xml(row.category)}</descrip>\n')
        if row.expansion:
            out.write(f'<descrip type="definition">{_xml("、".join(row.expansion))}</descrip>\n')
        if row.notes:
            out.write(f"<note>{_xml(row.notes)}</note>\n")
        status = TBX_STATUS.get(row.status, "admittedTerm-admn-sts")
        out.write('<langSet xml:lang="zh-CN">\n<tig>\n')
        out.write(f"<term>{_xml(row.term)}</term>\n")
        out.write('<termNote type="partOfSpeech">noun</termNote>\n')
        out.write(f'<termNote type="administrativeStatus">{status}</termNote>\n')
        context = _best_context(row)
        if context:
            out.write(f'<descrip type="context">{_xml(context["text"])}</descrip>\n')
            out.write(f'<admin type="source">{_xml(context["document"])}</admin>\n')
        out.write(f"<note>pinyin: {_xml(row.pinyin)}</note>\n")
        if row.gloss:
            out.write(f"<note>gloss (dictionary senses of the parts, not a rendering): {_xml(row.gloss)}</note>\n")
        out.write("</tig>\n</langSet>\n")
        if row.traditional and row.traditional != row.term:
            out.write('<langSet xml:lang="zh-TW">\n<tig>\n')
            out.write(f"<term>{_xml(row.traditional)}</term>\n")
            out.write(f'<termNote type="administrativeStatus">{status}</termNote>\n')
            out.write("</tig>\n</langSet>\n")
        if row.english:
            out.write('<langSet xml:lang="en">\n<tig>\n')
            out.write(f"<term>{_xml(row.english)}</term>\n")
            out.write(f'<termNote type="administrativeStatus">{status}</termNote>\n')
            source = row.english_source + (f" ({row.english_detail})" if row.english_detail else "")
            out.write(f'<admin type="source">{_xml(source)}</admin>\n')
            out.write("</tig>\n</langSet>\n")
        out.write("</termEntry>\n")
    out.write("</body>\n</text>\n</martif>\n")
    return out.getvalue()


CSV_COLUMNS = ["zh-CN", "en", "zh-TW", "pinyin", "category", "definition", "english source", "status", "note",
               "context", "context source", "frequency", "documents", "id", "gloss"]


def csv_text_of(rows: list[TermRow]) -> str:
    """Column per language, then definition/note/context; free text never starts a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        context = _best_context(row)
        values = [row.term, row.english, row.traditional, row.pinyin, row.category, "、".join(row.expansion),
                  row.english_source, row.status, row.notes, context["text"] if context else "",
                  context["document"] if context else ""]
        writer.writerow([csv_text(v) for v in values] + [row.frequency, row.documents, row.id, csv_text(row.gloss)])
    return out.getvalue()


def _tab_field(text: str) -> str:
    return " ".join(ILLEGAL_CHARACTERS_RE.sub("", text or "").replace("\t", " ").split())


def omegat_text(rows: list[TermRow]) -> str:
    """OmegaT's glossary: source<TAB>target<TAB>comment, one entry a line."""
    lines = []
    for row in rows:
        if row.status == "rejected" or not row.english:
            continue
        comment = f"{row.pinyin}; {row.category}; English: {row.english_source}"
        if row.expansion:
            comment += "; " + "、".join(row.expansion)
        # Every field guarded: an OmegaT glossary opened in a spreadsheet must not run a formula.
        lines.append(f"{csv_text(_tab_field(row.term))}\t{csv_text(_tab_field(row.english))}\t"
                     f"{csv_text(_tab_field(comment))}")
    return "\n".join(lines) + ("\n" if lines else "")


def json_text(rows: list[TermRow]) -> str:
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1) + "\n"
