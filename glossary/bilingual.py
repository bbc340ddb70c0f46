"""Bilingual material into the termbase: translation memories and aligned documents.

A memory's segment pairs are cut into sentence pairs where both sides have several sentences
(align.split_pair) and stored; its Chinese side becomes a document of the corpus, so the terms
mined from it enter the termbase; then every term's English equivalent is looked for across
all the pairs of all memories (termalign.py) and kept as the `translation memory: FILE`
rendering, ranked below a translator's and an imported glossary's English and above the
reference and dictionary drafts. All of it in one transaction: a failure changes nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from .memory import Memory
from .store import Termbase, now


@dataclass
class MemoryReport:
    name: str
    format: str
    segments: int = 0
    pairs: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    converted: int = 0
    unchanged: bool = False
    replaced: bool = False
    terms: int = 0
    terms_added: int = 0
    found: int = 0                 # terms found on the Chinese side of the memories
    harvested: int = 0             # terms whose English now comes from a memory
    low_confidence: int = 0        # terms seen but left with candidates only


def memory_pairs(memory: Memory) -> list[tuple[int, str, str]]:
    """(segment number, Chinese, English) sentence pairs of a memory."""
    from .align import split_pair

    return [(number, zh, en) for number, (segment_zh, segment_en) in enumerate(memory.pairs, start=1)
            for zh, en in split_pair(segment_zh, segment_en)]


def _chinese_document_record(memory: Memory) -> dict:
    """The memory's Chinese side as a cleaned, tokenised document, ready for the termbase."""
    from . import mine
    from .clean import clean_document
    from .read import RawDocument
    from .store import pack, pack_tokens

    text = "\n".join(zh for zh, _ in memory.pairs)
    raw = RawDocument(path=f"{memory.path} (Chinese side)", text=text, encoding="utf-8", size=len(text.encode()))
    document = clean_document(raw)
    tokens, counts = mine.tokenize_document(document)
    sentences = [[s.index, s.paragraph, s.start, s.end, s.text, s.traditional, s.mojibake]
                 for s in document.sentences]
    return {
        "hash": document.content_hash, "path": document.path, "name": document.name, "title": memory.name,
        "date": None, "publication": f"translation memory ({memory.format})", "author": None,
        "encoding": "utf-8", "script": document.script,
        "dropped_json": json.dumps(document.dropped, ensure_ascii=False),
        "mojibake_json": json.dumps(document.mojibake, ensure_ascii=False),
        "sentences": pack(sentences), "counts": pack(counts.to_json()), "tokens": pack_tokens(tokens),
    }


def _settings(termbase: Termbase):
    from dataclasses import fields

    from .mine import MiningSettings

    stored = termbase.get_meta("settings")
    if not stored:
        return MiningSettings()
    values = json.loads(stored)
    return MiningSettings(**{f.name: values[f.name] for f in fields(MiningSettings) if f.name in values})


def import_memory(termbase: Termbase, memory: Memory, who: str, dry_run: bool = False) -> MemoryReport:
    """Store a memory's pairs, mine its Chinese side, and harvest English for every term."""
    report = MemoryReport(memory.name, memory.format, segments=len(memory.pairs), dropped=dict(memory.dropped),
                          converted=memory.converted)
    pairs = memory_pairs(memory)
    report.pairs = len(pairs)
    known = termbase.connection.execute("SELECT id FROM memories WHERE digest = ?", (memory.digest,)).fetchone()
    if known:
        report.unchanged = True
        return report
    if dry_run:
        return report
    record = _chinese_document_record(memory)
    with termbase.transaction():
        connection = termbase.connection
        for old_id, old_hash in connection.execute("SELECT id, document_hash FROM memories WHERE name = ?",
                                                   (memory.name,)).fetchall():
            # The same file, changed: it replaces what it was.
            report.replaced = True
            connection.execute("DELETE FROM memories WHERE id = ?", (old_id,))
            still_used = connection.execute("SELECT 1 FROM memories WHERE document_hash = ?", (old_hash,)).fetchone()
            if old_hash and not still_used and old_hash != record["hash"]:
                termbase.remove_document(old_hash)
        cursor = connection.execute(
            "INSERT INTO memories(name, path, digest, format, segments, document_hash, who, added_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (memory.name, memory.path, memory.digest, memory.format, len(memory.pairs), record["hash"], who, now()))
        memory_id = cursor.lastrowid
        connection.executemany("INSERT INTO memory_pairs(memory_id, segment, zh, en) VALUES (?,?,?,?)",
                               [(memory_id, number, zh, en) for number, zh, en in pairs])
        if record["hash"] not in termbase.document_hashes():
            termbase.add_document_record(record)
        before = {term for (term,) in connection.execute("SELECT term FROM terms")}
        mine_termbase(termbase)
        report.terms_added = len({term for (term,) in connection.execute("SELECT term FROM terms")} - before)
        harvest = refresh_memory_english(termbase)
    report.terms = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
    report.found, report.harvested, report.low_confidence = harvest
    return report


def mine_termbase(termbase: Termbase) -> None:
    """Mine every stored document again (the build's own steps), with the build's settings."""
    from . import mine
    from .pipeline import corpus_fingerprint, findings_key, mine_store, settings_fingerprint

    settings = _settings(termbase)
    dictionary = mine.prepare_segmenter()
    mined = mine_store(termbase, settings)
    corpus = corpus_fingerprint(termbase.document_hashes())
    termbase.set_count_snapshot(None)  # counts of the documents before: no use to the next build
    termbase.set_found_snapshot(findings_key(corpus, dictionary), *mined.found)
    termbase.upsert_mined_terms(mined.entries)
    termbase.set_meta("settings", settings_fingerprint(settings))
    termbase.set_meta("segmenter", dictionary)
    termbase.set_meta("corpus_fingerprint", corpus)


def has_memories(termbase: Termbase) -> bool:
    try:
        return termbase.connection.execute("SELECT 1 FROM memories LIMIT 1").fetchone() is not None
    except Exception:  # noqa: BLE001 - a termbase older than memories has none
        return False


def refresh_memory_english(termbase: Termbase) -> tuple[int, int, int]:
    """Look for every term's English across all pairs of all memories; write the machine fields.
    Returns (terms found in the memories, terms given English, terms with low confidence only)."""
    from .termalign import align_terms

    connection = termbase.connection
    rows = connection.execute("SELECT memory_pairs.zh, memory_pairs.en, memories.name FROM memory_pairs"
                              " JOIN memories ON memories.id = memory_id ORDER BY memory_id, segment").fetchall()
    pairs = [(zh, en) for zh, en, _ in rows]
    names = [name for _, _, name in rows]
    terms = connection.execute("SELECT id, term, pinyin_plain, english_auto, english_auto_source, english_memory,"
                               " english_memory_source, english_memory_detail, memory_json FROM terms").fetchall()
    references = {row["term"]: row["english_auto"] for row in terms if row["english_auto_source"] == "reference"}
    pinyin = {row["term"]: row["pinyin_plain"] for row in terms}
    found = align_terms(pairs, [row["term"] for row in terms], references, pinyin) if pairs else {}
    example_memory = {(zh, en): name for (zh, en), name in zip(pairs, names)}
    updates = []
    harvested = low = 0
    for row in terms:
        equivalent = found.get(row["term"])
        if equivalent is None:
            values = ("", "", "", "")
        else:
            data = equivalent.to_json()
            for candidate in data["candidates"]:
                candidate["memory"] = example_memory.get((candidate["example_zh"], candidate["example_en"]), "")
            if equivalent.usable:
                top = data["candidates"][0]
                values = (top["english"], top["memory"], equivalent.describe(top["memory"]),
                          json.dumps(data, ensure_ascii=False))
                harvested += 1
            else:
                values = ("", "", "", json.dumps(data, ensure_ascii=False))
                low += 1
        if values != (row["english_memory"], row["english_memory_source"], row["english_memory_detail"],
                      row["memory_json"]):
            updates.append((*values, row["id"]))
    connection.executemany("UPDATE terms SET english_memory = ?, english_memory_source = ?,"
                           " english_memory_detail = ?, memory_json = ? WHERE id = ?", updates)
    if updates:
        termbase.refresh_search([term_id for *_, term_id in updates])
    return len(found), harvested, low


def read_text_file(path: str | os.PathLike) -> str:
    from pathlib import Path

    from .clean import normalise_text, strip_html
    from .errors import GlossaryError
    from .read import decode_bytes

    path = Path(path)
    if not path.exists():
        raise GlossaryError(f"no such file: {path}")
    data = path.read_bytes()
    try:
        text, _ = decode_bytes(data)
    except ValueError as error:
        raise GlossaryError(f"{path.name}: not a text file ({error})") from None
    if path.suffix.lower() in (".html", ".htm") or text.lstrip().startswith("<"):
        text = strip_html(text)
    text = normalise_text(text)
    if not text.strip():
        raise GlossaryError(f"{path.name} is empty")
    return text


def aligned_memory(zh_path: str | os.PathLike, en_path: str | os.PathLike):
    """A document and its translation as a memory of sentence pairs, with the alignment."""
    import hashlib
    from pathlib import Path

    from .align import align_texts
    from .clean import to_simplified
    from .errors import GlossaryError

    zh_text, en_text = read_text_file(zh_path), read_text_file(en_path)
    from .memory import _CJK_RE

    if not _CJK_RE.search(zh_text):
        raise GlossaryError(f"{Path(zh_path).name}: no Chinese text (give the Chinese file first)")
    if len(_CJK_RE.findall(en_text)) * 4 > len(en_text):
        raise GlossaryError(f"{Path(en_path).name}: this looks like Chinese, not English (give the English file second)")
    alignment = align_texts(to_simplified(zh_text), en_text)
    digest = hashlib.sha256(zh_text.encode() + b"\0" + en_text.encode()).hexdigest()
    memory = Memory(Path(zh_path).name, str(Path(zh_path).resolve()), "aligned documents", digest,
                    pairs=alignment.pairs, dropped=dict(alignment.dropped))
    return memory, alignment
