"""Time ``kg build`` on N plans recombined from the bundled corpus (bench/make_corpus.py), against the
floor: a pyoxigraph bulk load of the same quads, in the same process.

    .venv/bin/python bench/build_bench.py [--docs 1000] [--workers 2] [--executor local|dask]

Prints documents/s, triples/s, peak RSS (the build process and its workers together, sampled
every 0.1 s), the CPU seconds spent, and the ratio build / bulk-load. The machine's load average
is printed too: on a busy machine wall times grow, CPU seconds do not.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import write_corpus  # noqa: E402

from kg.build import build  # noqa: E402
from kg.store import current_version  # noqa: E402


class PeakRss:
    """Highest sum of resident memory over this process and all its descendants."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass  # a worker that just exited
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--executor", choices=("local", "dask"), default="local")
    parser.add_argument("--tmp", type=Path, default=None, help="scratch folder (default: the system temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        tmp = Path(tmp)
        write_corpus(tmp / "corpus", args.docs)

        load_before = os.getloadavg()[0]
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        with PeakRss() as rss:
            report = build([tmp / "corpus"], store=tmp / "store", workers=args.workers, executor=args.executor)
        t_build, cpu_build = time.perf_counter() - t0, cpu_seconds() - cpu0
        assert report.ok, [str(f) for f in report.failures[:3]]
        load_after = os.getloadavg()[0]

        dump = tmp / "all.nq"
        ox.Store.read_only(str(current_version(tmp / "store"))).dump(str(dump), ox.RdfFormat.N_QUADS)
        quads = sum(1 for _ in open(dump, "rb"))
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        with PeakRss() as floor_rss:
            floor = ox.Store(str(tmp / "floor"))
            floor.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
            floor.flush()
            del floor
        t_floor, cpu_floor = time.perf_counter() - t0, cpu_seconds() - cpu0

    docs = args.docs
    print(f"documents            {docs}")
    print(f"workers              {args.workers} ({args.executor}); load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs")
    print(f"quads                {quads:,}")
    print(f"kg build             {t_build:8.1f} s  ({docs / t_build:,.1f} docs/s, {quads / t_build:,.0f} triples/s; {cpu_build:,.0f} CPU s)")
    print(f"pyoxigraph bulk load {t_floor:8.1f} s  ({quads / t_floor:,.0f} triples/s; {cpu_floor:,.0f} CPU s)")
    print(f"ratio build/floor    {t_build / t_floor:8.1f}x")
    print(f"peak RSS             {rss.peak / 2**20:8.0f} MB (build, parent + workers); {floor_rss.peak / 2**20:,.0f} MB (bulk load)")


if __name__ == "__main__":
    main()
