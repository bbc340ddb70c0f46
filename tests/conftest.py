from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def isolated_termbase(tmp_path, monkeypatch):
    """Every test gets its own termbase path; no test may touch a user's data."""
    monkeypatch.setenv("GLOSSARY_DB", str(tmp_path / "termbase.sqlite3"))
    monkeypatch.setenv("NO_COLOR", "1")
    yield tmp_path / "termbase.sqlite3"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    return paths


@pytest.fixture(scope="session")
def seed_texts(seed_paths) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in seed_paths}


@pytest.fixture(scope="session")
def cleaned_seeds(seed_paths):
    from glossary.clean import clean_document
    from glossary.read import read_document

    return {p.name[:3]: clean_document(read_document(p)) for p in seed_paths}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The seeds built once through the command line: (termbase path, workbook path)."""
    from click.testing import CliRunner

    from glossary.cli import main

    folder = tmp_path_factory.mktemp("built")
    db, out = folder / "termbase.sqlite3", folder / "glossary.xlsx"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return db, out


@pytest.fixture(scope="session")
def glossary_rows(built):
    """The Glossary sheet of the built workbook as dicts keyed by header."""
    from openpyxl import load_workbook

    workbook = load_workbook(built[1], rich_text=False)
    rows = list(workbook["Glossary"].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]
