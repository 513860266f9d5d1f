"""The ontology (ontology/policykg.ttl) declares the contract, and the shapes
(ontology/shapes.ttl) accept what the map step writes and catch what it must not."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg import iris
from kg.paths import ONTOLOGY_DIR
from kg.corpus import with_corpus_quads
from kg.rdf import plan_quads, vocabulary_quads
from kg.store import open_read_only

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_plans import gold_plan, guangyuan_plan, qujing_plan  # noqa: E402

PK = rdflib.Namespace(iris.PK)
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")

CONTRACT_CLASSES = ["Plan", "Action", "Measure", "Agency", "Target", "Region"]
CONTRACT_PROPERTIES = [
    "hasAction", "hasMeasure", "leadAgency", "cooperatingAgency", "responsibleAgency", "issuedBy",
    "implements", "hasTarget", "value", "valueMax", "unit", "targetYear", "comparator", "indicator",
    "region", "adminCode", "level", "agencyType", "startYear", "endYear", "sourceFile", "text",
    "ordinal", "fullName", "sourceStart", "sourceEnd",
]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "policykg.ttl")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


def as_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """All triples of ``quads``, named graphs merged (what the union default graph shows)."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def violations(data: rdflib.Graph, shapes: rdflib.Graph) -> list[tuple[str, str, str]]:
    """(focus node, path or shape, message) of every sh:Violation."""
    _conforms, report, _text = validate(data, shacl_graph=shapes, inference="none")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath) or report.value(result, SH.sourceShape)
        out.append((str(report.value(result, SH.focusNode)), str(path), str(report.value(result, SH.resultMessage))))
    return sorted(out)


def sample_graph() -> rdflib.Graph:
    return as_graph(with_corpus_quads(plan_quads(qujing_plan()) + plan_quads(guangyuan_plan()) + vocabulary_quads()))


# ---- the ontology ------------------------------------------------------------------------


def test_ontology_header_has_version_licence_and_titles(ontology):
    onto = rdflib.URIRef("https://w3id.org/policykg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, DCTERMS.license) is not None
    assert {t.language for t in ontology.objects(onto, DCTERMS.title)} == {"zh", "en"}


@pytest.mark.parametrize("name", CONTRACT_CLASSES + CONTRACT_PROPERTIES)
def test_contract_term_is_declared_with_zh_and_en_labels_and_comments(ontology, name):
    term = PK[name]
    kinds = set(ontology.objects(term, RDF.type))
    expected = {OWL.Class} if name in CONTRACT_CLASSES else {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert kinds & expected, f"pk:{name} is not declared as {expected}"
    for predicate in (RDFS.label, RDFS.comment):
        langs = sorted(lit.language for lit in ontology.objects(term, predicate))
        assert langs == ["en", "zh"], f"pk:{name} {predicate}: {langs}"
    if name in CONTRACT_PROPERTIES:
        assert ontology.value(term, RDFS.domain) is not None and ontology.value(term, RDFS.range) is not None


def test_every_declared_pk_term_has_labels_in_both_languages(ontology):
    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and s.startswith(PK)}
    unlabelled = sorted(s for s in declared
                        if {lit.language for lit in ontology.objects(s, RDFS.label)} != {"zh", "en"})
    assert unlabelled == []


def test_alignments_to_w3c_vocabularies(ontology):
    assert (PK.leadAgency, RDFS.subPropertyOf, PK.responsibleAgency) in ontology
    assert (PK.cooperatingAgency, RDFS.subPropertyOf, PK.responsibleAgency) in ontology
    assert (PK.Agency, RDFS.subClassOf, ORG.Organization) in ontology
    assert (PK.Plan, RDFS.subClassOf, PROV.Entity) in ontology
    assert (PK.Region, RDFS.subClassOf, DCTERMS.Location) in ontology
    assert (PK.agencyType, RDFS.range, SKOS.Concept) in ontology
    assert (PK.value, RDFS.range, rdflib.XSD.decimal) in ontology
    assert (PK.targetYear, RDFS.range, rdflib.XSD.gYear) in ontology


def test_the_map_step_uses_only_declared_pk_terms(ontology):
    data = sample_graph()
    used = {p for p in data.predicates() if p.startswith(PK)} | {o for o in data.objects(None, RDF.type) if o.startswith(PK)}
    declared = set(ontology.subjects(RDF.type, None))
    assert used - declared == set()
    assert PK.leadAgency in used and PK.Target in used


# ---- the shapes --------------------------------------------------------------------------


def test_mapped_sample_plans_conform(shapes):
    data = sample_graph()
    conforms, _report, text = validate(data, shacl_graph=shapes, inference="none")
    assert conforms, text


def _broken(change: str) -> rdflib.Graph:
    data = sample_graph()
    data.update(change)
    return data


TARGET = iris.target_iri("002_sample.txt", 1)
MEASURE = iris.measure_iri("002_sample.txt", 1, 1)
REGION = iris.region_iri("530300")
AGENCY = iris.agency_iri("530300", "市科协")
PLAN = iris.plan_iri("002_sample.txt")
ELI = "http://data.europa.eu/eli/ontology#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"


@pytest.mark.parametrize(
    ("change", "focus", "expected"),
    [
        (f"DELETE WHERE {{ <{TARGET}> <{PK.value}> ?v }}", TARGET, str(PK.value)),
        (f'DELETE WHERE {{ <{TARGET}> <{PK.comparator}> ?c }} ; INSERT DATA {{ <{TARGET}> <{PK.comparator}> "≈" }}',
         TARGET, str(PK.comparator)),
        (f'INSERT DATA {{ <{TARGET}> <{PK.value}> "13"^^<http://www.w3.org/2001/XMLSchema#string> }}',
         TARGET, str(PK.value)),
        (f'DELETE WHERE {{ <{REGION}> <{PK.adminCode}> ?c }} ; INSERT DATA {{ <{REGION}> <{PK.adminCode}> "5303" }}',
         REGION, str(PK.adminCode)),
        (f'DELETE WHERE {{ <{REGION}> <{PK.level}> ?c }} ; INSERT DATA {{ <{REGION}> <{PK.level}> "town" }}',
         REGION, str(PK.level)),
        (f"DELETE WHERE {{ <{AGENCY}> <{PK.agencyType}> ?t }}", AGENCY, str(PK.agencyType)),
        (f"DELETE WHERE {{ <{AGENCY}> <{PK.region}> ?t }}", AGENCY, str(PK.region)),
        (f"DELETE WHERE {{ <{AGENCY}> <{RDFS.label}> ?l }}", AGENCY, str(RDFS.label)),
        (f"DELETE WHERE {{ <{MEASURE}> <{PK.ordinal}> ?o }}", MEASURE, str(PK.ordinal)),
        (f"INSERT DATA {{ <{MEASURE}> <{PK.responsibleAgency}> <{iris.agency_iri('530300', '市教体局')}> }}",
         MEASURE, "both pk:responsibleAgency and a more specific role"),
        (f'INSERT DATA {{ <{PLAN}> <{PK.sourceFile}> "other.txt" }}', PLAN, str(PK.sourceFile)),
        (f'DELETE WHERE {{ <{PLAN}> <{PK.startYear}> ?y }} ; INSERT DATA {{ <{PLAN}> <{PK.startYear}> "2030"^^<http://www.w3.org/2001/XMLSchema#gYear> }}',
         PLAN, "pk:startYear is after pk:endYear"),
        (f"DELETE {{ <{MEASURE}> ?p ?a }} WHERE {{ <{MEASURE}> ?p ?a . ?a a <{PK.Agency}> }} ; "
         f"DELETE {{ <{MEASURE}> <{PK.hasTarget}> ?t }} WHERE {{ <{MEASURE}> <{PK.hasTarget}> ?t }}",
         MEASURE, "a measure names an agency or states a target"),
        (f"DELETE WHERE {{ <{MEASURE}> <{ELI}is_part_of> ?p }}", MEASURE, f"{ELI}is_part_of"),
        (f"DELETE WHERE {{ <{PLAN}> <{ELI}based_on> ?d }}", PLAN, "without the matching eli:based_on"),
        (f"DELETE WHERE {{ <{TARGET}> <{SDMX_DIMENSION}refArea> ?a }}", TARGET, f"{SDMX_DIMENSION}refArea"),
        (f'DELETE WHERE {{ <{TARGET}> <{SDMX_DIMENSION}refPeriod> ?a }} ; INSERT DATA {{ <{TARGET}> <{SDMX_DIMENSION}refPeriod> "2030"^^<http://www.w3.org/2001/XMLSchema#gYear> }}',
         TARGET, "ref period is not its pk:targetYear"),
    ],
    ids=["target-without-value", "comparator-not-allowed", "value-not-decimal", "admin-code-not-6-digits",
         "level-not-allowed", "agency-without-type", "agency-without-region", "agency-without-label",
         "measure-without-ordinal", "super-property-asserted-too", "two-source-files", "start-after-end",
         "measure-with-no-role-or-target", "unit-not-eli-part-of", "implements-without-based-on",
         "observation-without-ref-area", "observation-period-not-target-year"],
)
def test_shapes_catch_a_broken_graph(shapes, change, focus, expected):
    """``expected`` is the violated property's IRI, or the message of a node-level constraint."""
    found = violations(_broken(change), shapes)
    assert any(v[0] == focus and (v[1] == expected or expected in v[2]) for v in found), found


# ---- the bundled corpus: its gold facts mapped, and the real pipeline's build ------------------


def test_gold_facts_mapped_have_no_shape_violation(gold, shapes):
    quads = vocabulary_quads()
    for g in gold.values():
        quads += plan_quads(gold_plan(g))
    assert violations(as_graph(with_corpus_quads(quads)), shapes) == []



def test_corpus_build_has_no_shape_violation(corpus_store, shapes):
    store = open_read_only(corpus_store)
    data = as_graph(store.quads_for_pattern(None, None, None, None))
    assert len(data) > 1000  # the documents, not just the vocabulary
    assert violations(data, shapes) == []
