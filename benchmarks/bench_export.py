"""Workbook export at scale: a 100,000-entry termbase, three contexts each, every sheet.

    python benchmarks/bench_export.py [--entries 100000]

Entries are synthesised from the seeds' sentences (real text, real lengths); the script times
`write_workbook` and prints seconds, rows per second and the file size.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.clean import clean_document  # noqa: E402
from glossary.read import read_documents  # noqa: E402
from glossary.store import Termbase  # noqa: E402
from glossary.workbook import write_workbook  # noqa: E402


def synthetic_entries(count: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    sentences = [s.text for d in (clean_document(r) for r in read_documents([ROOT / "seeds"]))
                 for s in d.sentences if not s.mojibake and len(s.text) > 20]
    entries = []
    for number in range(count):
        contexts = []
        for rank in range(3):
            text = rng.choice(sentences)
            start = rng.randrange(0, len(text) - 4)
            contexts.append({"document": f"doc{rng.randrange(5000):05d}.txt", "document_hash": f"h{number}-{rank}",
                             "sentence": rank, "start": 0, "end": len(text), "text": text, "term_start": start,
                             "traditional": None})
        term = contexts[0]["text"][contexts[0]["term_start"]:contexts[0]["term_start"] + 4] + str(number)
        entries.append({
            "term": term, "traditional": term, "variants": [], "category": "political term",
            "score": count - number, "frequency": rng.randrange(2, 500), "documents": rng.randrange(1, 50),
            "expansion": [], "expansion_source": "", "pinyin": "xiéshāng mínzhǔ", "pinyin_marks": "xié shāng mín zhǔ",
            "pinyin_numbers": "xie2 shang1 min2 zhu3", "pinyin_plain": "xie shang min zhu", "initials": "xsmz",
            "english": "consultative democracy", "english_source": "dictionary draft",
            "english_detail": "composed from CC-CEDICT glosses", "english_alternatives": [], "components": [],
            "contexts": contexts})
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        termbase = Termbase(Path(folder) / "tb.sqlite3")
        with termbase.transaction():
            termbase.upsert_mined_terms(synthetic_entries(arguments.entries))
        out = Path(folder) / "glossary.xlsx"
        start = time.perf_counter()
        write_workbook(termbase, out)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{arguments.entries} entries, {arguments.entries * 3} contexts: workbook written in {elapsed:.1f} s "
              f"({arguments.entries / elapsed:,.0f} entries/s), {out.stat().st_size / 1e6:.1f} MB, "
              f"process peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
