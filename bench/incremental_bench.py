"""Time an incremental rebuild: one changed plan in an N-plan store, rebuilt and swapped in.

    .venv/bin/python bench/incremental_bench.py [--docs 1000] [--workers 2] [--runs 3]

Builds N recombined plans (bench/make_corpus.py) once, then edits one plan and times
(a) ``build()`` called in this already-warm process and (b) a fresh ``kg build`` process,
which also pays for Python start-up and the parsers' imports. Each run edits a different plan.
The breakdown says where the library call spends its time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import write_corpus  # noqa: E402

import kg.build as kg_build  # noqa: E402
from kg.build import build  # noqa: E402


class Stopwatch:
    """Wraps the build's steps to time them (the functions are looked up at call time)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def wrap(self, module, name: str, label: str) -> None:
        real = getattr(module, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.times[label] = self.times.get(label, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed)


def edit(path: Path, run: int) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("。", f"。（第{run}次修订）", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    watch = Stopwatch()
    watch.wrap(kg_build, "_built_graphs", "read hashes of the live store")
    watch.wrap(kg_build, "_file_hash", "hash the input files")
    watch.wrap(kg_build, "copy_version", "checkpoint copy, drop changed graphs")
    watch.wrap(kg_build, "load_version", "parse changed plans + bulk load")
    watch.wrap(kg_build, "swap_in", "swap in, prune old versions")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(tmp / "corpus", args.docs)
        store = tmp / "store"
        t0 = time.perf_counter()
        first = build([tmp / "corpus"], store=store, workers=args.workers)
        print(f"initial build: {len(first.documents)} plans in {time.perf_counter() - t0:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for run in range(args.runs):
            edit(corpus[run * 7 % len(corpus)], run)
            watch.times.clear()
            t0 = time.perf_counter()
            report = build([tmp / "corpus"], store=store, workers=args.workers)
            warm = time.perf_counter() - t0
            assert len(report.documents) == 1 and len(report.unchanged) == args.docs - 1, report
            edit(corpus[(run * 7 + 3) % len(corpus)], run)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp / "corpus"), "--store", str(store),
                            "--workers", str(args.workers), "--quiet"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            cold = time.perf_counter() - t0
            steps = ", ".join(f"{label} {t:.2f}" for label, t in watch.times.items())
            print(f"run {run + 1}: build() in this process {warm:.2f} s ({steps}); fresh `kg build` process {cold:.2f} s")


if __name__ == "__main__":
    main()
