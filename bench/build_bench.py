"""Time ``kg build`` on N plans recombined from the bundled corpus (bench/make_corpus.py), against the floor:
a pyoxigraph bulk load of the same quads, in the same process.

    .venv/bin/python bench/build_bench.py [--docs 1000] [--workers 2]

Prints documents/s, triples/s, peak RSS and the ratio build / bulk-load.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.build import build  # noqa: E402
from kg.store import current_version  # noqa: E402


def make_corpus(folder: Path, n: int) -> None:
    import random

    from make_corpus import variant

    rng = random.Random(7)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "documents").glob("*.txt"))]
    for i in range(n):
        (folder / f"plan_{i:05d}.txt").write_text(variant(seeds[i % len(seeds)], rng), encoding="utf-8")


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)

        t0 = time.perf_counter()
        report = build([corpus], store=tmp / "store", workers=args.workers)
        t_build = time.perf_counter() - t0
        assert report.ok, report.failures[:3]

        dump = tmp / "all.nq"
        ox.Store.read_only(str(current_version(tmp / "store"))).dump(str(dump), ox.RdfFormat.N_QUADS)
        quads = sum(1 for _ in open(dump, "rb"))
        t0 = time.perf_counter()
        floor = ox.Store(str(tmp / "floor"))
        floor.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        floor.flush()
        t_floor = time.perf_counter() - t0

    print(f"documents            {args.docs}")
    print(f"workers              {args.workers}")
    print(f"quads                {quads}")
    print(f"kg build             {t_build:8.2f} s  ({args.docs / t_build:,.0f} docs/s, {quads / t_build:,.0f} triples/s)")
    print(f"pyoxigraph bulk load {t_floor:8.2f} s  ({quads / t_floor:,.0f} triples/s)")
    print(f"ratio build/floor    {t_build / t_floor:8.1f}x")
    print(f"peak RSS             {peak_rss_mb():8.0f} MB")


if __name__ == "__main__":
    main()
