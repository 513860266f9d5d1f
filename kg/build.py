"""``kg build``: documents → a new store version → swapped in atomically.

The library function is ``build``; the CLI only parses options and prints its report.

Builds are incremental: each document's named graph records the SHA-256 of the file and a
fingerprint of the code and mapping tables that built it. A document whose file and
fingerprint are unchanged is carried over from the current store (a cheap checkpoint copy)
instead of being parsed again; changed and new documents are parsed; documents no longer in
the inputs are dropped.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .errors import DocumentError, KgError, StoreError
from .iris import CORPUS_GRAPH, PK, VOCABULARY_GRAPH, graph_iri
from .paths import MAPPINGS_DIR, ONTOLOGY_DIR, PROJECT_ROOT
from .executors import open_executor
from .pipeline import DocumentSummary
from .agencies import agency_types
from .links import type_link_quads
from .rdf import vocabulary_quads
from .store import copy_version, current_version, load_version, new_version_dir, swap_in


@dataclass
class BuildReport:
    store: Path
    documents: list[DocumentSummary] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # carried over from the previous store
    failures: list[DocumentError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files inside folders named (not recursing into hidden ones).

    Raises ``KgError`` for a path that does not exist.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise KgError(f"{path}: no such file or folder")
    return files


@lru_cache(maxsize=1)
def build_fingerprint() -> str:
    """A hash of everything besides the document that decides its graph: code, tables, ontology."""
    digest = hashlib.sha256(__version__.encode())
    for folder, pattern in ((PROJECT_ROOT / "kg", "*.py"), (MAPPINGS_DIR, "*"), (ONTOLOGY_DIR, "*.ttl")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _graph_metadata(source: str, content_hash: str) -> bytes:
    graph = graph_iri(source)
    lines = [
        f'<{graph}> <{PK}contentHash> "{content_hash}" <{graph}> .',
        f'<{graph}> <{PK}buildFingerprint> "{build_fingerprint()}" <{graph}> .',
    ]
    return ("\n".join(lines) + "\n").encode()


def _built_graphs(store: Path) -> dict[str, tuple[str, str]]:
    """graph IRI → (content hash, fingerprint) of the documents in the current store."""
    try:
        live = ox.Store.read_only(str(current_version(store)))
    except (StoreError, OSError):
        return {}
    query = f"SELECT ?g ?h ?f WHERE {{ GRAPH ?g {{ ?g <{PK}contentHash> ?h ; <{PK}buildFingerprint> ?f }} }}"
    return {s["g"].value: (s["h"].value, s["f"].value) for s in live.query(query)}


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports it properly


def build(
    paths: Iterable[Path],
    *,
    store: Path,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    incremental: bool = True,
) -> BuildReport:
    """Build every document under ``paths`` into a new store version and swap it in.

    Documents that cannot be read or parsed are reported in ``BuildReport.failures``;
    the others are still built. ``executor`` ("local" or "dask", see ``kg.executors``)
    says where documents are parsed, on ``workers`` processes or on the Dask scheduler
    at ``scheduler``. Raises ``StoreError`` if the store cannot be written, in which case
    the previous store is left as it was, and ``KgError`` for an unusable executor.
    """
    store = Path(store)
    files = collect_inputs(paths)
    report = BuildReport(store=store)
    by_graph: dict[str, Path] = {}
    for path in files:
        graph = graph_iri(path.name)
        if graph in by_graph:
            report.failures.append(DocumentError(str(path), f"same file name as {by_graph[graph]}; plans are keyed by file name"))
        else:
            by_graph[graph] = path

    built = _built_graphs(store) if incremental else {}
    fingerprint = build_fingerprint()
    keep = {g for g, path in by_graph.items() if built.get(g) == (_file_hash(path), fingerprint)}
    todo = [path for g, path in by_graph.items() if g not in keep]
    report.unchanged = sorted(by_graph[g].name for g in keep)
    if keep:
        version = copy_version(store, drop_graphs=[g for g in built if g not in keep] + [VOCABULARY_GRAPH, CORPUS_GRAPH])
    else:
        version = new_version_dir(store)

    def chunks() -> Iterator[bytes]:
        yield ox.serialize(vocabulary_quads() + type_link_quads(agency_types()), format=ox.RdfFormat.N_QUADS)
        with open_executor(executor, workers=workers, scheduler=scheduler) as runner:
            for done, (path, result) in enumerate(runner.map_documents(todo), start=1):
                if isinstance(result, DocumentError):
                    report.failures.append(result)
                else:
                    report.documents.append(result.summary)
                    yield result.nquads + _graph_metadata(path.name, result.content_hash)
                if progress:
                    progress(done, len(todo), path)

    try:
        load_version(version, chunks())
        _link_across_documents(version)
        # Documents finish in any order; report them in input order.
        order = {path.name: i for i, path in enumerate(todo)}
        report.documents.sort(key=lambda doc: order.get(doc.source, len(order)))
        report.failures.sort(key=lambda err: str(err.path))
    except BaseException:
        # Interrupted or failed: the previous store stays live; drop the partial version.
        shutil.rmtree(version, ignore_errors=True)
        raise
    swap_in(store, version)
    return report


def _link_across_documents(version: Path) -> None:
    """Passes that need every document loaded (``kg.corpus``, in their own graph): the regions
    plans refer to, described once; citations of one document by title in one plan and by 文号
    in another become one node."""
    from .corpus import add_corpus_graph

    try:
        store = ox.Store(str(version))
        add_corpus_graph(store)
        store.flush()
        del store
    except OSError as exc:
        raise StoreError(f"{version}: linking documents failed ({exc})") from exc


def print_progress(done: int, total: int, path: Path) -> None:
    """A one-line progress bar on stderr."""
    width = 30
    filled = int(width * done / max(1, total))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {path.name[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
