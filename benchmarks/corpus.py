"""Synthetic corpora for benchmarks, made from the seeds so the work is realistic.

Documents are assembled from the seeds' own lines (page furniture and spam included),
shuffled, about half of them converted to traditional script, and saved in a mix of
encodings (UTF-8, UTF-8 with BOM, GB18030, Big5 where it can represent the text, UTF-16).
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def seed_lines() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").split("\n"))
    return lines


def make_corpus(folder: Path, megabytes: float, seed: int = 7, document_kb: int = 12) -> int:
    """Write about `megabytes` of UTF-8-equivalent text as documents into folder; return bytes."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    lines = seed_lines()
    folder.mkdir(parents=True, exist_ok=True)
    target = int(megabytes * 1024 * 1024)
    written = 0
    number = 0
    while written < target:
        body = []
        size = 0
        while size < document_kb * 1024:
            line = rng.choice(lines)
            if len(line) > 40 and rng.random() < 0.5:
                # shuffle the sentences of a paragraph so documents differ
                parts = line.split("。")
                rng.shuffle(parts)
                line = "。".join(parts)
            body.append(line)
            size += len(line.encode("utf-8"))
        text = "\n\n".join(body)
        if rng.random() < 0.5:
            text = to_traditional.convert(text)
        encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"])
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "gb18030", text.encode("gb18030")
        (folder / f"doc{number:06d}.txt").write_bytes(data)
        written += len(text.encode("utf-8"))
        number += 1
    return written


def corpus_text(folder: Path) -> str:
    from glossary.read import decode_bytes

    return "\n".join(decode_bytes(p.read_bytes())[0] for p in sorted(folder.glob("*.txt")))
