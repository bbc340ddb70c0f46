"""Shared by the web tests: a termbase of the seeds plus one entry whose every text is hostile."""

from __future__ import annotations

import shutil
from pathlib import Path

from glossary.store import Termbase

HOSTILE_TERM = "恶意条目"
HOSTILE_SCRIPT = "<script>window.__pwned = 1</script>"
HOSTILE_IMAGE = '<img src="x" onerror="window.__pwned = 2">'


def hostile_entry() -> dict:
    """An entry as a scraped page could make one: markup in its context, English and source."""
    text = f"他说{HOSTILE_SCRIPT}{HOSTILE_TERM}{HOSTILE_IMAGE}很危险。"
    return {
        "term": HOSTILE_TERM, "traditional": "惡意條目", "variants": [], "category": "political term",
        "score": 10_000.0, "frequency": 2, "documents": 1, "expansion": [], "expansion_source": "",
        "pinyin": "èyì tiáomù", "pinyin_marks": "è yì tiáo mù", "pinyin_numbers": "e4 yi4 tiao2 mu4",
        "pinyin_plain": "e yi tiao mu", "initials": "eytm", "english": f"malicious {HOSTILE_IMAGE}",
        "english_source": "dictionary draft", "english_detail": HOSTILE_SCRIPT,
        "english_alternatives": [{"en": HOSTILE_SCRIPT, "source": "evil", "url": "javascript:window.__pwned=3"}],
        "components": [],
        "contexts": [{"document": f"{HOSTILE_IMAGE}.html", "document_hash": "hostile", "sentence": 0, "start": 0,
                      "end": len(text), "text": text, "term_start": text.index(HOSTILE_TERM),
                      "traditional": None}],
    }


def termbase_copy(built_db: Path, folder: Path) -> Path:
    """A private copy of the seeds' termbase (tests edit it), with the hostile entry added."""
    db = folder / "web.sqlite3"
    shutil.copy(built_db, db)
    with Termbase(db) as termbase:
        with termbase.transaction():
            termbase.upsert_mined_terms_without_retiring([hostile_entry()])
    return db
