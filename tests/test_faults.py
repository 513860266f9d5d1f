"""Faults: a build killed at any moment leaves the previous store serving, and the next
build succeeds; readers during rebuilds see a whole graph, old or new."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.query import execute
from kg.store import open_read_only, versions_dir

ROOT = Path(__file__).resolve().parent.parent
TRIPLES_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _graph_sizes(store: Path) -> dict[str, int]:
    return {s["g"].value: int(s["n"].value) for s in execute(open_read_only(store), TRIPLES_PER_GRAPH)}


@pytest.fixture()
def big_corpus(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(8):
        for seed in sorted((ROOT / "documents").glob("*.txt")):
            shutil.copyfile(seed, docs / f"{i:02d}_{seed.name}")
    return docs


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.5])
def test_build_killed_at_any_moment_leaves_previous_store(tmp_path, big_corpus, delay):
    store = tmp_path / "store"
    build([ROOT / "documents"], store=store)
    before = _graph_sizes(store)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(big_corpus), "--store", str(store), "--full", "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = _graph_sizes(store)
    # Either the kill came first (old graph) or the build had finished (whole new graph).
    assert after == before or len(after) == 8 * 5 + 1
    report = build([ROOT / "documents"], store=store, incremental=False)
    assert report.ok and _graph_sizes(store) == before
    leftovers = [p for p in versions_dir(store).iterdir() if p.suffix == ".nq"]
    assert leftovers == []


def test_readers_during_rebuilds_see_whole_graphs(tmp_path):
    store = tmp_path / "store"
    build([ROOT / "documents"], store=store)
    expected = _graph_sizes(store)
    seen: list[dict[str, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.append(_graph_sizes(store))
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(20):
            build([ROOT / "documents"], store=store, incremental=False)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert seen and all(sizes == expected for sizes in seen)


@pytest.fixture()
def tiny_disk(tmp_path) -> Path:
    """A 2 MB tmpfs: room for a small store, not for a second, bigger one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 2 MB tmpfs to fill a disk (needs root / CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def _no_leftovers(store: Path) -> list[str]:
    live = store.resolve()
    return [p.name for p in versions_dir(store).iterdir() if p != live]


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_disk_full_is_a_clear_error_and_leaves_the_old_store(tmp_path, tiny_disk, incremental):
    from kg.errors import StoreError

    small = sorted((ROOT / "documents").glob("*.txt"))[0]
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copyfile(small, docs / small.name)
    store = tiny_disk / "store"
    build([docs], store=store)
    before = _graph_sizes(store)
    more = tmp_path / "more"
    more.mkdir()
    for i in range(6):  # 24 more plans: their spool alone is bigger than the disk
        for seed in sorted((ROOT / "documents").glob("*.txt"))[1:]:
            shutil.copyfile(seed, more / f"{i}_{seed.name}")
    with pytest.raises(StoreError, match="no space left on the device; any previous store is untouched"):
        build([docs, more], store=store, incremental=incremental)
    assert _graph_sizes(store) == before
    assert _no_leftovers(store) == []
    assert build([docs], store=store, incremental=False).ok  # the next build that fits succeeds
    assert _graph_sizes(store) == before


def test_read_only_output_folder_is_a_clear_error_and_leaves_the_old_store(tiny_disk):
    from kg.errors import StoreError

    store = tiny_disk / "store"
    build([sorted((ROOT / "documents").glob("*.txt"))[0]], store=store)
    before = _graph_sizes(store)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(StoreError, match="not writable"):
        build([ROOT / "documents"], store=store, incremental=False)
    assert _graph_sizes(store) == before
