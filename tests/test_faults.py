"""A build stopped in any way ends its workers, leaves a sound termbase and rebuilds to the
same export as a clean build (issue 19, point 5 and the fault-injection test)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import glossary
from glossary.export import json_text
from glossary.pipeline import build
from glossary.store import Termbase

SEED = 19
COMMAND = "from glossary.cli import main; main()"


def _start(corpus, db, out) -> subprocess.Popen:
    """`glossary build -j 2` in its own process group, as a shell would start it, running the
    package these tests import."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(Path(glossary.__file__).parent.parent), os.environ.get("PYTHONPATH")) if p))
    return subprocess.Popen([sys.executable, "-c", COMMAND, "build", str(corpus), "-j", "2", "--db", str(db),
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=str(Path(db).parent), env=env)


def _group(group: int) -> list[tuple[int, str]]:
    """(pid, state) of every process of a process group that has not exited."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == group and fields[0] != "Z":
            found.append((int(entry.name), fields[0]))
    return found


def _survivors(group: int, wait: float = 5.0) -> list[tuple[int, str]]:
    deadline = time.monotonic() + wait
    while (alive := _group(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


def _wait_for_workers(process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_group(process.pid)) >= 3:  # the build and its two workers
            return
        if process.poll() is not None:
            pytest.fail("the build ended before its workers started: " + process.stderr.read().decode())
        time.sleep(0.02)
    pytest.fail("the build's workers never started")


def _stop(process: subprocess.Popen, sig: int, group: bool) -> tuple[int, str]:
    (os.killpg if group else os.kill)(process.pid, sig)
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        for pid, _ in _group(process.pid):  # never leave a stray process behind, whatever the verdict
            os.kill(pid, signal.SIGKILL)
    return process.returncode, stderr.decode()


def _export(db) -> str:
    with Termbase(db) as termbase:
        return json_text(termbase.term_rows())


@pytest.fixture(scope="module")
def corpus(seed_paths, tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for path in seed_paths:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to see the workers")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_stopping_the_build_leaves_no_worker_behind(corpus, tmp_path, sig):
    process = _start(corpus, tmp_path / "tb.sqlite3", tmp_path / "g.xlsx")
    _wait_for_workers(process)
    code, stderr = _stop(process, sig, group=False)
    assert _survivors(process.pid) == []
    assert "Traceback" not in stderr
    if sig != signal.SIGKILL:
        assert code in (130, 2) and stderr.strip().splitlines()[-1].startswith("error: "), stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to see the workers")
def test_ctrl_c_prints_one_line_and_no_worker_traceback(corpus, tmp_path):
    process = _start(corpus, tmp_path / "tb.sqlite3", tmp_path / "g.xlsx")
    _wait_for_workers(process)
    code, stderr = _stop(process, signal.SIGINT, group=True)  # Ctrl-C reaches the whole group
    assert code == 130 and stderr.strip() == "error: interrupted; nothing was changed", stderr
    assert _survivors(process.pid) == []
    assert not (tmp_path / "g.xlsx").exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to see the workers")
def _state(db) -> tuple:
    """What a rebuild starts from: the documents and terms a stopped build left (none when its
    transaction was rolled back)."""
    if not db.exists():
        return ()
    with sqlite3.connect(db) as connection:
        if not connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0]:
            return ("empty",)
        return (tuple(r[0] for r in connection.execute("SELECT hash FROM documents ORDER BY hash")),
                tuple(connection.execute("SELECT id, term, revision FROM terms ORDER BY id")),
                tuple(connection.execute("SELECT key, value FROM meta ORDER BY key")))


def test_builds_killed_at_twelve_points_leave_a_sound_termbase(corpus, tmp_path):
    """12 kill points from a fixed seed: SIGINT, SIGTERM and SIGKILL, each to the build and to
    its whole process group, at moments spread over a clean build's duration. The stopped
    builds run two at a time (the machine is shared: twice the share of its cores)."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.monotonic()
    clean = tmp_path / "clean.sqlite3"
    process = _start(corpus, clean, tmp_path / "clean.xlsx")
    assert process.wait(timeout=300) == 0, process.stderr.read().decode()
    duration = time.monotonic() - started
    reference = _export(clean)
    rng = random.Random(SEED)
    kinds = [(sig, group) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL) for group in (False, True)]
    points = [(sig, group, rng.uniform(0.05, 1.0) * duration) for sig, group in kinds * 2]
    rng.shuffle(points)

    def stopped_build(number: int) -> tuple[int, str, list]:
        sig, group, delay = points[number]
        process = _start(corpus, tmp_path / f"killed{number}.sqlite3", tmp_path / f"killed{number}.xlsx")
        time.sleep(delay)
        code, stderr = _stop(process, sig, group)
        return code, stderr, _survivors(process.pid)

    with ThreadPoolExecutor(max_workers=2) as runner:
        outcomes = list(runner.map(stopped_build, range(len(points))))
    verified: set[tuple] = set()
    for number, ((sig, group, delay), (code, stderr, survivors)) in enumerate(zip(points, outcomes)):
        db, out = tmp_path / f"killed{number}.sqlite3", tmp_path / f"killed{number}.xlsx"
        where = f"{signal.Signals(sig).name} to the {'group' if group else 'build'} after {delay:.2f} s"
        assert survivors == [], where
        assert "Traceback" not in stderr, (where, stderr)
        if db.exists():
            with sqlite3.connect(db) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", where
        if sig != signal.SIGKILL:  # SIGKILL leaves no chance to remove a temporary file
            assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".killed{number}.xlsx")], where
        assert not out.exists() or zipfile.is_zipfile(out), where  # never a half-written workbook
        # A rebuild from a state already rebuilt and compared would repeat the same computation.
        state = _state(db)
        if state not in verified:
            build([str(corpus)], db_path=db, jobs=1)
            assert _export(db) == reference, where
            verified.add(state)
    assert time.monotonic() - started < 180
