"""Links to Wikidata and GB/T 2260: the curated table and the quads made from it."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import iris
from kg.errors import MappingTableError
from kg.links import LINK_TABLE, LinkRow, link_quads, load_link_table, p442, region_link_quads, type_link_quads
from kg.model import Agency, AgencyType, DocumentRef, PlanMeta, PlanRecord, ResolvedPlan
from kg.paths import MAPPINGS_DIR
from kg.regions import NATION, region_by_code, region_chain, resolve_region

PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX id: <https://w3id.org/policykg/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def agency_type(slug: str) -> AgencyType:
    return AgencyType(slug=slug, label_zh=slug, label_en=slug)


def make_plan(
    source: str = "003_test.txt",
    region_name: str = "福州市台江区",
    agencies: dict[str, str | None] | None = None,
    cites: list[DocumentRef] | None = None,
    doc_number: str | None = None,
) -> ResolvedPlan:
    region = resolve_region(region_name)
    if agencies is None:
        agencies = {"区科协": "cast", "区教育局": "education", "区财政局": "finance", "某协会": None}
    meta = PlanMeta(title="实施方案", region_name=region_name, implements=cites or [], doc_number=doc_number)
    return ResolvedPlan(
        record=PlanRecord(source=source, content_hash="0" * 64, meta=meta),
        region=region,
        agencies={
            name: Agency(name=name, region=region, type=agency_type(slug) if slug else None)
            for name, slug in agencies.items()
        },
        regions=region_chain(region),
    )


def store_of(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def select(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return {tuple(None if term is None else term.value for term in solution) for solution in results}


# ---- the table ----------------------------------------------------------------------


def links_of(plan):
    """What a build writes for a plan: its own links, its regions' links (once, in the corpus
    graph) and the national counterparts of the agency types it uses (once, in the vocabulary
    graph)."""
    return (link_quads(plan) + region_link_quads(plan.regions, iris.CORPUS_GRAPH)
            + type_link_quads({a.type for a in plan.agencies.values() if a.type}))


def test_every_row_of_the_table_parses():
    rows = load_link_table()
    with LINK_TABLE.open(encoding="utf-8") as f:
        assert len(rows) == sum(1 for _ in csv.DictReader(f))
    assert {r.kind for r in rows} == {"region", "agency", "document"}
    assert sum(1 for r in rows if r.qid) == 35  # as ../shared/links/README.md counts


def test_rows_without_a_qid_say_why():
    for row in load_link_table():
        if row.qid is None:
            assert "NOT VERIFIED" in row.evidence or "NO WIKIDATA ITEM" in row.evidence, row


def test_region_rows_name_the_gazetteers_division():
    for row in load_link_table():
        if row.kind == "region":
            region = region_by_code(row.key)
            assert region is not None, f"line {row.line}: {row.key} is not in the gazetteer"
            assert region.name == row.name_zh, f"line {row.line}"
    assert region_by_code("469003") is None  # the pre-2015 code of 儋州市 is not used


def test_agency_rows_use_the_agency_type_slugs():
    """Every agency row must be reachable: its key is a slug of mappings/agency_types.csv."""
    types = MAPPINGS_DIR / "agency_types.csv"
    if not types.exists():
        pytest.skip("mappings/agency_types.csv (teammate H3) has not landed yet")
    with types.open(encoding="utf-8-sig") as f:
        slugs = {row["slug"] for row in csv.DictReader(f)}
    missing = [r.key for r in load_link_table() if r.kind == "agency" and r.key not in slugs]
    assert not missing, f"agency rows with no agency type: {missing}"


def test_national_bodies_of_the_agency_type_table_get_the_verified_items():
    """With the real agency types, each verified QID lands on the node a national plan uses."""
    types = MAPPINGS_DIR / "agency_types.csv"
    if not types.exists():
        pytest.skip("mappings/agency_types.csv (teammate H3) has not landed yet")
    with types.open(encoding="utf-8-sig") as f:
        kinds = {
            row["slug"]: AgencyType(row["slug"], row["label_zh"], row["label_en"], row["national_counterpart"] or None)
            for row in csv.DictReader(f)
        }
    plan = make_plan(agencies={})
    plan.agencies = {slug: Agency(slug, plan.region, type=kind) for slug, kind in kinds.items()}
    store = store_of(links_of(plan))
    linked = select(store, "SELECT ?body ?item WHERE { ?t pk:nationalCounterpart ?body . ?body owl:sameAs ?item }")
    expected = set()
    for row in load_link_table():
        if row.kind == "agency" and row.qid:
            name = kinds[row.key].national_counterpart or row.name_zh
            expected.add((iris.agency_iri("100000", name), row.item))
    assert linked == expected
    assert (iris.agency_iri("100000", "国务院"), "http://www.wikidata.org/entity/Q59261") in linked


HEADER = "kind,key,name_zh,name_en,qid,evidence\n"


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("city,350100,福州市,Fuzhou,Q68481,x", "kind 'city'"),
        ("region,3501,福州市,Fuzhou,Q68481,x", "six-digit"),
        ("region,350100,福州市,Fuzhou,68481,x", "Wikidata item id"),
        ("region,350100,福州市,Fuzhou,Q68481,", "evidence is empty"),
        ("region,350100,,Fuzhou,Q68481,x", "name_zh and name_en"),
        ("agency,Education,教育部,Ministry of Education,Q1042167,x", "slug"),
        ("document,国发[2021]9号,纲要,Outline,,x", "〔〕"),
        ("region,350100,福州市", "3 cells"),
        ("region,350000,福建省,Fujian,Q41705,x", "already given on line 2"),
    ],
)
def test_malformed_rows_are_rejected_with_file_and_line(tmp_path: Path, row: str, complaint: str):
    table = tmp_path / "wikidata.csv"
    table.write_text(HEADER + "region,350000,福建省,Fujian,Q41705,checked\n" + row + "\n", encoding="utf-8")
    with pytest.raises(MappingTableError, match=complaint) as caught:
        load_link_table(table)
    assert f"{table}:3:" in str(caught.value)


def test_a_wrong_header_is_rejected(tmp_path: Path):
    table = tmp_path / "wikidata.csv"
    table.write_text("key,kind,name_zh,name_en,qid,evidence\n", encoding="utf-8")
    with pytest.raises(MappingTableError, match=f"{table}:1: the header"):
        load_link_table(table)


def test_a_missing_table_is_a_mapping_error(tmp_path: Path):
    with pytest.raises(MappingTableError, match="cannot read"):
        load_link_table(tmp_path / "absent.csv")


# ---- the quads ----------------------------------------------------------------------


def test_p442_form():
    assert p442("350103") == "35 01 03"
    assert p442("220000") == "22 00 00"


def test_regions_link_to_verified_items_only():
    store = store_of(links_of(make_plan()))
    same = select(store, "SELECT ?r ?item WHERE { ?r owl:sameAs ?item }")
    regions = {(r, i) for r, i in same if "/region/" in r}
    assert regions == {
        (iris.region_iri("350100"), "http://www.wikidata.org/entity/Q68481"),
        (iris.region_iri("350000"), "http://www.wikidata.org/entity/Q41705"),
        (iris.region_iri("100000"), "http://www.wikidata.org/entity/Q148"),
    }  # 台江区 350103 has no verified QID: no sameAs, never a guess


def test_every_region_but_the_nation_carries_its_p442_code():
    store = store_of(links_of(make_plan()))
    codes = select(store, "SELECT ?r ?c WHERE { ?r wdt:P442 ?c }")
    assert codes == {
        (iris.region_iri("350103"), "35 01 03"),
        (iris.region_iri("350100"), "35 01 00"),
        (iris.region_iri("350000"), "35 00 00"),
    }


def test_chibi_gets_a_code_but_no_same_as():
    store = store_of(links_of(make_plan(region_name="赤壁市", agencies={})))
    chibi = iris.region_iri("421281")
    assert select(store, f"SELECT ?c WHERE {{ <{chibi}> wdt:P442 ?c }}") == {("42 12 81",)}
    assert not select(store, f"SELECT ?x WHERE {{ <{chibi}> owl:sameAs ?x }}")
    # its province 湖北省 is verified
    assert select(store, f"SELECT ?x WHERE {{ <{iris.region_iri('420000')}> owl:sameAs ?x }}") == {
        ("http://www.wikidata.org/entity/Q46862",)
    }


def test_agency_types_link_to_their_national_counterparts():
    store = store_of(links_of(make_plan()))
    counterparts = select(
        store,
        """SELECT ?type ?body ?zh ?en ?region WHERE {
             ?type pk:nationalCounterpart ?body .
             ?body a pk:Agency ; pk:agencyType ?type ; pk:region ?region ;
                   rdfs:label ?zh, ?en . FILTER(lang(?zh) = "zh" && lang(?en) = "en") }""",
    )
    assert counterparts == {
        (iris.agency_type_iri("cast"), iris.agency_iri("100000", "中国科学技术协会"), "中国科学技术协会",
         "China Association for Science and Technology", iris.region_iri("100000")),
        (iris.agency_type_iri("education"), iris.agency_iri("100000", "教育部"), "教育部",
         "Ministry of Education of the People's Republic of China", iris.region_iri("100000")),
        (iris.agency_type_iri("finance"), iris.agency_iri("100000", "财政部"), "财政部",
         "Ministry of Finance of the People's Republic of China", iris.region_iri("100000")),
    }
    bodies = select(store, "SELECT ?body ?item WHERE { ?t pk:nationalCounterpart ?body . ?body owl:sameAs ?item }")
    assert bodies == {
        (iris.agency_iri("100000", "教育部"), "http://www.wikidata.org/entity/Q1042167"),
        (iris.agency_iri("100000", "财政部"), "http://www.wikidata.org/entity/Q832407"),
    }  # 中国科协 (cast) is not verified: a counterpart, but no sameAs


def test_types_without_a_row_and_untyped_agencies_add_nothing():
    plan = make_plan(region_name="全国", agencies={"某协会": None, "某办": "no-such-type"})
    assert link_quads(plan) == []
    quads = region_link_quads(plan.regions, iris.CORPUS_GRAPH)
    assert [q.predicate.value for q in quads] == ["http://www.w3.org/2002/07/owl#sameAs"]  # only Q148
    assert plan.regions == [NATION]


def test_the_counterpart_is_named_as_the_agency_type_table_names_it():
    """中国科协 in agency_types.csv: the same node as 中国科协 leading a national plan."""
    plan = make_plan(agencies={})
    region = plan.region
    plan.agencies = {
        "区科协": Agency("区科协", region, type=AgencyType("cast", "科协", "CAST", national_counterpart="中国科协")),
        "区教育局": Agency("区教育局", region, type=AgencyType("education", "教育局", "Education", "教育部")),
        "区侨联": Agency("区侨联", region, type=AgencyType("overseas-chinese", "侨联", "Returned Overseas Chinese",
                                                          national_counterpart="中国侨联")),
    }
    store = store_of(links_of(plan))
    rows = select(
        store,
        """SELECT ?type ?body ?zh ?full ?en ?item WHERE {
             ?type pk:nationalCounterpart ?body . ?body a pk:Agency ; pk:agencyType ?type ; rdfs:label ?zh .
             FILTER(lang(?zh) = "zh")
             OPTIONAL { ?body pk:fullName ?full } OPTIONAL { ?body rdfs:label ?en FILTER(lang(?en) = "en") }
             OPTIONAL { ?body owl:sameAs ?item } }""",
    )
    cast, education, overseas = (iris.agency_type_iri(s) for s in ("cast", "education", "overseas-chinese"))
    assert {r[:2] for r in rows} == {
        (cast, iris.agency_iri("100000", "中国科协")),
        (education, iris.agency_iri("100000", "教育部")),
        (overseas, iris.agency_iri("100000", "中国侨联")),  # no row in the link table: no en label, no QID
    }
    by_type = {r[0]: r[2:] for r in rows}
    assert by_type[cast] == ("中国科协", "中国科学技术协会", "China Association for Science and Technology", None)
    assert by_type[education][:2] == ("教育部", None)  # same name as the table: no pk:fullName
    assert by_type[education][3] == "http://www.wikidata.org/entity/Q1042167"
    assert by_type[overseas] == ("中国侨联", None, None, None)
    assert select(store, "SELECT ?f WHERE { ?b pk:fullName ?f FILTER(datatype(?f) = xsd:string) }") == {
        ("中国科学技术协会",)
    }


def test_a_plans_links_are_in_its_documents_graph_without_duplicates():
    cites = [DocumentRef(title="纲要", doc_number="国发〔2021〕9号"), DocumentRef(title="纲要（2021—2035年）", doc_number="国发〔2021〕9号")]
    table = [LinkRow("document", "国发〔2021〕9号", "纲要", "Outline", "Q999999999", "test fixture", 2)]
    quads = link_quads(make_plan(cites=cites), table=table)
    assert quads and {q.graph_name for q in quads} == {ox.NamedNode(iris.graph_iri("003_test.txt"))}
    assert len(quads) == len(set(quads))


def test_documents_link_only_when_verified(tmp_path: Path):
    cites = [DocumentRef(title="全民科学素质行动规划纲要（2021—2035年）", doc_number="国发〔2021〕9号")]
    plan = make_plan(agencies={}, cites=cites)
    doc = iris.document_iri(doc_number="国发〔2021〕9号", title=None)
    # the shipped table has no QID for it
    assert not [q for q in link_quads(plan) if q.subject.value == doc]
    # a table where a (made-up, test-only) QID is verified links the cited node and the plan itself
    table = [
        LinkRow("document", "国发〔2021〕9号", "纲要", "Outline", "Q999999999", "test fixture", 2),
        LinkRow("document", "国发〔2006〕7号", "纲要", "Outline", "Q999999998", "test fixture", 3),
    ]
    store = store_of(link_quads(make_plan(agencies={}, cites=cites, doc_number="国发〔2006〕7号"), table=table))
    assert select(store, "SELECT ?d ?item WHERE { ?d owl:sameAs ?item }") == {
        (doc, "http://www.wikidata.org/entity/Q999999999"),
        (iris.plan_iri("003_test.txt"), "http://www.wikidata.org/entity/Q999999998"),
    }


def test_every_verified_row_is_used():
    """A plan touching every region, agency type and document of the table links every QID."""
    rows = load_link_table()
    regions = {r for row in rows if row.kind == "region" for r in region_chain(region_by_code(row.key))}
    plan = make_plan(
        agencies={f"局{i}": row.key for i, row in enumerate(rows) if row.kind == "agency"},
        cites=[DocumentRef(title=None, doc_number=row.key) for row in rows if row.kind == "document"],
    )
    plan.regions = sorted(regions, key=lambda r: r.code)
    store = store_of(links_of(plan))
    linked = {item for (item,) in select(store, "SELECT ?item WHERE { ?x owl:sameAs ?item }")}
    assert linked == {row.item for row in rows if row.qid}
    counterparts = select(store, "SELECT ?t WHERE { ?t pk:nationalCounterpart ?b }")
    assert len(counterparts) == sum(1 for row in rows if row.kind == "agency")


def test_the_federated_join_by_p442_and_same_as():
    """The README's federated query, with Wikidata's side loaded locally instead of SERVICE."""
    store = store_of(links_of(make_plan()))
    wikidata = ox.NamedNode("http://example.org/wikidata-sample")
    for qid, code in [("Q68481", "35 01 00"), ("Q41705", "35 00 00"), ("Q1208506", "52 26 36")]:
        item = ox.NamedNode(f"http://www.wikidata.org/entity/{qid}")
        store.add(ox.Quad(item, ox.NamedNode("http://www.wikidata.org/prop/direct/P442"), ox.Literal(code), wikidata))
    rows = select(
        store,
        """SELECT ?region ?item ?asserted WHERE {
             GRAPH ?g { ?region wdt:P442 ?code . OPTIONAL { ?region owl:sameAs ?asserted } }
             FILTER(?g != <http://example.org/wikidata-sample>)
             GRAPH <http://example.org/wikidata-sample> { ?item wdt:P442 ?code } }""",
    )
    w = "http://www.wikidata.org/entity/"
    assert rows == {(iris.region_iri("350100"), w + "Q68481", w + "Q68481"),
                    (iris.region_iri("350000"), w + "Q41705", w + "Q41705")}
