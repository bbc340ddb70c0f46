"""Parallel mining (--jobs) gives exactly the result of one process."""

from __future__ import annotations

import json

from click.testing import CliRunner

from glossary.cli import main


def _entries(db, tmp_path, name):
    out = tmp_path / f"{name}.json"
    result = CliRunner().invoke(main, ["export", "--format", "json", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_jobs_two_equals_jobs_one_on_the_seeds(tmp_path, seed_paths):
    results = {}
    for jobs in (1, 2):
        db = tmp_path / f"jobs{jobs}.sqlite3"
        result = CliRunner().invoke(main, ["build", str(seed_paths[0].parent), "--db", str(db),
                                           "--out", str(tmp_path / f"jobs{jobs}.xlsx"), "--jobs", str(jobs)])
        assert result.exit_code == 0, result.output
        results[jobs] = _entries(db, tmp_path, f"jobs{jobs}")
    assert len(results[1]) > 100
    assert results[1] == results[2]


def test_a_duplicate_document_in_another_batch_is_counted_once(tmp_path, seed_paths):
    alone, twice = tmp_path / "alone", tmp_path / "twice"
    alone.mkdir()
    twice.mkdir()
    for path in seed_paths[:2]:
        (alone / path.name).write_bytes(path.read_bytes())
        (twice / path.name).write_bytes(path.read_bytes())
    (twice / "zz-copy.txt").write_bytes(seed_paths[0].read_text(encoding="utf-8").encode("gb18030"))
    results = {}
    for folder in (alone, twice):
        db = tmp_path / f"{folder.name}.sqlite3"
        result = CliRunner().invoke(main, ["build", str(folder), "--db", str(db), "--out",
                                           str(tmp_path / f"{folder.name}.xlsx"), "--jobs", "2"])
        assert result.exit_code == 0, result.output
        results[folder.name] = [{k: v for k, v in e.items() if k != "id"}
                                for e in _entries(db, tmp_path, folder.name)]
    assert results["alone"] == results["twice"]


def test_progress_counts_every_file_against_the_same_total(tmp_path, seed_paths):
    import shutil

    from glossary.pipeline import build

    folder = tmp_path / "corpus"
    folder.mkdir()
    for copy in range(2):  # enough files for the process pool
        for path in seed_paths:
            shutil.copy(path, folder / f"{copy}-{path.name}")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # skipped, yet counted as read
    calls = []
    build([folder], db_path=tmp_path / "tb.sqlite3", jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(number, 11) for number in range(1, 12)]
