"""The dataset description (kg.void): DCAT + VoID counts checked against counts made
independently with rdflib, links per target, licence, endpoint, dumps, examples."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID

from kg import iris
from kg.store import open_read_only
from kg.void import DATA_LICENSE, link_counts, void_description
from sample_plans import sample_store

BASE = "http://127.0.0.1:7878"
DS = rdflib.URIRef(iris.DATASET)


def as_rdflib(quads) -> rdflib.Graph:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def test_counts_match_an_independent_count():
    store = sample_store()
    data = as_rdflib(store)
    void = as_rdflib(void_description(store, base_url=BASE))
    assert void.value(DS, VOID.triples).toPython() == len(data)
    assert void.value(DS, VOID.distinctSubjects).toPython() == len(set(data.subjects()))
    classes = Counter(o for _s, o in set(data.subject_objects(RDF.type)))
    assert void.value(DS, VOID.classes).toPython() == len(classes)
    partitions = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
                  for p in void.objects(DS, VOID.classPartition)}
    assert partitions == dict(classes)
    assert partitions[rdflib.URIRef(iris.PK + "Plan")] == 4  # two built plans, two cited documents
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                  for p in void.objects(DS, VOID.propertyPartition)}
    assert properties == dict(Counter(p for _s, p, _o in data))


def test_a_linkset_per_target_with_its_count():
    store = sample_store()
    void = as_rdflib(void_description(store, base_url=BASE))
    linksets = list(void.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) == 1
    (linkset,) = linksets
    wikidata = sum(1 for _s, o in as_rdflib(store).subject_objects(OWL.sameAs) if o.startswith("http://www.wikidata.org/entity/"))
    assert wikidata > 0
    assert void.value(linkset, VOID.triples).toPython() == wikidata
    assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert void.value(linkset, VOID.subjectsTarget) == DS
    target = void.value(linkset, VOID.objectsTarget)
    assert str(void.value(target, VOID.uriSpace)) == "http://www.wikidata.org/entity/"
    assert (DS, VOID.subset, linkset) in void
    assert sum(n for key, _cls, n in link_counts(store) if key == "wikidata") == wikidata


def test_licence_endpoint_dumps_and_examples():
    store = sample_store()
    void = as_rdflib(void_description(store, base_url=BASE + "/", dumps={"policykg.nq": "https://example.org/kg.nq"}))
    assert (DS, RDF.type, VOID.Dataset) in void and (DS, RDF.type, DCAT.Dataset) in void
    assert void.value(DS, DCTERMS.license) == rdflib.URIRef(DATA_LICENSE)
    assert void.value(DS, VOID.sparqlEndpoint) == rdflib.URIRef(BASE + "/sparql")
    assert set(void.objects(DS, VOID.dataDump)) == {rdflib.URIRef("https://example.org/kg.nq")}
    (dist,) = [d for d in void.objects(DS, DCAT.distribution) if void.value(d, DCAT.downloadURL)]
    assert str(void.value(dist, DCAT.mediaType)).endswith("application/n-quads")
    assert {t.language for t in void.objects(DS, DCTERMS.title)} == {"zh", "en"}
    examples = set(void.objects(DS, VOID.exampleResource))
    assert rdflib.URIRef(iris.plan_iri("002_sample.txt")) in examples and len(examples) == 6
    data = as_rdflib(store)
    assert all((e, None, None) in data for e in examples)


def test_the_description_does_not_count_itself():
    store = sample_store()
    first = void_description(store, base_url=BASE)
    store.extend(first)
    assert void_description(store, base_url=BASE) == first
    assert {q.graph_name.value for q in first} == {iris.VOID_GRAPH}


@pytest.mark.slow
def test_corpus_description(corpus_store):
    store = open_read_only(corpus_store)
    void = as_rdflib(void_description(store, base_url=BASE))
    assert void.value(DS, VOID.triples).toPython() > 1000
    plans = {void.value(p, VOID.entities).toPython() for p in void.objects(DS, VOID.classPartition)
             if void.value(p, VOID["class"]) == rdflib.URIRef(iris.PK + "Plan")}
    assert plans and min(plans) >= 5
    (linkset,) = void.subjects(RDF.type, VOID.Linkset)
    assert void.value(linkset, VOID.triples).toPython() >= 8
