"""Precision of the mined list, band by band, against judgments made by reading.

    python benchmarks/judge_mining.py --corpus gwr                 # build, then judge
    python benchmarks/judge_mining.py --corpus pd --megabytes 5    # People's Daily, first 5 MB
    python benchmarks/judge_mining.py --json output/glossary.json  # judge a build's JSON export
    python benchmarks/judge_mining.py --corpus gwr --unjudged      # list sampled entries to judge
    python benchmarks/judge_mining.py --corpus gwr --cut 150       # the list a --min-score 150 build keeps

Corpora are read from ../shared/corpora/ (never copied into the project): `gwr` is the
national Government Work Reports (the judging corpus, not tuned on), `pd` People's Daily
2019–2020 (the development corpus). A subset of `--megabytes` takes files in path order until
the size is reached. Builds run with `--jobs` processes (default 2) and their entry lists are
cached in output/judge-cache/ under the corpus, size, settings and the source of the package,
so judging again costs nothing. They keep the whole list (--min-score 0); `--cut` judges it as
a build with that --min-score would keep it (a term's score does not depend on the cut; the
cut is on the statistical score, the list's order the score weighed by termhood).
GLOSSARY_RULES_OFF=collocation,boundary,longer,slogan,compositional,title,count,numeral,whole,verbterm,verbpair,names,morpheme,termhood builds with selection rules switched
off, to measure what each one does (`--baseline` shows what a list dropped of another's
judged sample). `--calibrate` prints judged precision by rank window with the scores there.

Bands: ranks 1–50 all; from each of 51–200, 201–1000 and 1001–end, `--sample` entries (100)
drawn at random with a fixed seed. Judgments (term, good/bad, reason) are read from
tests/data/judged_<corpus>.tsv; the criteria are in tests/data/judging_criteria.md. A band with
more than 10% of its sampled entries unjudged gets no figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
CORPUS_FOLDERS = {"gwr": CORPORA / "gov_work_reports_national", "pd": CORPORA / "peoples_daily_2019_2020"}
CACHE = ROOT / "output" / "judge-cache"
BANDS = [(1, 50), (51, 200), (201, 1000), (1001, None)]
SEED = 13
MAX_UNJUDGED = 0.10


def corpus_files(folder: Path, megabytes: float | None) -> list[Path]:
    from glossary.read import find_documents

    files = find_documents([folder])
    if not megabytes:
        return files
    chosen, size, limit = [], 0, megabytes * 1024 * 1024
    for path in files:
        if size >= limit:
            break
        chosen.append(path)
        size += path.stat().st_size
    return chosen


def source_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "glossary").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".tsv", ".json"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def build_entries(files: list[Path], settings, jobs: int) -> list[dict]:
    import tempfile

    from glossary.pipeline import build
    from glossary.store import Termbase

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "judge.sqlite3"
        build([str(f) for f in files], db_path=str(db), settings=settings, jobs=jobs)
        with Termbase(str(db)) as termbase:
            return [{"term": row.term, "score": row.score, "statistical": statistical_score(row.score, row.score_reasons),
                     "category": row.category, "frequency": row.frequency, "documents": row.documents,
                     "expansion": row.expansion}
                    for row in termbase.term_rows()]


def statistical_score(score: float, reasons: str) -> float:
    """The score --min-score cuts on: the statistical score the reasons name when termhood
    weighs on the ranking score, else the score itself."""
    import re

    match = re.search(r"statistical score ([0-9.e+]+)", reasons or "")
    return float(match.group(1)) if match else score


def cut_score(entry: dict) -> float:
    """A cached entry's statistical score (caches from before termhood hold only the score)."""
    return entry.get("statistical", entry["score"])


def cached_entries(corpus: str, megabytes: float | None, settings, jobs: int, rebuild: bool) -> tuple[list[dict], float]:
    from dataclasses import asdict

    folder = CORPUS_FOLDERS[corpus]
    if not folder.is_dir():
        sys.exit(f"skipped: {folder} is absent (the shared corpora sit beside the project)")
    files = corpus_files(folder, megabytes)
    size = sum(f.stat().st_size for f in files) / 1024 / 1024
    rules_off = os.environ.get("GLOSSARY_RULES_OFF", "")
    key = json.dumps([corpus, megabytes, asdict(settings), source_fingerprint(), rules_off], sort_keys=True)
    path = CACHE / f"{corpus}-{megabytes or 'all'}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.json"
    if path.exists() and not rebuild:
        return json.loads(path.read_text(encoding="utf-8")), size
    entries = build_entries(files, settings, jobs)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    print(f"cached: {path.relative_to(ROOT)}", file=sys.stderr)
    return entries, size


def read_judgments(path: Path) -> dict[str, list[tuple[str, str, str | None]]]:
    """term → [(verdict, reason, expansion)]: a fourth column, when present, is the expansion
    ("/"-joined, "-" for none) a numbered slogan was judged with; the verdict then holds only
    for an entry with that expansion."""
    judged: dict[str, list[tuple[str, str, str | None]]] = {}
    if not path.exists():
        return judged
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, verdict, *rest = line.split("\t")
        if verdict not in ("good", "bad"):
            raise SystemExit(f"{path.name}: verdict must be good or bad: {line!r}")
        reason = rest[0] if rest else ""
        expansion = rest[1] if len(rest) > 1 else None
        judged.setdefault(term, []).append((verdict, reason, expansion))
    return judged


def resolve(entries: list[dict], judged: dict[str, list[tuple[str, str, str | None]]]) -> dict[str, tuple[str, str]]:
    """The verdict of each entry of a list: one made without an expansion, or on the entry's own."""
    resolved = {}
    for entry in entries:
        shown = "/".join(entry.get("expansion") or []) or "-"
        for verdict, reason, expansion in judged.get(entry["term"], []):
            if expansion is None or expansion == shown:
                resolved[entry["term"]] = (verdict, reason)
    return resolved


def band_samples(terms: list[str], sample: int) -> list[tuple[str, list[tuple[int, str]]]]:
    """(band label, [(rank, term)]) for each band the list reaches."""
    result = []
    for start, end in BANDS:
        ranked = list(enumerate(terms, 1))[start - 1:end]
        if not ranked:
            continue
        label = f"{start}-{end or 'end'}"
        if start > 1 and len(ranked) > sample:
            # Each band's own generator: a band's sample does not depend on the others.
            ranked = sorted(random.Random(f"{SEED}:{label}").sample(ranked, sample))
        result.append((label, ranked))
    return result


def report(terms: list[str], judged: dict[str, tuple[str, str]], sample: int) -> list[tuple[str, list[tuple[int, str]]]]:
    print(f"entries: {len(terms)}")
    unjudged_all = []
    for label, ranked in band_samples(terms, sample):
        verdicts = [judged.get(term, (None, ""))[0] for _, term in ranked]
        unjudged = [item for item, verdict in zip(ranked, verdicts) if verdict is None]
        unjudged_all.append((label, unjudged))
        good = verdicts.count("good")
        known = good + verdicts.count("bad")
        # Every judged entry of the band, sampled or not: steadier than the sample of 100, which
        # is drawn again whenever the list changes at all.
        start, end = (int(part) if part != "end" else None for part in label.split("-"))
        band = [judged.get(term, (None, ""))[0] for term in terms[start - 1:end]]
        band_good, band_known = band.count("good"), band.count("good") + band.count("bad")
        every = f"; every judged entry of the band: {band_good}/{band_known} = {band_good / max(band_known, 1):.1%}"
        if len(unjudged) > MAX_UNJUDGED * len(ranked):
            print(f"ranks {label:>10}: sampled {len(ranked):3d}, unjudged {len(unjudged):3d}: no figure "
                  f"(more than {MAX_UNJUDGED:.0%} unjudged){every}")
        else:
            print(f"ranks {label:>10}: sampled {len(ranked):3d}, unjudged {len(unjudged):3d}, "
                  f"good {good}/{known} = {good / max(known, 1):.1%}{every}")
    return unjudged_all


def compare(baseline: list[dict], current: set[str], judged: dict[str, tuple[str, str]], sample: int) -> None:
    """What a change of rules did to the judged sample of a baseline list: entries dropped,
    by verdict (a rule is worth keeping when it drops many bad and few good)."""
    sampled = [(label, term) for label, ranked in band_samples([e["term"] for e in baseline], sample)
               for _, term in ranked]
    dropped = [(label, term) for label, term in sampled if term not in current]
    for verdict in ("bad", "good"):
        terms = [term for _, term in dropped if judged.get(term, ("",))[0] == verdict]
        total = sum(1 for _, term in sampled if judged.get(term, ("",))[0] == verdict)
        print(f"baseline sample: dropped {len(terms)} of {total} {verdict}: {' '.join(terms)}")


def calibrate(entries: list[dict], judged: dict[str, tuple[str, str]]) -> None:
    """Judged precision by window of the statistical score (what --min-score cuts), whatever
    sample the judgments came from."""
    entries = sorted(entries, key=lambda e: -cut_score(e))
    windows = [(1, 100), (101, 200), (201, 300), (301, 400), (401, 600), (601, 1000), (1001, 2000), (2001, 4000),
               (4001, None)]
    for start, end in windows:
        part = entries[start - 1:end]
        if not part:
            break
        verdicts = [judged[e["term"]][0] for e in part if e["term"] in judged]
        good = verdicts.count("good")
        print(f"ranks {start}-{end or 'end'}: statistical score from {cut_score(part[0]):g}; "
              f"judged {len(verdicts)}, "
              f"good {good} = {good / max(len(verdicts), 1):.0%}")


def main() -> None:
    from glossary.mine import MiningSettings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=sorted(CORPUS_FOLDERS), default="gwr")
    parser.add_argument("--megabytes", type=float, default=None, help="subset: files in path order up to this size")
    parser.add_argument("--json", type=Path, default=None, help="judge a `glossary export --format json` file")
    parser.add_argument("--judgments", type=Path, default=None, help="default: tests/data/judged_<corpus>.tsv")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--min-score", type=float, default=None,
                        help="build with this --min-score (default 0: the whole list; see --cut)")
    parser.add_argument("--cut", type=float, default=None,
                        help="judge the cached whole list cut at this score, as a build with --min-score would be")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached list")
    parser.add_argument("--unjudged", action="store_true", help="print the sampled entries not judged yet")
    parser.add_argument("--bad", action="store_true", help="print the sampled entries judged bad")
    parser.add_argument("--calibrate", action="store_true",
                        help="precision of every judged entry by rank window, with the score where each starts "
                             "(how the default --min-score was chosen)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a cached list (output/judge-cache/*.json): of its judged sample, what this list dropped")
    arguments = parser.parse_args()
    settings = MiningSettings(min_score=0.0 if arguments.min_score is None else arguments.min_score)
    if arguments.json:
        entries = json.loads(arguments.json.read_text(encoding="utf-8"))
        size = None
    else:
        entries, size = cached_entries(arguments.corpus, arguments.megabytes, settings, arguments.jobs,
                                       arguments.rebuild)
    if arguments.cut is not None:
        entries = [entry for entry in entries if cut_score(entry) >= arguments.cut]
    terms = [entry["term"] for entry in entries]
    judgments = arguments.judgments or ROOT / "tests" / "data" / f"judged_{arguments.corpus}.tsv"
    judged = resolve(entries, read_judgments(judgments))
    print(f"corpus: {arguments.json or CORPUS_FOLDERS[arguments.corpus]}"
          + (f" ({size:.1f} MB)" if size else "") + f"; judgments: {judgments.name} ({len(judged)})")
    if size:
        print(f"entries per MB: {len(terms) / size:.0f}")
    unjudged = report(terms, judged, arguments.sample)
    if arguments.unjudged:
        for label, items in unjudged:
            for rank, term in items:
                print(f"{term}\t{label}\t{rank}")
    if arguments.calibrate:
        calibrate(entries, judged)
    if arguments.baseline:
        baseline = json.loads(arguments.baseline.read_text(encoding="utf-8"))
        compare(baseline, set(terms), resolve(baseline, read_judgments(judgments)), arguments.sample)
    if arguments.bad:
        for label, ranked in band_samples(terms, arguments.sample):
            for rank, term in ranked:
                if judged.get(term, ("",))[0] == "bad":
                    print(f"bad\t{label}\t{rank}\t{term}\t{judged[term][1]}")


if __name__ == "__main__":
    main()
