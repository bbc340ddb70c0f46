"""Builds on a Dask cluster give exactly what a local build gives, lose nothing to a dead
worker, and read URLs as well as paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import cluster
from glossary.cli import main
from glossary.export import export
from glossary.pipeline import build
from glossary.store import Termbase

from corpus_support import PEOPLES_DAILY, files_until  # noqa: E402

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The seeds and a 2 MB slice of People's Daily (the seeds alone without the corpora)."""
    paths = [str(SEEDS)]
    if PEOPLES_DAILY.is_dir():
        folder = tmp_path_factory.mktemp("slice")
        for path in files_until(PEOPLES_DAILY, 2):
            (folder / path.name).symlink_to(path)
        paths.append(str(folder))
    else:
        print(f"{PEOPLES_DAILY} is absent: comparing on the seeds alone", file=sys.stderr)
    return paths


@pytest.fixture(scope="module")
def client():
    local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(local) as connected:
        yield connected
    local.close()


def exported(db: Path) -> list[dict]:
    out = db.with_suffix(".json")
    with Termbase(db) as termbase:
        export(termbase, "json", out)
    entries = json.loads(out.read_text(encoding="utf-8"))
    for entry in entries:
        entry.pop("id")  # the order entries were inserted in; not part of what was mined
        for context in entry["contexts"]:
            context.pop("term_id")
    return sorted(entries, key=lambda entry: entry["term"])


@pytest.fixture(scope="module")
def local_export(corpus, tmp_path_factory) -> list[dict]:
    db = tmp_path_factory.mktemp("local") / "termbase.sqlite3"
    build(corpus, db_path=str(db), jobs=1)
    return exported(db)


def test_a_cluster_build_equals_a_local_build(corpus, client, local_export, tmp_path):
    db = tmp_path / "cluster.sqlite3"
    report = build_on_cluster(corpus, db, client)
    assert report.documents_added > 0 and report.cluster.workers == 2
    assert exported(db) == local_export
    # Only metadata lives in the termbase: sentences and tokens stay in the store.
    with Termbase(db) as termbase:
        assert termbase.connection.execute("SELECT max(length(sentences)) FROM documents").fetchone()[0] == 0
    assert len(list(Path(str(db) + ".store").rglob("*.gldoc"))) == report.documents_added


def build_on_cluster(paths, db, client, **options):
    return cluster.build_on_cluster(paths, "unused", db_path=str(db), client=client, **options)


def test_a_worker_killed_mid_build_loses_and_doubles_nothing(corpus, client, local_export, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "BATCH_FILES", 2)
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one_worker(done, total):
        if not killed and done < total:  # after the first batch: the rest of the map, counting, locating to go
            killed.append(pids[0])
            os.kill(pids[0], signal.SIGKILL)  # its nanny starts a new one; Dask reruns its tasks

    db = tmp_path / "killed.sqlite3"
    build_on_cluster(corpus, db, client, progress=kill_one_worker)
    assert killed
    assert exported(db) == local_export


def test_adding_documents_on_the_cluster_equals_one_build(client, tmp_path):
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    once = tmp_path / "once.sqlite3"
    build_on_cluster(seeds, once, client)
    grown = tmp_path / "grown.sqlite3"
    build_on_cluster(seeds[:3], grown, client)
    report = build_on_cluster(seeds, grown, client)
    assert report.documents_added == 2 and report.duplicates == 3
    assert exported(grown) == exported(once)
    unchanged = build_on_cluster(seeds, grown, client)
    assert unchanged.unchanged


def test_file_urls_build_like_paths(client, tmp_path):
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    by_path, by_url = tmp_path / "path.sqlite3", tmp_path / "url.sqlite3"
    build_on_cluster(seeds, by_path, client)
    build_on_cluster([SEEDS.resolve().as_uri()], by_url, client)
    assert exported(by_url) == exported(by_path)


def test_memory_urls_are_read_by_the_workers(tmp_path):
    """fsspec's memory:// lives in one process: workers must be threads of this one to share it."""
    import fsspec

    memory = fsspec.filesystem("memory")
    for path in sorted(SEEDS.glob("*.txt")):
        memory.pipe(f"/corpus/{path.name}", path.read_bytes())
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as local, distributed.Client(local) as threads:
        db = tmp_path / "memory.sqlite3"
        report = build_on_cluster(["memory://corpus"], db, threads, store="memory://store")
    assert report.documents_added == 5
    with Termbase(db) as termbase:
        paths = [row["path"] for row in termbase.documents()]
        assert all(path.startswith("memory://corpus/") for path in paths), paths
        assert termbase.find_term("两个维护") is not None


def test_interrupting_a_cluster_build_leaves_the_termbase_as_it_was(client, tmp_path):
    db = tmp_path / "termbase.sqlite3"
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    build_on_cluster(seeds[:2], db, client)
    before = exported(db)

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_on_cluster(seeds, db, client, progress=interrupt)
    assert exported(db) == before
    assert not [task for task in client.processing().values() if task]


def test_the_cli_runs_a_local_cluster(tmp_path):
    db, out = tmp_path / "termbase.sqlite3", tmp_path / "glossary.xlsx"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(db), "--out", str(out),
                                       "--cluster", "local", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "cluster: 2 workers" in result.output and out.exists()


def test_a_termbase_built_locally_is_not_mixed_with_a_cluster_store(client, tmp_path):
    db = tmp_path / "termbase.sqlite3"
    build([str(SEEDS)], db_path=str(db), jobs=1)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(db), "--cluster", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    cluster_db = tmp_path / "cluster.sqlite3"
    build_on_cluster([str(SEEDS)], cluster_db, client)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(cluster_db), "--out",
                                       str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "--cluster" in result.output


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(tmp_path / "t.sqlite3"),
                                           "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(result.output.strip().splitlines()) == 1


def test_without_the_extra_the_error_names_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(tmp_path / "t.sqlite3"),
                                       "--cluster", "local"])
    assert result.exit_code == 2
    assert "pip install 'glossary[cluster]'" in result.output


def test_a_local_build_does_not_import_dask(tmp_path):
    code = ("import sys; from glossary.pipeline import build; "
            f"build([{str(SEEDS)!r}], db_path={str(tmp_path / 't.sqlite3')!r}, jobs=1); "
            "print('distributed' in sys.modules or 'dask' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_same_text_in_two_batches_counts_once(client, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "BATCH_FILES", 2)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (folder / "zz_copy.txt").write_bytes(seed.read_bytes().replace(b"\n", b"\r\n"))  # other bytes, same text
    local, on_cluster = tmp_path / "local.sqlite3", tmp_path / "cluster.sqlite3"
    build([str(folder)], db_path=str(local), jobs=1)
    report = build_on_cluster([str(folder)], on_cluster, client)
    assert report.duplicates == 1
    assert exported(on_cluster) == exported(local)


def test_a_jsonl_dump_is_read_record_by_record_on_the_workers(client, tmp_path):
    dump = tmp_path / "dump" / "pages.jsonl"
    dump.parent.mkdir()
    lines = [json.dumps({"url": f"https://example.org/{p.stem}", "text": p.read_text(encoding="utf-8")},
                        ensure_ascii=False) for p in sorted(SEEDS.glob("*.txt"))]
    dump.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n", encoding="utf-8")
    local, on_cluster = tmp_path / "local.sqlite3", tmp_path / "cluster.sqlite3"
    build([str(dump.parent)], db_path=str(local), jobs=1)
    warnings = []
    report = build_on_cluster([str(dump.parent)], on_cluster, client, warn=warnings.append)
    assert report.documents_added == 5
    assert any("line 2" in warning for warning in warnings), warnings
    assert exported(on_cluster) == exported(local)
