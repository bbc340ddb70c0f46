"""Where a build spends its time: cProfile of one build of a People's Daily subset.

    python benchmarks/profile_build.py [--size 20] [--jobs 1] [--top 25] [--save FILE.prof]

The build runs in this process with `--jobs 1` by default, so that the profile sees all of
its work (with more jobs, the workers' cleaning and segmenting are not in it). A fresh
termbase, default settings, the workbook included. Prints the functions with the most time of
their own (tottime) and the stages by cumulative time. The corpus is read from
../shared/corpora/peoples_daily_2019_2020/ (never copied; absent: the script says so and stops).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import MB, held_out_article, link_folder, require, subset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=float, default=20, help="subset size in MB")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, default=None, help="also save the raw profile here")
    arguments = parser.parse_args()
    files = require()
    from glossary.pipeline import build
    from glossary.workbook import write_workbook

    chosen = subset(files, arguments.size, leave_out=held_out_article(files))
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        megabytes = link_folder(chosen, work / "corpus") / MB
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        report = build([str(work / "corpus")], db_path=str(work / "tb.sqlite3"), jobs=arguments.jobs,
                       write_workbook=write_workbook, out=str(work / "glossary.xlsx"))
        profile.disable()
        elapsed = time.perf_counter() - start
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{megabytes:.1f} MB, {len(chosen)} documents, --jobs {arguments.jobs}: {report.terms} entries, "
          f"{elapsed:.1f} s under the profiler; load: {load}")
    if arguments.save:
        profile.dump_stats(arguments.save)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(arguments.top)
        text = out.getvalue()
        print(text[text.index("   ncalls"):] if "   ncalls" in text else text)


if __name__ == "__main__":
    main()
