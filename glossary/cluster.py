"""`glossary build --cluster ADDRESS`: the build's map and merge on a Dask cluster.

The same functions as a local build (`pipeline`), placed differently:

- map, on the workers: each file (a path on storage every worker shares, or an fsspec URL) is
  read, decoded, cleaned and segmented; a new document's sentences, tokens and slogan counts
  are written to the document store, one object per document named by its content hash. The
  client receives each file's digest and the document's metadata, nothing that grows with
  its text.
- count, on the workers: the stored documents are counted a batch per task and the batches'
  counts added in a tree on the workers; the thresholds apply only after the full merge (a
  rare n-gram in one batch may be common in all of them).
- select and locate, on the workers: the candidates are selected from the merged counts,
  screened and located in batches of stored documents read from the store, and finished
  there; the client receives the finished entries, not the counts or the candidates.
- the client enriches the entries and writes the termbase and the workbook in one transaction.

Tasks are pure and store objects content-addressed: a task Dask runs again after losing a
worker writes the same object and its result is merged once.
"""

from __future__ import annotations

import os
import pickle
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import dates, formats, mine, pipeline, timeline
from .clean import CLEANER_VERSION
from .errors import GlossaryError
from .read import TEXT_SUFFIXES, find_documents
from .store import Termbase, documents_counts

EXTRA_HINT = "pip install 'glossary[cluster]'"
LOCAL = "local"
BATCH_FILES = 64  # files per map task: large enough to amortise a task, small enough to balance


@dataclass
class ClusterStats:
    """What crossed the wire to the client, and how the cluster looked."""

    workers: int = 0
    client_bytes: int = 0
    metadata_bytes: int = 0  # per file: digest, title, date, dropped lines (the Sources sheet)
    term_bytes: int = 0  # the finished entries, with their examples
    occurrence_bytes: int = 0  # per document, how often each entry occurs (for the timeline)
    map_seconds: float = 0.0
    count_seconds: float = 0.0
    locate_seconds: float = 0.0


def _dask():
    try:
        import distributed
    except ImportError:
        raise GlossaryError(f"--cluster needs the Dask extra: {EXTRA_HINT}") from None
    return distributed


def connect(address: str, workers: int | None = None):
    """A client of the scheduler at ADDRESS, or of a LocalCluster of `workers` processes
    when ADDRESS is `local`. Returns (client, cluster the caller must close, or None)."""
    distributed = _dask()
    if address == LOCAL:
        cluster = distributed.LocalCluster(n_workers=workers or pipeline.default_jobs(), threads_per_worker=1,
                                           processes=True, dashboard_address=None)
        return distributed.Client(cluster), cluster
    try:
        # The connect timeout is Dask's own setting (distributed.comm.timeouts.connect, 30 s).
        return distributed.Client(address), None
    except (OSError, TimeoutError, ValueError) as error:
        raise GlossaryError(f"cannot reach the Dask scheduler at {address} ({error})") from None


# --- inputs -------------------------------------------------------------------------------

def is_url(path: str) -> bool:
    return "://" in str(path)


def _filesystem(url: str):
    try:
        import fsspec
    except ImportError:
        raise GlossaryError(f"URL inputs need fsspec: {EXTRA_HINT}") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as error:
        raise GlossaryError(f"cannot open {url}: {error}") from None


def list_inputs(paths: Iterable[str]) -> list[str]:
    """The files under PATHS, local paths or URLs, in the order a local build reads them. Only
    names are listed: the workers read the bytes."""
    found: list[str] = []
    for path in paths:
        if not is_url(path):
            found.extend(str(p) for p in find_documents([path]))
            continue
        fs, root = _filesystem(path)
        protocol = path.split("://", 1)[0]
        if not fs.exists(root):
            raise GlossaryError(f"no such file or folder: {path}")
        names = [root] if fs.isfile(root) else [
            name for name in sorted(fs.find(root)) if name.lower().endswith(TEXT_SUFFIXES)]
        found.extend(name if "://" in name else f"{protocol}://{name.lstrip('/') if protocol != 'file' else name}"
                     for name in names)
    return found


def read_bytes(path: str) -> bytes:
    if not is_url(path):
        return Path(path).read_bytes()
    fs, name = _filesystem(path)
    with fs.open(name, "rb") as handle:
        return handle.read()


# --- the document store -------------------------------------------------------------------

_MAGIC = b"GLDOC1"


def default_store(db_path: Path) -> str:
    return str(db_path) + ".store"


def _object_name(store: str, document_hash: str) -> str:
    return f"{store.rstrip('/')}/{document_hash[:2]}/{document_hash}.gldoc"


def write_object(store: str, document_hash: str, sentences: bytes, counts: bytes, tokens: bytes) -> None:
    """One document's map output: three packed blobs, length-prefixed (never unpickled)."""
    data = _MAGIC + struct.pack("<QQQ", len(sentences), len(counts), len(tokens)) + sentences + counts + tokens
    name = _object_name(store, document_hash)
    if is_url(store):
        fs, path = _filesystem(name)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "wb") as handle:
            handle.write(data)
        return
    target = Path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)  # a retried task never leaves half an object behind


def read_object(store: str, document_hash: str) -> tuple[bytes, bytes, bytes]:
    data = read_bytes(_object_name(store, document_hash))
    if not data.startswith(_MAGIC):
        raise GlossaryError(f"document store object {document_hash} is damaged")
    sizes = struct.unpack_from("<QQQ", data, len(_MAGIC))
    offset = len(_MAGIC) + 24
    parts = []
    for size in sizes:
        parts.append(data[offset:offset + size])
        offset += size
    return parts[0], parts[1], parts[2]


# --- tasks (run on the workers) -------------------------------------------------------------

_prepared: tuple | None = None


def _prepare(known: frozenset[str], sources: dict[str, str]) -> None:
    """Once per worker process and termbase state: the segmenter and what the termbase has."""
    global _prepared
    if _prepared is None or _prepared[0] is not known or _prepared[1] is not sources:
        pipeline.prepare_worker(known, sources)
        _prepared = (known, sources)


def read_source(path: str) -> tuple[bytes, str]:
    """A file's bytes and the name its source is remembered by (a URL is its own name)."""
    if is_url(path):
        return read_bytes(path), path
    return pipeline.read_file(path)


def archive_items(path: str, text_field: str | None, sources: dict[str, str]) -> tuple[list, list[tuple]]:
    """The records of a WARC or JSONL archive, read on the worker (those the termbase holds
    without their payload), and (label, None, reason) for each malformed or broken one."""
    items, problems = [], []
    for item in formats.iter_records(path, text_field, sources):
        if isinstance(item, formats.Broken):
            problems.append((item.path, None, f"the rest skipped: {item.reason}"))
        elif isinstance(item, formats.Skipped):
            if item.warn:
                problems.append((f"{item.path} {item.record}", None, item.reason))
        else:
            items.append(item.without_payload() if item.digest in sources else item)
    return items, problems


def map_files(paths: list[str], known: frozenset[str], sources: dict[str, str], store: str,
              text_field: str | None = None) -> tuple[list[tuple], mine.DocumentCounts]:
    """The local build's map step on a worker: read, clean, segment and count a batch of files
    (an archive's records are read here too, the whole archive in one task). Each new
    document's sentences, tokens and counts go to the store; the records returned keep only
    metadata, and the batch's counts stay on the worker for the tree merge."""
    _prepare(known, sources)
    work, problems = [], []
    for path in paths:
        if formats.is_container(path) and not is_url(path):
            items, broken = archive_items(path, text_field, sources)
            work.extend(items)
            problems.extend(broken)
        else:
            work.append(path)
    results, counts = pipeline.clean_and_count_batch(work, read_source)
    results.extend(problems)
    for path, record, _ in results:
        if record is None or record.get("stored"):
            continue
        if is_url(path):
            record["path"] = path  # Path() would fold a URL's "//"
        blobs = record.pop("sentences"), record.pop("counts"), record.pop("tokens")
        if record["hash"] not in known:
            write_object(store, record["hash"], *blobs)
    return results, counts


def records_of(mapped: tuple) -> list[tuple]:
    return mapped[0]


def counts_of(mapped: tuple) -> mine.DocumentCounts:
    return mapped[1]


def count_documents(hashes: list[str], store: str) -> mine.DocumentCounts:
    """The merged counts of stored documents, counted as the local build counts them."""
    _prepare(frozenset(), {})
    return documents_counts([read_object(store, h)[1:] for h in hashes])


def retokenize(rows: list[tuple], store: str) -> int:
    """Cut stored documents again with this release's dictionary (as `retokenize_stored`)."""
    from .store import pack, pack_tokens

    _prepare(frozenset(), {})
    for document_hash, path, encoding, script in rows:
        sentences, _, _ = read_object(store, document_hash)
        tokens, counts = mine.tokenize_document(
            pipeline.document_from_blob((document_hash, path, encoding, script, sentences)))
        write_object(store, document_hash, sentences, pack(counts.to_json()), pack_tokens(tokens))
    return len(rows)


def add_counts(a: mine.DocumentCounts, b: mine.DocumentCounts) -> mine.DocumentCounts:
    total = mine.DocumentCounts()
    total.add(a)
    total.add(b)
    return total


def subtract_counts(total: mine.DocumentCounts, twice: mine.DocumentCounts) -> mine.DocumentCounts:
    """Take away documents two batches both counted (the same text in two files)."""
    total.subtract(twice)
    return total


def corpus_tokens(counts: mine.DocumentCounts) -> int:
    """The merged counts' token total, which the score is per million of (on the worker)."""
    return counts.tokens


def select_terms(counts: mine.DocumentCounts, settings: mine.MiningSettings, merges: dict[str, str]) -> list:
    """The candidates of the merged counts (with the termbase's hand-made merges applied),
    selected where the counts are."""
    from .curate import apply_merges

    _prepare(frozenset(), {})
    return apply_merges(mine.select_terms(counts, settings), merges)


def screen_terms(terms: list, counted: mine.Occurrences, settings: mine.MiningSettings) -> list:
    return mine.screen_terms(terms, counted, settings)


def worth_locating(terms: list, counted: mine.Occurrences, settings: mine.MiningSettings, tokens: int) -> list:
    _prepare(frozenset(), {})
    return pipeline.worth_locating(terms, counted, settings, tokens)


def finish_terms(terms: list, located: mine.Occurrences, counted: mine.Occurrences,
                 settings: mine.MiningSettings, tokens: int) -> list:
    """The finished entries: a term is found exactly where screening found it."""
    _prepare(frozenset(), {})
    located.frequency, located.documents = counted.frequency, counted.documents
    return mine.finish_terms(terms, located, settings, screened=True, corpus_tokens=tokens)


def locate_documents(rows: list[tuple], store: str, terms: list, counts_only: bool) -> mine.Occurrences:
    """`pipeline.locate_batch` over stored documents whose sentences live in the store."""
    _prepare(frozenset(), {})
    full_rows = [(h, path, encoding, script, read_object(store, h)[0]) for h, path, encoding, script in rows]
    return pipeline.locate_batch((full_rows, terms, counts_only))


def add_occurrences(a: mine.Occurrences, b: mine.Occurrences) -> mine.Occurrences:
    return mine.merge_occurrences([a, b])


def count_surfaces(work: list[tuple[str, int]], surface_lists: list[list[str]], store: str) -> list[tuple]:
    """The timeline's scan of stored documents: (document, characters, surface → count) for
    each (document, index of the surfaces to count) of `work`."""
    counters = [timeline.SurfaceCounter(surfaces) for surfaces in surface_lists]
    found = []
    for document_hash, which in work:
        text, characters = timeline.minable_text(read_object(store, document_hash)[0])
        found.append((document_hash, characters, dict(counters[which].count(text))))
    return found


def _scan_on(client, store: str, stats: "ClusterStats"):
    """A `timeline.refresh` scan that counts surfaces where the documents are."""
    def scan(termbase: Termbase, work: dict[str, list[str]]):
        lists = list({id(surfaces): surfaces for surfaces in work.values()}.values())
        index = {id(surfaces): number for number, surfaces in enumerate(lists)}
        items = sorted((document_hash, index[id(surfaces)]) for document_hash, surfaces in work.items())
        if not items:
            return []
        [lists_future] = client.scatter([lists], broadcast=True)
        per_task = max(1, min(200, -(-len(items) // (len(client.scheduler_info()["workers"]) * 4 or 1))))
        parts = client.map(count_surfaces, [items[i:i + per_task] for i in range(0, len(items), per_task)],
                           surface_lists=lists_future, store=store, retries=3, pure=False)
        return [row for part in client.gather(parts) for row in _sized(part, stats, "occurrence")]
    return scan


# --- the client -----------------------------------------------------------------------------

def _tree_reduce(client, futures: list, combine: Callable):
    """Combine futures pairwise, level by level, on the workers."""
    if not futures:
        return None
    while len(futures) > 1:
        paired = [client.submit(combine, futures[i], futures[i + 1], retries=3)
                  for i in range(0, len(futures) - 1, 2)]
        if len(futures) % 2:
            paired.append(futures[-1])
        futures = paired
    return futures[0]


def _sized(value, stats: ClusterStats, kind: str):
    size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    stats.client_bytes += size
    setattr(stats, f"{kind}_bytes", getattr(stats, f"{kind}_bytes") + size)
    return value


def build_on_cluster(
    paths: list[str],
    address: str,
    db_path: str | None = None,
    settings: mine.MiningSettings = mine.MiningSettings(),
    store: str | None = None,
    workers: int | None = None,
    write_workbook: Callable[[Termbase, str], None] | None = None,
    out: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
    progress: Callable[[int, int], None] | None = None,
    client=None,
    date_pattern: str | None = None,
    text_field: str | None = None,
) -> pipeline.BuildReport:
    """`pipeline.build` with its maps and merges on a Dask cluster (see the module's doc)."""
    file_date_pattern = dates.compile_date_pattern(date_pattern)
    files = list_inputs(paths)
    if not files:
        raise GlossaryError("no text documents found in " + ", ".join(map(str, paths)))
    termbase = Termbase(db_path)
    own_cluster = None
    futures: list = []
    try:
        store = store or termbase.get_meta("document_store") or default_store(termbase.path)
        known = frozenset(termbase.document_hashes())
        if known and termbase.get_meta("document_store") != store:
            raise GlossaryError(f"{termbase.path} keeps its documents in the termbase; "
                                "build it without --cluster, or start a new termbase for the cluster")
        if client is None:
            client, own_cluster = connect(address, workers)
        stats = ClusterStats(workers=len(client.scheduler_info()["workers"]))
        report = pipeline.BuildReport(cluster=stats)
        sources = termbase.sources() if termbase.get_meta("cleaner") == CLEANER_VERSION else {}
        documents_by_path = termbase.documents_by_path()
        dictionary = mine.prepare_segmenter()
        known_future, sources_future = client.scatter([known, sources], broadcast=True)

        started = time.perf_counter()
        batches = [files[i:i + BATCH_FILES] for i in range(0, len(files), BATCH_FILES)]
        mapped = client.map(map_files, batches, known=known_future, sources=sources_future, store=store,
                            text_field=text_field, retries=3, pure=False)
        futures = client.map(records_of, mapped, retries=3)
        batch_counts = client.map(counts_of, mapped, retries=3)  # stay on the workers
        futures += mapped + batch_counts
        results: dict[int, list] = {}
        index_of = {future.key: i for i, future in enumerate(futures[:len(batches)])}
        done = 0
        from distributed import as_completed

        for future in as_completed(futures[:len(batches)]):
            results[index_of[future.key]] = _sized(future.result(), stats, "metadata")
            done += len(results[index_of[future.key]])
            if progress:
                progress(done, len(files))
        stats.map_seconds = time.perf_counter() - started

        with termbase.transaction():
            termbase.set_meta("document_store", store)
            retokenized = bool(known) and termbase.get_meta("segmenter") != dictionary
            rows_by_hash = {row[0]: row[1:4] for row in termbase.stored_document_blobs()}
            if retokenized:
                rows = [(h, *rest) for h, rest in rows_by_hash.items()]
                client.gather(client.map(retokenize, [rows[i:i + 200] for i in range(0, len(rows), 200)],
                                         store=store, retries=3, pure=False))
            seen: set[str] = set()
            counted_twice: list[str] = []  # documents an earlier batch counted, and a later one again
            cleaned: list[tuple[str, str]] = []
            for index in range(len(batches)):
                batch_seen: set[str] = set()
                for path, record, error in results[index]:
                    if error:
                        warn(f"skipped {path}: {error}")
                        report.skipped.append(path)
                        continue
                    report.documents_seen += 1
                    termbase.add_source(record["source_path"], record["digest"], record["hash"])
                    cleaned.append((record["source_path"], record["hash"]))
                    if record["hash"] in known or record["hash"] in seen:
                        report.duplicates += 1
                        if record["hash"] in seen and record["hash"] not in batch_seen and not record.get("stored"):
                            counted_twice.append(record["hash"])
                        batch_seen.add(record["hash"])
                        continue
                    seen.add(record["hash"])
                    batch_seen.add(record["hash"])
                    termbase.add_document_record({**record, "sentences": b"", "counts": b"", "tokens": None})
                    rows_by_hash[record["hash"]] = (record["path"], record["encoding"], record["script"])
            report.documents_added = len(seen)
            if report.documents_seen == 0 and not known:
                raise GlossaryError("no readable document in the given paths")
            replaced = pipeline.forget_replaced(termbase, cleaned, documents_by_path, known)
            for document_hash in replaced:
                rows_by_hash.pop(document_hash, None)
            report.documents_replaced = len(replaced)
            fingerprint = pipeline.settings_fingerprint(settings)
            report.unchanged = (not seen and not replaced and not retokenized
                                and termbase.get_meta("settings") == fingerprint)
            if not report.unchanged:
                entries = _mine(client, store, rows_by_hash, settings, stats, termbase,
                                [*batch_counts, *_count_stored(client, store, sorted(known - replaced))],
                                counted_twice)
                outcome = termbase.upsert_mined_terms(entries)
                report.added, report.updated, report.retired = (
                    outcome["added"], outcome["updated"], outcome["retired"])
                report.returned = outcome.get("returned", 0)
                termbase.set_meta("settings", fingerprint)
                termbase.set_meta("segmenter", dictionary)
                termbase.set_meta("corpus_fingerprint", pipeline.corpus_fingerprint(termbase.document_hashes()))
            redated = dates.assign_dates(termbase, cleaned, file_date_pattern)
            report.timeline = timeline.refresh(termbase, dates_changed=redated > 0 or not report.unchanged,
                                               scan=_scan_on(client, store, stats))
            report.terms = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
            if write_workbook and out:
                write_workbook(termbase, out)
                report.workbook = out
        return report
    except KeyboardInterrupt:
        if futures and client is not None:
            client.cancel(futures)
        raise
    finally:
        termbase.close()
        if own_cluster is not None:
            client.close()
            own_cluster.close()


def _count_stored(client, store: str, hashes: list[str]) -> list:
    """Futures of the counts of documents stored by earlier builds, a batch per task."""
    per_task = max(1, min(200, -(-len(hashes) // (len(client.scheduler_info()["workers"]) * 4 or 1))))
    return client.map(count_documents, [hashes[i:i + per_task] for i in range(0, len(hashes), per_task)],
                      store=store, retries=3, pure=False)


def _mine(client, store: str, rows_by_hash: dict, settings: mine.MiningSettings, stats: ClusterStats,
          termbase: Termbase, parts: list, counted_twice: list[str]) -> list[dict]:
    """`pipeline.mine_store` with counting and locating on the workers: `parts` are futures of
    partial counts (this build's batches, the stored documents' batches)."""
    started = time.perf_counter()
    total = _tree_reduce(client, parts, add_counts)
    if counted_twice:
        total = client.submit(subtract_counts, total, client.submit(count_documents, counted_twice, store),
                              retries=3)
    # Candidates, screening counts and occurrences stay on the workers (they grow with the
    # text); only the finished entries come to the client.
    merges = dict(termbase.connection.execute("SELECT variant, canonical FROM merges"))
    terms = client.submit(select_terms, total, settings, merges, retries=3)
    tokens = client.submit(corpus_tokens, total, retries=3)
    tokens.result()  # the counts are merged: what follows is selecting and locating
    stats.count_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # In name order, as the local build locates them (examples rank by document name).
    rows = sorted(((h, *rest) for h, rest in rows_by_hash.items()),
                  key=lambda row: pipeline._name_and_hash((row[0], row[1])))
    slices = max(1, min(len(rows), len(client.scheduler_info()["workers"]) * 4))

    def locate(located_terms, counts_only):
        parts = client.map(locate_documents, [rows[i::slices] for i in range(slices)], store=store,
                           terms=located_terms, counts_only=counts_only, retries=3, pure=False)
        return _tree_reduce(client, parts, add_occurrences)

    counted = locate(terms, True)
    screened = client.submit(screen_terms, terms, counted, settings, retries=3)
    located = locate(client.submit(worth_locating, screened, counted, settings, tokens, retries=3), False)
    finished = _sized(client.submit(finish_terms, screened, located, counted, settings, tokens,
                                    retries=3).result(), stats, "term")
    stats.locate_seconds = time.perf_counter() - started
    workers = max(1, len(client.scheduler_info()["workers"]))
    return pipeline.enrich_terms(finished, termbase.cached_enrichments(), _WorkerMap(client), workers)


class _WorkerMap:
    """A process pool's `map` for pipeline.enrich_terms: the terms are enriched on the workers,
    which have the dictionaries loaded already (the client does not load them at all)."""

    def __init__(self, client):
        self.client = client

    def map(self, function, items):
        return self.client.gather(self.client.map(function, list(items), retries=3, pure=False))
