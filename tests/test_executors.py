"""Executors: the per-document stage on local processes or on a Dask cluster gives the same graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.build import build
from kg.cli import main
from kg.errors import KgError
from kg.executors import LocalExecutor, open_executor
from kg.store import open_read_only

ROOT = Path(__file__).resolve().parent.parent


def _same_graph(store: Path, other: Path) -> bool:
    """Same quads; blank nodes (only in the ontology's OWL axioms) compared up to renaming."""
    ground, blank = _split(store)
    other_ground, other_blank = _split(other)
    return ground == other_ground and isomorphic(blank, other_blank)


def _split(store: Path) -> tuple[set[ox.Quad], rdflib.Graph]:
    ground, blank = set(), rdflib.Graph()
    for q in open_read_only(store):
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            blank.add(tuple(_term(t) for t in (q.subject, q.predicate, q.object)))
        else:
            ground.add(q)
    return ground, blank


def _term(term):
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    return rdflib.Literal(term.value, lang=term.language, datatype=None if term.language else rdflib.URIRef(term.datatype.value))


@pytest.fixture(scope="module")
def docs_with_junk(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    for path in sorted((ROOT / "documents").glob("*.txt")):
        shutil.copyfile(path, docs / path.name)
    (docs / "page.html").write_text("<html><head><title>通知</title></head><body>关于印发</body></html>", encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def local_store(docs_with_junk, tmp_path_factory) -> tuple[Path, list[str]]:
    store = tmp_path_factory.mktemp("local") / "store"
    report = build([docs_with_junk], store=store, workers=1)
    return store, [str(f) for f in report.failures]


def test_process_pool_gives_the_same_graph_as_one_process(docs_with_junk, local_store, tmp_path):
    store = tmp_path / "store"
    report = build([docs_with_junk], store=store, workers=2)
    assert _same_graph(store, local_store[0])
    assert [str(f) for f in report.failures] == local_store[1]
    assert [d.source for d in report.documents] == sorted(p.name for p in (ROOT / "documents").glob("*.txt"))


@pytest.mark.slow
def test_dask_cluster_of_two_worker_processes_gives_the_same_graph(docs_with_junk, local_store, tmp_path, capsys):
    distributed = pytest.importorskip("distributed", reason="Dask distributed is an optional extra: pip install 'policykg[dask]'")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        store = tmp_path / "store"
        status = main(["build", str(docs_with_junk), "--store", str(store), "--quiet", "--full",
                       "--executor", "dask", "--scheduler", cluster.scheduler_address])
        with distributed.Client(cluster) as client:
            ran_on = set(client.run(lambda: True))
    assert len(ran_on) == 2
    out = capsys.readouterr()
    assert status == 2  # the HTML page, named as on the local build
    assert local_store[1] and all(f in out.err for f in local_store[1])
    assert _same_graph(store, local_store[0])


def test_unknown_executor_and_stray_scheduler_are_clear_errors():
    with pytest.raises(KgError, match="unknown executor 'ray'"):
        with open_executor("ray"):
            pass
    with pytest.raises(KgError, match="--scheduler is only used with --executor dask"):
        with open_executor("local", scheduler="tcp://127.0.0.1:8786"):
            pass


def test_local_executor_keeps_a_bounded_number_of_documents_in_flight(tmp_path, monkeypatch):
    import kg.executors as executors

    submitted: list[int] = []
    real = executors.ProcessPoolExecutor

    class CountingPool(real):
        def submit(self, fn, *args, **kwargs):
            submitted.append(len(submitted))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(executors, "ProcessPoolExecutor", CountingPool)
    files = []
    for i in range(30):
        files.append(tmp_path / f"{i:02d}.txt")
        files[-1].write_bytes(b"")
    seen = 0
    in_flight_at_first_result = None
    for path, result in LocalExecutor(workers=2).map_documents(files):
        if in_flight_at_first_result is None:
            in_flight_at_first_result = len(submitted)
        seen += 1
        assert "empty file" in str(result)
    assert seen == 30
    assert in_flight_at_first_result <= executors.IN_FLIGHT_PER_WORKER * 2
