"""Dumps (kg.export, kg.csv_tables, kg.jsonld): CSV tables read back with the csv module and
checked against SPARQL counts; JSON-LD with the published context read back with rdflib;
every RDF dump carries the dataset description."""

from __future__ import annotations

import csv
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import iris
from kg.cli import main
from kg.export import dump_quads, union_triples
from kg.jsonld import CONTEXT_FILE, build_context, to_jsonld
from kg.query import execute
from kg.corpus import with_corpus_quads
from kg.rdf import plan_quads, vocabulary_quads
from kg.store import open_read_only
from kg.csv_tables import SEPARATOR, TABLES
from sample_plans import guangyuan_plan, qujing_plan

RDFLIB_JSONLD = pytest.mark.filterwarnings(  # rdflib's JSON-LD parser uses its own deprecated API
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning", "ignore:Dataset.default_context is deprecated:DeprecationWarning")


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(execute(store, query)))["n"].value)


@pytest.fixture(scope="module")
def tables(corpus_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("csv") / "tables"
    assert main(["export", "--store", str(corpus_store), "--format", "csv", "--out", str(out)]) == 0
    return out


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_five_tables_for_spreadsheets_utf8_with_bom_and_crlf(tables):
    assert sorted(p.name for p in tables.iterdir()) == sorted(TABLES)
    for name, (columns, _query) in TABLES.items():
        raw = (tables / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # Excel reads UTF-8 only with the BOM
        assert raw[3:].split(b"\r\n", 1)[0].decode() == ",".join(columns)


def test_table_rows_match_the_graph(tables, corpus_store):
    store = open_read_only(corpus_store)
    assert len(read(tables / "plans.csv")) == count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pk:sourceFile ?f }")
    units = read(tables / "units.csv")
    assert len(units) == len({u["unit"] for u in units}) == count(
        store, "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?p pk:sourceFile ?f ; pk:hasAction/pk:hasMeasure? ?u }")
    assert len(read(tables / "responsibilities.csv")) == count(store, """SELECT (COUNT(*) AS ?n) WHERE {
        SELECT DISTINCT ?u ?p ?a WHERE { ?u ?p ?a VALUES ?p { pk:leadAgency pk:cooperatingAgency pk:responsibleAgency } } }""")
    targets = read(tables / "targets.csv")
    assert len(targets) == len({t["target"] for t in targets}) == count(store, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a pk:Target }")
    agencies = read(tables / "agencies.csv")
    assert len(agencies) == len({a["agency"] for a in agencies}) == count(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pk:Agency }")


def test_table_cells_hold_the_facts(tables, gold):
    plans = {p["source_file"]: p for p in read(tables / "plans.csv")}
    qujing = plans["002_57a6c5265831e3de.txt"]
    assert (qujing["doc_number"], qujing["region_code"], qujing["start_year"], qujing["end_year"]) == (
        "曲政发〔2022〕21号", "530300", "2021", "2025")
    assert set(qujing["implements"].split(SEPARATOR)) >= {"云政发〔2021〕29号"}
    # multi-line unit texts survive the round trip
    units = read(tables / "units.csv")
    assert any("\n" in u["text"] for u in units)
    leads = {(u["source_file"], u["title"]): u["lead_agencies"].split(SEPARATOR) for u in units if u["lead_agencies"]}
    assert leads
    kexie = [a for a in read(tables / "agencies.csv") if a["name"] == "市科协" and a["region_code"] == "530300"]
    assert len(kexie) == 1 and kexie[0]["type"] == "cast" and kexie[0]["national_counterpart"] == "中国科协"
    dated = [t for t in read(tables / "targets.csv") if t["year"]]
    assert dated and all(t["value"] and t["unit"] and t["comparator"] for t in dated)


# ---- JSON-LD and the published context ------------------------------------------------------


def test_published_context_is_derived_from_the_ontology():
    published = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert published == {"@context": build_context()}, "run kg.jsonld.write_context() after changing the ontology"
    ctx = published["@context"]
    for name in ("Plan", "Action", "Measure", "Agency", "Target", "Region", "leadAgency", "implements", "value"):
        assert name in ctx
    assert ctx["value"]["@type"] == "xsd:decimal" and ctx["leadAgency"]["@type"] == "@id"
    assert ctx["label"] == {"@id": "rdfs:label", "@container": "@language"}


def sample_quads() -> list[ox.Quad]:
    return with_corpus_quads(plan_quads(qujing_plan()) + plan_quads(guangyuan_plan()) + vocabulary_quads())


def as_graph(triples) -> rdflib.Graph:
    return rdflib.Graph().parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES), format="nt")


@RDFLIB_JSONLD
def test_jsonld_with_named_graphs_round_trips_through_rdflib():
    quads = sample_quads()
    doc = to_jsonld(quads)
    dataset = rdflib.Dataset()
    dataset.parse(data=json.dumps(doc, ensure_ascii=False), format="json-ld")
    by_graph: dict[str, list] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    for name, triples in by_graph.items():
        assert isomorphic(dataset.graph(rdflib.URIRef(name)), as_graph(triples)), name
    # terms, not IRIs: the context does its job
    plan = next(n for g in doc["@graph"] for n in g["@graph"] if n["@id"] == "pkid:plan/002_sample")
    assert plan["startYear"] == "2021" and plan["title"] == {"zh": "曲靖市全民科学素质行动实施方案(2021—2025年)"}
    assert "Plan" in plan["@type"] and "LegalResource" in plan["@type"]


@RDFLIB_JSONLD
def test_jsonld_dump_uses_the_published_context_and_holds_the_union(corpus_store, tmp_path):
    out = tmp_path / "kg.jsonld"
    assert main(["export", "--store", str(corpus_store), "--format", "jsonld", "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"] == json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    expected = as_graph(union_triples(dump_quads(open_read_only(corpus_store))))
    assert isomorphic(rdflib.Graph().parse(data=out.read_text(encoding="utf-8"), format="json-ld"), expected)


def test_every_rdf_dump_carries_the_dataset_description(corpus_store, tmp_path):
    out = tmp_path / "kg.nq"
    assert main(["export", "--store", str(corpus_store), "--format", "nq", "--out", str(out)]) == 0
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    data = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name.value != iris.VOID_GRAPH}
    void = [q for q in quads if q.graph_name.value == iris.VOID_GRAPH]
    triples = [q.object.value for q in void if q.subject.value == iris.DATASET and q.predicate.value.endswith("#triples")]
    assert triples == [str(len(data))]
    assert set(quads) - set(void) == set(open_read_only(corpus_store))
    ttl = tmp_path / "kg.ttl"
    assert main(["export", "--store", str(corpus_store), "--format", "ttl", "--out", str(ttl)]) == 0
    graph = rdflib.Graph().parse(ttl, format="turtle")
    assert (rdflib.URIRef(iris.DATASET), rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in graph
