"""Where the per-document stage runs: this machine's cores, or a Dask distributed cluster.

``kg build`` only needs one thing from an executor: map documents to results
(``kg.pipeline.DocumentResult`` or ``DocumentError``), yielding each as it finishes, in
any order. The results come back to the building process, which spools them and loads
them with Oxigraph's bulk loader, so the store never has to be reachable from the workers.

- ``LocalExecutor(workers=1)`` parses in this process; ``workers > 1`` uses a process pool.
- ``DaskExecutor(scheduler=ADDRESS)`` submits to a running Dask scheduler
  (``dask scheduler`` plus ``dask worker ADDRESS`` on each machine, in an environment where
  ``kg`` is installed); with no address it starts a ``LocalCluster`` of ``workers``
  processes. The documents' bytes are sent with the tasks, so workers need no shared
  filesystem.

Both keep a bounded number of documents in flight, so memory stays flat however many
documents there are.

>>> from kg.paths import DOCUMENTS_DIR
>>> with open_executor("local") as ex:
...     results = list(ex.map_documents(sorted(DOCUMENTS_DIR.glob("*.txt"))[:1]))
>>> [(path.name, type(result).__name__) for path, result in results]
[('000_bbd3759adfb93dbe.txt', 'DocumentResult')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from .errors import DocumentError, KgError
from .pipeline import DocumentResult, process_bytes_or_error, process_or_error

EXECUTORS = ("local", "dask")
IN_FLIGHT_PER_WORKER = 4  # enough to keep a worker busy between two results, few enough to bound memory

Outcome = tuple[Path, DocumentResult | DocumentError]


class Executor(Protocol):
    def map_documents(self, paths: Sequence[Path]) -> Iterator[Outcome]:
        """Run the per-document stage on each path; yield ``(path, result)`` as each finishes."""
        ...


class LocalExecutor:
    """This machine: in-process for one worker (no start-up cost), else a process pool."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def map_documents(self, paths: Sequence[Path]) -> Iterator[Outcome]:
        if self.workers == 1 or len(paths) <= 1:
            for path in paths:
                yield path, process_or_error(path)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(paths))) as pool:
            yield from _windowed(paths, lambda path: pool.submit(process_or_error, path), self.workers)


class DaskExecutor:
    """A Dask distributed cluster, through a ``distributed.Client``."""

    def __init__(self, client) -> None:  # noqa: ANN001 - distributed is an optional dependency
        self.client = client

    def map_documents(self, paths: Sequence[Path]) -> Iterator[Outcome]:
        from distributed import as_completed

        limit = IN_FLIGHT_PER_WORKER * max(1, len(self.client.scheduler_info().get("workers", {})))
        todo = iter(paths)
        running = as_completed()
        path_of = {}

        def submit_next() -> Iterator[Outcome]:
            for path in todo:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    yield path, DocumentError(str(path), f"cannot read ({exc.strerror or exc})")
                    continue
                future = self.client.submit(process_bytes_or_error, path.name, data, str(path), pure=False)
                path_of[future.key] = path
                running.add(future)
                return

        for _ in range(limit):
            yield from submit_next()
        for future in running:
            yield path_of.pop(future.key), future.result()
            future.release()
            yield from submit_next()


def _windowed(paths: Sequence[Path], submit: Callable[[Path], Future], workers: int) -> Iterator[Outcome]:
    """Keep at most ``IN_FLIGHT_PER_WORKER * workers`` documents submitted; yield as they finish."""
    todo = iter(paths)
    pending: dict[Future, Path] = {}
    for path in todo:
        pending[submit(path)] = path
        if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
            break
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            yield pending.pop(future), future.result()
            nxt = next(todo, None)
            if nxt is not None:
                pending[submit(nxt)] = nxt


@contextmanager
def open_executor(name: str = "local", *, workers: int = 1, scheduler: str | None = None) -> Iterator[Executor]:
    """The executor called ``name`` ("local" or "dask"), closed on exit.

    Raises ``KgError`` for an unknown name, a ``--scheduler`` given without Dask, Dask not
    installed, or a scheduler that cannot be reached.
    """
    if name not in EXECUTORS:
        raise KgError(f"unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}")
    if name == "local":
        if scheduler:
            raise KgError("--scheduler is only used with --executor dask")
        yield LocalExecutor(workers)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise KgError("--executor dask needs Dask distributed: pip install 'policykg[dask]'") from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise KgError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        with client:
            yield DaskExecutor(client)
        return
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield DaskExecutor(client)
