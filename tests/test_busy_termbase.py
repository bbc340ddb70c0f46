"""A termbase another command is writing is busy, not corrupt: commands wait for it up to
--busy-timeout (30 s by default), then say it is busy (issue 19, point 7)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.store import DEFAULT_BUSY_TIMEOUT, busy_timeout


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def db(built, tmp_path):
    path = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], path)
    return path


def _hold(db, seconds: float | None = None) -> sqlite3.Connection:
    """Hold the write lock as a running build does (and as its commit does, shutting readers out)."""
    connection = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN EXCLUSIVE")
    if seconds is not None:
        threading.Timer(seconds, lambda: connection.execute("ROLLBACK")).start()
    return connection


def test_the_default_wait_is_thirty_seconds(monkeypatch):
    monkeypatch.delenv("GLOSSARY_BUSY_TIMEOUT", raising=False)
    assert DEFAULT_BUSY_TIMEOUT == busy_timeout() == 30


@pytest.mark.parametrize("command", [["history"], ["lookup", "凝聚共识"], ["merge", "人民政协", "政协委员"],
                                     ["export", "--format", "csv"]])
def test_a_busy_termbase_is_called_busy_after_the_timeout(db, tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    holder = _hold(db)
    try:
        started = time.monotonic()
        result = _invoke(*command, "--db", db, "--busy-timeout", "1")
        waited = time.monotonic() - started
    finally:
        holder.close()
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: the termbase {db} is busy"), result.output
    assert "not a glossary termbase" not in result.output
    assert waited >= 1


def test_a_command_waits_for_the_writer_to_finish(db):
    holder = _hold(db, seconds=1.0)
    try:
        result = _invoke("merge", "人民政协", "政协委员", "--db", db, "--busy-timeout", "20")
    finally:
        time.sleep(0.1)
        holder.close()
    assert result.exit_code == 0, result.output
