"""Linked-data views (kg.linked_data, kg.ontology_doc): resource pages with the source passage
highlighted, RDF renderings by content negotiation, the dataset description, the ontology page;
everything escaped."""

from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import iris
from kg.linked_data import (
    context_response, dereference, describe, negotiate, ontology_response, resource_page, resource_rdf, void_response,
)
from kg.model import Agency, PlanMeta, PlanRecord, ResolvedPlan, Role, RoleMention, Span, TargetStatement, Unit, UnitKind
from kg.ontology_doc import ontology_html
from kg.rdf import plan_quads
from kg.store import open_read_only
from sample_plans import CAST, QUJING, sample_store

RDFLIB_JSONLD = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning", "ignore:Dataset.default_context is deprecated:DeprecationWarning")
MEASURE = iris.measure_iri("002_sample.txt", 1, 1)
TARGET_IN_MEASURE = iris.target_iri("002_sample.txt", 2)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return sample_store()


class Page(HTMLParser):
    """What a browser would see: tags, hrefs, marked passages, text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.marks: list[tuple[str, str]] = []
        self._mark: str | None = None
        self.text = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "mark":
            self._mark = attrs.get("class")
            self.marks.append((self._mark, ""))

    def handle_endtag(self, tag):
        if tag == "mark":
            self._mark = None

    def handle_data(self, data):
        self.text += data
        if self._mark is not None:
            cls, text = self.marks[-1]
            self.marks[-1] = (cls, text + data)


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/html,application/xhtml+xml,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "jsonld"),
    ("*/*", "html"),
    ("", "html"),
    ("text/turtle;q=0, text/html", "html"),
])
def test_content_negotiation(accept, expected):
    assert negotiate(accept) == expected


def test_every_resource_path_leads_back_to_its_iri(store):
    subjects = {q.subject.value for q in store if q.subject.value.startswith(iris.ID)}
    assert len(subjects) > 20
    for iri in subjects:
        browser_path = quote(iris.local_path(iri), safe="/")  # browsers percent-encode CJK and 〔〕
        assert iris.iri_for_path(browser_path) == iri
        assert iris.iri_for_path(iris.local_path(iri)) == iri


def test_measure_page_has_label_properties_local_links_and_highlighted_passage(store):
    html, status = resource_page(store, MEASURE)
    page = Page(html)
    assert status == 200 and "script" not in page.tags
    assert "实施科学家精神进校园" in page.text
    assert quote(iris.local_path(iris.agency_iri("530300", "市教体局")), safe="/%") in page.hrefs
    assert "/ontology#leadAgency" in page.hrefs
    assert all(h.startswith(("/", "http://", "https://", "#")) for h in page.hrefs)
    assert ("target", "每年培训教师3000人以上") in page.marks
    assert ("lead", "市教体局") in page.marks
    assert {("cooperating", "市科协"), ("cooperating", "宣传部")} <= set(page.marks)


def test_target_page_highlights_its_clause_in_the_unit_text(store):
    page = Page(resource_page(store, TARGET_IN_MEASURE)[0])
    assert page.marks and page.marks[0] == ("target", "每年培训教师3000人以上")
    assert "(市教体局牵头" in page.text  # the surrounding unit text is shown


def test_unknown_resource_is_404(store):
    assert resource_page(store, iris.ID + "plan/nope")[1] == 404
    status, headers, _body = dereference(store, "/id/plan/nope", "text/turtle")
    assert status == 404


def test_page_escapes_everything_from_the_graph():
    evil = '<script>alert(1)</script>'
    agency = Agency(evil, QUJING, full_name='"><img src=x onerror=alert(2)>', type=CAST)
    unit = Unit(UnitKind.ACTION, 1, f"任务{evil}", f"任务{evil}。建立2个站点。({evil}牵头)", span=Span(0, 40),
                roles=[RoleMention(Role.LEAD, evil)],
                targets=[TargetStatement("建立2个站点", "站点<b>", Decimal(2), "个", "=", year=2025, span=Span(30, 36))])
    record = PlanRecord("evil.txt", "", PlanMeta(title=f"方案{evil}"), actions=[unit])
    s = ox.Store()
    s.extend(plan_quads(ResolvedPlan(record, QUJING, {evil: agency}, [QUJING])))
    s.add(ox.Quad(ox.NamedNode(iris.plan_iri("evil.txt")), ox.NamedNode(iris.PK + "x"), ox.NamedNode("javascript:alert(3)")))
    for iri in (iris.plan_iri("evil.txt"), iris.action_iri("evil.txt", 1), iris.agency_iri("530300", evil),
                iris.target_iri("evil.txt", 1)):
        html, status = resource_page(s, iri)
        page = Page(html)
        assert status == 200
        assert not {"script", "img", "b"} & set(page.tags), iri
        assert not any(h.startswith("javascript") for h in page.hrefs)
    assert ("lead", evil) in Page(resource_page(s, iris.action_iri("evil.txt", 1))[0]).marks


@RDFLIB_JSONLD
@pytest.mark.parametrize(("accept", "fmt", "rdflib_format"), [
    ("text/turtle", "ttl", "turtle"), ("application/ld+json", "jsonld", "json-ld"), ("application/n-triples", "nt", "nt")])
def test_machines_get_the_description_by_content_negotiation(store, accept, fmt, rdflib_format):
    raw_path = quote(iris.local_path(MEASURE), safe="/")
    status, headers, body = dereference(store, raw_path, accept)
    assert status == 200 and headers["vary"] == "Accept" and headers["content-type"].startswith(accept)
    assert dereference(store, raw_path, "text/html", fmt=fmt)[2] == body  # ?format= overrides Accept
    got = rdflib.Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
    expected = rdflib.Graph().parse(data=resource_rdf(store, MEASURE, "nt").decode(), format="nt")
    assert isomorphic(got, expected) and len(got) == len(describe(store, MEASURE)) > 10
    if fmt == "jsonld":
        assert json.loads(body)["@context"] == json.loads(context_response()[2])["@context"]  # the published one


def test_browsers_get_html(store):
    status, headers, body = dereference(store, iris.local_path(iris.agency_iri("530300", "市科协")), "text/html,*/*;q=0.8")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "市科协" in Page(body.decode()).text


def test_well_known_void(store):
    status, headers, body = void_response(store, "text/turtle", base_url="http://127.0.0.1:7878")
    graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    assert (rdflib.URIRef(iris.DATASET), rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in graph
    assert headers["content-type"].startswith("text/turtle")
    assert void_response(store, "application/ld+json", base_url="http://x")[1]["content-type"] == "application/ld+json"


def test_ontology_page_documents_every_term_escaped_and_offline():
    page = Page(ontology_html())
    onto = rdflib.Graph().parse(data=ontology_response("text/turtle")[2].decode(), format="turtle")
    terms = {str(s)[len(iris.PK):] for s in onto.subjects(rdflib.RDF.type, None) if str(s).startswith(iris.PK)}
    anchors = {h[1:] for h in page.hrefs if h.startswith("#")}
    assert terms <= anchors and {"leadAgency", "Plan", "statedBy"} <= terms
    assert "script" not in page.tags
    assert all(h.startswith(("#", "http://", "https://", "/")) for h in page.hrefs)
    assert "牵头单位" in page.text and "lead agency" in page.text
    assert ontology_response("text/html")[1]["content-type"].startswith("text/html")


def test_ontology_generator_escapes_its_input():
    from kg.ontology_doc import _Renderer

    g = rdflib.Graph()
    term = rdflib.URIRef(iris.PK + "Evil")
    g.add((term, rdflib.RDF.type, rdflib.OWL.Class))
    g.add((term, rdflib.RDFS.label, rdflib.Literal("<script>alert(1)</script>", lang="en")))
    g.add((term, rdflib.RDFS.subClassOf, rdflib.URIRef("javascript:alert(1)")))
    page = Page(_Renderer(g).page())
    assert "script" not in page.tags and not any(h.startswith("javascript") for h in page.hrefs)
    assert "<script>alert(1)</script>" in page.text


def test_every_example_resource_of_the_corpus_has_a_page(corpus_store):
    from kg.void import void_description

    store = open_read_only(corpus_store)
    examples = [q.object.value for q in void_description(store, base_url="http://x", examples=2)
                if q.predicate.value.endswith("#exampleResource")]
    assert len(examples) >= 10
    for iri in examples:
        html, status = resource_page(store, iri)
        assert status == 200, iri
        page = Page(html)
        assert all(h.startswith(("/", "http://", "https://", "#")) for h in page.hrefs)
    measures = [e for e in examples if "/measure/" in e]
    assert any(Page(resource_page(store, m)[0]).marks for m in measures)
