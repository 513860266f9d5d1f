"""The on-disk store: built into a fresh directory, swapped in atomically.

``var/store`` (or whatever ``--store`` names) is a *symlink* to a versioned directory
``var/store.versions/<id>``. A build writes a new version and then replaces the symlink
with ``os.replace`` (atomic on POSIX), so a reader resolves either the old graph or the
new one, never a half-written one. Old versions are pruned, keeping the newest few so a
server that still has one open can finish its queries.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError

KEEP_VERSIONS = 3


def _write_failed(what: str, where: Path, exc: BaseException) -> StoreError:
    """``StoreError("<where>: <what>: <cause>")``, naming a full or read-only disk plainly.

    RocksDB reports those as an ``OSError`` whose text buries the cause
    ("IO error: … No space left on device: While appending to file: …").
    """
    text, code = str(exc), getattr(exc, "errno", None)
    if code == errno.ENOSPC or "No space left on device" in text:
        cause = ("no space left on the device; any previous store is untouched and still served. "
                 "Free some space, or build with --store on another disk")
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "Read-only file system" in text:
        cause = ("the folder is not writable (read-only or no permission); any previous store is untouched. "
                 "Build with --store in a writable folder")
    else:
        cause = getattr(exc, "strerror", None) or text
    return StoreError(f"{where}: {what}: {cause}")


def versions_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".versions")


def current_version(store_path: Path) -> Path:
    """The directory the store symlink points at.

    Raises ``StoreError`` when there is no built store at ``store_path``.
    """
    store_path = Path(store_path)
    if store_path.is_symlink() or store_path.is_dir():
        target = store_path.resolve()
        if target.is_dir():
            return target
    raise StoreError(f"{store_path}: no store here; run `kg build --store {store_path}` first")


def open_read_only(store_path: Path) -> ox.Store:
    """Open the current version of the store for reading."""
    target = current_version(store_path)
    try:
        return ox.Store.read_only(str(target))
    except OSError as exc:
        raise StoreError(f"{store_path}: cannot open store ({exc})") from exc


def new_version_dir(store_path: Path) -> Path:
    """Make an empty directory for the next version, next to the store."""
    store_path = Path(store_path)
    vdir = versions_dir(store_path)
    try:
        vdir.mkdir(parents=True, exist_ok=True)
        path = vdir / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        path.mkdir()
    except OSError as exc:
        raise _write_failed("cannot create a new store version", vdir, exc) from exc
    return path


def copy_version(store_path: Path, drop_graphs: Iterable[str]) -> Path:
    """A new version that starts as a copy of the current one without ``drop_graphs``.

    Oxigraph's backup is a RocksDB checkpoint (hard links), so this costs milliseconds
    whatever the store's size; the served version is only read.
    """
    live = current_version(store_path)
    path = new_version_dir(store_path)
    path.rmdir()  # backup wants to create the directory itself
    try:
        ox.Store.read_only(str(live)).backup(str(path))
        store = ox.Store(str(path))
        for graph in drop_graphs:
            store.remove_graph(ox.NamedNode(graph))
        store.flush()
        del store
    except OSError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise _write_failed("cannot copy the current store", path, exc) from exc
    return path


# About a million quads. Oxigraph's bulk loader holds memory in proportion to what one call
# loads (1.9 GB for 9.7 M quads in one call), so a build loads in batches of this size: memory
# stays flat however many documents there are, and each batch is loaded while the next one is
# parsed. Loading 10 M quads in batches of this size costs about as much CPU as one call.
LOAD_BATCH_BYTES = 256 * 2**20


def load_version(path: Path, nquads_chunks: Iterable[bytes], *, batch_bytes: int | None = None) -> None:
    """Bulk-load N-Quads into a new version directory and close it.

    The chunks are spooled to a file next to ``path`` and bulk-loaded (much faster than one
    insert per document) every ``batch_bytes`` (default ``LOAD_BATCH_BYTES``), by a background
    thread while the next batch is spooled; so loading overlaps with producing the chunks, and
    memory stays bounded. Raises ``StoreError`` and removes ``path`` when loading fails.
    """
    batch_bytes = batch_bytes or LOAD_BATCH_BYTES
    spools = (_spool(path, 0), _spool(path, 1))  # one being written while the other loads
    store: ox.Store | None = None
    try:
        store = ox.Store(str(path))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-bulk-load") as loader:
            loading: Future[None] | None = None
            turn, size = 0, 0
            fh = open(spools[turn], "wb")
            try:
                for chunk in nquads_chunks:
                    fh.write(chunk)
                    size += len(chunk)
                    if size >= batch_bytes:
                        fh.close()
                        if loading is not None:
                            loading.result()  # the other spool is free again
                        loading = loader.submit(_bulk_load, store, spools[turn])
                        turn, size = 1 - turn, 0
                        fh = open(spools[turn], "wb")
            finally:
                fh.close()
                if loading is not None:
                    loading.result()  # on any error too: nothing may write to the store below
            if size:
                _bulk_load(store, spools[turn])
        store.flush()
        store = None  # closes the store
    except (OSError, SyntaxError, ValueError) as exc:
        store = None
        shutil.rmtree(path, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_failed("loading the new store failed", path, exc) from exc
        raise StoreError(f"{path}: loading the new store failed ({exc})") from exc
    except BaseException:
        store = None
        raise
    finally:
        for spool in spools:
            spool.unlink(missing_ok=True)


def _spool(version: Path, turn: int) -> Path:
    return version.with_name(f"{version.name}.nq" if turn == 0 else f"{version.name}.{turn}.nq")


def _bulk_load(store: ox.Store, spool: Path) -> None:
    store.bulk_load(path=str(spool), format=ox.RdfFormat.N_QUADS)
    spool.unlink()


def replace_store(store_path: Path, nquads_chunks: Iterable[bytes]) -> Path:
    """Make ``store_path`` hold exactly these N-Quads: a new version, bulk-loaded, swapped in.

    Returns the new version's directory. ``kg build`` does the same in steps, to carry
    unchanged documents over; this is for stores made from quads at hand (tests, benchmarks).
    """
    version = new_version_dir(store_path)
    load_version(version, nquads_chunks)
    swap_in(store_path, version)
    return version


def swap_in(store_path: Path, version: Path) -> None:
    """Point ``store_path`` at ``version`` atomically, then prune old versions."""
    store_path = Path(store_path)
    if store_path.exists() and not store_path.is_symlink():
        # A real directory from elsewhere: move it aside rather than lose it.
        aside = versions_dir(store_path) / f"adopted-{time.strftime('%Y%m%dT%H%M%S')}"
        store_path.rename(aside)
    tmp_link = store_path.with_name(f".{store_path.name}.{os.getpid()}.link")
    try:
        if tmp_link.is_symlink():
            tmp_link.unlink()
        rel = os.path.relpath(version, store_path.parent)
        os.symlink(rel, tmp_link)
        os.replace(tmp_link, store_path)
    except OSError as exc:
        raise _write_failed("cannot swap in the new store", store_path, exc) from exc
    prune(store_path)


def prune(store_path: Path, keep: int = KEEP_VERSIONS) -> None:
    vdir = versions_dir(store_path)
    if not vdir.is_dir():
        return
    live = current_version(store_path)
    old = sorted((p for p in vdir.iterdir() if p.is_dir() and p != live), key=lambda p: p.stat().st_mtime)
    for path in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(path, ignore_errors=True)
    # Spool files (<version>.nq, <version>.1.nq) of builds that were killed before they could clean up.
    for spool in vdir.glob("*.nq"):
        version = vdir / spool.name.split(".", 1)[0]
        if not version.is_dir() or version in old:
            spool.unlink(missing_ok=True)
