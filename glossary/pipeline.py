"""`glossary build`: read → clean → mine → enrich → store → export, incrementally.

Only documents whose cleaned text the termbase has not seen are read into it; their partial
counts are stored, and terms are re-scored on the counts of every stored document. Human
fields are never touched. Everything is written in one transaction, and the workbook is
written before that transaction commits, so a failure leaves termbase and outputs as they were.

With jobs > 1 both maps (clean + count, and locating terms) run in a pool of processes; the
results are the same as with one process because every merge is order-independent.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import tempfile
import threading
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple

from . import dates, formats, mine, timeline
from .clean import CLEANER_VERSION, CleanDocument, Sentence, clean_document, document_name
from .errors import GlossaryError
from .locate import FoundSnapshot
from .read import document_from_bytes, find_documents, raw_from_record, source_digest
from .counting import (counting_fingerprint, grow_snapshot, merge_spilled, pack_snapshot, prune, snapshot_keep,
                       spill_ngrams_of, unpack_snapshot)
from .store import Termbase, document_counts, documents_counts, ngram_counts_in, pack, pack_tokens, unpack

if TYPE_CHECKING:
    from .timeline import TimelineSummary

SMALL_CORPUS = 8  # files; below this a process pool costs more than it saves
SMALL_ARCHIVES = 4 * 1024 * 1024  # bytes of WARC/JSONL; below this too
# Records of an archive go to the workers in batches of at most this many records or bytes, and
# only a few batches are in flight: an archive of any size streams through bounded memory.
RECORDS_PER_BATCH = 200
BATCH_BYTES = 2 * 1024 * 1024
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@dataclass
class BuildReport:
    documents_seen: int = 0
    documents_added: int = 0
    documents_replaced: int = 0  # earlier versions of changed files, now forgotten
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    terms: int = 0
    added: int = 0
    updated: int = 0
    retired: int = 0
    returned: int = 0  # retired terms mined again, under their old IDs
    unchanged: bool = False
    workbook: str | None = None
    records_skipped: dict[str, int] = field(default_factory=dict)  # archive records that are not documents
    resumed: dict[str, int] = field(default_factory=dict)  # archive → bytes an earlier build read, not read again
    cluster: object = None  # cluster.ClusterStats of a build on a Dask cluster
    counts_reused: bool = False  # the stored documents' counts came from the last build, not a recount
    findings_reused: bool = False  # the stored documents were searched only for terms new to this build
    timeline: "TimelineSummary | None" = None  # documents' dates, undated ones named


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def read_file(path: str) -> tuple[bytes, str]:
    """A local file's bytes and its absolute path (the name its source is remembered by)."""
    return Path(path).read_bytes(), str(Path(path).resolve())


def clean_and_tokenize(path: str, read: Callable[[str], tuple[bytes, str]] = read_file
                       ) -> tuple[str, dict | None, mine.DocumentCounts | None, list[str], str | None]:
    """Map step 1, for one file: (path, a record ready for the termbase, its counts of slogans,
    meetings and quoted strings, its tokens, or an error). `read` gives the file's bytes and
    source name (a cluster worker reads URLs too)."""
    try:
        stat = file_stat(path) if read is read_file else ""  # before reading: a later change shows
        data, source_path = read(path)
        digest = source_digest(data)
        if digest in _known_sources:
            # These very bytes were cleaned before, into a document the termbase holds.
            return path, {"hash": _known_sources[digest], "digest": digest, "source_path": source_path,
                          "stored": True, "stat": stat}, None, [], None
        raw = document_from_bytes(Path(path), data)
    except (ValueError, OSError) as error:
        return path, None, None, [], str(error)
    record, counts, tokens, error = _document_record(raw, digest, source_path)
    record["stat"] = stat
    return path, record, counts, tokens, error


def _real_path(path: str, folders: dict[str, str], depth: int = 0) -> str:
    """os.path.realpath(path), resolving each folder once (`folders` remembers them): the same
    answer for many files with a few lstat calls instead of one per folder of every path."""
    folder, name = os.path.split(os.path.abspath(path))
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    candidate = os.path.join(folders[folder], name)
    if depth < 40 and os.path.islink(candidate):
        return _real_path(os.path.join(folders[folder], os.readlink(candidate)), folders, depth + 1)
    return candidate if depth < 40 else os.path.realpath(path)


RACY_NANOSECONDS = 2_000_000_000  # a file changed this close to being read may change again unseen


def file_stat(path: str) -> str:
    """What tells a file unchanged without reading it: size, modification time and inode, and
    when they were taken."""
    found = os.stat(path)
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ino}:{time.time_ns()}"


def _stat_parts(stat: str) -> tuple[int, ...] | None:
    try:
        size, modified, inode, seen = (int(part) for part in stat.split(":"))
    except ValueError:
        return None
    return size, modified, inode, seen


def _settled(parts: tuple[int, ...]) -> bool:
    return parts[1] < parts[3] - RACY_NANOSECONDS


def stat_news(known: str, new: str) -> bool:
    """Whether a file's new stat tells more than the one kept: another size, time or inode, or
    the same ones now old enough to be trusted (see unchanged_files)."""
    old_parts, new_parts = _stat_parts(known), _stat_parts(new)
    if new_parts is None:
        return False
    if old_parts is None or old_parts[:3] != new_parts[:3]:
        return True
    return _settled(new_parts) and not _settled(old_parts)


def unchanged_files(paths: Iterable[str], stats: dict[str, tuple[str, str, str]]) -> dict[str, dict]:
    """Of `paths`, those whose size, modification time and inode are what they were when a
    build read them (store.source_stats), as the records a read would give: no need to read
    them again. A file modified within two seconds of that read is read again all the same, as
    a change in the same clock tick would leave its stat as it was (git's "racily clean")."""
    settled = {}
    folders: dict[str, str] = {}
    for path in paths:
        source_path = _real_path(path, folders)
        known = stats.get(source_path)
        if known is None:
            continue
        stat, digest, document_hash = known
        parts = _stat_parts(stat)
        try:
            found = os.stat(path)
        except OSError:
            continue
        if parts is not None and (found.st_size, found.st_mtime_ns, found.st_ino) == parts[:3] and _settled(parts):
            settled[path] = {"hash": document_hash, "digest": digest, "source_path": source_path, "stored": True,
                             "stat": stat, "settled": True}
    return settled


def clean_and_tokenize_record(item: formats.Record) -> tuple[str, dict | None, mine.DocumentCounts | None,
                                                             list[str], str | None]:
    """Map step 1, for one record of a WARC archive or JSONL dump: as clean_and_tokenize."""
    label = f"{item.path} {item.record}"
    if item.payload is None:
        return label, {"hash": _known_sources[item.digest], "digest": item.digest, "source_path": item.source_path,
                       "stored": True}, None, [], None
    try:
        raw = raw_from_record(item)
    except (ValueError, OSError) as error:
        return label, None, None, [], str(error)
    return (label, *_document_record(raw, item.digest, item.source_path))


def _document_record(raw, digest: str, source_path: str):
    document = clean_document(raw)
    tokens, counts = mine.tokenize_document(document)
    sentences = [[s.index, s.paragraph, s.start, s.end, s.text, s.traditional, s.mojibake]
                 for s in document.sentences]
    record = {
        "hash": document.content_hash, "path": document.path, "name": document.name, "title": document.title,
        "date": document.date, "publication": document.publication, "author": document.author,
        "encoding": document.encoding, "script": document.script,
        "dropped_json": json.dumps(document.dropped, ensure_ascii=False),
        "mojibake_json": json.dumps(document.mojibake, ensure_ascii=False),
        "sentences": pack(sentences), "counts": pack(counts.to_json()), "tokens": pack_tokens(tokens),
        "digest": digest, "source_path": source_path,
    }
    return record, counts, tokens, None


_known_hashes: frozenset[str] = frozenset()
_known_sources: dict[str, str] = {}


def start_worker(parent: int, known_hashes: frozenset[str], known_sources: dict[str, str] | None = None) -> str:
    """A worker of the build's pool: it dies with the build (whatever signal ends it, SIGKILL
    included) and leaves Ctrl-C to the build, which stops it without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's handler, inherited by fork
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held back while the pool forked
    _die_with_parent(parent)
    return prepare_worker(known_hashes, known_sources)


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pipe to the parent still ends the worker
        pass
    if os.getppid() != parent and os.getppid() == 1:
        os._exit(1)  # the build died before this worker could ask to follow it


def stop_pool(pool) -> None:
    """End a pool's workers now (the build failed or was stopped): pending work is cancelled
    and running work killed, instead of waiting for it."""
    pool.shutdown(wait=False, cancel_futures=True)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
    # Let the pool's manager thread see its workers gone and close its pipes now, not race
    # the interpreter's exit over them (an "Exception ignored … Bad file descriptor" otherwise).
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=5)


@contextmanager
def worker_pool(jobs: int, known: frozenset[str], sources: dict[str, str]) -> Iterator[ProcessPoolExecutor]:
    """The build's process pool, whose workers end with the build however it ends."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(os.getpid(), known, sources))
    try:
        # The workers are started now, with Ctrl-C and SIGTERM held back until every fork is
        # done: a signal in the middle of a fork leaves the pool (and logging's lock) half made.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS) if hasattr(signal, "pthread_sigmask") else None
        try:
            for _ in range(jobs):
                pool.submit(int)
        finally:
            if held is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield pool
    except BrokenProcessPool:
        stop_pool(pool)
        raise GlossaryError("a worker process of the build was stopped (killed?); nothing was changed") from None
    except BaseException:
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)


def prepare_worker(known_hashes: frozenset[str], known_sources: dict[str, str] | None = None) -> str:
    """Each process of a build: the segmenter, the documents the termbase has, and the files
    (by digest) it cleaned them from."""
    global _known_hashes, _known_sources
    _known_hashes = known_hashes
    _known_sources = known_sources or {}
    return mine.prepare_segmenter()


def clean_and_count_batch(paths: list[str], read: Callable[[str], tuple[bytes, str]] = read_file,
                          spill: str | None = None
                          ) -> tuple[list[tuple[str, dict | None, str | None]], mine.DocumentCounts]:
    """Map step 1 for a batch of files: their records, and the merged counts of the batch's
    documents (each distinct document once, those the termbase already holds left out), so that
    merging is spread over the workers instead of queuing in the parent. The n-grams of the
    batch are counted in one pass over its documents' tokens (each ends on a BOUNDARY, so no
    n-gram spans two documents): cheaper than counting each document and merging. With a
    `spill` folder the n-grams are written there (counting.spill_ngrams), not returned."""
    results = []
    merged = mine.DocumentCounts()
    tokens: list[str] = []
    hashes: set[str] = set()
    for path in paths:
        path, record, counts, document_tokens, error = (
            clean_and_tokenize(path, read) if isinstance(path, str) else clean_and_tokenize_record(path))
        if record is not None and record["hash"] not in _known_hashes and record["hash"] not in hashes:
            hashes.add(record["hash"])
            merged.add(counts)
            tokens.extend(document_tokens)
        results.append((path, record, error))
    merged.add(mine.count_tokens(tokens))
    if spill is not None:
        spill_ngrams_of(merged, spill)
    return results, merged


def spilled_documents_counts(args: tuple[list[tuple[bytes, bytes | None]], str]) -> mine.DocumentCounts:
    """documents_counts of stored documents, their n-grams written to the spill folder."""
    blobs, spill = args
    return spill_ngrams_of(documents_counts(blobs), spill)


def document_from_blob(row: tuple) -> CleanDocument:
    document_hash, path, encoding, script, blob = row
    sentences = [Sentence(*item) for item in unpack(blob)]
    return CleanDocument(path=path, encoding=encoding, script=script, text="", paragraphs=[],
                         traditional_paragraphs=[], sentences=sentences, stored_hash=document_hash)


def _name_and_hash(row: tuple) -> tuple[str, str]:
    document_hash, path = row[0], row[1]
    return document_name(path), document_hash


def locate_batch(args: tuple[list[tuple], list[mine.Term], bool]) -> mine.Occurrences:
    """Map step 2, for a batch of stored documents (counts only when screening)."""
    rows, terms, counts_only = args
    if counts_only:
        # Screening needs only the text of the sentences free of mojibake, and neighbours.
        locator = mine.TermLocator(terms, counts_only=True)
        found = mine.Occurrences()
        for row in rows:
            texts = [item[4] for item in unpack(row[4]) if not item[6]]
            if texts:
                locator.count(mine.joined_sentences(texts), found)
        return found
    # The pass after screening needs no neighbours, and takes its counts from the screening.
    locator = mine.TermLocator(terms, neighbours=False, counting=False)
    found = mine.Occurrences()
    for row in rows:
        locator.locate(document_from_blob(row), found)
    return found


def settings_fingerprint(settings: mine.MiningSettings) -> str:
    """What the mined list depends on besides the documents: the settings and the release (a
    new release may mine differently, e.g. another termhood model, so its first build mines
    again even where the corpus is unchanged)."""
    from .enrich import release_key

    return json.dumps({**asdict(settings), "release": release_key()}, sort_keys=True)


def corpus_fingerprint(hashes: set[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:16]


def snapshot_key(corpus: str, segmenter: str) -> str:
    """Whose merged counts a snapshot holds: the documents of `corpus` (corpus_fingerprint),
    counted this way."""
    return f"{corpus} {counting_fingerprint(segmenter)}"


def stored_snapshot(termbase: Termbase, known: Iterable[str], segmenter: str
                    ) -> tuple[int, mine.DocumentCounts] | None:
    """The merged counts the last build kept, when they are those of the documents `known`."""
    row = termbase.count_snapshot()
    if row is None or row[0] != snapshot_key(corpus_fingerprint(set(known)), segmenter):
        return None
    return row[1], unpack_snapshot(row[2])


def findings_key(corpus: str, segmenter: str) -> str:
    """Whose findings a found snapshot holds: the documents of `corpus`, searched by this
    release (its code decides what is found) with this segmenter (it decides which places
    stand inside a longer word)."""
    from .enrich import release_key

    return f"{corpus} {segmenter} {release_key()}"


def stored_findings(termbase: Termbase, known: Iterable[str], segmenter: str
                    ) -> tuple[FoundSnapshot, FoundSnapshot] | None:
    """What the last build found (screening, locating), when it searched the documents `known`."""
    row = termbase.found_snapshot()
    if row is None or row[0] != findings_key(corpus_fingerprint(set(known)), segmenter):
        return None
    return FoundSnapshot.from_json(unpack(row[1])), FoundSnapshot.from_json(unpack(row[2]))


def build(
    paths: list[str],
    db_path: str | None = None,
    settings: mine.MiningSettings = mine.MiningSettings(),
    jobs: int = 0,
    write_workbook: Callable[[Termbase, str], None] | None = None,
    out: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
    progress: Callable[[int, int], None] | None = None,
    text_field: str | None = None,
    date_pattern: str | None = None,
) -> BuildReport:
    report = BuildReport()
    file_date_pattern = dates.compile_date_pattern(date_pattern)
    files = [str(p) for p in find_documents(paths)]
    if not files:
        raise GlossaryError("no text documents found in " + ", ".join(map(str, paths)))
    archives = [path for path in files if formats.is_container(path)]
    if not jobs:
        large = len(files) >= SMALL_CORPUS or sum(_size(path) for path in archives) >= SMALL_ARCHIVES
        jobs = default_jobs() if large else 1
    elif jobs > default_jobs():
        warn(f"--jobs {jobs} is more than the {default_jobs()} CPU cores available; using {default_jobs()}")
        jobs = default_jobs()
    termbase = Termbase(db_path)
    cluster_store = termbase.get_meta("document_store")
    if cluster_store:
        termbase.close()
        raise GlossaryError(f"{termbase.path} keeps its documents' text in the cluster store {cluster_store}: "
                            "build it with --cluster")
    known = frozenset(termbase.document_hashes())
    # Files are skipped by the digest of their bytes only if cleaning has not changed since.
    sources = termbase.sources() if termbase.get_meta("cleaner") == CLEANER_VERSION else {}
    documents_by_path = termbase.documents_by_path()
    # An archive that only grew since a build read it is read from where that build stopped
    # (while cleaning is unchanged: otherwise every record is cleaned again).
    resume = {path: state for path in archives if sources and (state := formats.ReadState.from_json(
        termbase.get_meta(_read_state_key(path)))) and state.holds_for(path, _field_of(path, text_field))}
    read_to_end: dict[str, formats.ReadState] = {}
    dictionary = prepare_worker(known, sources)
    pool_context = worker_pool(jobs, known, sources) if jobs > 1 else nullcontext()
    try:
        # The map's n-gram counts wait on disk for the merge (counting.spill_ngrams). The folder
        # goes after the pool: a stopped build's workers are gone before it is removed.
        with tempfile.TemporaryDirectory(prefix="glossary-counts-", ignore_cleanup_errors=True) as spill, \
                pool_context as pool:
            fingerprint = settings_fingerprint(settings)
            single_files = set(files) - set(archives)
            size = max(1, len(single_files) // (jobs * 16))
            number = 0

            def file_done():
                nonlocal number
                number += 1
                if progress:
                    progress(number, len(files))

            # Files whose stat is as a build left it are known without being read.
            stats = termbase.source_stats() if sources else {}
            settled = unchanged_files(single_files, stats)
            batches = work_batches([path for path in files if path not in settled], size, sources, text_field,
                                   report, warn, file_done, resume, read_to_end)
            count_batch = partial(clean_and_count_batch, spill=spill)
            results = (bounded_map(pool, count_batch, batches, jobs * 2) if pool
                       else map(count_batch, batches))
            if settled:
                known_results = [(path, record, None) for path, record in settled.items()]
                results = itertools.chain([(known_results, mine.DocumentCounts())], results)
            # Dictionaries the parent needs only if there is mining to do: loaded as soon as a new
            # document shows there is, while the parent mostly waits for the workers.
            warm_up = threading.Thread(target=_warm_up, args=(pool is None,), daemon=True)
            new_counts = mine.DocumentCounts()
            with termbase.transaction():
                # The tool's words changed since the stored documents were cut (an upgrade):
                # cut them again, or their counts would not add up with the new ones.
                retokenized = bool(known) and termbase.get_meta("segmenter") != dictionary
                if retokenized:
                    retokenize_stored(termbase)
                seen_hashes: set[str] = set()
                cleaned: list[tuple[str, str]] = []  # (absolute path, document) of every file read
                for batch, batch_counts in results:
                    new_counts.add(batch_counts)
                    for path, record, error in batch:
                        if path in single_files:  # an archive's progress is counted as it is read
                            file_done()
                        if error:
                            warn(f"skipped {path}: {error}")
                            report.skipped.append(path)
                            continue
                        report.documents_seen += 1
                        if not record.get("settled"):  # a settled file's source row is as it was
                            known_stat = stats.get(record["source_path"])
                            stat = record.get("stat", "")
                            if known_stat is not None and known_stat[1] == record["digest"] \
                                    and not stat_news(known_stat[0], stat):
                                stat = ""  # nothing worth writing: a build that changed nothing changes no byte
                            termbase.add_source(record["source_path"], record["digest"], record["hash"], stat)
                        cleaned.append((record["source_path"], record["hash"]))
                        if record["hash"] in known:
                            report.duplicates += 1
                            continue
                        if record["hash"] in seen_hashes:
                            report.duplicates += 1
                            if not _first_in_its_batch(record, batch):
                                continue
                            # Its batch counted it, not knowing another batch had it first.
                            new_counts.subtract(spill_ngrams_of(
                                document_counts(record["counts"], record["tokens"]), spill, negate=True))
                            continue
                        seen_hashes.add(record["hash"])
                        termbase.add_document_record(record)
                        if warm_up.ident is None:
                            warm_up.start()
                report.documents_added = len(seen_hashes)
                for path, state in read_to_end.items():
                    termbase.set_meta(_read_state_key(path), state.to_json())
                if report.documents_seen == 0 and not known:
                    raise GlossaryError("no readable document in the given paths")
                replaced = forget_replaced(termbase, cleaned, documents_by_path, known)
                report.documents_replaced = len(replaced)
                known = known - replaced
                unchanged = (not seen_hashes and not replaced and not retokenized
                             and termbase.get_meta("settings") == fingerprint)
                if not unchanged:
                    if warm_up.ident is None:
                        warm_up.start()
                    warm_up.join()
                    snapshot = None if retokenized else stored_snapshot(termbase, known, dictionary)
                    mined = mine_store(termbase, settings, pool, jobs, new_counts, known, spill, snapshot,
                                       stored_findings(termbase, known, dictionary))
                    report.counts_reused, report.findings_reused = mined.counts_reused, mined.found_reused
                    corpus = corpus_fingerprint(termbase.document_hashes())
                    termbase.set_count_snapshot(*((snapshot_key(corpus, dictionary), *mined.kept_counts)
                                                  if mined.kept_counts is not None else (None,)))
                    termbase.set_found_snapshot(findings_key(corpus, dictionary), *mined.found)
                    outcome = termbase.upsert_mined_terms(mined.entries)
                    report.added, report.updated, report.retired = (
                        outcome["added"], outcome["updated"], outcome["retired"])
                    report.returned = outcome.get("returned", 0)
                    termbase.set_meta("settings", fingerprint)
                    termbase.set_meta("segmenter", dictionary)
                    termbase.set_meta("corpus_fingerprint", corpus)
                # Dates follow this build's paths (and --date-pattern); the entries' sightings
                # and periods follow the documents and entries the termbase now holds.
                redated = dates.assign_dates(termbase, cleaned, file_date_pattern)
                report.timeline = timeline.refresh(termbase, dates_changed=redated > 0 or not unchanged)
                report.unchanged = unchanged
                report.terms = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
                if write_workbook and out:
                    # The workbook written last is kept when nothing it shows has changed since
                    # (the termbase's change counter), it is still as written, and so is the tool.
                    if termbase.get_meta("workbook") != _workbook_state(termbase, out):
                        write_workbook(termbase, out)
                        termbase.set_meta("workbook", _workbook_state(termbase, out))
                    report.workbook = out
        return report
    finally:
        termbase.close()


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _read_state_key(path: str) -> str:
    return "read:" + str(Path(path).resolve())


def _field_of(path: str, text_field: str | None) -> str | None:
    return text_field if formats.kind_of(path) == "jsonl" else None


def work_batches(files: list[str], size: int, sources: dict[str, str], text_field: str | None,
                 report: BuildReport, warn: Callable[[str], None], file_done: Callable[[], None],
                 resume: dict | None = None, read_to_end: dict | None = None):
    """The map's input, lazily: plain files in batches of `size`, and each archive's records as
    they are streamed from it, in batches bounded in count and bytes. A record whose content the
    termbase already holds goes without its payload; skipped records are counted (and malformed
    ones reported) here. An archive in `resume` is read from its ReadState on; the ReadState of
    each archive read to its end goes into `read_to_end`."""
    singles: list = []
    for path in files:
        if not formats.is_container(path):
            singles.append(path)
            if len(singles) >= size:
                yield singles
                singles = []
            continue
        batch: list = []
        batch_bytes = 0
        skipped: dict[str, int] = {}
        start = (resume or {}).get(path)
        if start is not None:
            report.resumed[path] = start.offset
        ends: list = []
        for item in formats.iter_records(path, text_field, sources, start, ends):
            if isinstance(item, formats.Broken):
                warn(f"skipped the rest of {item.path}: {item.reason}")
                report.skipped.append(item.path)
                continue
            if isinstance(item, formats.Skipped):
                reason = "malformed or unreadable" if item.warn else item.reason
                report.records_skipped[reason] = report.records_skipped.get(reason, 0) + 1
                if item.warn:
                    warn(f"skipped {item.path} {item.record}: {item.reason}")
                else:
                    skipped[item.reason] = skipped.get(item.reason, 0) + 1
                continue
            if item.digest in sources:
                item = item.without_payload()
            batch.append(item)
            batch_bytes += len(item.payload or "")
            if len(batch) >= RECORDS_PER_BATCH or batch_bytes >= BATCH_BYTES:
                yield batch
                batch, batch_bytes = [], 0
        if batch:
            yield batch
        if skipped:
            warn(formats.skipped_summary(path, skipped))
        if ends and read_to_end is not None:
            read_to_end[path] = ends[-1]
        file_done()
    if singles:
        yield singles


def bounded_map(pool, function, iterable, ahead: int):
    """pool.map, in order, but with at most `ahead` tasks submitted and not yet taken: the
    input is consumed only as fast as the workers get through it."""
    pending: deque = deque()
    for item in iterable:
        pending.append(pool.submit(function, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _workbook_state(termbase: Termbase, out: str) -> str:
    from .enrich import release_key

    path = Path(out).resolve()
    stat = path.stat() if path.is_file() else None
    return json.dumps([str(path), stat.st_size if stat else None, stat.st_mtime_ns if stat else None,
                       termbase.changes(), release_key()])


def forget_replaced(termbase: Termbase, cleaned: list[tuple[str, str]], documents_by_path: dict[str, set[str]],
                    known: frozenset[str]) -> set[str]:
    """A file that changed (edited, or cleaned differently by a new release) replaces the
    document it was before, unless another file of this build still is it: forget those
    documents (`cleaned`: (absolute path, document) of every file this build read). Then
    record the cleaner that cleaned them. Returns the documents forgotten."""
    produced = {document_hash for _, document_hash in cleaned}
    replaced = {old for path, document_hash in cleaned for old in documents_by_path.get(path, ())
                if old != document_hash and old not in produced and old in known}
    for document_hash in sorted(replaced):
        termbase.remove_document(document_hash)
    if termbase.get_meta("cleaner") != CLEANER_VERSION:
        termbase.set_meta("cleaner", CLEANER_VERSION)
    return replaced


def retokenize_stored(termbase: Termbase) -> None:
    """Cut every stored document again from its stored sentences, with this build's dictionary."""
    for row in termbase.stored_document_blobs():
        tokens, counts = mine.tokenize_document(document_from_blob(row))
        termbase.set_document_counts(row[0], pack(counts.to_json()), pack_tokens(tokens))


def _first_in_its_batch(record: dict, batch: list) -> bool:
    for _, other, _ in batch:
        if other is not None and other["hash"] == record["hash"]:
            return other is record
    return False


def _warm_up(enriching: bool) -> None:
    """Load the dictionaries the parent needs after the map step while it waits for workers:
    those of enrichment only when it enriches itself (with a pool, the workers do, and the
    parent spares the memory)."""
    mine.segment.background_frequencies()
    if enriching:
        from .english import _cedict
        from .pinyin import _pypinyin

        _cedict()
        _pypinyin()


class Mined(NamedTuple):
    """What mine_store gives a build: the entries, and what to keep for the next build."""

    entries: list[dict]
    kept_counts: tuple[int, bytes] | None  # (keep, packed merged counts), or None
    counts_reused: bool  # the stored documents' counts came from the count snapshot
    found: tuple[bytes, bytes]  # packed FoundSnapshots of the screening and the locating pass
    found_reused: bool  # the stored documents were searched only for terms the snapshot lacked


def mine_store(termbase: Termbase, settings: mine.MiningSettings, pool=None, jobs: int = 1,
               new_counts: mine.DocumentCounts | None = None, known: set[str] | None = None,
               spill: str | None = None, snapshot: tuple[int, mine.DocumentCounts] | None = None,
               found: tuple[FoundSnapshot, FoundSnapshot] | None = None) -> Mined:
    """Select, locate and enrich terms from every document the termbase holds.

    `new_counts` are the merged counts of the documents this build added (already in memory);
    the counts of the documents stored before (`known`) are those of `snapshot`, the counts
    the last build kept (counting.grow_snapshot), or else are read from the termbase and
    counted again. With a `spill` folder, the n-grams of both are in that folder
    (counting.spill_ngrams), merged here and pruned below the lowest frequency a candidate
    needs (scoring.frequency_floors). `found` is what the last build found in the documents
    `known` (screening, locating): those documents are searched only for the terms it lacks.
    """
    from .curate import apply_merges

    mapper = pool.map if pool is not None else map

    def lowest_floor(tokens: int) -> int:
        return min(mine.frequency_floors(settings, tokens).values())

    kept = None
    if snapshot is not None and spill is not None and new_counts is not None and known is not None:
        added = mine.DocumentCounts()
        added.add(new_counts)
        added.ngrams = Counter(merge_spilled(spill, 1, mapper))  # so far only the new documents
        kept = grow_snapshot(snapshot[1], snapshot[0], added, lowest_floor,
                             partial(count_in_stored, termbase, known, mapper, jobs))
    reused = kept is not None
    if kept is not None:
        counts = kept[0]
    else:
        # The stored documents' tokens are counted again, in batches, in the pool when there is one.
        blobs = (termbase.stored_count_blobs() if new_counts is None
                 else termbase.stored_count_blobs(only=known or set()))
        size = max(1, min(200, -(-len(blobs) // (jobs * 4))))
        batches = [blobs[i:i + size] for i in range(0, len(blobs), size)]
        if spill is not None:
            batches = [(batch, spill) for batch in batches]
            count = spilled_documents_counts
        else:
            count = documents_counts
        parts = pool.map(count, batches) if pool is not None and len(batches) > 1 else map(count, batches)
        counts = mine.merge_counts([new_counts or mine.DocumentCounts(), *parts])
        if spill is not None:
            keep = snapshot_keep(lowest_floor(counts.tokens))
            counts.ngrams = merge_spilled(spill, keep, mapper)
            kept = (counts, keep)
    # Selection sees the n-grams that reach the floor, however they were merged.
    selecting = replace(counts, ngrams=prune(counts.ngrams, lowest_floor(counts.tokens)))
    # The counts to keep are packed now, and the n-grams below the floor let go before locating.
    kept_packed = (kept[1], pack_snapshot(kept[0])) if kept is not None else None
    counts = selecting
    kept = None
    terms = mine.select_terms(selecting, settings)
    terms = apply_merges(terms, dict(termbase.connection.execute("SELECT variant, canonical FROM merges")))
    if found is not None and known is None:
        found = None  # without the stored documents named, what is new cannot be told apart
    added_documents = None if found is None else set(termbase.document_hashes()) - set(known)

    @lru_cache(maxsize=None)
    def documents(which: str) -> list[tuple]:
        # In name order: examples rank by document name, and locating relies on it to stop early.
        only = {"all": None, "added": added_documents, "stored": known}[which]
        return sorted(termbase.stored_document_blobs(only), key=_name_and_hash)

    def search(rows: list[tuple], located_terms: list[mine.Term], counts_only: bool) -> mine.Occurrences:
        if pool is not None and len(rows) > 1:
            # Each batch keeps name order (every n-th document). Screening has no order to
            # keep, so it runs in more, smaller batches: their partial counts, merged as they
            # come, never all wait in memory at once.
            parts = jobs * (8 if counts_only else 2)
            batches = ((rows[i::parts], located_terms, counts_only) for i in range(parts))
            return mine.merge_occurrences(bounded_map(pool, locate_batch, batches, jobs + 1), consume=True)
        return locate_batch((rows, located_terms, counts_only))

    def locate(located_terms: list[mine.Term], counts_only: bool, last: FoundSnapshot | None
               ) -> tuple[mine.Occurrences, bytes]:
        """What every document says of the terms, and that packed for the next build."""
        if last is None:
            result = search(documents("all"), located_terms, counts_only)
        else:
            vouched, unvouched = last.split(located_terms)
            parts = [vouched, search(documents("added"), located_terms, counts_only)]
            if unvouched:
                parts.append(search(documents("stored"), unvouched, counts_only))
            result = mine.merge_occurrences(parts, consume=True)
        return result, pack(FoundSnapshot.of(located_terms, result, neighbours=counts_only).to_json())

    # Two passes: counting screens the candidates cheaply; contexts are looked for only for
    # the terms that pass (most candidates do not).
    counted, screened_found = locate(terms, True, found and found[0])
    terms = mine.screen_terms(terms, counted, settings)
    located, located_found = locate(worth_locating(terms, counted, settings, counts.tokens), False,
                                    found and found[1])
    # A term is found exactly where screening found it: the same surfaces in the same sentences.
    located.frequency, located.documents = counted.frequency, counted.documents
    finished = mine.finish_terms(terms, located, settings, screened=True, corpus_tokens=counts.tokens)
    entries = enrich_terms(finished, termbase.cached_enrichments(), pool, jobs)
    return Mined(entries, kept_packed, reused, (screened_found, located_found), found is not None)


def count_in_stored(termbase: Termbase, known: set[str], mapper, jobs: int, keys: list[str]) -> Counter:
    """Exact counts of these n-grams in the stored documents `known` (ngram_counts_in), in batches."""
    blobs = termbase.stored_count_blobs(only=known)
    size = max(1, -(-len(blobs) // (jobs * 4)))
    total: Counter = Counter()
    for part in mapper(ngram_counts_in, [(blobs[i:i + size], keys) for i in range(0, len(blobs), size)]):
        total.update(part)
    return total


def worth_locating(terms: list[mine.Term], counted: mine.Occurrences, settings: mine.MiningSettings,
                   corpus_tokens: int = 0) -> list[mine.Term]:
    """The screened terms that can be kept, the only ones whose examples are looked for. With a
    cut (`max_terms`, or a minimum score where settings have one) the terms are ranked first on
    the screening counts, as the score needs no example; numbered phrases that wait for an
    expansion to vouch for them are looked for too (an expansion can only add an entry)."""
    if not (settings.max_terms or getattr(settings, "min_score", 0)):
        return terms
    ranked = mine.finish_terms([replace(term) for term in terms], counted, settings, screened=True,
                               corpus_tokens=corpus_tokens)
    kept = {term.term for term in ranked} | {term.term for term in terms if term.cvalue < 0}
    return [term for term in terms if term.term in kept]


ENRICH_BATCH = 500  # terms per task when enrichment runs in the pool


def enrich_terms(terms: list[mine.Term], cached: dict[str, tuple[str, dict]], pool=None, jobs: int = 1
                 ) -> list[dict]:
    """Entries of the finished terms: pinyin and English reused from the termbase where their
    key is unchanged, computed for the other terms only (in the pool when there are many)."""
    from .enrich import entry, enrichment_batch, stored_key, term_key

    keys = [term_key(term) for term in terms]
    missing = [index for index, (term, key) in enumerate(zip(terms, keys))
               if term.term not in cached or cached[term.term][0] != stored_key(key, cached[term.term][1])]
    items = [(terms[i].term, terms[i].category, terms[i].expansion, terms[i].expansion_source) for i in missing]
    size = min(ENRICH_BATCH, max(1, -(-len(items) // jobs)))
    batches = [items[i:i + size] for i in range(0, len(items), size)]
    if pool is not None and batches:
        computed = [enriched for batch in pool.map(enrichment_batch, batches) for enriched in batch]
    else:
        computed = [enriched for batch in batches for enriched in enrichment_batch(batch)]
    fresh = dict(zip(missing, computed))
    return [entry(term, fresh[index] if index in fresh else cached[term.term][1], key)
            for index, (term, key) in enumerate(zip(terms, keys))]
