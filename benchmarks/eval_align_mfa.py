"""Goal (c) of issue 14: `glossary align` on the press conferences' whole documents
(../shared/corpora/bilingual/mfa2026.zh.txt and .en.txt, not line-aligned), scored against the
430 `ok` segment pairs of mfa2026.tmx.

- precision: of the sentence pairs the aligner keeps whose Chinese lies in one of the 430
  segments, the share whose English lies inside that segment's English;
- recall: the share of the 430 segment pairs all of whose Chinese sentences are aligned, in
  kept pairs, inside the segment's English (as for the white paper).

Skips with a message where the corpus is absent.
"""

from __future__ import annotations

import bisect
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bilingual"


def place_all(pieces: list[str], text: str) -> list[tuple[int, int] | None]:
    places, position = [], 0
    for piece in pieces:
        start = text.find(piece, position)
        if start < 0:
            start = text.find(piece)
        if start < 0:
            places.append(None)
            continue
        places.append((start, start + len(piece)))
        position = start + len(piece)
    return places


def main() -> int:
    zh_path, en_path, tmx_path = (CORPUS / f"mfa2026.{suffix}" for suffix in ("zh.txt", "en.txt", "tmx"))
    if not all(p.exists() for p in (zh_path, en_path, tmx_path)):
        print(f"skipped: {CORPUS} lacks the mfa2026 files (see ../shared/corpora/README.md)")
        return 0
    from glossary.align import DROP_COST
    from glossary.bilingual import aligned_memory
    from glossary.clean import to_simplified
    from glossary.memory import read_memory

    started = time.perf_counter()
    memory, result = aligned_memory(zh_path, en_path)
    seconds = time.perf_counter() - started
    from glossary.bilingual import read_text_file

    zh_text = to_simplified(read_text_file(zh_path))
    en_text = read_text_file(en_path)
    segments = read_memory(tmx_path).pairs
    zh_segments = place_all([zh for zh, _ in segments], zh_text)
    en_segments = place_all([en for _, en in segments], en_text)
    located = [i for i in range(len(segments)) if zh_segments[i] and en_segments[i]]
    zh_places = place_all(result.zh_sentences, zh_text)
    en_places = place_all(result.en_sentences, en_text)
    starts = sorted((zh_segments[i][0], i) for i in located)
    keys = [s for s, _ in starts]

    def segment_of(span):
        k = bisect.bisect_right(keys, span[0]) - 1
        if k < 0:
            return None
        index = starts[k][1]
        a, b = zh_segments[index]
        return index if span[0] < b and span[1] > a else None

    in_scope = correct = 0
    good = {i: True for i in located}
    covered = {i: False for i in located}
    for bead in result.beads:
        a, b = bead.shape
        if a == 0:
            continue
        spans = [zh_places[k] for k in range(*bead.zh)]
        if any(s is None for s in spans):
            continue
        zh_span = (spans[0][0], spans[-1][1])
        index = segment_of(zh_span)
        if index is None:
            continue
        if b == 0 or bead.cost > DROP_COST:
            good[index] = False
            continue
        in_scope += 1
        en_spans = [en_places[k] for k in range(*bead.en)]
        zh_inside = zh_segments[index][0] <= zh_span[0] and zh_span[1] <= zh_segments[index][1]
        en_inside = all(s is not None for s in en_spans) and \
            en_segments[index][0] <= en_spans[0][0] and en_spans[-1][1] <= en_segments[index][1]
        covered[index] = True
        if zh_inside and en_inside:
            correct += 1
        else:
            good[index] = False
    recovered = sum(1 for i in located if good[i] and covered[i])
    print(f"mfa2026.zh.txt / mfa2026.en.txt: {len(result.zh_sentences)} Chinese and {len(result.en_sentences)} "
          f"English sentences, {len(result.pairs)} pairs kept in {seconds:.1f} s; dropped {result.dropped}")
    print(f"the 430 ok pairs of mfa2026.tmx: {len(located)} located in both documents")
    print(f"precision: {correct}/{in_scope} = {100 * correct / max(in_scope, 1):.1f}% of the kept pairs inside "
          f"a reference segment have their English inside its English")
    print(f"recall: {recovered}/{len(segments)} = {100 * recovered / len(segments):.1f}% of the reference segment "
          f"pairs have every Chinese sentence aligned inside their English")
    return 0


if __name__ == "__main__":
    sys.exit(main())
