"""The agency network from a real store: graph, counts against SPARQL, GraphML/GEXF, page HTML."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import iris
from kg.errors import KgError
from kg.network import export_network, load_network_data, network_graph, project, write_network_page
from kg.network_page import network_page_html
from kg.query import PREFIXES, execute
from kg.store import open_read_only, replace_store

PK = PREFIXES["pk"]
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
SKOS = PREFIXES["skos"]

REGIONS = {"530300": ("曲靖市", "city"), "350103": ("台江区", "county")}
TYPES = {"cast": ("科协", "Association for Science and Technology"), "education": ("教育", "Education"),
         "hrss": ("人力资源和社会保障", "Human Resources and Social Security"), "trade-union": ("工会", "Trade union")}
# (region, name as written, type, en label, full name)
AGENCIES = [
    ("530300", "市科协", "cast", "Qujing CAST", "曲靖市科学技术协会"),
    ("530300", "市教育体育局", "education", "Qujing Education and Sports Bureau", None),
    ("530300", "市人社局", "hrss", None, None),
    ("530300", "市总工会", "trade-union", None, None),
    ("350103", "区科协", "cast", None, None),
    ("350103", "区教育局", "education", None, None),
    ("350103", "区总工会", "trade-union", None, None),
]
# plan file → (region, [(action label, {role: names}, [measures: {role: names}])])
PLANS = {
    "a.txt": ("530300", [
        ("青少年科学素质提升行动", {"lead": ["市科协", "市教育体育局"], "cooperate": ["市人社局"]}, [
            {"lead": ["市科协"], "cooperate": ["市总工会", "市教育体育局"]},
            {"lead": ["市科协", "市教育体育局"]},
        ]),
        ("农民科学素质提升行动", {"responsible": ["市人社局", "市总工会"]}, []),
    ]),
    "b.txt": ("350103", [
        ("青少年科学素质行动", {"lead": ["区科协", "区教育局"]}, [{"lead": ["区总工会"], "cooperate": ["区科协"]}]),
    ]),
}
ROLE_PROPS = {"lead": "leadAgency", "cooperate": "cooperatingAgency", "responsible": "responsibleAgency"}


def pk(term: str) -> ox.NamedNode:
    return ox.NamedNode(PK + term)


def contract_quads(plans: dict = PLANS, agencies: list = AGENCIES) -> list[ox.Quad]:
    """Hand-made quads following the ontology contract (issue 2): plans → actions → measures
    with roles; agencies with region, type, labels; the vocabulary in its own graph."""
    vocab = ox.NamedNode(iris.VOCABULARY_GRAPH)
    q: list[ox.Quad] = []
    for code, (name, level) in REGIONS.items():
        r = ox.NamedNode(iris.region_iri(code))
        q += [ox.Quad(r, RDF_TYPE, pk("Region"), vocab), ox.Quad(r, pk("adminCode"), ox.Literal(code), vocab),
              ox.Quad(r, pk("level"), ox.Literal(level), vocab), ox.Quad(r, LABEL, ox.Literal(name, language="zh"), vocab)]
    for slug, (zh, en) in TYPES.items():
        t = ox.NamedNode(iris.agency_type_iri(slug))
        q += [ox.Quad(t, RDF_TYPE, ox.NamedNode(SKOS + "Concept"), vocab),
              ox.Quad(t, ox.NamedNode(SKOS + "notation"), ox.Literal(slug), vocab),
              ox.Quad(t, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(zh, language="zh"), vocab),
              ox.Quad(t, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(en, language="en"), vocab)]
    region_of = {name: code for code, name, *_ in agencies}
    for source, (code, actions) in plans.items():
        g, plan = ox.NamedNode(iris.graph_iri(source)), ox.NamedNode(iris.plan_iri(source))
        q += [ox.Quad(plan, RDF_TYPE, pk("Plan"), g), ox.Quad(plan, pk("region"), ox.NamedNode(iris.region_iri(code)), g),
              ox.Quad(plan, ox.NamedNode(PREFIXES["dcterms"] + "title"), ox.Literal(f"{source} 实施方案"), g)]
        names = set()
        for i, (label, roles, measures) in enumerate(actions, 1):
            action = ox.NamedNode(iris.action_iri(source, i))
            q += [ox.Quad(plan, pk("hasAction"), action, g), ox.Quad(action, RDF_TYPE, pk("Action"), g),
                  ox.Quad(action, LABEL, ox.Literal(label, language="zh"), g), ox.Quad(action, pk("ordinal"), ox.Literal(i), g)]
            units = [(action, roles)]
            for j, m_roles in enumerate(measures, 1):
                measure = ox.NamedNode(iris.measure_iri(source, i, j))
                q += [ox.Quad(action, pk("hasMeasure"), measure, g), ox.Quad(measure, RDF_TYPE, pk("Measure"), g)]
                units.append((measure, m_roles))
            for unit, by_role in units:
                for role, who in by_role.items():
                    for name in who:
                        names.add(name)
                        agency = ox.NamedNode(iris.agency_iri(region_of[name], name))
                        q.append(ox.Quad(unit, pk(ROLE_PROPS[role]), agency, g))
        for a_code, name, slug, en, full in agencies:
            if name not in names:
                continue
            a = ox.NamedNode(iris.agency_iri(a_code, name))
            q += [ox.Quad(a, RDF_TYPE, pk("Agency"), g), ox.Quad(a, LABEL, ox.Literal(name, language="zh"), g),
                  ox.Quad(a, pk("region"), ox.NamedNode(iris.region_iri(a_code)), g)]
            if slug:
                q.append(ox.Quad(a, pk("agencyType"), ox.NamedNode(iris.agency_type_iri(slug)), g))
            if en:
                q.append(ox.Quad(a, LABEL, ox.Literal(en, language="en"), g))
            if full:
                q.append(ox.Quad(a, pk("fullName"), ox.Literal(full, language="zh"), g))
    return q


def make_store(path: Path, quads: list[ox.Quad]) -> Path:
    """Load ``quads`` the way ``kg build`` does: a new version, bulk-loaded, swapped in."""
    replace_store(path, [ox.serialize(quads, format=ox.RdfFormat.N_QUADS)])
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("net") / "store", contract_quads())


def sparql_counts(store: ox.Store, region: str | None = None) -> tuple[int, int]:
    """Agencies with a role, and distinct co-lead + lead→cooperate pairs, by SPARQL alone."""
    only = (lambda v: f'?{v} pk:region/pk:adminCode "{region}" .') if region else (lambda v: "")
    nodes = execute(store, f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?u pk:leadAgency|pk:cooperatingAgency|pk:responsibleAgency ?a . {only("a")} }}""")
    co = execute(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?a ?b WHERE {{
        ?u pk:leadAgency ?a, ?b . FILTER(STR(?a) < STR(?b)) {only("a")} {only("b")} }} }}""")
    lc = execute(store, f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?a ?b WHERE {{
        ?u pk:leadAgency ?a ; pk:cooperatingAgency ?b . FILTER(?a != ?b) {only("a")} {only("b")} }} }}""")
    n = int(next(nodes)["n"].value)
    return n, int(next(co)["n"].value) + int(next(lc)["n"].value)


def test_agency_level_matches_sparql(store_path):
    store = open_read_only(store_path)
    g = network_graph(store)
    assert (g.number_of_nodes(), g.number_of_edges()) == sparql_counts(store) == (7, 7)
    kecie, edu = iris.agency_iri("530300", "市科协"), iris.agency_iri("530300", "市教育体育局")
    node = g.nodes[kecie]
    assert (node["label"], node["label_en"], node["full_name"]) == ("市科协", "Qujing CAST", "曲靖市科学技术协会")
    assert (node["region_code"], node["region_name"], node["type"], node["type_en"]) == (
        "530300", "曲靖市", "cast", "Association for Science and Technology")
    assert (node["led"], node["cooperated"], node["responsible"]) == (3, 0, 0)
    assert node["pinyin"] == "shikexie"  # none in the store: computed for search
    assert g.edges[*sorted((kecie, edu)), "co-lead"]["weight"] == 2  # the action and its 2nd measure
    assert g.edges[kecie, edu, "lead-cooperate"]["weight"] == 1
    hrss = g.nodes[iris.agency_iri("530300", "市人社局")]
    assert (hrss["led"], hrss["cooperated"], hrss["responsible"]) == (0, 1, 1)


def test_region_filter_matches_sparql(store_path):
    store = open_read_only(store_path)
    g = network_graph(store, regions=["350103"])
    assert (g.number_of_nodes(), g.number_of_edges()) == sparql_counts(store, "350103") == (3, 2)


def test_type_level_counts_units_and_regions(store_path):
    g = network_graph(open_read_only(store_path), level="type")
    assert sorted(g.nodes) == ["cast", "education", "hrss", "trade-union"]
    assert [(*sorted((u, v)), d["units"], d["regions"]) for u, v, d in g.edges(data=True)] == [
        ("cast", "education", 3, 2)]
    assert (g.nodes["cast"]["agencies"], g.nodes["cast"]["regions"], g.nodes["cast"]["label_en"]) == (
        2, 2, "Association for Science and Technology")


def test_role_and_action_projection(store_path):
    data = load_network_data(open_read_only(store_path))
    lead_only = project(data, roles=["lead"])
    assert {d["kind"] for *_, d in lead_only.edges(data=True)} == {"co-lead"}
    assert lead_only.number_of_nodes() == 5  # the agencies that lead something
    farmers = [a for a, label in data.actions.items() if label.startswith("农民")]
    g = project(data, actions=farmers)
    assert (g.number_of_nodes(), g.number_of_edges()) == (2, 0)
    with pytest.raises(KgError, match="unknown role"):
        project(data, roles=["boss"])
    with pytest.raises(KgError, match="unknown network level"):
        project(data, level="planet")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_round_trip(store_path, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    n = export_network(store_path, fmt, out)
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert n == back.number_of_nodes() + back.number_of_edges() == 14
    node = back.nodes[iris.agency_iri("530300", "市科协")]
    assert node["label"] == "市科协" and node["type"] == "cast" and int(node["led"]) == 3
    kinds = sorted(d["kind"] for *_, d in back.edges(data=True))
    assert kinds.count("co-lead") == 2 and kinds.count("lead-cooperate") == 5


def test_export_rejects_unknown_format(store_path, tmp_path):
    with pytest.raises(KgError, match="unknown network format"):
        export_network(store_path, "dot", tmp_path / "x.dot")


def test_page_is_self_contained(store_path, tmp_path):
    out = write_network_page(store_path, tmp_path / "sub" / "net.html", level="agency", regions=[])
    html = out.read_text(encoding="utf-8")
    assert "var network" in html and "nodes = new vis.DataSet" in html and "edges = new vis.DataSet" in html
    for remote in ("<script src", "<link", "cdnjs", "jsdelivr", "bootstrap.min"):
        assert remote not in html
    assert not (tmp_path / "lib").exists() and not Path("lib/bindings").exists()


def test_page_escapes_document_text(tmp_path):
    evil = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    agencies = [("530300", evil, "cast", "</script>&amp;", None), ("530300", "市教育体育局", None, None, None)]
    plans = {"x.txt": ("530300", [("</title>行动", {"lead": [evil, "市教育体育局"]}, [])])}
    path = make_store(tmp_path / "store", contract_quads(plans, agencies))
    html = network_page_html(path)
    assert "<img" not in html and "</script><script>alert" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # the label is there, escaped


def test_missing_store_is_a_kg_error(tmp_path):
    with pytest.raises(KgError, match="no store here"):
        network_page_html(tmp_path / "nothing")


def test_corpus_network_matches_sparql(corpus_store):
    store = open_read_only(corpus_store)
    g = network_graph(store)
    assert (g.number_of_nodes(), g.number_of_edges()) == sparql_counts(store)
    assert g.number_of_nodes() > 20 and g.number_of_edges() > 20
    types = network_graph(store, level="type")
    assert nx.get_node_attributes(types, "label_en") and all(d["units"] >= 1 for *_, d in types.edges(data=True))
    # The graph is the picture of co-leading across regions: some pair of types co-leads in more than one.
    assert max(d["regions"] for *_, d in types.edges(data=True)) > 1
