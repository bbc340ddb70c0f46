"""Odd inputs and environments end in one line and status 2 (or are read), never `unexpected`
(issue 19, point 10)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import glossary.pipeline as pipeline
import glossary.store as store
from glossary.cli import main
from glossary.read import read_document


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(result, *words) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert not lines[0].startswith("error: unexpected") and all(word in lines[0] for word in words), lines[0]
    return lines[0]


@pytest.fixture()
def copies(built, tmp_path):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    shutil.copy(built[0], db)
    shutil.copy(built[1], out)
    return db, out


def test_a_read_only_termbase_is_one_line(copies, monkeypatch):
    db, out = copies
    connect = sqlite3.connect

    def read_only(path, *args, **kwargs):  # as for a file the user may not write (root may write any)
        return connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(store.sqlite3, "connect", read_only)
    workbook = load_workbook(out)
    workbook["Glossary"]["O2"] = "a note"
    workbook.save(out)
    digest = _digest(db)
    _one_error_line(_invoke("import", out, "--db", db), "read-only")
    _one_error_line(_invoke("merge", "人民政协", "政协委员", "--db", db), "read-only")
    assert _digest(db) == digest


def test_an_unwritable_out_is_one_line_and_changes_nothing(copies, tmp_path, seed_paths):
    db, _ = copies
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    digest = _digest(db)
    _one_error_line(_invoke("export", "--db", db, "--out", blocker / "g.xlsx"), "cannot write")
    _one_error_line(_invoke("export", "--db", db, "--format", "csv", "--out", blocker / "g.csv"), "cannot write")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_paths[0], corpus / "new.txt")
    (corpus / "new.txt").write_text(seed_paths[0].read_text(encoding="utf-8") + "\n新的一段。", encoding="utf-8")
    _one_error_line(_invoke("build", corpus, "--db", db, "--out", blocker / "g.xlsx"), "cannot write")
    assert _digest(db) == digest


def test_a_workbook_with_a_cut_sheet_is_one_line(copies, tmp_path):
    db, out = copies
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(cut, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    digest = _digest(db)
    _one_error_line(_invoke("import", cut, "--db", db), "cut.xlsx", "not a readable .xlsx workbook")
    assert _digest(db) == digest


@pytest.mark.parametrize("command", [["build", "seeds"], ["export"], ["history"], ["lookup", "协商"],
                                     ["merge", "a", "b"], ["undo", "1"]])
def test_an_empty_db_file_is_refused_by_every_command(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    args = command[:1] + ([str(pipeline.Path(__file__).resolve().parent.parent / "seeds")]
                          if command[0] == "build" else command[1:])
    result = _invoke(*args, "--db", empty, *(["--out", tmp_path / "g.xlsx"] if command[0] == "build" else []))
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "error: unexpected" not in result.output
    assert empty.stat().st_size == 0


def test_an_import_with_conflicts_exits_1_and_does_not_count_them_unchanged(copies, tmp_path):
    db, out = copies
    other = tmp_path / "other.xlsx"
    shutil.copy(out, other)
    workbook = load_workbook(out)
    workbook["Glossary"]["E2"] = "first"
    workbook.save(out)
    assert _invoke("import", out, "--db", db).exit_code == 0
    workbook = load_workbook(other)
    workbook["Glossary"]["E2"] = "second"
    workbook.save(other)
    rows = workbook["Glossary"].max_row - 1
    result = _invoke("import", other, "--db", db)
    assert result.exit_code == 1 and "1 conflicts" in result.output
    assert f"skipped {rows - 1} unchanged" in result.output, result.output


def test_a_csv_with_a_quote_left_open_is_refused(copies, tmp_path):
    db, _ = copies
    source = tmp_path / "open-quote.csv"
    source.write_text('zh,en\n凝聚共识,"building consensus\n两个维护,Two Upholds\n', encoding="utf-8")
    digest = _digest(db)
    _one_error_line(_invoke("import", source, "--db", db), "open-quote.csv", "quote left open")
    assert _digest(db) == digest


def test_more_jobs_than_cores_are_capped_with_a_warning(tmp_path, seed_paths, monkeypatch):
    started = []
    real = pipeline.ProcessPoolExecutor

    def recording(max_workers, **kwargs):
        started.append(max_workers)
        return real(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", recording)
    result = _invoke("build", seed_paths[0].parent, "-j", "32", "--db", tmp_path / "tb.sqlite3",
                     "--out", tmp_path / "g.xlsx")
    assert result.exit_code == 0, result.output
    cores = pipeline.default_jobs()
    assert f"warning: --jobs 32 is more than the {cores} CPU cores available; using {cores}" in result.output
    assert started in ([cores], [])  # one core: no pool at all


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read(seed_paths, tmp_path, encoding):
    text = seed_paths[1].read_text(encoding="utf-8")
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert document.text == text and document.encoding == encoding
    result = _invoke("clean", path)
    assert result.exit_code == 0 and f"encoding: {encoding}" in result.output
