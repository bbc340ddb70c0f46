"""A build on a Dask LocalCluster against the local process pool, on real distinct documents.

    python benchmarks/bench_cluster.py [--sizes 5,10,20,35] [--workers 2]

Reads ../shared/corpora/peoples_daily_2019_2020/ (never copied into the project); each subset
is the corpus's files in path order until the size is reached. For each size it builds a fresh
termbase with `--jobs N` and then on a LocalCluster of N worker processes (workbook included),
and prints both times, the cluster's overhead, the bytes the cluster sent to the client, and
the cluster's map (read, clean, segment, store) and count (count, tree merge, select) seconds
per MB that the README's plan for archive-scale corpora is drawn from.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_corpus import link_folder, require, subset  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5,10,20,35", help="subset sizes in MB (35: all of it)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, and --jobs of the local build")
    args = parser.parse_args()
    files_all = require()
    import distributed

    from glossary.cluster import build_on_cluster
    from glossary.pipeline import build
    from glossary.workbook import write_workbook

    print(f"corpus: People's Daily 2019-2020 (files in path order); {args.workers} workers vs --jobs {args.workers}; "
          f"load {os.getloadavg()[0]:.1f}")
    print("| corpus | files | --jobs build | LocalCluster build | overhead | sent to client | sent / corpus "
          "| of which metadata / entries / timeline | map s/MB | count s/MB | locate s | entries |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        for size in (float(s) for s in args.sizes.split(",")):
            files = subset(files_all, None if size >= 35 else size)
            with tempfile.TemporaryDirectory() as folder:
                corpus = Path(folder) / "corpus"
                megabytes = link_folder(files, corpus) / 1e6
                started = time.perf_counter()
                local = build([str(corpus)], db_path=f"{folder}/local.sqlite3", jobs=args.workers,
                              write_workbook=write_workbook, out=f"{folder}/local.xlsx")
                local_seconds = time.perf_counter() - started
                started = time.perf_counter()
                report = build_on_cluster([str(corpus)], "local", db_path=f"{folder}/cluster.sqlite3",
                                          client=client, write_workbook=write_workbook, out=f"{folder}/cluster.xlsx")
                cluster_seconds = time.perf_counter() - started
            stats = report.cluster
            assert report.terms == local.terms, (report.terms, local.terms)
            print(f"| {megabytes:.1f} MB | {len(files)} | {local_seconds:.1f} s | {cluster_seconds:.1f} s "
                  f"| {100 * (cluster_seconds / local_seconds - 1):+.0f}% | {stats.client_bytes / 1e6:.2f} MB "
                  f"| {stats.client_bytes / (megabytes * 1e6):.3f} | {stats.metadata_bytes / 1e6:.2f} / "
                  f"{stats.term_bytes / 1e6:.2f} / {stats.occurrence_bytes / 1e6:.2f} MB "
                  f"| {stats.map_seconds / megabytes:.2f} "
                  f"| {stats.count_seconds / megabytes:.2f} | {stats.locate_seconds:.1f} | {report.terms} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
