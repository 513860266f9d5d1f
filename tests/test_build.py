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

    from kg import iris
    from kg.export import dump_quads, union_triples

    def ground(quads):
        # The ontology's blank nodes (OWL lists) come back relabelled.
        return {q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}

    stored = list(open_read_only(corpus_store))
    out = tmp_path / "dump.nq"
    assert main(["export", "--store", str(corpus_store), "--format", "nq", "--out", str(out)]) == 0
    dumped = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    data = [q for q in dumped if q.graph_name != ox.NamedNode(iris.VOID_GRAPH)]
    assert len(data) == len(stored) and ground(data) == ground(stored)
    assert len(data) < len(dumped), "the dump carries no dataset description"
    # Turtle and JSON-LD hold the union graph; read them back with an independent parser.
    expected = len(union_triples(dump_quads(open_read_only(corpus_store))))
    for fmt, rdflib_fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
        out = tmp_path / f"dump.{fmt}"
        assert main(["export", "--store", str(corpus_store), "--format", fmt, "--out", str(out)]) == 0
        graph = rdflib.Graph().parse(out, format=rdflib_fmt)
        assert len(graph) == expected


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


NOT_PLANS = {
    "page.html": ("<!DOCTYPE html>\n<html><body><p>关于印发行动方案的通知</p></body></html>".encode(), "looks like an HTML/XML page"),
    "scan.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "looks like a PDF"),
    "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "looks like a PNG image"),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "looks like a JPEG image"),
    "plan.docx": (b"PK\x03\x04\x14\x00\x06\x00" + bytes(64), "looks like a ZIP archive"),
    "empty.txt": (b"", "empty file"),
    "blank.txt": ("  \r\n\u3000\n".encode(), "empty file"),
    "readme.txt": (b"just some notes, in English\n", "no Chinese text"),
    "junk/noise.bin": (bytes(range(256)) * 12, "binary data"),
    "junk/news.txt": ("今天天气很好，我们去公园散步。公园里有很多人在跳舞，小朋友在放风筝。\n".encode(), "not a plan"),
}


def test_files_that_are_not_plans_are_named_with_what_they_are_and_skipped(tmp_path, capsys):
    docs = tmp_path / "docs"
    for name, (data, _) in NOT_PLANS.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(data)
    plan = sorted(Path(DOCUMENTS).glob("*.txt"))[0]
    shutil.copyfile(plan, docs / plan.name)
    store = tmp_path / "store"
    assert main(["build", str(docs), "--store", str(store), "--quiet", "--workers", "2"]) == 2
    out = capsys.readouterr()
    errors = [line for line in out.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(NOT_PLANS), out.err
    for name, (_, reason) in NOT_PLANS.items():
        assert any(str(docs / name) in line and reason in line for line in errors), (name, reason, out.err)
    assert "Traceback" not in out.err
    assert f"built 1 documents into {store}; {len(NOT_PLANS)} failed" in out.out
    assert _count(store) == 1


def test_build_links_a_document_cited_by_title_to_its_doc_number(corpus_store):
    # 000 cites 《全民科学素质行动计划纲要实施方案（2016-2020年）》 by title only; 001 cites the
    # notice that issued it with 国办发〔2016〕10号. The build's corpus pass makes them one node.
    query = """SELECT ?id WHERE {
      ?p pk:sourceFile "000_bbd3759adfb93dbe.txt" ; pk:implements ?doc .
      ?doc owl:sameAs|^owl:sameAs ?other . ?other dcterms:identifier ?id }"""
    ids = {r["id"].value for r in execute(open_read_only(corpus_store), query)}
    assert "国办发〔2016〕10号" in ids
