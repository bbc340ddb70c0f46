from __future__ import annotations

import os
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
