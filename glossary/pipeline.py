"""`glossary build`: read → clean → mine → enrich → store → export, incrementally.

Only documents whose cleaned text the termbase has not seen are read into it; their partial
counts are stored, and terms are re-scored on the counts of every stored document. Human
fields are never touched. Everything is written in one transaction, and the workbook is
written before that transaction commits, so a failure leaves termbase and outputs as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import mine
from .clean import clean_document
from .errors import GlossaryError
from .read import find_documents, read_document
from .store import Termbase


@dataclass
class BuildReport:
    documents_seen: int = 0
    documents_added: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    terms: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: bool = False
    workbook: str | None = None


def _clean_and_count(path: str):
    """Worker: one file from disk to (cleaned document, partial counts), or an error string."""
    mine.prepare_segmenter()
    try:
        raw = read_document(Path(path))
    except (ValueError, OSError) as error:
        return path, None, None, str(error)
    document = clean_document(raw)
    return path, document, mine.count_document(document), None


def _occurrences_worker(args):
    documents, terms = args
    mine.prepare_segmenter()
    mine.segment.add_words(t.term for t in terms)
    return mine.locate_all(documents, terms)


def settings_fingerprint(settings: mine.MiningSettings) -> str:
    return json.dumps(asdict(settings), sort_keys=True)


def _map(function, items, jobs: int):
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(function, items, chunksize=max(1, len(items) // (jobs * 8))))


def build(
    paths: list[str],
    db_path: str | None = None,
    settings: mine.MiningSettings = mine.MiningSettings(),
    jobs: int = 1,
    write_workbook: Callable[[Termbase, str], None] | None = None,
    out: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    report = BuildReport()
    files = [str(p) for p in find_documents(paths)]
    if not files:
        raise GlossaryError("no text documents found in " + ", ".join(map(str, paths)))
    termbase = Termbase(db_path)
    try:
        known = termbase.document_hashes()
        new_documents = []
        seen_hashes = set()
        jobs = max(1, jobs)
        results = _map(_clean_and_count, files, jobs) if jobs > 1 else None
        for index, path in enumerate(files):
            path, document, counts, error = results[index] if results else _clean_and_count(path)
            if progress:
                progress(index + 1, len(files))
            if error:
                warn(f"skipped {path}: {error}")
                report.skipped.append(path)
                continue
            report.documents_seen += 1
            digest = document.content_hash
            if digest in known or digest in seen_hashes:
                report.duplicates += 1
                continue
            seen_hashes.add(digest)
            new_documents.append((document, counts))
        if report.documents_seen == 0 and not known:
            raise GlossaryError("no readable document in the given paths")

        fingerprint = settings_fingerprint(settings)
        unchanged = not new_documents and termbase.get_meta("settings") == fingerprint
        with termbase.transaction():
            for document, counts in new_documents:
                termbase.add_document(document, counts)
            report.documents_added = len(new_documents)
            if not unchanged:
                entries = mine_store(termbase, settings, jobs)
                outcome = termbase.upsert_mined_terms(entries)
                report.added, report.updated, report.retired = outcome["added"], outcome["updated"], outcome["retired"]
                termbase.set_meta("settings", fingerprint)
                termbase.set_meta("corpus_fingerprint", corpus_fingerprint(termbase.document_hashes()))
            report.unchanged = unchanged
            report.terms = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
            if write_workbook and out:
                write_workbook(termbase, out)
                report.workbook = out
        return report
    finally:
        termbase.close()


def corpus_fingerprint(hashes: set[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:16]


def mine_store(termbase: Termbase, settings: mine.MiningSettings, jobs: int = 1) -> list[dict]:
    """Select, locate and enrich terms from every document the termbase holds."""
    from .enrich import enrich

    mine.prepare_segmenter()
    counts = mine.merge_counts(termbase.stored_counts())
    terms = mine.select_terms(counts, settings)
    mine.segment.add_words(t.term for t in terms)
    if jobs > 1:
        documents = list(termbase.stored_documents())
        batches = [documents[i::jobs] for i in range(jobs)]
        occurrences = mine.merge_occurrences(_map(_occurrences_worker, [(b, terms) for b in batches], jobs))
    else:
        occurrences = mine.locate_all(termbase.stored_documents(), terms)
    finished = mine.finish_terms(terms, occurrences, settings)
    return [enrich(term) for term in finished]
