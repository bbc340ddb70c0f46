"""Saved web pages of 12371.cn (../shared/corpora/saved_pages/): what the build keeps of them,
scored against the judgments made by reading 20 of them (tests/data/saved_pages_judgments.tsv,
scored by benchmarks/eval_html.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import eval_html  # noqa: E402

pytest.importorskip("trafilatura")
pytestmark = pytest.mark.skipif(not eval_html.PAGES.is_dir(), reason=f"{eval_html.PAGES} is absent")


def test_judged_pages_keep_their_article_and_lose_their_furniture():
    from glossary.clean import clean_document
    from glossary.read import read_document

    totals = {"body": 0, "body_found": 0, "furniture": 0, "furniture_kept": 0}
    for name, judged in sorted(eval_html.load_judgments().items()):
        path = eval_html.PAGES / name
        lines = eval_html.page_lines(path.read_text(encoding="utf-8"))
        eval_html.check_lines(name, lines, judged)
        # The path a build takes: read (main content, dateline), then clean.
        document = clean_document(read_document(path))
        assert document.date and document.publication == "新华社"
        for key, value in eval_html.score(lines, judged, document.paragraphs).items():
            totals[key] += value
    assert totals["body"] == 506 and totals["furniture"] == 1291
    assert totals["body_found"] >= 0.99 * totals["body"]
    assert totals["furniture_kept"] <= 0.01 * totals["furniture"]
