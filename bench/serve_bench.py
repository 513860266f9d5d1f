"""Benchmark: `kg serve` against `oxigraph serve-read-only` on the same store.

    python bench/serve_bench.py [--triples 1000000] [--seconds 3] [--corpus] [--clients 1 8]

Builds a synthetic store shaped like the real graph (plans, actions, measures, agencies with
lead/cooperating roles, targets, regions; one named graph per plan) — and, with --corpus, the
bundled documents — then runs every query in queries/*.rq against both servers with 1 and 8
concurrent keep-alive clients, and prints throughput (queries/s), its ratio, and p50/p99
latency. Both servers get the same store directory, the union default graph and explicit
PREFIX lines (Oxigraph's server does not pre-declare ours). Goal (issue 3): kg serve ≥ 0.8×
Oxigraph's throughput at p99 ≤ 1.5× its latency.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.paths import QUERIES_DIR  # noqa: E402
from kg.query import PREFIXES  # noqa: E402
from kg.store import current_version, load_version, new_version_dir, swap_in  # noqa: E402

PK = PREFIXES["pk"]
ID = PREFIXES["pkid"]
RDF_TYPE = PREFIXES["rdf"] + "type"
LABEL = PREFIXES["rdfs"] + "label"
DCT = PREFIXES["dcterms"]
SKOS = PREFIXES["skos"]
XSD = PREFIXES["xsd"]
AGENCY_NAMES = ["教育局", "科协", "财政局", "人社局", "总工会", "团委", "妇联", "科技局", "卫健委", "农业农村局",
                "文旅局", "宣传部", "发改委", "工信局", "民政局", "住建局", "生态环境局", "体育局", "统计局", "司法局"]
TYPES = ["education", "cast", "finance", "hrss", "trade-union", "youth-league", "women", "science", "health",
         "agriculture", "culture", "propaganda", "development", "industry", "civil-affairs", "housing",
         "environment", "sport", "statistics", "justice"]


def synthetic_nquads(triples: int, seed: int = 7):
    """Yields N-Quads chunks until about ``triples`` quads were produced."""
    rng = random.Random(seed)
    regions = [(f"{530000 + 100 * i:06d}", f"地区{i}") for i in range(1, 60)]
    made = 0
    lines: list[str] = []

    def add(s: str, p: str, o: str, g: str) -> None:
        lines.append(f"<{s}> <{p}> {o} <{g}> .\n")

    meta = ID + "graph/meta"
    for code, name in regions:
        r = f"{ID}region/{code}"
        add(r, RDF_TYPE, f"<{PK}Region>", meta)
        add(r, LABEL, f'"{name}"@zh', meta)
        add(r, PK + "adminCode", f'"{code}"', meta)
        add(r, PK + "level", '"city"', meta)
        for j, (short, slug) in enumerate(zip(AGENCY_NAMES, TYPES)):
            a = f"{ID}agency/{code}/{j}"
            add(a, RDF_TYPE, f"<{PK}Agency>", meta)
            add(a, LABEL, f'"市{short}"@zh', meta)
            add(a, PK + "fullName", f'"{name}{short}"@zh', meta)
            add(a, PK + "region", f"<{r}>", meta)
            add(a, PK + "agencyType", f"<{ID}agency-type/{slug}>", meta)
    for slug in TYPES:
        t = f"{ID}agency-type/{slug}"
        add(t, SKOS + "notation", f'"{slug}"', meta)
        add(t, SKOS + "prefLabel", f'"{slug}"@en', meta)
    plan_no = 0
    while made < triples:
        plan_no += 1
        code, name = rng.choice(regions)
        g = f"{ID}graph/plan{plan_no}"
        p = f"{ID}plan/{plan_no}"
        add(p, RDF_TYPE, f"<{PK}Plan>", g)
        add(p, DCT + "title", f'"{name}行动方案{plan_no}"@zh', g)
        add(p, PK + "sourceFile", f'"{plan_no:05d}.txt"', g)
        add(p, PK + "region", f"<{ID}region/{code}>", g)
        add(p, PK + "startYear", f'"2021"^^<{XSD}gYear>', g)
        add(p, PK + "endYear", f'"2025"^^<{XSD}gYear>', g)
        add(p, DCT + "identifier", f'"文〔2021〕{plan_no}号"', g)
        add(p, PK + "issuedBy", f"<{ID}agency/{code}/0>", g)
        add(p, PK + "implements", f"<{ID}plan/ref{plan_no % 50}>", g)
        for i in range(rng.randint(10, 30)):
            u = f"{p}/action/{i}"
            add(p, PK + "hasAction", f"<{u}>", g)
            add(u, RDF_TYPE, f"<{PK}Action>", g)
            add(u, PK + "text", f'"第{i}项任务：推进工作{rng.randint(0, 10**6)}"@zh', g)
            add(u, PK + "ordinal", f'"{i}"^^<{XSD}integer>', g)
            agencies = rng.sample(range(len(AGENCY_NAMES)), 4)
            add(u, PK + "leadAgency", f"<{ID}agency/{code}/{agencies[0]}>", g)
            for k in agencies[1:rng.randint(1, 4)]:
                add(u, PK + "cooperatingAgency", f"<{ID}agency/{code}/{k}>", g)
            if rng.random() < 0.3:
                t = f"{u}/target"
                add(u, PK + "hasTarget", f"<{t}>", g)
                add(t, RDF_TYPE, f"<{PK}Target>", g)
                add(t, PK + "value", f'"{rng.randint(1, 100)}"^^<{XSD}decimal>', g)
                add(t, PK + "unit", '"%"', g)
                add(t, PK + "targetYear", f'"2025"^^<{XSD}gYear>', g)
                add(t, PK + "comparator", '">="', g)
                add(t, PK + "indicator", '"覆盖率"@zh', g)
            for m in range(rng.randint(0, 3)):
                mu = f"{u}/measure/{m}"
                add(u, PK + "hasMeasure", f"<{mu}>", g)
                add(mu, RDF_TYPE, f"<{PK}Measure>", g)
                add(mu, PK + "text", f'"措施{m}"@zh', g)
                add(mu, PK + "responsibleAgency", f"<{ID}agency/{code}/{rng.randrange(len(AGENCY_NAMES))}>", g)
        made += len(lines)
        yield "".join(lines).encode()
        lines = []


def build_synthetic(store: Path, triples: int) -> None:
    version = new_version_dir(store)
    load_version(version, synthetic_nquads(triples))
    swap_in(store, version)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(port: int, proc: subprocess.Popen, path: str) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def run_clients(port: int, path: str, query: str, clients: int, seconds: float) -> tuple[float, list[float], int]:
    """Each client sends the query back to back for ``seconds`` (at least once, finishing
    its last one); returns answered queries per second over the real elapsed time, their
    latencies, and the count of the others (errors)."""
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    latencies: list[float] = []
    errors = [0]
    first_error: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
        mine: list[float] = []
        while True:
            start = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                failed = response.status != 200
            except (http.client.HTTPException, OSError) as exc:
                # A result stream cut by the server (its timeout or row cap after streaming
                # began): an error to count, on a connection that is gone.
                failed = True
                with lock:
                    if not first_error:
                        first_error.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
            if failed:  # not a query answered: left out of the rate and the latencies
                with lock:
                    errors[0] += 1
            else:
                mine.append(time.perf_counter() - start)
            if time.perf_counter() >= stop:
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if first_error:
        print(f"  first error on port {port}: {first_error[0]}", flush=True)
    return len(latencies) / (time.perf_counter() - began), latencies, errors[0]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def bench_store(store: Path, label: str, clients_list: list[int], seconds: float, names: list[str] | None,
                timeout: float) -> list[tuple]:
    version = current_version(store)
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    queries = [(p.stem, prologue + p.read_text(encoding="utf-8")) for p in sorted(QUERIES_DIR.glob("*.rq"))
               if not names or p.stem in names]
    kg_port, ox_port = free_port(), free_port()
    concurrency = str(max(clients_list))
    kg = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(kg_port),
                           "--timeout", f"{timeout:g}", "--max-concurrent", concurrency], cwd=ROOT,
                          stdout=subprocess.DEVNULL)
    oxigraph = Path(sys.executable).with_name("oxigraph")

    def start_oxigraph() -> subprocess.Popen:
        ox_log.seek(0)
        ox_log.truncate()
        return subprocess.Popen([str(oxigraph), "serve-read-only", "--location", str(version), "--bind",
                                 f"127.0.0.1:{ox_port}", "--union-default-graph", "--timeout-s", f"{timeout:g}"],
                                stdout=subprocess.DEVNULL, stderr=ox_log)

    ox_log = tempfile.TemporaryFile()

    ox = start_oxigraph()
    rows = []
    try:
        wait_up(kg_port, kg, "/sparql?query=ASK%7B%7D")
        wait_up(ox_port, ox, "/query?query=ASK%7B%7D")
        servers = (("kg", kg_port, "/sparql"), ("ox", ox_port, "/query"))
        for name, query in queries:
            for _, port, path in servers:
                run_clients(port, path, query, 1, 0.0)  # one run each to warm caches and workers
            for clients in clients_list:
                result = {}
                for server, port, path in servers:
                    for attempt in range(2):
                        rate, lat, errors = run_clients(port, path, query, clients, seconds)
                        if server == "kg" and kg.poll() is not None:
                            raise RuntimeError(f"kg serve exited with {kg.returncode} during {name}")
                        if server == "ox" and errors and attempt == 0:
                            with contextlib.suppress(subprocess.TimeoutExpired):
                                ox.wait(2)  # an Oxigraph that resets connections is usually dying
                        if server == "ox" and ox.poll() is not None and attempt == 0:
                            # Oxigraph's server starts a thread per connection and has been seen
                            # to die when it cannot ("thread spawn error"): restart, measure again.
                            ox_log.seek(0)
                            said = ox_log.read().decode("utf-8", "replace").strip().splitlines()
                            print(f"  oxigraph exited with {ox.returncode} ({said[0] if said else ''}); restarted",
                                  flush=True)
                            ox = start_oxigraph()
                            wait_up(ox_port, ox, "/query?query=ASK%7B%7D")
                            continue
                        break
                    result[server] = (rate, pct(lat, 0.5), pct(lat, 0.99), errors)
                rows.append((label, name, clients, *result["kg"], *result["ox"]))
                print_row(rows[-1])
    finally:
        for proc in (kg, ox):
            proc.terminate()
            proc.wait(30)
    return rows


HEADER = (f"{'store':<10} {'query':<42} {'c':>2} {'kg q/s':>8} {'ox q/s':>8} {'ratio':>6} "
          f"{'kg p50':>8} {'ox p50':>8} {'kg p99':>8} {'ox p99':>8} {'p99 ×':>6}")


def print_row(row: tuple) -> None:
    label, name, clients, kq, k50, k99, kerr, oq, o50, o99, oerr = row
    flag = "" if not (kerr or oerr) else f"  errors kg={kerr} ox={oerr}"
    print(f"{label:<10} {name[:42]:<42} {clients:>2} {kq:>8.1f} {oq:>8.1f} {kq / max(oq, 1e-9):>6.2f} "
          f"{k50:>7.1f}ms {o50:>7.1f}ms {k99:>7.1f}ms {o99:>7.1f}ms {k99 / max(o99, 1e-9):>6.2f}{flag}", flush=True)


def summary(rows: list[tuple]) -> None:
    for label in dict.fromkeys(r[0] for r in rows):
        for clients in sorted({r[2] for r in rows if r[0] == label}):
            cells = [r for r in rows if r[0] == label and r[2] == clients]
            sel = [r for r in cells if not (r[6] or r[10])]  # cells where either server failed are left out
            if len(sel) < len(cells):
                print(f"{label:<10} {clients} client(s): {len(cells) - len(sel)} cell(s) with errors left out")
            if not sel:
                continue
            ratio = statistics.geometric_mean([r[3] / max(r[7], 1e-9) for r in sel])
            p99 = statistics.geometric_mean([r[5] / max(r[9], 1e-9) for r in sel])
            print(f"{label:<10} {clients} client(s): throughput kg/oxigraph = {ratio:.2f}× (geometric mean over "
                  f"{len(sel)} queries), p99 kg/oxigraph = {p99:.2f}×")


def main() -> None:
    # A SIGTERM (kill, pkill) must still run the finally blocks that stop the servers started
    # here; by default it ends Python at once and leaves them running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic store (0: none)")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per query, server and client count")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--corpus", action="store_true", help="also bench the bundled documents")
    parser.add_argument("--work", type=Path, help="keep stores here (default: a temporary directory)")
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="only these queries (file names without .rq)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="both servers' query timeout: long enough for the slowest query with every client at "
                             "once, so the benchmark measures speed, not the limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        stores = []
        synthetic = work / f"synthetic-{args.triples}"
        if args.triples and not synthetic.exists():
            started = time.perf_counter()
            build_synthetic(synthetic, args.triples)
            print(f"built a synthetic store of ~{args.triples:,} triples in {time.perf_counter() - started:.1f} s")
        if args.triples:
            stores.append((synthetic, "synthetic"))
        if args.corpus:
            from kg.build import build
            corpus = work / "corpus"
            if not corpus.exists():
                build([ROOT / "documents"], store=corpus)
            stores.append((corpus, "corpus"))
        print(f"{os.cpu_count()} CPUs; {args.seconds:g} s per cell")
        print(HEADER)
        rows = []
        for store, label in stores:
            rows += bench_store(store, label, args.clients, args.seconds, args.queries, args.timeout)
        print()
        summary(rows)


if __name__ == "__main__":
    main()
