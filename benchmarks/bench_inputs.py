"""Readers: per-format build throughput, and a large JSONL dump streamed in bounded memory.

    python benchmarks/bench_inputs.py --formats-mb 3 --jsonl-mb 300

Inputs are generated at run time in a temporary folder (never committed) from People's Daily
articles in ../shared/corpora/peoples_daily_2019_2020/ (one article per file): for each format
the same articles as .txt files, .docx (python-docx), .pdf (reportlab), a .warc.gz of HTML
pages (warcio) and a .jsonl of HTML pages. A page is a real saved page of 12371.cn
(../shared/corpora/saved_pages/) with its article paragraphs replaced by the People's Daily
article, so each record carries the furniture, scripts and styles a scraper really stores.

Each build runs `glossary build` in a fresh termbase; printed: input bytes, article text
(MB of UTF-8), seconds, MB/s of text, and peak memory: the largest single process (ru_maxrss)
and the whole process tree (parent and workers, sampled every 0.2 s from /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT / "tests"))


def articles(limit_bytes: int, seed: int = 3):
    """(title, paragraphs) of People's Daily articles, shuffled, up to limit_bytes of text."""
    files = sorted((CORPORA / "peoples_daily_2019_2020").rglob("*.txt"))
    random.Random(seed).shuffle(files)
    total = 0
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").split("\n") if line.strip()]
        if len(lines) < 3:
            continue
        size = len("\n".join(lines).encode("utf-8"))
        if total + size > limit_bytes:
            return
        total += size
        yield lines[0], lines[1:]


def page_template() -> tuple[str, str]:
    """A saved 12371.cn page cut around its article paragraphs: (before, after)."""
    page = (CORPORA / "saved_pages" / "ARTI1523969688926689.shtml").read_text(encoding="utf-8")
    paragraphs = list(re.finditer(r"<p(?:\s[^>]*)?>[^<]*?</p>", page, re.S))
    long = [m for m in paragraphs if len(m.group()) > 100 and "\u3000\u3000" in m.group()]
    return page[:long[0].start()], page[long[-1].end():]


def page_of(title: str, paragraphs: list[str], template: tuple[str, str]) -> str:
    before, after = template
    before = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", before, flags=re.S)
    return before + "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + after


def tree_rss(pid: int) -> int:
    """RSS (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stream:
                    parent = int(stream.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as stream:
                total += int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
        stack.extend(children.get(current, []))
    return total


def timed_build(path: Path, work: Path, *extra: str) -> tuple[float, float, float, str]:
    command = [sys.executable, "-m", "glossary.cli", "build", str(path), "--db", str(work / "tb.sqlite3"),
               "--out", str(work / "g.xlsx"), *extra]
    for stale in (work / "tb.sqlite3", work / "g.xlsx"):
        stale.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = 0

    def sample():
        nonlocal peak_tree
        while process.poll() is None:
            peak_tree = max(peak_tree, tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, errors = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode:
        raise SystemExit(f"build failed: {errors}")
    single = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    summary = " / ".join(line for line in output.split("\n") if line.startswith(("documents", "terms")))
    return elapsed, single, peak_tree / 2**20, summary


def make_formats(folder: Path, megabytes: float) -> dict[str, tuple[Path, int]]:
    from make_inputs import make_docx, make_jsonl, make_pdf, make_warc

    chosen = list(articles(int(megabytes * 2**20)))
    text_bytes = sum(len("\n".join([t, *p]).encode("utf-8")) for t, p in chosen)
    template = page_template()
    made = {}
    txt = folder / "txt"
    txt.mkdir()
    for n, (title, paragraphs) in enumerate(chosen):
        (txt / f"{n:05d}.txt").write_text("\n".join([title, *paragraphs]), encoding="utf-8")
    made["txt"] = (txt, text_bytes)
    docx = folder / "docx"
    docx.mkdir()
    for n, (title, paragraphs) in enumerate(chosen):
        make_docx(docx / f"{n:05d}.docx", paragraphs, title=title)
    made["docx"] = (docx, text_bytes)
    pdf = folder / "pdf"
    pdf.mkdir()
    for n, (title, paragraphs) in enumerate(chosen):
        make_pdf(pdf / f"{n:05d}.pdf", [title, *paragraphs], header="人民日报")
    made["pdf"] = (pdf, text_bytes)
    pages = [(f"http://paper.people.com.cn/{n}.html", page_of(t, p, template)) for n, (t, p) in enumerate(chosen)]
    made["warc.gz"] = (make_warc(folder / "pages.warc.gz", pages, extras=False), text_bytes)
    made["jsonl (HTML)"] = (make_jsonl(folder / "pages.jsonl", [{"url": u, "html": h} for u, h in pages]), text_bytes)
    made["jsonl (text)"] = (make_jsonl(folder / "text.jsonl", [{"url": f"http://x.cn/{n}", "title": t, "text":
                                                                "\n".join(p)} for n, (t, p) in enumerate(chosen)]),
                            text_bytes)
    return made


def timed_command(command: list[str]) -> tuple[float, float, float]:
    """(seconds, largest process RSS MB, process tree RSS MB) of a command, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_tree = 0
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_rss(process.pid))
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"failed: {' '.join(command)}")
    single = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return elapsed, single, peak_tree / 2**20


def write_articles_of_dump(dump: Path, folder: Path) -> None:
    """The dump's articles as plain text files (title, paragraphs): the same mining, no reader."""
    folder.mkdir()
    with open(dump, encoding="utf-8") as stream:
        for number, line in enumerate(stream):
            item = json.loads(line)
            body = re.findall(r"<p>(.*?)</p>", item["html"])
            from html import unescape

            (folder / f"{number:05d}.txt").write_text("\n".join([item["title"], *map(unescape, body)]),
                                                      encoding="utf-8")


def read_only(made: dict[str, tuple[Path, int]]) -> None:
    """The readers alone, in this process: read (decode, parse, extract) and read + clean."""
    from glossary.clean import clean_document
    from glossary.read import read_documents

    print(f"{'format':14} {'input MB':>9} {'text MB':>8} {'read s':>7} {'text MB/s':>10} {'read+clean s':>13} "
          f"{'text MB/s':>10} {'documents':>10}")
    for name, (path, text_bytes) in made.items():
        size = sum(f.stat().st_size for f in path.rglob("*")) if path.is_dir() else path.stat().st_size
        start = time.perf_counter()
        documents = list(read_documents([path]))
        reading = time.perf_counter() - start
        start = time.perf_counter()
        for document in documents:
            clean_document(document)
        cleaning = time.perf_counter() - start
        mb = text_bytes / 2**20
        print(f"{name:14} {size / 2**20:9.1f} {mb:8.2f} {reading:7.1f} {mb / reading:10.2f} "
              f"{reading + cleaning:13.1f} {mb / (reading + cleaning):10.2f} {len(documents):10}", flush=True)


def make_big_jsonl(path: Path, megabytes: float) -> tuple[int, int, int]:
    """A JSONL dump of HTML pages of about `megabytes`; (bytes, records, article text bytes)."""
    template = page_template()
    target = int(megabytes * 2**20)
    written = records = text = 0
    with open(path, "w", encoding="utf-8") as stream:
        while written < target:
            for title, paragraphs in articles(10**10, seed=records + 11):
                line = json.dumps({"url": f"http://paper.people.com.cn/{records}.html", "title": title,
                                   "html": page_of(title, paragraphs, template)}, ensure_ascii=False) + "\n"
                stream.write(line)
                written += len(line.encode("utf-8"))
                text += len("\n".join(paragraphs).encode("utf-8"))
                records += 1
                if written >= target:
                    break
    return written, records, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats-mb", type=float, default=3.0, help="MB of article text per format (0: skip)")
    parser.add_argument("--jsonl-mb", type=float, default=300.0, help="MB of the large JSONL dump (0: skip)")
    parser.add_argument("--read-only", action="store_true",
                        help="per format, time only reading (and cleaning) in this process, no build")
    parser.add_argument("--decompose", action="store_true",
                        help="instead of building the dump: clean it (no mining), and build its articles as .txt")
    arguments = parser.parse_args()
    if not (CORPORA / "peoples_daily_2019_2020").is_dir():
        print(f"skipped: {CORPORA} is absent (see ../shared/corpora/README.md)")
        return
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        if arguments.formats_mb:
            made = make_formats(work, arguments.formats_mb)
            if arguments.read_only:
                read_only(made)
                made = {}
            else:
                print(f"{'format':14} {'input MB':>9} {'text MB':>8} {'seconds':>8} {'text MB/s':>10} "
                      f"{'max RSS':>8} {'tree RSS':>9}  build said")
            for name, (path, text_bytes) in made.items():
                size = sum(f.stat().st_size for f in path.rglob("*")) if path.is_dir() else path.stat().st_size
                elapsed, single, tree, summary = timed_build(path, work)
                print(f"{name:14} {size / 2**20:9.1f} {text_bytes / 2**20:8.2f} {elapsed:8.1f} "
                      f"{text_bytes / 2**20 / elapsed:10.2f} {single:7.0f}M {tree:8.0f}M  {summary}", flush=True)
        if arguments.jsonl_mb:
            path = work / "dump.jsonl"
            size, records, text = make_big_jsonl(path, arguments.jsonl_mb)
            print(f"\nJSONL dump: {size / 2**20:.0f} MB, {records} records (HTML pages), {text / 2**20:.1f} MB of "
                  "article text", flush=True)
            if not arguments.decompose:
                elapsed, single, tree, summary = timed_build(path, work)
                print(f"build: {elapsed:.0f} s, {size / 2**20 / elapsed:.2f} MB/s of dump, peak RSS {single:.0f} MB "
                      f"(largest process), {tree:.0f} MB (process tree)  [{summary}]")
                return
            # Where the memory goes: reading and cleaning every record without mining (glossary
            # clean streams the dump), and mining the same articles from plain text files.
            elapsed, single, tree = timed_command([sys.executable, "-m", "glossary.cli", "clean", str(path)])
            print(f"glossary clean of the dump (read + clean, no mining): {elapsed:.0f} s, peak RSS {single:.0f} MB "
                  f"(largest process), {tree:.0f} MB (tree)", flush=True)
            write_articles_of_dump(path, work / "articles")
            elapsed, single, tree, summary = timed_build(work / "articles", work)
            print(f"build of the same articles as .txt files: {elapsed:.0f} s, peak RSS {single:.0f} MB "
                  f"(largest process), {tree:.0f} MB (tree)  [{summary}]")


if __name__ == "__main__":
    main()
