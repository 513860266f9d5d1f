"""The map step (kg.rdf): hand-built ResolvedPlans → quads, checked with SPARQL on a real store."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import iris
from kg.agencies import agency_types
from kg.model import Agency, AgencyType, PlanMeta, PlanRecord, ResolvedPlan, Role, RoleMention, Span, TargetStatement, Unit, UnitKind
from kg.query import execute
from kg.corpus import add_corpus_graph
from kg.rdf import agency_type_quads, plan_quads, vocabulary_quads

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from sample_plans import (  # noqa: E402
    CAST, EDUCATION, QUJING, SHARED_DOC_NUMBER, guangyuan_plan, qujing_gold, qujing_plan,
)

PK = iris.PK


def store_of(*quad_lists: list[ox.Quad]) -> ox.Store:
    """The quads, with the corpus graph ``kg build`` adds (the regions they refer to)."""
    store = ox.Store()
    for quads in quad_lists:
        store.extend(quads)
    add_corpus_graph(store)
    return store


def rows(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    results = execute(store, query)
    names = [v.value for v in results.variables]
    return {tuple(s[n].value if s[n] is not None else None for n in names) for s in results}


@pytest.fixture()
def qujing() -> ox.Store:
    return store_of(plan_quads(qujing_plan()))


def test_every_quad_is_in_the_documents_named_graph():
    quads = plan_quads(qujing_plan())
    assert quads
    assert {q.graph_name.value for q in quads} == {iris.graph_iri("002_sample.txt")}


def test_iris_and_triples_are_stable_across_rebuilds():
    first, second = plan_quads(qujing_plan()), plan_quads(qujing_plan())
    assert set(first) == set(second)
    assert not any(isinstance(t, ox.BlankNode) for q in first for t in (q.subject, q.object))


def test_plan_fields(qujing):
    plan = iris.plan_iri("002_sample.txt")
    got = rows(qujing, f"""SELECT ?title ?label ?file ?id ?issued ?sy ?ey ?code WHERE {{
        <{plan}> a pk:Plan ; dcterms:title ?title ; rdfs:label ?label ; pk:sourceFile ?file ;
           dcterms:identifier ?id ; dcterms:issued ?issued ; pk:startYear ?sy ; pk:endYear ?ey ;
           pk:region/pk:adminCode ?code .
        FILTER (lang(?label) = "zh" && datatype(?issued) = xsd:date
                && datatype(?sy) = xsd:gYear && datatype(?ey) = xsd:gYear) }}""")
    title = "曲靖市全民科学素质行动实施方案(2021—2025年)"
    assert got == {(title, title, "002_sample.txt", "曲政发〔2022〕21号", "2022-04-26", "2021", "2025", "530300")}
    issuers = rows(qujing, f"SELECT ?n WHERE {{ <{plan}> pk:issuedBy/rdfs:label ?n }}")
    assert issuers == {("曲靖市人民政府",)}


def test_units_reachable_by_the_contract_path_with_text_ordinal_and_provenance(qujing):
    plan = iris.plan_iri("002_sample.txt")
    got = rows(qujing, f"""SELECT ?cls ?label ?ord ?start ?end WHERE {{
        <{plan}> pk:hasAction/pk:hasMeasure? ?u . ?u a ?cls ; rdfs:label ?label ; pk:ordinal ?ord ;
           pk:text ?text ; prov:wasDerivedFrom <{plan}> ; pk:sourceStart ?start ; pk:sourceEnd ?end .
        FILTER (datatype(?ord) = xsd:integer && STRSTARTS(STR(?cls), STR(pk:))) }}""")
    assert got == {
        (PK + "Action", "青少年科学素质提升行动", "1", "100", "115"),
        (PK + "Measure", "实施科学家精神进校园", "1", "120", "170"),
        (PK + "Measure", "建立应急科普宣教协同机制", "2", "171", "200"),
        (PK + "Action", "科普经费保障", "2", "300", "330"),
    }


def test_only_the_most_specific_role_is_asserted(qujing):
    got = rows(qujing, """SELECT ?unit ?p ?name WHERE {
        ?u rdfs:label ?unit ; ?p ?a . ?a a pk:Agency ; rdfs:label ?name . FILTER (lang(?name) = "zh")
        VALUES ?p { pk:leadAgency pk:cooperatingAgency pk:responsibleAgency } }""")
    assert got == {
        ("实施科学家精神进校园", PK + "leadAgency", "市教体局"),
        ("实施科学家精神进校园", PK + "cooperatingAgency", "市科协"),
        ("实施科学家精神进校园", PK + "cooperatingAgency", "市委宣传部"),
        # lead and cooperating in one statement: both kept, as the document writes them
        ("建立应急科普宣教协同机制", PK + "leadAgency", "市科协"),
        ("建立应急科普宣教协同机制", PK + "cooperatingAgency", "市科协"),
        ("科普经费保障", PK + "responsibleAgency", "市科协"),
    }


def test_targets_with_typed_values_at_every_level(qujing):
    got = rows(qujing, """SELECT ?owner ?v ?max ?unit ?cmp ?year ?ind WHERE {
        ?o pk:hasTarget ?t . ?o a ?owner . FILTER (STRSTARTS(STR(?owner), STR(pk:)))
        ?t a pk:Target ; pk:value ?v ; pk:unit ?unit ; pk:comparator ?cmp ; pk:indicator ?ind ;
           rdfs:label ?label ; prov:wasDerivedFrom ?plan ; pk:sourceStart ?s .
        OPTIONAL { ?t pk:valueMax ?max FILTER (datatype(?max) = xsd:decimal) }
        OPTIONAL { ?t pk:targetYear ?year FILTER (datatype(?year) = xsd:gYear) }
        FILTER (datatype(?v) = xsd:decimal && lang(?label) = "zh") }""")
    assert got == {
        (PK + "Plan", "13", None, "%", ">=", "2025", "公民具备科学素质的比例"),
        (PK + "Measure", "3000", None, "人", ">=", None, "培训教师"),
        (PK + "Action", "1.5", "2.5", "%", "=", None, "经费比例"),
    }


def test_agencies_names_region_and_type(qujing):
    kexie = iris.agency_iri("530300", "市科协")
    got = rows(qujing, f"""SELECT ?p ?o WHERE {{ <{kexie}> ?p ?o }}""")
    assert got >= {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", PK + "Agency"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "市科协"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Qujing Association for Science and Technology"),
        (PK + "fullName", "曲靖市科学技术协会"),
        (PK + "region", iris.region_iri("530300")),
        (PK + "agencyType", iris.agency_type_iri("cast")),
    }
    # the abbreviation as written (宣传部 after 市委组织部、) is kept beside the expanded name
    written = rows(qujing, f"SELECT ?w WHERE {{ <{iris.agency_iri('530300', '市委宣传部')}> skos:altLabel ?w }}")
    assert written == {("宣传部",)}
    # The type's concept is described once, in the vocabulary graph, not in each plan's graph.
    assert rows(qujing, f"SELECT ?p WHERE {{ <{iris.agency_type_iri('cast')}> ?p ?o }}") == set()
    concept = rows(store_of(agency_type_quads([CAST])), f"""SELECT ?n ?zh ?en WHERE {{
        <{iris.agency_type_iri('cast')}> a skos:Concept ; skos:notation ?n ; skos:inScheme <{iris.AGENCY_TYPE_SCHEME}> ;
        skos:prefLabel ?zh, ?en FILTER (lang(?zh) = "zh" && lang(?en) = "en") }}""")
    assert concept == {("cast", CAST.label_zh, CAST.label_en)}


def test_regions_chain_up_to_the_nation(qujing):
    got = rows(qujing, f"""SELECT ?code ?level ?label WHERE {{
        <{iris.region_iri('530300')}> skos:broader* ?r . ?r a pk:Region ; pk:adminCode ?code ;
           pk:level ?level ; rdfs:label ?label }}""")
    assert got == {("530300", "city", "曲靖市"), ("530000", "province", "云南省"),
                   ("100000", "national", "中华人民共和国")}


def test_every_resource_has_one_chinese_label(qujing):
    unlabelled = rows(qujing, """SELECT ?s WHERE { ?s a ?c .
        FILTER NOT EXISTS { ?s rdfs:label ?l FILTER (lang(?l) = "zh") } }""")
    assert unlabelled == set()
    twice = rows(qujing, """SELECT ?s WHERE { ?s rdfs:label ?a, ?b .
        FILTER (lang(?a) = "zh" && lang(?b) = "zh" && ?a != ?b) }""")
    assert twice == set()


def test_plans_citing_the_same_doc_number_share_one_document_node():
    store = store_of(plan_quads(qujing_plan()), plan_quads(guangyuan_plan()))
    got = rows(store, """SELECT ?file ?doc ?id WHERE {
        ?p pk:sourceFile ?file ; pk:implements ?doc . ?doc a pk:Plan ; dcterms:identifier ?id }""")
    shared = iris.document_iri(doc_number=SHARED_DOC_NUMBER, title=None)
    assert got == {("002_sample.txt", shared, SHARED_DOC_NUMBER), ("004_sample.txt", shared, SHARED_DOC_NUMBER)}
    titles = rows(store, f"SELECT ?t WHERE {{ <{shared}> dcterms:title ?t }}")
    assert len(titles) == 2  # each citing plan records the title it used
    title_only = rows(store, """SELECT ?doc WHERE { ?p pk:implements ?doc .
        FILTER NOT EXISTS { ?doc dcterms:identifier ?id } ?doc dcterms:title ?t ; rdfs:label ?t }""")
    assert len(title_only) == 1


def test_an_unresolved_agency_still_gets_a_labelled_node():
    unit = Unit(kind=UnitKind.ACTION, ordinal=1, title="任务", text="任务", span=Span(0, 2),
                roles=[RoleMention(Role.LEAD, "某局")])
    record = PlanRecord(source="x.txt", content_hash="", meta=PlanMeta(title="方案"), actions=[unit])
    store = store_of(plan_quads(ResolvedPlan(record=record, region=QUJING, agencies={}, regions=[QUJING])))
    got = rows(store, "SELECT ?a ?n WHERE { ?u pk:leadAgency ?a . ?a a pk:Agency ; rdfs:label ?n }")
    assert got == {(iris.agency_iri("530300", "某局"), "某局")}


def test_small_plan_maps_to_exactly_the_expected_graph():
    education = AgencyType("education", "教育", "Education", "教育部")
    target = TargetStatement("建立2个站点", "站点", Decimal("2"), "个", "=", span=Span(5, 11))
    unit = Unit(kind=UnitKind.ACTION, ordinal=1, title="建站", text="建站。建立2个站点", span=Span(0, 11),
                roles=[RoleMention(Role.LEAD, "市教体局")], targets=[target])
    record = PlanRecord(source="t.txt", content_hash="ff", meta=PlanMeta(title="方案", start_year=2021),
                        actions=[unit])
    plan = ResolvedPlan(record=record, region=None, regions=[],
                        agencies={"市教体局": Agency("市教体局", QUJING, type=education)})
    got = rdflib.Graph().parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object)
                                                   for q in plan_quads(plan)], format=ox.RdfFormat.N_TRIPLES),
                               format="nt")
    expected = rdflib.Graph().parse(format="turtle", data="""
        @prefix pk: <https://w3id.org/policykg/ontology#> . @prefix id: <https://w3id.org/policykg/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
        <https://w3id.org/policykg/id/plan/t> a pk:Plan, eli:LegalResource ; rdfs:label "方案"@zh ; dcterms:title "方案"@zh ;
            pk:sourceFile "t.txt" ; pk:contentHash "ff" ; pk:startYear "2021"^^xsd:gYear ;
            pk:hasAction <https://w3id.org/policykg/id/plan/t/action/1> .
        <https://w3id.org/policykg/id/plan/t/action/1> a pk:Action, eli:LegalResourceSubdivision ; rdfs:label "建站"@zh ;
            eli:is_part_of <https://w3id.org/policykg/id/plan/t> ;
            pk:text "建站。建立2个站点" ; pk:ordinal 1 ; pk:sourceStart 0 ; pk:sourceEnd 11 ;
            prov:wasDerivedFrom <https://w3id.org/policykg/id/plan/t> ;
            pk:leadAgency <https://w3id.org/policykg/id/agency/530300/市教体局> ;
            pk:hasTarget <https://w3id.org/policykg/id/plan/t/target/1> .
        <https://w3id.org/policykg/id/plan/t/target/1> a pk:Target ; rdfs:label "建立2个站点"@zh ;
            pk:text "建立2个站点" ; pk:indicator "站点" ; pk:value "2"^^xsd:decimal ; pk:unit "个" ; pk:comparator "=" ;
            pk:sourceStart 5 ; pk:sourceEnd 11 ; prov:wasDerivedFrom <https://w3id.org/policykg/id/plan/t> ;
            pk:statedBy <https://w3id.org/policykg/id/plan/t/action/1> .
        <https://w3id.org/policykg/id/agency/530300/市教体局> a pk:Agency ; rdfs:label "市教体局"@zh ;
            pk:region <https://w3id.org/policykg/id/region/530300> ;
            pk:agencyType <https://w3id.org/policykg/id/agency-type/education> .
    """)  # the region is only referred to: kg.corpus describes it once per store
    assert isomorphic(got, expected), sorted(set(got) ^ set(expected))


# ---- the scorer's questions (../shared/tools/score_gold.py, copied to tests/) -------------


def _scorer(store: ox.Store):
    spec = importlib.util.spec_from_file_location("score_gold_for_rdf", HERE / "score_gold.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def sparql(_endpoint, query):
        results = store.query(scorer.PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in results]

    scorer.sparql = sparql
    return scorer


def test_scorer_finds_every_plan_field_role_and_target():
    store = store_of(plan_quads(qujing_plan()), plan_quads(guangyuan_plan()), vocabulary_quads())
    score = _scorer(store).score_doc(None, qujing_gold())
    assert score["found"]
    assert score["plan_fields"] == (8, 8)
    assert score["role_f1"][0] == 1.0 and score["role_f1"][1] == 6
    assert score["unit_exact"] == (3, 3)
    assert score["target_f1"][0] == 1.0


# ---- the vocabulary graph ----------------------------------------------------------------


def test_agency_type_scheme_links_each_type_to_its_national_body():
    store = store_of(agency_type_quads([CAST, EDUCATION]))
    got = rows(store, f"""SELECT ?n ?zh ?en ?body WHERE {{
        ?c a skos:Concept ; skos:inScheme <{iris.AGENCY_TYPE_SCHEME}> ; skos:topConceptOf ?s ;
           skos:notation ?n ; skos:prefLabel ?zh, ?en ; pk:nationalCounterpart ?a .
        ?a a pk:Agency ; rdfs:label ?body ; pk:agencyType ?c ; pk:region/pk:adminCode "100000" .
        FILTER (lang(?zh) = "zh" && lang(?en) = "en") }}""")
    assert got == {(t.slug, t.label_zh, t.label_en, t.national_counterpart) for t in (CAST, EDUCATION)}
    assert {q.graph_name.value for q in agency_type_quads([CAST])} == {iris.VOCABULARY_GRAPH}


def test_vocabulary_holds_the_ontology_and_one_concept_per_mapped_type():
    quads = vocabulary_quads()
    assert {q.graph_name.value for q in quads} == {iris.VOCABULARY_GRAPH}
    store = store_of(quads)
    assert rows(store, "SELECT ?o WHERE { ?o a owl:Ontology }") == {("https://w3id.org/policykg/ontology",)}
    concepts = rows(store, "SELECT ?n WHERE { ?c a skos:Concept ; skos:notation ?n }")
    assert concepts == {(t.slug,) for t in agency_types()}


# ---- ELI and the RDF Data Cube, beside the pk: terms ---------------------------------------

ELI_QB = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
"""


def test_plans_and_units_are_eli_legal_resources():
    store = store_of(plan_quads(qujing_plan()), plan_quads(guangyuan_plan()))
    plan = iris.plan_iri("002_sample.txt")
    shared = iris.document_iri(doc_number=SHARED_DOC_NUMBER, title=None)
    got = rows(store, ELI_QB + f"""SELECT ?id ?date ?based WHERE {{
        <{plan}> a eli:LegalResource ; eli:id_local ?id ; eli:date_document ?date ; eli:based_on ?based .
        ?based a eli:LegalResource }}""")
    assert got == {("曲政发〔2022〕21号", "2022-04-26", shared),
                   ("曲政发〔2022〕21号", "2022-04-26", iris.document_iri(doc_number=None, title="曲靖市国民经济和社会发展第十四个五年规划纲要"))}
    assert rows(store, ELI_QB + f"SELECT ?id WHERE {{ <{shared}> eli:id_local ?id }}") == {(SHARED_DOC_NUMBER,)}
    parts = rows(store, ELI_QB + f"""SELECT ?cls ?label WHERE {{
        ?u a eli:LegalResourceSubdivision, ?cls ; rdfs:label ?label ; eli:is_part_of+ <{plan}> .
        FILTER (?cls IN (pk:Action, pk:Measure)) }}""")
    assert parts == {(PK + "Action", "青少年科学素质提升行动"), (PK + "Measure", "实施科学家精神进校园"),
                     (PK + "Measure", "建立应急科普宣教协同机制"), (PK + "Action", "科普经费保障")}
    # a measure is part of its action, not of the plan directly
    direct = rows(store, ELI_QB + f"SELECT ?u WHERE {{ ?u a pk:Measure ; eli:is_part_of <{plan}> }}")
    assert direct == set()


def test_dated_targets_of_a_regional_plan_are_data_cube_observations():
    store = store_of(plan_quads(qujing_plan()), vocabulary_quads())
    got = rows(store, ELI_QB + """SELECT ?code ?p442 ?period ?ind ?owner ?v ?unit ?cmp WHERE {
        ?o a qb:Observation, pk:Target ; qb:dataSet ?ds ; sdmx-dimension:refArea ?area ;
           sdmx-dimension:refPeriod ?period ; pk:indicator ?ind ; pk:statedBy ?owner ; pk:value ?v ;
           sdmx-attribute:unitMeasure ?unit ; pk:comparator ?cmp .
        ?ds a qb:DataSet ; qb:structure/a qb:DataStructureDefinition .
        ?area pk:adminCode ?code . OPTIONAL { ?area wdt:P442 ?p442 }
        FILTER (datatype(?period) = xsd:gYear) }""".replace("wdt:P442", "<http://www.wikidata.org/prop/direct/P442>"))
    # the two undated targets are not observations: a dimension would have no value
    assert got == {("530300", "53 03 00", "2025", "公民具备科学素质的比例", iris.plan_iri("002_sample.txt"), "13", "%", ">=")}


# The integrity constraints of the Data Cube spec (https://www.w3.org/TR/vocab-data-cube/#wf-rules)
# that a graph of our own can break; each query finds a violation.
CUBE_VIOLATIONS = {
    "IC-1 unique data set": """SELECT ?obs WHERE { ?obs a qb:Observation .
        { FILTER NOT EXISTS { ?obs qb:dataSet ?ds } } UNION
        { ?obs qb:dataSet ?d1, ?d2 . FILTER (?d1 != ?d2) } }""",
    "IC-2 unique DSD": """SELECT ?ds WHERE { ?ds a qb:DataSet .
        { FILTER NOT EXISTS { ?ds qb:structure ?dsd } } UNION
        { ?ds qb:structure ?a, ?b . FILTER (?a != ?b) } }""",
    "IC-11 all dimensions required": """SELECT ?obs ?dim WHERE { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12 no duplicate observations": """SELECT ?a ?b WHERE { ?a qb:dataSet ?ds . ?b qb:dataSet ?ds . FILTER (?a != ?b)
        FILTER NOT EXISTS { ?ds qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty .
          ?a ?dim ?va . ?b ?dim ?vb . FILTER (?va != ?vb) } }""",
    "IC-14 all measures present": """SELECT ?obs ?m WHERE { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?m .
        ?m a qb:MeasureProperty . FILTER NOT EXISTS { ?obs ?m [] } }""",
}


def cube_violations(store: ox.Store) -> dict[str, set]:
    return {name: found for name, q in CUBE_VIOLATIONS.items() if (found := rows(store, ELI_QB + q))}


def test_sample_observations_meet_the_data_cube_integrity_constraints():
    store = store_of(plan_quads(qujing_plan()), plan_quads(guangyuan_plan()), vocabulary_quads())
    assert rows(store, ELI_QB + "SELECT ?o WHERE { ?o a qb:Observation }")
    assert cube_violations(store) == {}
    # and the checks do catch a broken observation
    store.update(ELI_QB + "DELETE { GRAPH ?g { ?o sdmx-dimension:refPeriod ?p } } WHERE { GRAPH ?g { ?o sdmx-dimension:refPeriod ?p } }")
    assert set(cube_violations(store)) == {"IC-11 all dimensions required"}


def test_corpus_observations_meet_the_data_cube_integrity_constraints(corpus_store):
    from kg.store import open_read_only

    store = open_read_only(corpus_store)
    observations = rows(store, ELI_QB + "SELECT ?o WHERE { ?o a qb:Observation }")
    dated = rows(store, """SELECT ?t WHERE { ?t a pk:Target ; pk:targetYear ?y ; pk:indicator ?i ;
        prov:wasDerivedFrom/pk:region ?r }""")
    assert observations == dated and len(observations) > 5
    assert cube_violations(store) == {}
