"""``kg build`` end to end on the bundled corpus, with bad files mixed in."""

from __future__ import annotations

import json
import shutil

import pytest
import rdflib
from pathlib import Path

from kg.cli import main
from kg.query import execute
from kg.store import open_read_only

DOCUMENTS = str(Path(__file__).resolve().parent.parent / "documents")
PLANS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pk:Plan ; pk:sourceFile ?f }"


def _count(store, query=PLANS) -> int:
    return int(next(iter(execute(open_read_only(store), query)))["n"].value)


def test_bad_files_are_named_and_the_rest_still_builds(tmp_path, capsys):
    docs = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, docs)
    (docs / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (docs / "empty.txt").write_bytes(b"")
    store = tmp_path / "store"
    assert main(["build", str(docs), "--store", str(store), "--quiet"]) == 2
    out = capsys.readouterr()
    assert "scan.txt" in out.err and "empty.txt" in out.err
    assert "Traceback" not in out.err
    assert _count(store) == 5


def test_rebuild_with_a_failure_keeps_serving_the_good_documents(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["build", DOCUMENTS, "--store", str(store), "--quiet"]) == 0
    first = _count(store)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert main(["build", DOCUMENTS, str(bad), "--store", str(store), "--quiet"]) == 2
    assert _count(store) == first == 5


def test_summary_lists_each_document(capsys, tmp_path):
    assert main(["build", DOCUMENTS, "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    for doc in sorted(p.name for p in Path(DOCUMENTS).glob("*.txt")):
        assert doc in out
    assert "responsibilities" in out and "targets" in out


def test_query_formats(corpus_store, capsys):
    assert main(["query", PLANS, "--store", str(corpus_store), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": "5"}]
    assert main(["query", PLANS, "--store", str(corpus_store), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "5"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_export_dumps_parse_back(corpus_store, tmp_path):
    import pyoxigraph as ox

    quads = set(open_read_only(corpus_store))
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    out = tmp_path / "dump.nq"
    assert main(["export", "--store", str(corpus_store), "--format", "nq", "--out", str(out)]) == 0
    assert set(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)) == quads
    # Turtle and JSON-LD hold the union graph; read them back with an independent parser.
    for fmt, rdflib_fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
        out = tmp_path / f"dump.{fmt}"
        assert main(["export", "--store", str(corpus_store), "--format", fmt, "--out", str(out)]) == 0
        graph = rdflib.Graph().parse(out, format=rdflib_fmt)
        assert len(graph) == len(triples)


def test_rebuild_parses_only_changed_documents_and_drops_removed_ones(tmp_path):
    from kg.build import build

    docs = tmp_path / "docs"
    shutil.copytree(DOCUMENTS, docs)
    store = tmp_path / "store"
    first = build([docs], store=store)
    assert len(first.documents) == 5 and not first.unchanged

    again = build([docs], store=store)
    assert again.documents == [] and len(again.unchanged) == 5
    assert _count(store) == 5

    changed = sorted(docs.glob("*.txt"))[1]
    changed.write_bytes(changed.read_bytes() + "\n".encode())
    removed = sorted(docs.glob("*.txt"))[0]
    removed.unlink()
    third = build([docs], store=store)
    assert [d.source for d in third.documents] == [changed.name]
    assert len(third.unchanged) == 3
    sources = {r["f"].value for r in execute(open_read_only(store), "SELECT ?f WHERE { ?p a pk:Plan ; pk:sourceFile ?f }")}
    assert removed.name not in sources and changed.name in sources and len(sources) == 4
