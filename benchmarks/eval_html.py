"""Main-content extraction on real saved pages: our line-level cleaning alone, against
trafilatura's extraction followed by our cleaning (and trafilatura alone, for reference).

    python benchmarks/eval_html.py [--pages ../shared/corpora/saved_pages]

The judgments (tests/data/saved_pages_judgments.tsv) were made by reading 20 of the 60 pages of
12371.cn in ../shared/corpora/saved_pages/ (every third in name order): each line of text the
page shows (its HTML reduced to lines by glossary.clean.strip_html, lines with Chinese only) is
`body` (a paragraph a reader would call the article: the speech or report itself, salutations
included), `neutral` (the article's own title, deck, dateline and photo or video captions: not
body text, not furniture either) or `furniture` (navigation, channel labels, share and print
buttons, "related reading" lists, site footer). The file holds no page text, only each line's
number, judgment, length and a hash that checks the line is still the one judged.

Scores per method, over all judged pages: body paragraphs recovered (the whitespace-free line
appears in the whitespace-free kept text) and furniture lines kept (the line is a kept paragraph,
or, for lines of ten characters or more, inside one).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "tests" / "data" / "saved_pages_judgments.tsv"
PAGES = ROOT.parent / "shared" / "corpora" / "saved_pages"


def page_lines(html: str) -> list[str]:
    """The lines a judge read: the page reduced by strip_html, lines with Chinese only."""
    from glossary.clean import cjk_count, normalise_text, strip_html

    return [line.strip() for line in normalise_text(strip_html(html)).split("\n")
            if line.strip() and cjk_count(line)]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def line_hash(line: str) -> str:
    return hashlib.sha1(squeeze(line).encode("utf-8")).hexdigest()[:12]


def load_judgments(path: Path = JUDGMENTS) -> dict[str, list[tuple[int, str, str]]]:
    pages: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as stream:
        for row in csv.DictReader((line for line in stream if not line.startswith("#")), delimiter="\t"):
            pages[row["page"]].append((int(row["line"]), row["judgment"], row["hash"]))
    return pages


def kept_by_ours(html: str) -> list[str]:
    from glossary.clean import clean_document
    from glossary.read import RawDocument

    return clean_document(RawDocument(path="page.shtml", text=html, encoding="utf-8", size=len(html))).paragraphs


def trafilatura_text(html: str) -> str:
    """The text the build hands to cleaning (glossary.formats.html.main_content)."""
    from glossary.formats.html import main_content

    return main_content(html) or ""


def kept_by_trafilatura_then_ours(html: str) -> list[str]:
    from glossary.clean import clean_document
    from glossary.read import RawDocument

    from glossary.formats.html import page_document

    text, _ = page_document(html)  # what the build does: trafilatura's text, the dateline before it
    return clean_document(RawDocument(path="page.shtml", text=text, encoding="utf-8", size=len(text))).paragraphs


def kept_by_trafilatura(html: str) -> list[str]:
    return [line.strip() for line in trafilatura_text(html).split("\n") if line.strip()]


METHODS = {
    "ours (line-level cleaning)": kept_by_ours,
    "trafilatura, then ours": kept_by_trafilatura_then_ours,
    "trafilatura alone": kept_by_trafilatura,
}


def score(lines: list[str], judged: list[tuple[int, str, str]], kept: list[str]) -> dict[str, int]:
    whole = squeeze("".join(kept))
    paragraphs = {squeeze(p) for p in kept}
    result = {"body": 0, "body_found": 0, "furniture": 0, "furniture_kept": 0}
    for number, judgment, _ in judged:
        line = squeeze(lines[number])
        if judgment == "body":
            result["body"] += 1
            result["body_found"] += line in whole
        elif judgment == "furniture":
            result["furniture"] += 1
            result["furniture_kept"] += line in paragraphs or (len(line) >= 10 and line in whole)
    return result


def check_lines(name: str, lines: list[str], judged) -> None:
    for number, _, expected in judged:
        if number >= len(lines) or line_hash(lines[number]) != expected:
            raise SystemExit(f"{name}: line {number} is not the line judged (did strip_html change?)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    arguments = parser.parse_args()
    if not arguments.pages.is_dir():
        print(f"skipped: {arguments.pages} is absent (see ../shared/corpora/README.md)")
        return
    judgments = load_judgments()
    totals = {method: defaultdict(int) for method in METHODS}
    seconds = defaultdict(float)
    per_page = []
    for name, judged in sorted(judgments.items()):
        html = (arguments.pages / name).read_text(encoding="utf-8")
        lines = page_lines(html)
        check_lines(name, lines, judged)
        row = [name]
        for method, function in METHODS.items():
            start = time.perf_counter()
            kept = function(html)
            seconds[method] += time.perf_counter() - start
            result = score(lines, judged, kept)
            for key, value in result.items():
                totals[method][key] += value
            row.append(f"{result['body_found']}/{result['body']} body, {result['furniture_kept']} furniture")
        per_page.append(row)
    print(f"{len(judgments)} pages judged; per page:")
    for row in per_page:
        print("  " + " | ".join(row))
    print()
    print(f"{'method':30} {'body recovered':>18} {'furniture kept':>18} {'seconds':>8}")
    for method, total in totals.items():
        body = f"{total['body_found']}/{total['body']} ({100 * total['body_found'] / total['body']:.1f}%)"
        furniture = f"{total['furniture_kept']}/{total['furniture']} ({100 * total['furniture_kept'] / total['furniture']:.1f}%)"
        print(f"{method:30} {body:>18} {furniture:>18} {seconds[method]:8.2f}")


if __name__ == "__main__":
    sys.exit(main())
