"""The SPARQL endpoint with real clients (SPARQLWrapper, rdflib's SPARQLStore, raw HTTP)
against a real server on a free port, over a store built from hand-written N-Quads."""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.server import make_app, running
from kg.store import replace_store

PK = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"
G1, G2 = ID + "graph/doc1", ID + "graph/doc2"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _quad(s: str, p: str, o: str, g: str) -> str:
    return f"<{s}> <{p}> {o} <{g}> .\n"


def _corpus(extra_label: str = "") -> bytes:
    lines = [
        _quad(ID + "plan/1", TYPE, f"<{PK}Plan>", G1),
        _quad(ID + "plan/2", TYPE, f"<{PK}Plan>", G2),
        _quad(ID + "plan/1", PK + "hasAction", f"<{ID}action/1>", G1),
        _quad(ID + "action/1", TYPE, f"<{PK}Action>", G1),
        _quad(ID + "action/1", PK + "leadAgency", f"<{ID}agency/jyj>", G1),
        _quad(ID + "agency/jyj", TYPE, f"<{PK}Agency>", G1),
        _quad(ID + "agency/jyj", RDFS_LABEL, '"市教育局"@zh', G1),
        _quad(ID + "agency/kx", TYPE, f"<{PK}Agency>", G2),
        _quad(ID + "agency/kx", RDFS_LABEL, '"市科协 <b>&"@zh', G2),
        _quad(ID + "plan/1", PK + "sourceFile", '"a.txt"', G1),
        _quad(ID + "plan/2", PK + "sourceFile", '"b.txt"', G2),
        _quad(ID + "plan/2", PK + "issuedBy", f"<{ID}agency/kx>", G2),
        # A cited document and an agency no plan names: not counted on the landing page.
        _quad(ID + "document/cited", TYPE, f"<{PK}Plan>", G1),
        _quad(ID + "agency/national", TYPE, f"<{PK}Agency>", G1),
    ]
    if extra_label:
        lines.append(_quad(ID + "agency/new", RDFS_LABEL, f'"{extra_label}"@zh', G2))
    # Filler so a 4-way cross join runs for minutes.
    lines += [_quad(f"{ID}filler/{i}", PK + "ordinal", f'"{i}"', G2) for i in range(400)]
    return "".join(lines).encode()


def build_store(store: Path, data: bytes) -> None:
    replace_store(store, [data])


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    build_store(path, _corpus())
    return path


@pytest.fixture(scope="module")
def base(store) -> Iterator[str]:
    with running(make_app(store, timeout=3, max_rows=1000, max_concurrent=2)) as url:
        yield url


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post_query(base: str, query: str, accept: str = "application/sparql-results+json", **params: str):
    body = urllib.parse.urlencode({"query": query, **params}).encode()
    return fetch(base + "/sparql", data=body, headers={
        "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def labels(base: str) -> set[str]:
    status, _, body = post_query(base, "SELECT ?l WHERE { ?a rdfs:label ?l }")
    assert status == 200, body
    return {b["l"]["value"] for b in json.loads(body)["results"]["bindings"]}


AGENCIES = "SELECT ?name WHERE { ?a a pk:Agency ; rdfs:label ?name } ORDER BY ?name"


# --- real clients --------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_over_the_union_of_document_graphs(base, method):
    client = SPARQLWrapper(base + "/sparql")
    client.setMethod(method)
    client.setQuery(AGENCIES)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["市教育局", "市科协 <b>&"]


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_other_result_formats(base, fmt):
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(AGENCIES)
    client.setReturnFormat(fmt)
    result = client.query()
    converted = result.convert()
    text = converted.toxml() if fmt == XML else converted.decode()
    assert "市教育局" in text and "市科协" in text


def test_sparqlwrapper_ask_and_construct(base):
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery("ASK { ?p a pk:Plan }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?a rdfs:label ?n } WHERE { ?a a pk:Agency ; rdfs:label ?n }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(graph) == 2


def test_rdflib_sparqlstore(base):
    graph = rdflib.Graph(SPARQLStore(base + "/sparql", returnFormat="json"))
    rows = list(graph.query(f"SELECT ?name WHERE {{ ?a a <{PK}Agency> ; <{RDFS_LABEL}> ?name }}"))
    assert {str(r[0]) for r in rows} == {"市教育局", "市科协 <b>&"}


# --- the protocol over raw HTTP -----------------------------------------------------------

@pytest.mark.parametrize("accept, media_type, check", [
    ("application/sparql-results+json", "application/sparql-results+json",
     lambda b: len(json.loads(b)["results"]["bindings"]) == 2),
    ("application/json", "application/sparql-results+json", lambda b: b"bindings" in b),
    ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b.count(b"<result>") == 2),
    ("text/csv", "text/csv", lambda b: list(csv.reader(io.StringIO(b.decode())))[1] == ["市教育局"]),
    ("text/tab-separated-values", "text/tab-separated-values", lambda b: '"市教育局"@zh' in b.decode()),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", lambda b: True),
])
def test_select_content_negotiation(base, accept, media_type, check):
    status, headers, body = post_query(base, AGENCIES, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media_type
    assert check(body)


def test_get_and_sparql_query_body(base):
    url = base + "/sparql?" + urllib.parse.urlencode({"query": AGENCIES})
    status, _, body = fetch(url, headers={"Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines()[1:] == ["市教育局", "市科协 <b>&"]
    status, _, body = fetch(base + "/sparql", data=AGENCIES.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and "市教育局" in body.decode()


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json",
                                    "application/rdf+xml"])
def test_construct_formats(base, accept):
    query = "CONSTRUCT { ?a rdfs:label ?n } WHERE { ?a a pk:Agency ; rdfs:label ?n }"
    status, headers, body = post_query(base, query, accept)
    assert status == 200 and headers["content-type"].split(";")[0] == accept
    triples = list(ox.parse(body, format=ox.RdfFormat.from_media_type(accept)))
    assert {t.object.value for t in triples} == {"市教育局", "市科协 <b>&"}


def test_format_parameter_for_download_links(base):
    url = base + "/sparql?" + urllib.parse.urlencode({"query": AGENCIES, "format": "csv"})
    status, headers, body = fetch(url, headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert "attachment" in headers["content-disposition"]
    status, _, body = fetch(base + "/sparql?" + urllib.parse.urlencode({"query": AGENCIES, "format": "nope"}))
    assert status == 400 and b"unknown format" in body


def test_406_for_an_accept_it_cannot_serve(base):
    status, _, body = post_query(base, AGENCIES, "image/png")
    assert status == 406 and b"text/csv" in body
    status, _, _ = post_query(base, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")
    assert status == 406


def test_400_with_a_message_for_a_bad_query(base):
    status, headers, body = post_query(base, "SELEC ?x WHERE { ?x ?y ?z }")
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert b"bad SPARQL query" in body
    status, _, body = fetch(base + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert status == 400 and b"exactly one" in body
    status, _, _ = fetch(base + "/sparql", data=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    status, _, _ = fetch(base + "/sparql", data=b"x", headers={"Content-Type": "image/png"})
    assert status == 415


def test_dataset_parameters_and_from(base):
    def names(**params: str) -> set[str]:
        status, _, body = post_query(base, "SELECT ?n WHERE { ?a rdfs:label ?n }", **params)
        assert status == 200, body
        return {b["n"]["value"] for b in json.loads(body)["results"]["bindings"]}

    assert names() == {"市教育局", "市科协 <b>&"}
    assert names(**{"default-graph-uri": G1}) == {"市教育局"}
    assert names(**{"named-graph-uri": G2}) == set()  # named graphs only: the default graph is empty
    status, _, body = post_query(base, "SELECT ?n WHERE { GRAPH ?g { ?a rdfs:label ?n } }",
                                 **{"named-graph-uri": G2})
    assert {b["n"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"市科协 <b>&"}
    status, _, body = post_query(base, f"SELECT ?n FROM <{G2}> WHERE {{ ?a rdfs:label ?n }}")
    assert {b["n"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"市科协 <b>&"}


def test_updates_and_graph_store_writes_are_refused(base):
    before = labels(base)
    insert = f'INSERT DATA {{ GRAPH <{G1}> {{ <{ID}x> rdfs:label "injected" }} }}'
    attempts = [
        fetch(base + "/sparql", data=urllib.parse.urlencode({"update": insert}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        fetch(base + "/sparql", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
        post_query(base, "PREFIX ex: <http://x/> " + insert),
        post_query(base, f"DROP GRAPH <{G1}>"),
        fetch(base + "/store?default", data=b"<http://x/a> <http://x/b> <http://x/c> .",
             headers={"Content-Type": "application/n-triples"}, method="PUT"),
        fetch(base + f"/store?graph={urllib.parse.quote(G1)}", method="DELETE"),
        fetch(base + "/store?default", data=b"<http://x/a> <http://x/b> <http://x/c> .",
             headers={"Content-Type": "application/n-triples"}),
        fetch(base + "/sparql", data=b"x", method="PUT"),
    ]
    assert [status for status, _, _ in attempts] == [403] * len(attempts)
    assert all(b"read-only" in body for _, _, body in attempts)
    assert labels(base) == before


def test_graph_store_reads(base):
    status, headers, body = fetch(base + f"/store?graph={urllib.parse.quote(G1)}", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert "市教育局" in body.decode() and "市科协" not in body.decode()


def test_service_description_and_ui_by_accept(base):
    status, headers, body = fetch(base + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(base + "/sparql"), rdflib.RDF.type, sd.Service) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    status, _, body = fetch(base + "/sparql", headers={"Accept": "*/*"})
    assert status == 200 and b"sd:Service" in body
    status, headers, body = fetch(base + "/sparql", headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    assert status == 200 and headers["content-type"].startswith("text/html") and b"yasgui" in body
    status, _, _ = fetch(base + "/sparql", headers={"Accept": "image/png"})
    assert status == 406


def test_service_is_refused_unless_allowed(store, base):
    query = f"SELECT ?n WHERE {{ SERVICE <{base}/sparql> {{ ?a rdfs:label ?n }} }}"
    status, _, body = post_query(base, query)
    assert status == 403 and b"--allow-service" in body
    status, _, _ = post_query(base, 'SELECT ?service WHERE { ?service rdfs:label "SERVICE" }')
    assert status == 200
    with running(make_app(store, allow_service=True, max_concurrent=2)) as federating:
        query = f"SELECT ?n WHERE {{ SERVICE <{base}/sparql> {{ ?a rdfs:label ?n }} }}"
        status, _, body = post_query(federating, query)
        assert status == 200, body
        assert {b["n"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"市教育局", "市科协 <b>&"}


def test_cors_is_opt_in(store, base):
    headers = {"Origin": "http://elsewhere.example", "Accept": "application/json"}
    url = base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    _, plain, _ = fetch(url, headers=headers)
    assert "access-control-allow-origin" not in {k.lower() for k in plain}
    with running(make_app(store, cors=True, max_concurrent=1)) as cors_base:
        _, allowed, _ = fetch(url.replace(base, cors_base), headers=headers)
        assert allowed.get("access-control-allow-origin") == "*"


# --- limits -------------------------------------------------------------------------------

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_runaway_query_times_out_while_a_quick_one_answers(base):
    # ~410^4 = 28 billion solutions: minutes of work without the limit (3 s here).
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["slow"] = post_query(base, CROSS_JOIN)
        outcome["slow_seconds"] = time.monotonic() - started
        outcome["slow_done"] = time.monotonic()

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)  # let the slow query take its worker
    status, _, body = post_query(base, AGENCIES)
    quick_done = time.monotonic()
    thread.join(60)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
    slow_status, _, slow_body = outcome["slow"]  # type: ignore[misc]
    assert slow_status == 504 and b"3 s limit" in slow_body
    assert outcome["slow_seconds"] < 3 + 10  # the limit, bound generously
    assert quick_done < outcome["slow_done"]  # the quick one did not wait for the slow one
    assert labels(base)  # the pool replaced the killed worker


def test_under_load_the_longest_query_gives_way_to_a_waiting_one(store):
    # One worker, busy with a runaway query: a quick query that has to wait makes the server
    # stop the runaway one (it has run past a second) instead of queueing behind it.
    with running(make_app(store, timeout=20, max_concurrent=1)) as url:
        outcome: dict[str, object] = {}
        thread = threading.Thread(target=lambda: outcome.update(slow=post_query(url, CROSS_JOIN)))
        thread.start()
        time.sleep(3)  # past the second after which a query may be stopped for others
        started = time.monotonic()
        status, _, body = post_query(url, AGENCIES)
        waited = time.monotonic() - started
        thread.join(60)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
        assert waited < 15  # not the rest of the 20 s timeout, bound generously
        slow_status, headers, slow_body = outcome["slow"]  # type: ignore[misc]
        assert slow_status == 503 and "retry-after" in {k.lower() for k in headers} and b"busy" in slow_body


def test_a_failure_after_streaming_started_is_not_a_short_valid_result(base):
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    big = urllib.parse.urlencode({"query": query}).encode()
    for accept in ("text/csv", "application/sparql-results+json"):
        request = urllib.request.Request(base + "/sparql", data=big, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200  # streaming had started: the status was already sent
            with pytest.raises(http.client.IncompleteRead):
                response.read()


def test_row_cap(base):
    pairs = "SELECT ?o ?p WHERE { ?s pk:ordinal ?o . ?t pk:ordinal ?p }"
    status, _, body = post_query(base, pairs + " LIMIT 1000", "text/csv")
    assert status == 200 and len(body.decode().splitlines()) == 1001
    for accept in ("text/csv", "application/sparql-results+json", "application/sparql-results+xml",
                   "text/tab-separated-values"):
        status, _, body = post_query(base, pairs + " LIMIT 1001", accept)
        assert status == 422 and b"more than 1000 rows" in body


def test_a_rebuild_is_served_without_restart(tmp_path):
    store = tmp_path / "store"
    build_store(store, _corpus())
    with running(make_app(store, max_concurrent=1)) as url:
        assert "新部门" not in labels(url)
        build_store(store, _corpus(extra_label="新部门"))
        assert "新部门" in labels(url)


def test_unbuilt_store_is_a_clear_error(tmp_path):
    with running(make_app(tmp_path / "nothing", max_concurrent=1)) as url:
        status, _, body = post_query(url, "ASK {}")
        assert status == 503 and b"kg build" in body
        status, _, body = fetch(url + "/")
        assert status == 200 and b"kg build" in body


# --- pages --------------------------------------------------------------------------------

def test_landing_page_counts_and_links(base):
    status, _, body = fetch(base + "/")
    page = body.decode()
    assert status == 200
    assert 'id="count-plan"><span class="n">2<' in page
    assert 'id="count-agency"><span class="n">2<' in page
    for link in ('href="/sparql"', 'href="/ontology"', 'href="/dumps/policykg.nq"'):
        assert link in page


def test_ontology_and_terms(base):
    status, headers, body = fetch(base + "/ontology", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    rdflib.Graph().parse(data=body, format="turtle")
    terms = json.loads(fetch(base + "/ontology/terms.json")[2])
    assert PK + "Agency" in terms["classes"] and PK + "leadAgency" in terms["properties"]


def test_dump_is_the_whole_dataset(base):
    status, headers, body = fetch(base + "/dumps/policykg.nq")
    assert status == 200 and "attachment" in headers["content-disposition"]
    dataset = ox.Dataset(ox.parse(body, format=ox.RdfFormat.N_QUADS))
    assert len(dataset) == len(_corpus().splitlines())


def test_query_ui_escapes_the_query_it_is_given(base):
    evil = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    url = base + "/sparql?" + urllib.parse.urlencode({"query": evil})
    status, headers, body = fetch(url, headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"<script>alert(1)" not in body and b"alert(1)" in body
