"""``kg build``: documents → a new store version → swapped in atomically.

The library function is ``build``; the CLI only parses options and prints its report.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import DocumentError, KgError, StoreError
from .pipeline import DocumentResult, DocumentSummary, process_document
from .rdf import vocabulary_quads
from .store import load_version, new_version_dir, swap_in


@dataclass
class BuildReport:
    store: Path
    documents: list[DocumentSummary] = field(default_factory=list)
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


def _process(path: Path) -> DocumentResult | DocumentError:
    try:
        return process_document(path)
    except DocumentError as exc:
        return exc
    except RecursionError:
        return DocumentError(str(path), "structure nested too deeply to parse")
    except Exception as exc:  # a parser bug must name the file, and the other files still build
        return DocumentError(str(path), f"internal error while parsing: {type(exc).__name__}: {exc}")


def _results(files: list[Path], workers: int) -> Iterator[tuple[Path, DocumentResult | DocumentError]]:
    if workers <= 1 or len(files) <= 1:
        for path in files:
            yield path, _process(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(files, pool.map(_process, files, chunksize=max(1, len(files) // (workers * 8))))


def build(
    paths: Iterable[Path],
    *,
    store: Path,
    workers: int = 1,
    progress: Callable[[int, int, Path], None] | None = None,
) -> BuildReport:
    """Build every document under ``paths`` into a new store version and swap it in.

    Documents that cannot be read or parsed are reported in ``BuildReport.failures``;
    the others are still built. Raises ``StoreError`` if the store cannot be written,
    in which case the previous store is left as it was.
    """
    files = collect_inputs(paths)
    report = BuildReport(store=Path(store))
    version = new_version_dir(Path(store))

    def chunks() -> Iterator[bytes]:
        yield ox.serialize(vocabulary_quads(), format=ox.RdfFormat.N_QUADS)
        for done, (path, result) in enumerate(_results(files, workers), start=1):
            if isinstance(result, DocumentError):
                report.failures.append(result)
            else:
                report.documents.append(result.summary)
                yield result.nquads
            if progress:
                progress(done, len(files), path)

    try:
        load_version(version, chunks())
    except BaseException:
        # Interrupted or failed: the previous store stays live; drop the partial version.
        shutil.rmtree(version, ignore_errors=True)
        raise
    swap_in(Path(store), version)
    return report


def print_progress(done: int, total: int, path: Path) -> None:
    """A one-line progress bar on stderr."""
    width = 30
    filled = int(width * done / max(1, total))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {path.name[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


__all__ = ["BuildReport", "build", "collect_inputs", "print_progress", "StoreError"]
