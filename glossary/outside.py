"""Import: bring in the glossaries translators already have (TBX, CSV/TSV, OmegaT, XLSX).

Chinese is normalised like the corpus (simplified headword, traditional kept). A term the
termbase holds gets the outside English as `imported: FILE`, ranked below a translator's
approved rendering; a term it does not hold is added, flagged when the corpus never mentions
it. Forbidden or deprecated terms from TBX are kept as such and shown to the translator.
Everything is validated before anything is written, in one transaction, with an audit row
for each change.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GlossaryError
from .safety import unguarded
from .store import Termbase, effective_english, now, pinyin_key
from .validity import term_problem

ZH_HEADERS = ("zh", "chinese", "中文", "汉语", "漢語", "source")
EN_HEADERS = ("en", "english", "英文", "英语", "target")
NOTE_HEADERS = ("note", "notes", "comment", "comments", "definition", "description", "remark")
DEPRECATED_WORDS = ("deprecated", "forbidden", "superseded", "obsolete", "rejected")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


@dataclass
class OutsideEntry:
    where: str               # "row 5" / "termEntry 12"
    zh: str
    en: str = ""
    note: str = ""
    zh_forbidden: bool = False
    forbidden_english: list[str] = field(default_factory=list)


@dataclass
class OutsidePlan:
    source: str
    format: str
    mapping: dict[str, str]
    merged: list[tuple[int, OutsideEntry, str]] = field(default_factory=list)   # (term id, entry, simplified)
    added: list[tuple[OutsideEntry, str, str]] = field(default_factory=list)     # (entry, simplified, traditional)
    unchanged: int = 0
    applied: bool = False
    not_in_corpus: list[str] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------


def detect_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".tbx", ".xml") or head.startswith(b"<"):
        return "tbx"
    return "delimited"


def read_outside(path: str | os.PathLike, mapping: dict[str, str] | None = None):
    """(entries, format name, column mapping used) of an outside glossary file."""
    path = Path(path)
    if not path.exists():
        raise GlossaryError(f"no such file: {path}")
    data = path.read_bytes()
    if not data.strip():
        raise GlossaryError(f"{path.name} is empty")
    kind = detect_format(path, data)
    if kind == "tbx":
        entries = parse_tbx(path.name, data)
        return entries, "TBX", {"zh": "langSet zh*", "en": "langSet en*"}
    if kind == "xlsx":
        rows = _xlsx_rows(path)
        entries, used = _entries_from_rows(path.name, rows, mapping, "sheet row")
        return entries, "XLSX", used
    return parse_delimited(path.name, data, mapping)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang(element) -> str:
    for key, value in element.attrib.items():
        if _local(key) == "lang":
            return value.lower()
    return ""


def _is_deprecated(group) -> bool:
    for element in group.iter():
        if _local(element.tag) == "termNote" and element.get("type") in (
                "administrativeStatus", "normativeAuthorization", "usageStatus"):
            value = (element.text or "").lower()
            if any(word in value for word in DEPRECATED_WORDS):
                return True
    return False


def parse_tbx(name: str, data: bytes) -> list[OutsideEntry]:
    """TBX-Basic / TBX v3 (conceptEntry/langSec/termSec) and the older martif form
    (termEntry/langSet/tig or ntig), parsed with defusedxml: no entities, no DTD fetching."""
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        root = safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise GlossaryError(f"{name}: refused unsafe XML ({type(error).__name__}: entity declarations are not "
                            "allowed in a glossary)") from None
    except Exception as error:  # noqa: BLE001 - ParseError and friends
        raise GlossaryError(f"{name}: not well-formed XML ({error})") from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"{name}: not a TBX file (root element <{_local(root.tag)}>)")
    entries = []
    number = 0
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        number += 1
        chinese: list[tuple[str, bool]] = []
        english: list[tuple[str, bool]] = []
        notes = []
        for element in concept:
            if _local(element.tag) in ("note", "descrip") and (element.text or "").strip():
                notes.append(element.text.strip())
        for language_set in concept:
            if _local(language_set.tag) not in ("langSet", "langSec"):
                continue
            lang = _lang(language_set)
            for group in language_set.iter():
                if _local(group.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term = next((t for t in group.iter() if _local(t.tag) == "term"), None)
                if term is None or not "".join(term.itertext()).strip():
                    continue
                text = " ".join("".join(term.itertext()).split())
                if lang.startswith("zh"):
                    chinese.append((text, _is_deprecated(group)))
                elif lang.startswith("en"):
                    english.append((text, _is_deprecated(group)))
        where = f"termEntry {number}" + (f" ({concept.get('id')})" if concept.get("id") else "")
        if not chinese:
            continue
        preferred = [text for text, deprecated in english if not deprecated]
        forbidden_english = [text for text, deprecated in english if deprecated]
        for text, deprecated in chinese:
            entries.append(OutsideEntry(where, text, preferred[0] if preferred else "", "; ".join(notes),
                                        deprecated, forbidden_english))
    if number == 0:
        raise GlossaryError(f"{name}: a TBX file with no termEntry/conceptEntry")
    return entries


def _header_role(name: str) -> str | None:
    folded = name.strip().lower().replace("_", "-")
    if not folded:
        return None
    if folded.startswith("zh") or any(h in folded for h in ("chinese", "中文", "汉语", "漢語")):
        return "zh"
    if folded.startswith("en") or any(h in folded for h in ("english", "英文", "英语")):
        return "en"
    if folded in NOTE_HEADERS or folded.startswith(("note", "comment", "definition")):
        return "note"
    if folded in ("source", "source term"):
        return "zh"
    if folded in ("target", "target term", "translation"):
        return "en"
    return None


def parse_mapping(text: str | None) -> dict[str, str] | None:
    """--map zh=Source,en=Target → {"zh": "Source", "en": "Target"}."""
    if not text:
        return None
    mapping = {}
    for part in text.split(","):
        if "=" not in part:
            raise GlossaryError(f"--map takes role=Column pairs such as zh=Source,en=Target, not {part!r}")
        role, column = (p.strip() for p in part.split("=", 1))
        if role not in ("zh", "en", "note"):
            raise GlossaryError(f"--map: unknown role {role!r} (zh, en or note)")
        mapping[role] = column
    return mapping


def _entries_from_rows(name: str, rows: list[list[str]], mapping, unit: str):
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise GlossaryError(f"{name} has no rows")
    header = [cell.strip() for cell in rows[0]]
    columns: dict[str, int] = {}
    # A first row holding Chinese, or only a formula term such as 1+1+9+N, is data (OmegaT has no header).
    has_header = bool(mapping) or (not _CJK_RE.search(" ".join(header)) and (
        any(_header_role(cell) for cell in header) or not any(term_problem(cell) is None for cell in header)))
    if mapping:
        for role, column in mapping.items():
            if column not in header:
                raise GlossaryError(f"{name}: --map names column {column!r}, but the header has "
                                    f"{', '.join(repr(h) for h in header)}")
            columns[role] = header.index(column)
    elif has_header:
        for position, cell in enumerate(header):
            role = _header_role(cell)
            if role and role not in columns:
                columns[role] = position
    else:
        # OmegaT's glossary and similar: no header, source<TAB>target<TAB>comment.
        columns = {"zh": 0, "en": 1}
        if len(header) > 2:
            columns["note"] = 2
    if "zh" not in columns:
        raise GlossaryError(f"{name}: no Chinese column in the header ({', '.join(repr(h) for h in header)}); "
                            "name one with --map zh=COLUMN")
    if "en" not in columns:
        raise GlossaryError(f"{name}: no English column in the header ({', '.join(repr(h) for h in header)}); "
                            "name one with --map en=COLUMN")
    used = {role: (header[position] if has_header else f"column {position + 1}")
            for role, position in columns.items()}
    body = rows[1:] if has_header else rows
    width = len(header)
    entries = []
    for offset, row in enumerate(body, start=2 if has_header else 1):
        if not has_header:
            if len(row) < 2:
                raise GlossaryError(f"{name}: {unit} {offset} has {len(row)} column; a glossary line needs "
                                    "source, target and an optional comment")
        elif len(row) != width and not (len(row) > width and not any(c.strip() for c in row[width:])):
            raise GlossaryError(f"{name}: {unit} {offset} has {len(row)} columns, the header has {width}")
        # Our own CSV and OmegaT files guard text that starts like a formula with an apostrophe.
        zh = unguarded(row[columns["zh"]].strip()) if columns["zh"] < len(row) else ""
        en = unguarded(row[columns["en"]].strip()) if columns["en"] < len(row) else ""
        note = unguarded(row[columns["note"]].strip()) if "note" in columns and columns["note"] < len(row) else ""
        if not zh:
            if en:
                raise GlossaryError(f"{name}: {unit} {offset} column {used['zh']!r}: English without a Chinese term")
            continue
        problem = term_problem(zh)
        if problem:
            raise GlossaryError(f"{name}: {unit} {offset} column {used['zh']!r}: {problem}")
        for role, value in (("zh", zh), ("en", en)):
            if "\n" in value or "\r" in value:
                raise GlossaryError(f"{name}: {unit} {offset} column {used[role]!r} runs over a line break "
                                    "(a quote left open?)")
        entries.append(OutsideEntry(f"{unit} {offset}", zh, en, note))
    return entries, used


def parse_delimited(name: str, data: bytes, mapping=None):
    from .read import decode_bytes

    try:
        text, encoding = decode_bytes(data)
    except ValueError as error:
        raise GlossaryError(f"{name}: not a text file ({error})") from None
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters="\t,;|").delimiter
    except csv.Error:
        delimiter = "\t" if "\t" in sample else ","
    try:
        # strict: a quote left open is an error, not a field that swallows the rows after it.
        reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        rows = list(reader)
    except csv.Error as error:
        raise GlossaryError(f"{name}: line {reader.line_num}: a quote left open or misplaced ({error})") from None
    entries, used = _entries_from_rows(name, rows, mapping, "row")
    label = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[delimiter]
    return entries, f"{'TSV' if delimiter == chr(9) else 'CSV'} ({encoding}, {label}-separated)", used


def _xlsx_rows(path: Path) -> list[list[str]]:
    from .sheets import cell_text, open_workbook

    workbook = open_workbook(path)
    try:
        sheet = workbook[workbook.sheetnames[0]]
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


# --- planning and applying --------------------------------------------------------------


def plan_outside(termbase: Termbase, path: str | os.PathLike, mapping=None) -> OutsidePlan:
    """Validate the whole file and work out what would change; writes nothing."""
    from .clean import to_simplified

    entries, kind, used = read_outside(path, mapping)
    plan = OutsidePlan(source=Path(path).name, format=kind, mapping=used)
    own = is_own_export(Path(path))
    merges = dict(termbase.connection.execute("SELECT variant, canonical FROM merges").fetchall())
    seen: dict[str, OutsideEntry] = {}
    for entry in entries:
        simplified = to_simplified(entry.zh)
        simplified = merges.get(simplified, simplified)
        if simplified in seen:
            previous = seen[simplified]
            previous.en = previous.en or entry.en
            previous.zh_forbidden = previous.zh_forbidden or entry.zh_forbidden
            previous.forbidden_english += [e for e in entry.forbidden_english if e not in previous.forbidden_english]
            continue
        seen[simplified] = entry
        row = termbase.find_term(simplified) or termbase.find_term(entry.zh)
        if row is None:
            plan.added.append((entry, simplified, entry.zh if entry.zh != simplified else ""))
            continue
        if row["term"] in seen and seen[row["term"]] is not entry:
            continue  # the traditional spelling of an entry the file named already
        seen[row["term"]] = entry
        note = _note(entry, plan.source)
        if (row["english_imported"] == entry.en and row["imported_note"] == note
                and bool(row["forbidden"]) == entry.zh_forbidden) or not (entry.en or note) or (
                    own and _shows(row, entry)):
            plan.unchanged += 1
        else:
            plan.merged.append((row["id"], entry, simplified))
    return plan


def is_own_export(path: Path) -> bool:
    """A TBX, CSV or OmegaT file `glossary export` wrote: read back into the termbase that wrote
    it, what it says the termbase shows already is no news (not relabelled `imported`)."""
    from .export import CSV_COLUMNS

    try:
        data = path.read_bytes()
    except OSError:
        return False
    head = data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff")
    if "<martif" in head:
        return re.search(r"<title>glossary [^<]* termbase export</title>", head) is not None
    first = head.split("\n", 1)[0].rstrip("\r")
    if first == ",".join(CSV_COLUMNS):
        return True
    lines = [line for line in data.decode("utf-8", errors="ignore").splitlines() if line.strip()]
    return bool(lines) and all(line.count("\t") == 2 and "; English: " in line.rsplit("\t", 1)[1] for line in lines)


def _shows(row, entry: OutsideEntry) -> bool:
    """The file says what the termbase shows already (our own export read back): English as
    shown, and deprecated only where the entry is rejected or forbidden."""
    english, _, _ = effective_english(row)
    rejected = row["status"] == "rejected" or bool(row["forbidden"])
    if entry.en and entry.en != english:
        return False
    if entry.zh_forbidden and not rejected:
        return False
    return all(text == english and rejected or text in (row["imported_note"] or "")
               for text in entry.forbidden_english)


def _note(entry: OutsideEntry, source: str) -> str:
    parts = []
    if entry.zh_forbidden:
        parts.append(f"forbidden term in {source}")
    if entry.forbidden_english:
        parts.append(f"forbidden English in {source}: " + " / ".join(entry.forbidden_english))
    return "; ".join(parts)


def apply_outside(termbase: Termbase, plan: OutsidePlan, who: str) -> None:
    stamp = now()
    action = f"import {plan.source}"
    with termbase.transaction():
        connection = termbase.connection
        for term_id, entry, simplified in plan.merged:
            row = termbase.get_term(term_id)
            note = _note(entry, plan.source)
            english = entry.en or row["english_imported"]
            connection.execute(
                "UPDATE terms SET english_imported = ?, english_imported_source = ?, imported_note = ?, forbidden = ?,"
                " updated_at = ? WHERE id = ?",
                (english, plan.source if entry.en else row["english_imported_source"], note, int(entry.zh_forbidden),
                 stamp, term_id))
            _audit(connection, term_id, simplified, "english (imported)", row["english_imported"], english, who, stamp,
                   action)
            if note != row["imported_note"]:
                _audit(connection, term_id, simplified, "imported note", row["imported_note"], note, who, stamp, action)
        termbase.refresh_search(term_id for term_id, _, _ in plan.merged)
        if not plan.added:
            plan.applied = True
            return
        ids = add_entries(termbase, [(simplified, traditional) for _, simplified, traditional in plan.added],
                          "imported", not_in_corpus=plan.not_in_corpus)
        for entry, simplified, traditional in plan.added:
            term_id = ids[simplified]
            connection.execute(
                "UPDATE terms SET english_imported = ?, english_imported_source = ?, imported_note = ?, forbidden = ?"
                " WHERE id = ?", (entry.en, plan.source if entry.en else "", _note(entry, plan.source),
                                  int(entry.zh_forbidden), term_id))
            termbase.refresh_search([term_id])
            _audit(connection, term_id, simplified, "term", None, simplified, who, stamp, action)
            if entry.en:
                _audit(connection, term_id, simplified, "english (imported)", "", entry.en, who, stamp, action)
    plan.applied = True


def _audit(connection, term_id, term, field_name, old, new, who, stamp, action) -> None:
    connection.execute(
        "INSERT INTO audit(term_id, term, field, old, new, who, at, action) VALUES (?,?,?,?,?,?,?,?)",
        (term_id, term, field_name, old, new, who, stamp, action))


def add_entries(termbase: Termbase, terms: list, category: str, not_in_corpus: list[str] | None = None) -> dict:
    """Add entries not mined (an outside glossary's, a translator's rows added by hand) as the
    miner would: pinyin, traditional form, and their contexts, frequency and documents in the
    stored corpus. `terms` holds simplified terms or (simplified, traditional) pairs. Returns
    term → ID; the caller is in a transaction and writes the human or imported fields."""
    from . import mine
    from .pinyin import to_pinyin
    from .pipeline import document_from_blob

    pairs = [(t, "") if isinstance(t, str) else tuple(t) for t in terms]
    wanted = [mine.Term(simplified, category, variants=[traditional] if traditional else [])
              for simplified, traditional in pairs]
    found = mine.locate_all((document_from_blob(r) for r in termbase.stored_document_blobs()), wanted)
    stamp = now()
    ids = {}
    retired = dict(termbase.connection.execute("SELECT term, id FROM dormant_terms WHERE state = 'retired'"))
    for simplified, traditional in pairs:
        if simplified in retired:
            # A retired entry comes back under its ID, with what it had; never a second ID.
            termbase.revive(retired[simplified])
            ids[simplified] = retired[simplified]
            continue
        pinyin = to_pinyin(simplified)
        frequency = found.frequency.get(simplified, 0)
        contexts = mine.choose_contexts(simplified, found.contexts.get(simplified, []))
        if frequency == 0 and not_in_corpus is not None:
            not_in_corpus.append(simplified)
        cursor = termbase.connection.execute(
            "INSERT INTO terms(term, traditional, variants_json, category, frequency, documents, pinyin,"
            " pinyin_marks, pinyin_numbers, pinyin_plain, initials, search_pinyin, mined, in_corpus,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?)",
            (simplified, traditional or mine.to_traditional(simplified),
             json.dumps([traditional] if traditional else [], ensure_ascii=False),
             category if frequency else f"{category} (not in corpus)", frequency,
             found.documents.get(simplified, 0), pinyin.display, pinyin.marks, pinyin.numbers, pinyin.plain,
             pinyin.initials, pinyin_key(pinyin.plain), int(frequency > 0), stamp, stamp))
        term_id = cursor.lastrowid
        for rank, context in enumerate(contexts):
            termbase.connection.execute(
                "INSERT INTO contexts(term_id, rank, document_hash, document, sentence, start, end, text,"
                " term_start, traditional) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (term_id, rank, context.document_hash, context.document, context.sentence, context.start,
                 context.end, context.text, context.term_start, context.traditional))
        termbase.refresh_search([term_id])
        ids[simplified] = term_id
    return ids
