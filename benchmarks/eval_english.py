"""How far a translator can trust the English column, on text the reference list was not drawn from.

    python benchmarks/eval_english.py [--megabytes 5] [--sample 200] [--dump FILE]

Builds the first 5 MB (files in path order) of ../shared/corpora/peoples_daily_2019_2020/ into a
temporary termbase and prints:

- coverage: the share of the first 1,000 entries that have any English (goal ≥ 60%);
- misleading: the share of judged non-empty English cells that are misleading (goal ≤ 5%).
  The judged cells are a fixed sample: the non-empty English cells of the first 1,000 entries,
  ordered by the MD5 of the term, first --sample of them (so the same terms come up build after
  build). Judgments are read from tests/data/english_judgements.tsv, keyed by (term, English):
  a cell whose English changed needs a new judgment, and unjudged cells are listed, never guessed.
  The criteria are in tests/data/english_criteria.md.

--dump FILE writes the sampled cells still unjudged (term, English, label, Gloss, a context
sentence) as TSV, for reading.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpora" / "peoples_daily_2019_2020"
JUDGEMENTS = ROOT / "tests" / "data" / "english_judgements.tsv"


def corpus_files(megabytes: float, start: str = "") -> list[Path]:
    """Files of the corpus in path order (from the first whose relative path is >= start)
    until their bytes reach `megabytes`."""
    files, total = [], 0
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and str(p.relative_to(CORPUS)) >= start):
        if total >= megabytes * 1024 * 1024:
            break
        files.append(path)
        total += path.stat().st_size
    return files


def read_judgements() -> dict[tuple[str, str], tuple[str, str]]:
    judged = {}
    if not JUDGEMENTS.exists():
        return judged
    for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        term, english, _label, judgment, reason = line.split("\t")
        judged[(term, english)] = (judgment, reason)
    return judged


def sample_key(term: str) -> str:
    return hashlib.md5(term.encode("utf-8")).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--first", type=int, default=1000)
    parser.add_argument("--db", help="keep the termbase here (default: a temporary folder)")
    parser.add_argument("--dump", help="write the unjudged sampled cells to this TSV file")
    parser.add_argument("--start", default="", help="begin at this relative path, e.g. 202001 for a held-out slice")
    arguments = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return

    from glossary.pipeline import build
    from glossary.store import Termbase

    files = corpus_files(arguments.megabytes, arguments.start)
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(arguments.db) if arguments.db else Path(folder) / "tb.sqlite3"
        if not db.exists():
            build([str(p) for p in files], db_path=str(db))
        with Termbase(db) as termbase:
            rows = termbase.term_rows()
    first = rows[:arguments.first]
    with_english = [row for row in first if row.english.strip()]
    print(f"corpus: {len(files)} files, {size / 1024 / 1024:.2f} MB of {CORPUS}, from {files[0].relative_to(CORPUS)}")
    print(f"entries: {len(rows)}")
    labels: dict[str, int] = {}
    for row in first:
        label = row.english_source if row.english.strip() else "none"
        labels[label.split(":")[0]] = labels.get(label.split(":")[0], 0) + 1
    print("labels of the first entries:", ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    print(f"coverage: {len(with_english)}/{len(first)} = {len(with_english) / max(1, len(first)):.1%} "
          f"of the first {len(first)} entries have English (goal >= 60%)")

    judged = read_judgements()
    sample = sorted(with_english, key=lambda row: sample_key(row.term))[:arguments.sample]
    verdicts = [judged.get((row.term, row.english)) for row in sample]
    unjudged = [row for row, verdict in zip(sample, verdicts) if verdict is None]
    misleading = [row for row, verdict in zip(sample, verdicts) if verdict and verdict[0] == "misleading"]
    done = len(sample) - len(unjudged)
    print(f"misleading: {len(misleading)}/{done} = {len(misleading) / max(1, done):.1%} of the judged "
          f"non-empty English cells (goal <= 5%; sample of {len(sample)}, {len(unjudged)} unjudged)")
    by_label: dict[str, list[int]] = {}
    for row, verdict in zip(sample, verdicts):
        if verdict:
            counts = by_label.setdefault(row.english_source.split(":")[0], [0, 0])
            counts[0] += verdict[0] == "misleading"
            counts[1] += 1
    for label, (bad, total) in sorted(by_label.items()):
        print(f"  {label}: {bad}/{total} misleading")
    for row in misleading:
        print(f"  misleading: {row.term} → {row.english} [{row.english_source}]: {judged[(row.term, row.english)][1]}")
    if unjudged:
        print("unjudged:", " | ".join(f"{row.term} → {row.english}" for row in unjudged[:30]),
              "…" if len(unjudged) > 30 else "")
    if arguments.dump:
        with open(arguments.dump, "w", encoding="utf-8") as out:
            for row in unjudged:
                context = row.contexts[0]["text"] if row.contexts else ""
                gloss = getattr(row, "gloss", "")
                out.write("\t".join([row.term, row.english, row.english_source, gloss, context]) + "\n")


if __name__ == "__main__":
    main()
