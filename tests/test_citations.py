"""Cited documents are one node across the corpus (kg.citations), however plans cite them:
by 文号 or by title only, with or without the 关于印发…的通知 shell, with any dash."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import iris
from kg.citations import citation_quads
from kg.corpus import add_corpus_graph, corpus_quads
from kg.model import DocumentRef, PlanMeta, PlanRecord, Region, ResolvedPlan
from kg.paths import QUERIES_DIR
from kg.query import execute
from kg.rdf import plan_quads
from kg.regions import NATION, region_by_code, region_chain
from kg.store import open_read_only

NATIONAL_NUMBER = "国办发〔2016〕10号"
NATIONAL_TITLE = "全民科学素质行动计划纲要实施方案（2016—2020年）"


def plan(source: str, title: str, region: Region, *, number: str | None = None,
         cites: list[DocumentRef] = ()) -> ResolvedPlan:
    meta = PlanMeta(title=title, doc_number=number, implements=list(cites))
    record = PlanRecord(source=source, content_hash="", meta=meta)
    return ResolvedPlan(record=record, region=region, agencies={}, regions=region_chain(region))


def store_of(*plans: ResolvedPlan) -> ox.Store:
    store = ox.Store()
    for p in plans:
        store.extend(plan_quads(p))
    add_corpus_graph(store)
    return store


def values(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    results = execute(store, query)
    names = [v.value for v in results.variables]
    return {tuple(s[n].value if s[n] is not None else None for n in names) for s in results}


JILIN, CHANGCHUN, CHAOYANG = region_by_code("220000"), region_by_code("220100"), region_by_code("220104")


def test_title_only_citation_and_doc_number_citation_are_one_document():
    by_number = plan("a.txt", "甲方案", JILIN, cites=[DocumentRef(f"国务院办公厅关于印发{NATIONAL_TITLE}的通知", NATIONAL_NUMBER)])
    by_title = plan("b.txt", "乙方案", JILIN, cites=[DocumentRef("全民科学素质行动计划纲要实施方案(2016-2020年)", None)])
    store = store_of(by_number, by_title)
    canonical = iris.document_iri(doc_number=NATIONAL_NUMBER, title=None)
    # each citing plan reaches the same node, with the 文号 the title-only citation never gave
    got = values(store, """SELECT ?file ?doc ?id WHERE { ?p pk:sourceFile ?file ;
        pk:implements/owl:sameAs? ?doc . ?doc dcterms:identifier ?id }""")
    assert got == {("a.txt", canonical, NATIONAL_NUMBER), ("b.txt", canonical, NATIONAL_NUMBER)}
    assert {q.graph_name.value for q in citation_quads(store)} <= {iris.CORPUS_GRAPH}


def test_without_the_pass_the_title_only_citation_stays_apart():
    by_number = plan("a.txt", "甲方案", JILIN, cites=[DocumentRef(NATIONAL_TITLE, NATIONAL_NUMBER)])
    by_title = plan("b.txt", "乙方案", JILIN, cites=[DocumentRef(NATIONAL_TITLE, None)])
    store = ox.Store()
    store.extend(plan_quads(by_number) + plan_quads(by_title))
    assert len(values(store, "SELECT DISTINCT ?d WHERE { ?p pk:implements/owl:sameAs? ?d }")) == 2
    add_corpus_graph(store)
    assert len(values(store, """SELECT DISTINCT ?d WHERE { ?p pk:implements/owl:sameAs? ?d .
        FILTER NOT EXISTS { ?d owl:sameAs ?other } }""")) == 1


@pytest.mark.parametrize(("first", "second"), [
    ("关于印发广元市职工素质建设工程五年规划（2016—2020年）的通知", "《广元市职工素质建设工程五年规划(2016-2020年)》"),
    ("广元市职工素质建设工程五年规划（2016-2020年）", "广元市职工素质建设工程五年规划（2016—2020年）"),
    ("广元市总工会印发广元市职工素质建设工程五年规划 （2016～2020年）的通知", "广元市职工素质建设工程五年规划(２０１６—２０２０年)"),
])
def test_title_only_citations_differing_in_shell_dash_or_width_share_one_iri(first, second):
    assert iris.document_iri(doc_number=None, title=first) == iris.document_iri(doc_number=None, title=second)
    store = store_of(plan("a.txt", "甲", CHANGCHUN, cites=[DocumentRef(first, None)]),
                     plan("b.txt", "乙", CHANGCHUN, cites=[DocumentRef(second, None)]))
    assert len(values(store, "SELECT DISTINCT ?d WHERE { ?p pk:implements ?d }")) == 1


def test_a_title_shared_by_two_doc_numbers_links_to_neither():
    title = "2020年科普工作要点"
    store = store_of(plan("a.txt", "甲", JILIN, cites=[DocumentRef(title, "吉科协发〔2020〕1号")]),
                     plan("b.txt", "乙", CHANGCHUN, cites=[DocumentRef(title, "长科协发〔2020〕2号")]),
                     plan("c.txt", "丙", CHAOYANG, cites=[DocumentRef(title, None)]))
    assert citation_quads(store) == []


def test_the_pass_is_idempotent_and_repeats_nothing_the_documents_say():
    store = store_of(plan("a.txt", "甲", JILIN, number="吉政办发〔2016〕43号",
                          cites=[DocumentRef(NATIONAL_TITLE, NATIONAL_NUMBER)]),
                     plan("b.txt", "乙", CHANGCHUN, cites=[DocumentRef("甲", None)]))
    first = citation_quads(store)
    assert first and add_corpus_graph(store) == len(corpus_quads(store)) and citation_quads(store) == first
    own = ox.Quad(ox.NamedNode(iris.plan_iri("a.txt")), ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                  ox.NamedNode(iris.document_iri(doc_number="吉政办发〔2016〕43号", title=None)), ox.NamedNode(iris.CORPUS_GRAPH))
    assert own not in first  # already in a.txt's own graph


def chain_store() -> ox.Store:
    """national (文号) ← province cites it by title in its notice shell ← city cites the province
    by 文号 ← district cites the city (which has no 文号) by title with other dashes."""
    national = plan("n.txt", NATIONAL_TITLE, NATION, number=NATIONAL_NUMBER)
    province = plan("p.txt", "吉林省贯彻全民科学素质行动计划纲要实施方案（2016—2020年）", JILIN,
                    number="吉政办发〔2016〕43号",
                    cites=[DocumentRef(f"国务院办公厅关于印发{NATIONAL_TITLE}的通知", None)])
    city = plan("c.txt", "长春市全民科学素质行动实施方案（2016—2020年）", CHANGCHUN,
                cites=[DocumentRef("吉林省贯彻全民科学素质行动计划纲要实施方案", "吉政办发〔2016〕43号")])
    district = plan("d.txt", "朝阳区全民科学素质行动工作方案", CHAOYANG,
                    cites=[DocumentRef("关于印发长春市全民科学素质行动实施方案(2016-2020年)的通知", None)])
    return store_of(national, province, city, district)


def test_the_implementation_chain_is_walked_from_district_to_nation():
    store = chain_store()
    district = iris.plan_iri("d.txt")
    got = values(store, f"""SELECT ?file ?level WHERE {{
        <{district}> (pk:implements/^owl:sameAs)+ ?plan . ?plan pk:sourceFile ?file ; pk:region/pk:level ?level }}""")
    assert got == {("c.txt", "city"), ("p.txt", "province"), ("n.txt", "national")}


def test_the_published_implementation_chain_query_reaches_the_national_document():
    rows = values(chain_store(), (QUERIES_DIR / "implementation_chain.rq").read_text(encoding="utf-8"))
    from_district = {(r[2], r[4]) for r in rows if r[0] == "d.txt"}
    assert ("吉政办发〔2016〕43号", "false") in from_district
    assert any(r[0] == "d.txt" and r[3] and "全民科学素质行动计划纲要实施方案" in r[3] and r[4] == "false"
               and not r[3].startswith("吉林") for r in rows)


def test_bundled_corpus_title_only_citation_joins_the_state_council_document(corpus_store):
    built = open_read_only(corpus_store)
    store = ox.Store()
    store.extend(q for q in built if q.graph_name.value != iris.CORPUS_GRAPH)
    add_corpus_graph(store)
    got = values(store, """SELECT DISTINCT ?file WHERE { ?p pk:sourceFile ?file ;
        pk:implements/owl:sameAs? <https://w3id.org/policykg/id/document/国办发〔2016〕10号> }""")
    # 001 cites it by 文号; 000 only as 《全民科学素质行动计划纲要实施方案（2016-2020年）》
    assert got == {("000_bbd3759adfb93dbe.txt",), ("001_e2914c86c1e8064a.txt",)}
