"""Linked-data routes of ``kg serve`` on the built corpus: dereferenceable IRIs, the dataset
description, the ontology and the dumps, each by content negotiation."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kg import iris
from kg.server import make_app, running

AGENCY = iris.agency_iri("530300", "市科协")


@pytest.fixture(scope="module")
def base(corpus_store) -> Iterator[str]:
    with running(make_app(corpus_store, timeout=5, max_concurrent=2)) as url:
        yield url


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type", ""), exc.read()


def local(base: str, iri: str) -> str:
    # Browsers percent-encode the CJK of an IRI's path; the server maps it back.
    return base + urllib.parse.quote(iri.removeprefix("https://w3id.org/policykg"))


def test_agency_iri_gives_a_page_to_browsers_and_turtle_to_programs(base):
    status, media, body = get(local(base, AGENCY), "text/html")
    assert status == 200 and media.startswith("text/html") and "市科协" in body.decode()
    status, media, body = get(local(base, AGENCY), "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == AGENCY and t.predicate.value == iris.PK + "fullName"
               and t.object.value == "曲靖市科学技术协会" for t in triples)


def test_unknown_iri_is_404(base):
    status, _, _ = get(base + "/id/agency/530300/" + urllib.parse.quote("不存在的部门"), "text/turtle")
    assert status == 404


def test_dataset_description_names_this_endpoint(base):
    status, media, body = get(base + "/.well-known/void", "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    endpoints = {t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"
                 and t.subject.value == iris.ID + "dataset"}
    assert endpoints == {base + "/sparql"}


def test_ontology_is_a_page_or_turtle(base):
    status, media, body = get(base + "/ontology", "text/html")
    assert status == 200 and media.startswith("text/html") and "leadAgency" in body.decode()
    status, media, body = get(base + "/ontology", "text/turtle")
    assert status == 200 and media.startswith("text/turtle") and b"owl:Ontology" in body


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_turtle_and_jsonld_dumps_parse(base):
    import rdflib

    for ext, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
        status, _, body = get(base + f"/dumps/policykg.{ext}")
        assert status == 200
        graph = rdflib.Graph().parse(data=body, format=fmt)
        assert len(graph) > 1000
    assert get(base + "/dumps/policykg.zip")[0] == 404
    context = json.loads(get(base + "/ontology/context.jsonld")[2])
    assert "pk" in context["@context"]
