"""The `glossary` command: a thin Click layer over the library API."""

from __future__ import annotations

import dataclasses
import functools
import os
import signal
import sqlite3
import sys
import threading

import click

from . import __version__
from .errors import GlossaryError


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def reports_errors(command):
    """Turn expected failures into one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        previous = _stop_on_sigterm()
        try:
            return command(*args, **kwargs)
        except GlossaryError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted; nothing was changed", 130)
        except BrokenPipeError:
            # The reader (head, less) went away: stop quietly, as a piped command should.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(141)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except sqlite3.OperationalError as error:
            from .store import busy_message, is_busy_error, resolve_db_path

            path = resolve_db_path(kwargs.get("db"))
            if is_busy_error(error):
                _fail(busy_message(path, error))
            if "readonly" in str(error):
                _fail(f"cannot write the termbase {path}: it is read-only; nothing was changed")
            _fail(f"the termbase {path} could not be used ({error}); nothing was changed")
        except OSError as error:
            # A file that cannot be written or read (permissions, a full disk): one line.
            where = f"{error.filename}: " if error.filename else ""
            _fail(f"{where}{error.strerror or error}; nothing was changed")
        except Exception as error:  # noqa: BLE001 - last line of defence for the user
            if os.environ.get("GLOSSARY_DEBUG"):
                raise
            _fail(f"unexpected {type(error).__name__}: {error} (set GLOSSARY_DEBUG=1 for details)", 70)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            from . import store

            store.busy_timeout_option = None

    return wrapper


class _Terminated(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl-C does (transaction rolled back, workers ended), not half-way."""


def _stop_on_sigterm():
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise _Terminated()

    return signal.signal(signal.SIGTERM, stop)


def _set_busy_timeout(context, parameter, value):
    from . import store

    store.busy_timeout_option = value  # for this command only (reports_errors resets it)
    return value


BUSY_OPTION = click.option("--busy-timeout", type=click.FloatRange(0), default=None, expose_value=False,
                           is_eager=True, callback=_set_busy_timeout, metavar="SECONDS",
                           help="How long to wait for a termbase another glossary command is writing before "
                                "saying it is busy (default 30; also $GLOSSARY_BUSY_TIMEOUT).")


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


TEXT_FIELD_OPTION = click.option(
    "--text-field", default=None, metavar="NAME",
    help="JSONL dumps: the field holding each page's text (default: the first of text, content, html, body).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glossary", message="%(prog)s %(version)s")
def main():
    """Mine Chinese political terms from a corpus into a termbase and a translator's workbook."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--show", is_flag=True, help="Also print each document's cleaned simplified text.")
@TEXT_FIELD_OPTION
@reports_errors
def clean(paths, show, text_field):
    """Report how each document in PATHS was read and cleaned."""
    from .clean import clean_document
    from .read import read_documents

    for raw in read_documents(paths, warn=_warn, text_field=text_field):
        document = clean_document(raw)
        click.echo(f"== {document.path}")
        click.echo(f"encoding: {document.encoding}   script: {document.script}")
        for label, value in (("title", document.title), ("date", _dated(document)),
                             ("publication", document.publication), ("author", document.author)):
            click.echo(f"{label}: {value or '-'}")
        click.echo(f"paragraphs kept: {len(document.paragraphs)}   sentences: {len(document.sentences)}")
        click.echo(f"lines dropped: {len(document.dropped)}")
        for line, reason in document.dropped:
            click.echo(f"  [{reason}] {_shorten(line)}")
        click.echo(f"mojibake segments: {len(document.mojibake)}")
        for start, end, snippet in document.mojibake:
            click.echo(f"  at {start}-{end}: {snippet}")
        if show:
            click.echo("-- cleaned text --")
            click.echo(document.text)


def _dated(document) -> str:
    """The document's date and where it came from (as a build would date it without --date-pattern)."""
    from .dates import date_from_path

    if document.date:
        return f"{document.date} (page)"
    found = date_from_path(os.path.abspath(document.path))
    return f"{found.date} ({found.source})" if found.date else "- (unknown)"


_DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                          help="Termbase file (default: $GLOSSARY_DB, else ~/.local/share/glossary/termbase.sqlite3).")


def DB_OPTION(command):
    """--db, and --busy-timeout with it: every command that opens the termbase may find it busy."""
    return _DB_OPTION(BUSY_OPTION(command))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", default="output/glossary.xlsx", show_default=True, type=click.Path(dir_okay=False),
              help="Workbook to write from the termbase.")
@DB_OPTION
@click.option("--min-freq", default=2, show_default=True, type=click.IntRange(1),
              help="Least corpus frequency of a statistical term.")
@click.option("--min-cohesion", default=2.0, show_default=True, type=float,
              help="Least mean pointwise mutual information (bits) between a term's words.")
@click.option("--min-entropy", default=0.9, show_default=True, type=float,
              help="Least entropy (bits) of the words left and right of a term.")
@click.option("--min-specificity", default=100.0, show_default=True, type=float,
              help="Least ratio of a single word's corpus frequency to its general-language frequency.")
@click.option("--max-terms", default=0, show_default=True, type=click.IntRange(0),
              help="Keep at most this many terms, the best ranked (0: all).")
@click.option("--min-score", default=None, type=click.FloatRange(0),
              help="Keep only terms whose statistical score (frequency and spread per million tokens, "
                   "given in the Score reasons) is at least this; the Score column ranks them by it weighed "
                   "by termhood. Default 250, set where judged precision fell below about 70% on a "
                   "development corpus; 0 keeps all.")
@click.option("--min-termhood", default=None, type=click.FloatRange(0, 1),
              help="Keep only mined phrases (category political term) that the termhood model, given in the "
                   "Score reasons, judges terms with at least this chance; slogans, meetings, bodies and quoted "
                   "coinages are kept whatever it says. Default 0.4, set on a development corpus; 0 keeps all.")
@click.option("--jobs", "-j", default=0, show_default=True, type=click.IntRange(0),
              help="Processes for reading and mining documents in parallel (0: one per CPU core); "
                   "with --cluster local, the number of Dask workers.")
@click.option("--cluster", "cluster", envvar="GLOSSARY_CLUSTER", default=None, metavar="ADDRESS",
              help="Run the map and merge on a Dask scheduler (tcp://HOST:8786), or `local` for a LocalCluster "
                   "(default: $GLOSSARY_CLUSTER; needs pip install 'glossary[cluster]').")
@click.option("--store", "store", envvar="GLOSSARY_STORE", default=None, metavar="PATH|URL",
              help="With --cluster: where workers keep each document's sentences and tokens, on storage every "
                   "worker shares (default: $GLOSSARY_STORE, else the termbase path + .store).")
@click.option("--date-pattern", default=None, metavar="REGEX",
              help="Read undated documents' dates from their paths with this regular expression: groups "
                   "(?P<year>…), optional (?P<month>…) and (?P<day>…), or up to three groups in that order.")
@click.option("--new-since", default=None, metavar="DATE",
              help="Start of the period the workbook's New sheet shows (default: 1 January of the latest "
                   "document's year).")
@TEXT_FIELD_OPTION
@reports_errors
def build(paths, out, db, min_freq, min_cohesion, min_entropy, min_specificity, max_terms, min_score, min_termhood,
          jobs, cluster, store, date_pattern, new_since, text_field):
    """Mine PATHS (default: seeds/) into the termbase and write the workbook.

    Only documents the termbase has not seen are read; translators' English, status and notes
    are never overwritten.
    """
    from .mine import MiningSettings
    from .pipeline import build as run_build
    from .workbook import write_workbook

    if new_since:
        from .dates import parse_cli_date

        write_workbook = functools.partial(write_workbook, new_since=parse_cli_date(new_since, "--new-since"))

    settings = MiningSettings(min_freq=min_freq, min_cohesion=min_cohesion, min_entropy=min_entropy,
                              min_specificity=min_specificity, max_terms=max_terms)
    if min_score is not None:
        settings = dataclasses.replace(settings, min_score=min_score)
    if min_termhood is not None:
        settings = dataclasses.replace(settings, min_termhood=min_termhood)
    bar = None

    def show_progress(done, total):
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="reading", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    progress = show_progress if sys.stderr.isatty() else None
    try:
        if cluster:
            from .cluster import build_on_cluster

            report = build_on_cluster(list(paths) or ["seeds"], cluster, db_path=db, settings=settings,
                                      store=store, workers=jobs or None,
                                      write_workbook=_with_memory_english(write_workbook), out=out,
                                      warn=_warn, progress=progress or _cluster_progress(),
                                      date_pattern=date_pattern, text_field=text_field)
        else:
            report = run_build(list(paths) or ["seeds"], db_path=db, settings=settings, jobs=jobs,
                               write_workbook=_with_memory_english(write_workbook), out=out, warn=_warn, progress=progress,
                               date_pattern=date_pattern, text_field=text_field)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    replacing = f" ({report.documents_replaced} replacing an earlier version)" if report.documents_replaced else ""
    click.echo(f"documents: {report.documents_seen} read, {report.documents_added} new{replacing}, "
               f"{report.duplicates} already in the termbase")
    for path, offset in sorted(report.resumed.items()):
        click.echo(f"{path}: read on from byte {offset:,}, where an earlier build stopped (the file only grew)")
    if report.records_skipped:
        click.echo("archive records skipped: " + ", ".join(
            f"{n} {reason}" for reason, n in sorted(report.records_skipped.items())))
    if report.counts_reused:
        click.echo("counted only the new documents: the stored ones' merged counts were kept from the last build")
    if report.findings_reused:
        click.echo("searched only the new documents for terms the last build had looked for")
    if report.unchanged:
        click.echo("corpus and settings unchanged: terms left as they were")
    else:
        returned = f", {report.returned} returned under their earlier IDs" if report.returned else ""
        click.echo(f"terms: {report.terms} ({report.added} new, {report.updated} updated, {report.retired} retired"
                   f"{returned})")
    if report.cluster is not None:
        stats = report.cluster
        click.echo(f"cluster: {stats.workers} workers; map {stats.map_seconds:.1f} s, count {stats.count_seconds:.1f} s, "
                   f"locate {stats.locate_seconds:.1f} s; {stats.client_bytes / 1e6:.1f} MB sent to this client")
    if report.timeline is not None:
        _echo_dates(report.timeline)
    click.echo(f"wrote {report.workbook}")


def _with_memory_english(write_workbook):
    """Terms a build adds get their English from the translation memories before the workbook."""

    def write(termbase, out):
        from .bilingual import has_memories, refresh_memory_english

        if has_memories(termbase):
            refresh_memory_english(termbase)
        return write_workbook(termbase, out)

    return write


def _cluster_progress():
    """Progress of a cluster build where no bar can be drawn: a line every tenth of the files."""
    import time

    started = time.monotonic()
    shown = [0]

    def show(done, total):
        if done * 10 // total > shown[0] or done == total:
            shown[0] = done * 10 // total
            click.echo(f"documents {done}/{total}, {time.monotonic() - started:.0f} s", err=True)
    return show


def _echo_dates(summary, shown: int = 10) -> None:
    sources = ", ".join(f"{n} from {source}" for source, n in sorted(summary.sources.items()) if source != "unknown")
    span = f", {summary.first} to {summary.last}" if summary.first else ""
    click.echo(f"dates: {summary.dated} of {summary.documents} documents dated{span}"
               + (f" ({sources})" if sources else ""))
    if summary.undated:
        names = ", ".join(summary.undated[:shown])
        more = f" and {len(summary.undated) - shown} more (see the Sources sheet)" if len(summary.undated) > shown else ""
        click.echo(f"undated: {len(summary.undated)} document{'s' if len(summary.undated) != 1 else ''} "
                   f"(counted, but in no period): {names}{more}")


USER_OPTION = click.option("--user", default=None, help="Name recorded in the audit (default: the OS user).")


@main.command(name="export")
@click.option("--format", "format_", type=click.Choice(["xlsx", "tbx", "csv", "omegat", "json"]), default="xlsx",
              show_default=True, help="xlsx workbook, TBX-Basic, CSV for CAT tools, OmegaT glossary, or JSON.")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="File to write (default: output/glossary.<format>).")
@DB_OPTION
@reports_errors
def export_command(format_, out, db):
    """Write the termbase in a format CAT tools or scripts read."""
    from .export import DEFAULT_NAMES, export
    from .store import Termbase

    out = out or DEFAULT_NAMES[format_]
    with Termbase(db, create=False) as termbase:
        export(termbase, format_, out)
    click.echo(f"wrote {out}")


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@DB_OPTION
@click.option("--prefer", type=click.Choice(["file", "store"]), default=None,
              help="Our workbook: which side wins where a value changed both in the file and in the termbase "
                   "since the export.")
@click.option("--map", "mapping", default=None, metavar="zh=COL,en=COL",
              help="Outside CSV/TSV/XLSX: which columns hold the Chinese, English and note (e.g. zh=Source,en=Target).")
@click.option("--dry-run", is_flag=True, help="Report what would change and write nothing.")
@click.option("--memory", "as_memory", is_flag=True,
              help="CSV/TSV: the rows are aligned segments of a translation memory, not glossary entries "
                   "(TMX and XLIFF are always read as memories).")
@USER_OPTION
@reports_errors
def import_command(file, db, prefer, mapping, dry_run, as_memory, user):
    """Take back an edited workbook, or bring in an outside glossary (TBX, CSV/TSV, OmegaT, XLSX)
    or a translation memory (TMX, XLIFF 1.2/2.x, or CSV/TSV with --memory).

    Our own workbook is matched by ID (rows without an ID are terms added by hand), from any
    earlier export; any other file is merged by its Chinese terms, its English labelled
    `imported: FILE`. Exits with status 1 when part of the file was not applied (conflicts,
    repeated rows, IDs the termbase never gave out), each listed.
    A memory's Chinese side is mined like a corpus, and each term's English in it is labelled
    `translation memory: FILE`.
    """
    from .importer import is_our_workbook
    from .memory import is_memory_file
    from .store import Termbase, current_user

    if as_memory or is_memory_file(file):
        from .memory import read_memory

        memory = read_memory(file, parse_mapping_option(mapping))
        with Termbase(db) as termbase:
            _import_memory(termbase, memory, dry_run, current_user(user))
        return
    with Termbase(db, create=False) as termbase:
        if file.lower().endswith((".xlsx", ".xlsm")) and os.path.exists(file) and is_our_workbook(file):
            _import_workbook(termbase, file, prefer, dry_run, current_user(user))
        else:
            _import_outside(termbase, file, mapping, dry_run, current_user(user))


def _import_workbook(termbase, file, prefer, dry_run, who):
    from .importer import apply_import, plan_import

    report = plan_import(termbase, file, prefer=prefer)
    if not dry_run:
        apply_import(termbase, report, who, os.path.basename(file))
    verb = "would change" if dry_run else "changed"
    click.echo(f"{'would add' if dry_run else 'added'} {len(report.added) + len(report.revived)}, {verb} "
               f"{len(report.changed) + len(report.retired)}, skipped {report.skipped} unchanged, "
               f"{len(report.conflicts)} conflicts")
    for change in report.added + report.revived + report.changed + report.retired:
        fields = ", ".join(f"{k}={v!r}" for k, v in change.values.items())
        note = f" ({change.note})" if change.note else ""
        click.echo(f"  row {change.row} {change.term}: {fields}{note}")
    if report.merged:
        click.echo(f"{len(report.merged)} edits of merged entries went to the entries that absorbed them (above)")
    if report.retired:
        click.echo(f"{len(report.retired)} edits of retired entries were kept on them, shown if they return (above)")
    for conflict in report.conflicts:
        if conflict.reason:
            click.echo(f"  conflict row {conflict.row} {conflict.term} {conflict.field}: {conflict.reason} "
                       f"({conflict.in_file}); not applied, the termbase keeps its value")
            continue
        click.echo(f"  conflict row {conflict.row} {conflict.term} {conflict.field}: termbase has "
                   f"{conflict.in_store!r}, file has {conflict.in_file!r} (exported {conflict.exported!r}); "
                   "not applied (use --prefer file or --prefer store)")
    for left in report.not_applied:
        click.echo(f"  not applied row {left.row} {left.term}: {left.reason}")
    if not report.complete:
        # Applied as far as it could be; what was not is listed above, and the status says so.
        sys.exit(1)


def parse_mapping_option(mapping):
    from .outside import parse_mapping

    return parse_mapping(mapping)


def _import_memory(termbase, memory, dry_run, who, alignment=None):
    from .bilingual import import_memory

    report = import_memory(termbase, memory, who, dry_run=dry_run)
    converted = f", {report.converted} converted from traditional script" if report.converted else ""
    click.echo(f"{report.name}: {report.format}; {report.segments} segment pairs read{converted}, "
               f"{report.pairs} sentence pairs")
    if report.dropped:
        click.echo("dropped: " + ", ".join(f"{count} {reason}" for reason, count in report.dropped.items()))
    if report.unchanged:
        click.echo("this memory is already in the termbase: nothing changed")
        return
    if dry_run:
        click.echo("dry run: nothing written")
        return
    replacing = " (replacing its earlier version)" if report.replaced else ""
    click.echo(f"memory stored{replacing}; terms: {report.terms} ({report.terms_added} new from its Chinese side)")
    click.echo(f"English from translation memories: {report.harvested} terms; {report.low_confidence} more seen "
               f"with low confidence (candidates kept as alternatives); {report.found} terms found in the memories")


def _import_outside(termbase, file, mapping, dry_run, who):
    from .outside import apply_outside, parse_mapping, plan_outside

    plan = plan_outside(termbase, file, parse_mapping(mapping))
    click.echo(f"{plan.source}: {plan.format}; columns: " + ", ".join(f"{k}={v}" for k, v in plan.mapping.items()))
    if not dry_run:
        apply_outside(termbase, plan, who)
    prefix = "would " if dry_run else ""
    click.echo(f"{prefix}merge {len(plan.merged)} into existing entries, {prefix}add {len(plan.added)} new, "
               f"{plan.unchanged} unchanged")
    for _, entry, simplified in plan.merged:
        click.echo(f"  {entry.where} {simplified}: English {entry.en!r}" + (" (forbidden term)" if entry.zh_forbidden else ""))
    for entry, simplified, _ in plan.added:
        flag = " (not in corpus)" if simplified in plan.not_in_corpus else ""
        click.echo(f"  {entry.where} new {simplified}: English {entry.en!r}{flag}")


@main.command(name="align")
@click.argument("zh_file", type=click.Path(dir_okay=False))
@click.argument("en_file", type=click.Path(dir_okay=False))
@DB_OPTION
@click.option("--dry-run", is_flag=True, help="Align and report, but write nothing.")
@click.option("--show", is_flag=True, help="Also print every kept sentence pair.")
@USER_OPTION
@reports_errors
def align_command(zh_file, en_file, db, dry_run, show, user):
    """Align a Chinese document and its published English translation sentence by sentence, and
    import the pairs as a translation memory (see `glossary import`)."""
    from .bilingual import aligned_memory
    from .store import Termbase, current_user

    memory, alignment = aligned_memory(zh_file, en_file)
    click.echo(f"{len(alignment.zh_sentences)} Chinese and {len(alignment.en_sentences)} English sentences; "
               f"kept {len(alignment.pairs)} pairs")
    for reason, count in sorted(alignment.dropped.items()):
        click.echo(f"  dropped {count}: {reason}")
    if show:
        for zh, en in alignment.pairs:
            click.echo(f"{zh}\t{en}")
    if not alignment.pairs:
        _fail("no sentence pair could be aligned; nothing written")
    with Termbase(db) as termbase:
        _import_memory(termbase, memory, dry_run, current_user(user))


def _curate(action_name: str, entry: str, variant: str, db, user, done: str) -> None:
    from . import curate
    from .store import Termbase, current_user

    from .timeline import refresh

    with Termbase(db, create=False) as termbase:
        getattr(curate, action_name)(termbase, entry, variant, current_user(user))
        # The entry's surfaces changed: its sightings and periods follow them.
        with termbase.transaction():
            refresh(termbase)
    click.echo(done)


@main.command()
@click.argument("entry")
@click.argument("variant")
@DB_OPTION
@USER_OPTION
@reports_errors
def merge(entry, variant, db, user):
    """Merge entry VARIANT into ENTRY (a spelling the miner did not group); `split` undoes it."""
    _curate("merge_terms", entry, variant, db, user, f"merged {variant} into {entry}")


@main.command()
@click.argument("entry")
@click.argument("variant")
@DB_OPTION
@USER_OPTION
@reports_errors
def split(entry, variant, db, user):
    """Split VARIANT, merged by hand, out of ENTRY again, with the fields it had."""
    _curate("split_terms", entry, variant, db, user, f"split {variant} out of {entry}")


@main.command(name="history")
@click.argument("term", required=False)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="Show at most this many changes.")
@DB_OPTION
@reports_errors
def history_command(term, limit, db):
    """Show the audit, newest first: who changed what, when, from what (all terms, or TERM)."""
    from .curate import describe, history
    from .store import Termbase

    with Termbase(db, create=False) as termbase:
        rows = history(termbase, term, limit)
    for row in rows:
        click.echo(f"#{row['id']} {row['at']} {row['who']} [{row['action']}] {describe(row)}")


@main.command(name="undo")
@click.argument("audit_id", type=int)
@DB_OPTION
@USER_OPTION
@reports_errors
def undo_command(audit_id, db, user):
    """Put back what one command changed: the batch of audit entry AUDIT_ID (see `history`)."""
    from .curate import undo
    from .store import Termbase, current_user

    with Termbase(db, create=False) as termbase:
        restored = undo(termbase, audit_id, current_user(user))
    click.echo(f"restored {restored} field{'s' if restored != 1 else ''}")


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the matching entries as JSON.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1), help="Show at most this many entries.")
@DB_OPTION
@reports_errors
def lookup(query, as_json, limit, db):
    """Look a term up by characters (simplified or traditional), pinyin, initials or English.

    Exits with status 1 and suggestions when nothing matches.
    """
    import json

    from .lookup import lookup as find, suggestions

    matches = find(query, db, limit)
    if as_json:
        click.echo(json.dumps([m.to_json() for m in matches], ensure_ascii=False, indent=1))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        for match in matches:
            _print_match(match, colour)
    if not matches:
        nearby = suggestions(query, db)
        click.echo(f"no entry matches {query!r}" + (f"; did you mean: {', '.join(nearby)}" if nearby else ""),
                   err=True)
        sys.exit(1)


def _print_match(match, colour: bool) -> None:
    def style(text, **kwargs):
        return click.style(text, **kwargs) if colour else text

    traditional = f"  {match.traditional}" if match.traditional and match.traditional != match.term else ""
    click.echo(style(match.term, bold=True) + traditional + "  " + match.pinyin)
    english = match.english or "(no English yet)"
    click.echo(f"  {english}  [{match.english_source}]")
    if match.gloss:
        click.echo(f"  gloss (not a rendering): {match.gloss}")
    facts = [match.category, f"{match.frequency}× in {match.documents} document{'s' if match.documents != 1 else ''}",
             f"status {match.status}", f"matched by {match.matched_by}"]
    click.echo("  " + " · ".join(fact for fact in facts if fact))
    if match.score_reasons:
        click.echo(f"  score {match.score:g}: {match.score_reasons}")
    if match.expansion:
        click.echo("  = " + "、".join(match.expansion))
    for alternative in match.alternatives[:4]:
        detail = f" ({alternative['detail']})" if alternative.get("detail") else ""
        click.echo(f"  also: {alternative['en']}  [{alternative['source']}]{detail}")
    for example in match.memory_examples:
        click.echo(f"  ⇄ {example['english']} ×{example['count']} in {example['memory']}:")
        click.echo(f"      {example['zh']}")
        click.echo(f"      {example['en']}")
    for context in match.contexts:
        text, start = context["text"], context["term_start"]
        end = start + len(match.term)
        shown = text[:start] + style(text[start:end], fg="red", bold=True) + text[end:] \
            if text[start:end] == match.term else text
        click.echo(f"  ‣ {shown}  ({context['document']})")
    click.echo("")


@main.command(name="new")
@click.option("--since", required=True, metavar="DATE", help="First day of the period (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, metavar="DATE", help="Last day of the period (default: the corpus's end).")
@click.option("--limit", default=30, show_default=True, type=click.IntRange(0), help="Show at most this many entries (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the period and its new entries as JSON.")
@DB_OPTION
@reports_errors
def new_command(since, until, limit, as_json, db):
    """List the entries first seen in a period: numbered slogans first, then by how strongly they
    took off (documents of the period using them, their rate against their rate before)."""
    import json

    from .dates import date_key, end_key, parse_cli_date
    from .errors import GlossaryError
    from .store import Termbase
    from .timeline import new_entries

    since = parse_cli_date(since, "--since")
    until = parse_cli_date(until, "--until") if until else None
    if until and end_key(until) < date_key(since):
        raise GlossaryError(f"--until {until} is before --since {since}")
    with Termbase(db, create=False) as termbase:
        report = new_entries(termbase, since, until, limit or None)
    if as_json:
        data = {"since": report.since, "until": report.until, "documents": report.documents,
                "characters": report.characters, "documents_before": report.documents_before,
                "undated_documents": report.undated, "entries": [e.to_json() for e in report.entries]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    period = f"{report.since} to {report.until or 'the end of the corpus'}"
    click.echo(f"new since {period}: {report.documents} dated documents ({report.characters:,} characters), "
               f"{report.documents_before} before; {len(report.entries)} entries shown")
    if report.undated:
        click.echo(f"({len(report.undated)} undated documents are in no period)")
    for entry in report.entries:
        english = entry.english or "(no English yet)"
        click.echo(f"{entry.rank:3}. {entry.term}  {entry.pinyin}  [{entry.category}]  {english}")
        click.echo(f"     {entry.frequency}x in {entry.documents} document{'s' if entry.documents != 1 else ''} "
                   f"({entry.per_million:.1f} per million characters); first seen {entry.first_seen} "
                   f"in {entry.first_seen_document}")
        if entry.longer:
            click.echo(f"     longer forms: {'、'.join(entry.longer)}")


@main.command(name="trend")
@click.argument("terms", nargs=-1, required=True)
@click.option("--out", default="trend.png", show_default=True, type=click.Path(dir_okay=False),
              help="Picture to draw (PNG, SVG or PDF by its extension).")
@click.option("--by", type=click.Choice(["auto", "year", "month"]), default="auto", show_default=True,
              help="Period: year, month, or month only for corpora spanning less than three years.")
@DB_OPTION
@reports_errors
def trend_command(terms, out, by, db):
    """Draw how often each of TERMS occurs per period, per million characters (needs the
    `charts` extra: pip install 'glossary[charts]')."""
    from pathlib import Path

    from .atomic import atomic_path
    from .errors import GlossaryError
    from .store import Termbase
    from .timeline import plot_trend, require_matplotlib, trend

    require_matplotlib()
    suffix = Path(out).suffix.lower()
    if suffix not in (".png", ".svg", ".pdf"):
        raise GlossaryError(f"--out {out!r}: use a .png, .svg or .pdf file")
    with Termbase(db, create=False) as termbase:
        result = trend(termbase, list(terms), by)
    if not result.periods:
        raise GlossaryError("no dated document in the termbase: nothing to draw (see `glossary build --date-pattern`)")
    click.echo("period\t" + "\t".join(terms) + "\tcharacters")
    for index, period in enumerate(result.periods):
        values = "\t".join(f"{result.per_million[t][index]:.1f}" for t in terms)
        thin = "\t(too little text: not drawn)" if result.thin[index] else ""
        click.echo(f"{period}\t{values}\t{result.characters[index]}{thin}")
    for term in terms:
        notes = []
        if not result.entries[term]:
            notes.append("not an entry of the termbase: counted as written")
        if result.historical[term]:
            notes.append("historical: last seen long before the corpus ends")
        if notes:
            click.echo(f"{term}: " + "; ".join(notes))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(Path(out)) as temporary:
        plot_trend(result, temporary, image_format=suffix[1:])
    click.echo(f"wrote {out}")


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but this machine's loopback needs an access token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--read-only", is_flag=True, help="Serve search, entries and downloads only: no review, no upload.")
@click.option("--token", default=None,
              help="Access token the browser must bring (default: made up and printed when --host is not loopback).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Another host name the server may be reached by (checked against the Host header); repeatable.")
@reports_errors
def serve(db, host, port, read_only, token, allow_hosts):
    """Open the termbase as a web page: search as you type, entries, review, downloads and upload.

    Needs the web extra: pip install 'glossary[web]'.
    """
    try:
        from .web.app import run
    except ImportError as error:
        if error.name and error.name.split(".")[0] in ("flask", "waitress", "jinja2", "werkzeug"):
            raise GlossaryError(f"`glossary serve` needs the web extra: pip install 'glossary[web]' "
                                f"({error.name} is missing)") from None
        raise
    if token is not None and len(token) < 8:
        raise GlossaryError("--token must be at least 8 characters")
    run(db, host=host, port=port, read_only=read_only, token=token, allowed_names=tuple(allow_hosts),
        echo=lambda line: click.echo(line))


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    main()
