"""Goal (b) of issue 14: `glossary align` on the white paper with each side's 144 paragraphs
joined into one text (a space between paragraphs, no line break, so line numbers give nothing away).

A paragraph pair counts as recovered when every Chinese sentence of it is aligned, in a kept
pair, inside its English paragraph. Prints the share recovered. Reads
../shared/corpora/bilingual/wp2020peacekeeping.{zh,en}.txt; skips with a message where absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from glossary.align import align_texts

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bilingual"


def spans(paragraphs: list[str], separator: str) -> tuple[str, list[tuple[int, int]]]:
    text, bounds = "", []
    for paragraph in paragraphs:
        if text:
            text += separator
        bounds.append((len(text), len(text) + len(paragraph)))
        text += paragraph
    return text, bounds


def locate(sentences: list[str], text: str) -> list[tuple[int, int]]:
    places, position = [], 0
    for sentence in sentences:
        start = text.find(sentence, position)
        if start < 0:
            raise SystemExit(f"sentence not found in the joined text: {sentence[:40]}")
        places.append((start, start + len(sentence)))
        position = start + len(sentence)
    return places


def paragraphs_of(span: tuple[int, int], bounds: list[tuple[int, int]]) -> set[int]:
    return {k for k, (a, b) in enumerate(bounds) if span[0] < b and span[1] > a}


def recovered(zh_paragraphs: list[str], en_paragraphs: list[str]) -> tuple[int, int, float, object]:
    zh_text, zh_bounds = spans(zh_paragraphs, " ")
    en_text, en_bounds = spans(en_paragraphs, " ")
    started = time.perf_counter()
    result = align_texts(zh_text, en_text)
    seconds = time.perf_counter() - started
    zh_places = locate(result.zh_sentences, zh_text)
    en_places = locate(result.en_sentences, en_text)
    from glossary.align import DROP_COST

    good = [True] * len(zh_paragraphs)
    covered = [False] * len(zh_paragraphs)
    for bead in result.beads:
        a, b = bead.shape
        if a == 0:
            continue
        zh_span = (zh_places[bead.zh[0]][0], zh_places[bead.zh[1] - 1][1])
        zh_set = paragraphs_of(zh_span, zh_bounds)
        if b == 0 or bead.cost > DROP_COST:
            for k in zh_set:
                good[k] = False
            continue
        en_span = (en_places[bead.en[0]][0], en_places[bead.en[1] - 1][1])
        en_set = paragraphs_of(en_span, en_bounds)
        for k in zh_set:
            covered[k] = True
            if en_set != {k}:
                good[k] = False
    count = sum(g and c for g, c in zip(good, covered))
    return count, len(zh_paragraphs), seconds, result


def main() -> int:
    zh_path, en_path = CORPUS / "wp2020peacekeeping.zh.txt", CORPUS / "wp2020peacekeeping.en.txt"
    if not zh_path.exists() or not en_path.exists():
        print(f"skipped: {CORPUS} has no white paper (see ../shared/corpora/README.md)")
        return 0
    zh = [line.strip() for line in zh_path.read_text(encoding="utf-8").splitlines()]
    en = [line.strip() for line in en_path.read_text(encoding="utf-8").splitlines()]
    count, total, seconds, result = recovered(zh, en)
    print(f"white paper, 144 paragraphs joined per side: {len(result.zh_sentences)} Chinese and "
          f"{len(result.en_sentences)} English sentences, {len(result.pairs)} pairs kept, dropped {result.dropped}")
    print(f"paragraph pairs recovered: {count}/{total} = {100 * count / total:.1f}% (aligned in {seconds:.2f} s)")
    if "-v" in sys.argv:
        for bead in result.beads:
            print(bead.shape, round(bead.cost, 1), "|", "".join(result.zh_sentences[bead.zh[0]:bead.zh[1]])[:40],
                  "|", " ".join(result.en_sentences[bead.en[0]:bead.en[1]])[:60])
    return 0


if __name__ == "__main__":
    sys.exit(main())
