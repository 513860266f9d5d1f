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
from kg.iris import graph_iri
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
    new_documents = {graph_iri(p.name) for p in big_corpus.iterdir()}
    assert after == before or (new_documents <= set(after) and not set(before) & new_documents)
    report = build([ROOT / "documents"], store=store, incremental=False)
    assert report.ok and _graph_sizes(store) == before
    leftovers = [p for p in versions_dir(store).iterdir() if p.suffix == ".nq"]
    assert leftovers == []


def test_server_answering_during_20_rebuilds_never_errs_or_serves_a_partial_graph(tmp_path):
    import json
    import urllib.parse
    import urllib.request

    from kg.server import make_app, running

    store = tmp_path / "store"
    build([ROOT / "documents"], store=store)
    expected = _graph_sizes(store)
    seen: list[dict[str, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def client(base: str) -> None:
        url = base + "/sparql?" + urllib.parse.urlencode({"query": TRIPLES_PER_GRAPH})
        while not stop.is_set():
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    rows = json.load(response)["results"]["bindings"]
                seen.append({r["g"]["value"]: int(r["n"]["value"]) for r in rows})
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)

    with running(make_app(store, max_concurrent=2)) as base:
        thread = threading.Thread(target=client, args=(base,))
        thread.start()
        try:
            for _ in range(20):
                build([ROOT / "documents"], store=store, incremental=False)
        finally:
            stop.set()
            thread.join()
    assert not errors, errors[:3]
    assert len(seen) >= 20 and all(sizes == expected for sizes in seen)
