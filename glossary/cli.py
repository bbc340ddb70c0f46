"""The `glossary` command: a thin Click layer over the library API."""

from __future__ import annotations

import functools
import os
import sys

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
        try:
            return command(*args, **kwargs)
        except GlossaryError as error:
            _fail(str(error))
        except KeyboardInterrupt:
            _fail("interrupted; nothing was changed", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as error:  # noqa: BLE001 - last line of defence for the user
            if os.environ.get("GLOSSARY_DEBUG"):
                raise
            _fail(f"unexpected {type(error).__name__}: {error} (set GLOSSARY_DEBUG=1 for details)", 70)

    return wrapper


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glossary", message="%(prog)s %(version)s")
def main():
    """Mine Chinese political terms from a corpus into a termbase and a translator's workbook."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--show", is_flag=True, help="Also print each document's cleaned simplified text.")
@reports_errors
def clean(paths, show):
    """Report how each document in PATHS was read and cleaned."""
    from .clean import clean_document
    from .read import read_documents

    for raw in read_documents(paths, warn=_warn):
        document = clean_document(raw)
        click.echo(f"== {document.path}")
        click.echo(f"encoding: {document.encoding}   script: {document.script}")
        for label, value in (("title", document.title), ("date", document.date),
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


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    main()
