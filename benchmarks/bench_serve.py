"""Search as you type on a 100,000-entry termbase: `glossary serve`'s search, server-side.

    python benchmarks/bench_serve.py [--entries 100000] [--runs 20] [--db PATH]

Builds the termbase bench_lookup.py builds (the seeds plus synthetic entries with real
pinyin and English), or takes one with --db (a copy is used), starts the real server
(waitress, the app of `glossary serve`, after it has read what it keeps in memory for search,
as `glossary serve` does) on a free port in this process, and sends each query of
bench_lookup.py's set `--runs` times over HTTP with keep-alive, as the page does. Prints, per
query and over all, the 50th and 95th percentile of the server's own time for the search (its
Server-Timing header) and of the whole round trip; then the same for "did you mean", which the
page asks for only when nothing matches (`zzqqxx` in the set).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_lookup import QUERIES, build_termbase  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", default=None, help="an existing termbase to copy instead of building one")
    arguments = parser.parse_args()

    from waitress import create_server

    from glossary.store import Termbase
    from glossary.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tb.sqlite3"
        if arguments.db:
            shutil.copy(arguments.db, db)
        else:
            start = time.perf_counter()
            build_termbase(db, arguments.entries)
            print(f"termbase built in {time.perf_counter() - start:.0f} s")
        with Termbase(db) as termbase:  # migrations, as `glossary serve` runs them
            total = termbase.connection.execute("SELECT count(*) FROM terms").fetchone()[0]
        app = create_app(db)
        start = time.perf_counter()
        app.extensions["glossary_lookup_cache"].warm(db)
        print(f"termbase: {total} entries; the server read what it keeps for search in "
              f"{time.perf_counter() - start:.1f} s")
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        port = int(server.effective_port)
        app.config["GLOSSARY_PORT"] = port
        threading.Thread(target=server.run, daemon=True).start()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def ask(path: str, query: str) -> tuple[float, float, dict]:
            begin = time.perf_counter()
            connection.request("GET", f"{path}?q={quote(query)}")
            response = connection.getresponse()
            body = json.loads(response.read())
            wall = (time.perf_counter() - begin) * 1000
            assert response.status == 200, (query, response.status)
            server_ms = float(re.search(r"dur=([\d.]+)", response.getheader("Server-Timing")).group(1))
            return server_ms, wall, body

        print(f"{'query':22s} {'server p50':>10s} {'p95':>7s} {'round trip p50':>15s} {'p95':>7s}")
        every_server, every_wall, unmatched = [], [], []
        for query in QUERIES:
            runs = [ask("/api/search", query) for _ in range(arguments.runs)]
            server_times, wall_times = [r[0] for r in runs], [r[1] for r in runs]
            every_server += server_times
            every_wall += wall_times
            if not runs[0][2]["matches"]:
                unmatched.append(query)
            print(f"{query:22s} {statistics.median(server_times):8.1f}ms {percentile(server_times, .95):5.1f}ms "
                  f"{statistics.median(wall_times):13.1f}ms {percentile(wall_times, .95):5.1f}ms")
        print(f"{'search, all ' + str(len(every_server)):22s} {statistics.median(every_server):8.1f}ms "
              f"{percentile(every_server, .95):5.1f}ms {statistics.median(every_wall):13.1f}ms "
              f"{percentile(every_wall, .95):5.1f}ms   (max {max(every_server):.0f} ms server-side)")
        for query in unmatched:
            runs = [ask("/api/suggest", query) for _ in range(arguments.runs)]
            server_times, wall_times = [r[0] for r in runs], [r[1] for r in runs]
            print(f"{'did you mean ' + query:22s} {statistics.median(server_times):8.1f}ms "
                  f"{percentile(server_times, .95):5.1f}ms {statistics.median(wall_times):13.1f}ms "
                  f"{percentile(wall_times, .95):5.1f}ms")
        print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
              "(server and benchmark in one process)")
        print("load average (1, 5, 15 min):", " ".join(f"{value:.2f}" for value in os.getloadavg()))
        connection.close()  # the server thread ends with the process


if __name__ == "__main__":
    main()
