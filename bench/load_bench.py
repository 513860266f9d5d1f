"""Load: N concurrent clients for S seconds against `kg serve`, mixing the example queries
with hostile ones (cartesian products, huge OFFSETs, deep property paths).

    .venv/bin/python bench/load_bench.py [--clients 50] [--seconds 60] [--hostile 0.2]

Builds the bundled corpus into a temporary store, starts `kg serve` as its own process,
and reports per kind of query: statuses, p50/p99 latency, and the server's peak RSS
(parent and query workers). Good queries should all answer 200; every hostile one should
be ended by the limits (504 timeout, 422 row cap, 503 busy), and memory should stay flat.
"""

from __future__ import annotations

import argparse
import signal
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402

HOSTILE = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "huge-offset": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } OFFSET 100000000 LIMIT 1",
    "deep-path": "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)+ ?b . ?b (!rdf:type)* ?c }",
    "everything": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Why a query was not answered, from the first words of the server's message.
REASONS = {"query workers are busy": "no worker free in time", "had run longest": "gave way (preempted)",
           "ran longer than": "timed out", "more than": "row cap"}


def ask(base: str, query: str) -> tuple[int, str, float]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(base + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
    start = time.perf_counter()
    reason = ""
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        message = exc.read().decode("utf-8", "replace")
        reason = next((r for key, r in REASONS.items() if key in message), message[:60])
    except Exception:  # noqa: BLE001 - a cut connection is a result too
        status, reason = -1, "stream cut"
    return status, reason, time.perf_counter() - start


def main() -> None:
    # A SIGTERM (kill, pkill) must still run the finally blocks that stop the servers started
    # here; by default it ends Python at once and leaves them running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hostile", type=float, default=0.2, help="share of hostile queries")
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--max-concurrent", type=int, default=8)
    parser.add_argument("--server-log", type=Path, help="write the server's log (stderr) here")
    args = parser.parse_args()
    good = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        build([ROOT / "documents"], store=store)
        port = free_port()
        log = args.server_log.open("wb") if args.server_log else subprocess.DEVNULL
        server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
                                   "--timeout", str(args.timeout), "--max-concurrent", str(args.max_concurrent)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.2)
        results: list[tuple[str, str, int, str, float]] = []
        peak = [0]
        stop = threading.Event()

        def watch() -> None:
            proc = psutil.Process(server.pid)
            while not stop.is_set():
                try:
                    rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                    peak[0] = max(peak[0], rss)
                except psutil.Error:
                    pass
                time.sleep(0.2)

        def client(seed: int) -> None:
            rng = random.Random(seed)
            end = time.monotonic() + args.seconds
            while time.monotonic() < end:
                kind, pool = ("hostile", HOSTILE) if rng.random() < args.hostile else ("good", good)
                name = rng.choice(sorted(pool))
                status, reason, latency = ask(base, pool[name])
                results.append((kind, name, status, reason, latency))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            stop.set()
            server.terminate()
            server.wait()

    print(f"{args.clients} clients, {args.seconds:.0f} s, {args.hostile:.0%} hostile, "
          f"--timeout {args.timeout} --max-concurrent {args.max_concurrent}")
    for kind in ("good", "hostile"):
        rows = [r for r in results if r[0] == kind]
        if not rows:
            continue
        latencies = sorted(r[4] for r in rows)
        statuses = Counter(r[2] for r in rows)
        p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
        print(f"{kind:8} {len(rows):6} queries  statuses {dict(sorted(statuses.items()))}  "
              f"p50 {statistics.median(latencies) * 1000:7.0f} ms  p99 {p99 * 1000:7.0f} ms")
    for name in sorted(HOSTILE):
        statuses = Counter(r[2] for r in results if r[1] == name)
        print(f"  hostile {name:12} {dict(sorted(statuses.items()))}")
    failed = [r for r in results if r[0] == "good" and r[2] != 200]
    for (name, status, reason), n in sorted(Counter((r[1], r[2], r[3]) for r in failed).items()):
        slowest = max(r[4] for r in failed if (r[1], r[2], r[3]) == (name, status, reason))
        print(f"  good failed: {name:40} {status} {reason} ×{n} (slowest {slowest:.1f} s)")
    reasons = Counter(r[3] for r in results if r[0] == "hostile")
    print(f"  hostile ended by: {dict(reasons.most_common())}")
    print(f"server peak RSS (parent + workers): {peak[0] / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
