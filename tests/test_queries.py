"""Every example query in queries/ runs on the bundled corpus and gives the answer the
hand-checked gold (tests/gold/*.json) implies.

Each check runs twice: on the corpus built by the real pipeline, and on the graph the map step
makes from the gold facts themselves (``sample_plans.gold_plan``), which checks the queries and
the mapping apart from extraction.

Gold fixes which plans, units, roles and targets exist. Where a question groups by agency type
or an agency's region (which gold does not record), the expected answer takes each gold agency's
type and region from the graph with one flat look-up, and does the grouping itself — so what is
tested is the query's logic, against gold facts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.paths import QUERIES_DIR
from kg.query import execute
from kg.corpus import add_corpus_graph
from kg.rdf import plan_quads, vocabulary_quads
from kg.store import open_read_only

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_plans import gold_plan  # noqa: E402

ROLES = ("lead", "cooperating", "responsible")


def norm(s: str | None) -> str:
    """The scorer's normalisation (../shared/tools/score_gold.py)."""
    return re.sub(r"[\s\u3000，。、；：（）()“”\"'·—\-?？]", "", s or "")


def run(store: ox.Store, name: str) -> list[dict[str, str]]:
    results = execute(store, (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8"))
    names = [v.value for v in results.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in results]


@pytest.fixture(scope="module", params=["corpus", "mapped-gold"])
def store(request, gold) -> ox.Store:
    if request.param == "corpus":
        return open_read_only(request.getfixturevalue("corpus_store"))
    store = ox.Store()
    store.extend(vocabulary_quads())
    for g in gold.values():
        store.extend(plan_quads(gold_plan(g)))
    add_corpus_graph(store)
    return store


@pytest.fixture(scope="module")
def agency_facts(store) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(file, name as written) → (region code, type notation) for agencies named in units."""
    results = execute(store, """SELECT DISTINCT ?file ?name ?code ?type WHERE {
        ?plan pk:sourceFile ?file ; pk:hasAction/pk:hasMeasure? ?u .
        ?u pk:leadAgency|pk:cooperatingAgency|pk:responsibleAgency ?a .
        ?a rdfs:label|skos:altLabel ?name ; pk:region/pk:adminCode ?code .
        OPTIONAL { ?a pk:agencyType/skos:notation ?type } }""")
    return {(s["file"].value, s["name"].value): (s["code"].value, s["type"].value if s["type"] else None)
            for s in results}


def gold_units(gold):
    for g in gold.values():
        for unit in g["units"]:
            yield g, unit


# ---- the files themselves ----------------------------------------------------------------

TESTED = {
    "lead_agencies_ranked", "agency_types_co_leading_across_regions", "targets_with_year_and_region",
    "implementation_chain", "cooperating_partners", "units_without_lead", "co_lead_pairs",
    "targets_by_indicator", "agencies_per_type_per_region", "plans_per_region_level",
    "type_responsibilities_across_regions", "plans",
}


def test_every_query_file_is_commented_and_tested():
    files = {p.stem: p.read_text(encoding="utf-8") for p in QUERIES_DIR.glob("*.rq")}
    assert len(files) >= 10
    assert set(files) == TESTED
    for name, text in files.items():
        lines = text.splitlines()
        assert lines[0].startswith("# Question: "), name
        header = [ln for ln in lines if ln.startswith("#")]
        assert any(ln.startswith("# Returns: ") for ln in header), name


@pytest.mark.parametrize("name", sorted(TESTED))
def test_query_is_valid_sparql_that_finds_nothing_in_an_empty_store(name):
    assert run(ox.Store(), name) == []


# ---- answers on the corpus -----------------------------------------------------------------


def test_lead_agencies_ranked(store, gold):
    rows = run(store, "lead_agencies_ranked")
    counts = [int(r["units"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    expected = Counter()
    for g, unit in gold_units(gold):
        for name in set(unit["lead"]):
            expected[(g["doc"], name)] += 1
    assert Counter((r["name"], int(r["units"])) for r in rows) == Counter(
        (name, n) for (_doc, name), n in expected.items())


def test_agency_types_co_leading_across_regions(store, gold, agency_facts):
    regions: dict[str, set[str]] = {}
    for g, unit in gold_units(gold):
        leads = set(unit["lead"])
        if len(leads) < 2:
            continue
        for name in leads:
            code, kind = agency_facts[(g["doc"], name)]
            if kind:
                regions.setdefault(kind, set()).add(code)
    expected = {(kind, len(codes)) for kind, codes in regions.items() if len(codes) > 1}
    rows = run(store, "agency_types_co_leading_across_regions")
    assert {(r["notation"], int(r["regions"])) for r in rows} == expected


def test_targets_with_year_and_region(store, gold):
    rows = run(store, "targets_with_year_and_region")
    got = Counter((r["file"], round(float(r["value"]), 4), int(r["year"]) if "year" in r else None, r.get("code"))
                  for r in rows)
    expected = Counter((g["doc"], round(float(t["value"]), 4), t["year"], g["plan"]["region"]["admin_code"])
                       for g in gold.values() for t in g["targets"])
    assert got == expected


def test_implementation_chain(store, gold):
    by_number = {g["plan"]["doc_number"]: g for g in gold.values() if g["plan"].get("doc_number")}

    def reached(g, seen=()):  # the gold plan's documents, and theirs when they are gold plans too
        for ref in g["plan"]["implements"]:
            yield ref, not seen
            cited = by_number.get(ref.get("doc_number"))
            if cited is not None and cited["doc"] not in seen:
                yield from reached(cited, (*seen, g["doc"]))

    rows = run(store, "implementation_chain")
    for g in gold.values():
        mine = [r for r in rows if r["file"] == g["doc"]]
        refs = list(reached(g))
        assert {(r["docNumber"], r["direct"] == "true") for r in mine if "docNumber" in r} == {
            (ref["doc_number"], direct) for ref, direct in refs if ref.get("doc_number")}, g["doc"]
        titled = {}
        for r in mine:
            if "docNumber" not in r:
                titled.setdefault(r["document"], set()).add(norm(r.get("docTitle")))
        wanted = [norm(ref["title"]) for ref, _ in refs if not ref.get("doc_number")]
        assert len(titled) == len(wanted), (g["doc"], titled, wanted)
        assert all(any(t in titles for titles in titled.values()) for t in wanted), (g["doc"], titled)


def test_cooperating_partners_of_qujing_kexie(store, gold):
    expected = Counter()
    for g, unit in gold_units(gold):
        if g["plan"]["region"]["admin_code"] == "530300" and "市科协" in unit["lead"]:
            expected.update(set(unit["cooperating"]) - {"市科协"})
    assert expected  # the question has an answer on the bundled corpus
    rows = run(store, "cooperating_partners")
    assert {r["name"]: int(r["units"]) for r in rows} == dict(expected)


def test_units_without_lead(store, gold):
    rows = run(store, "units_without_lead")
    for g in gold.values():
        wanted = [u for u in g["units"] if not u["lead"] and (u["cooperating"] or u["responsible"])]
        mine = [r for r in rows if r["file"] == g["doc"]]
        assert len(mine) == len(wanted), g["doc"]
        texts = [norm(r.get("text")) for r in mine]
        for unit in wanted:
            assert any(norm(unit["title"])[:12] in t for t in texts), (g["doc"], unit["title"])
    assert rows  # 004's tasks name 责任单位 only


def test_co_lead_pairs(store, gold):
    expected = Counter()
    for g, unit in gold_units(gold):
        for a, b in combinations(sorted(set(unit["lead"])), 2):
            expected[(g["doc"], frozenset((a, b)))] += 1
    rows = run(store, "co_lead_pairs")
    got = Counter((frozenset((r["nameA"], r["nameB"])), int(r["units"])) for r in rows)
    assert got == Counter((pair, n) for (_doc, pair), n in expected.items())


def test_targets_by_indicator_keyword(store, gold):
    keyword = "科学素质"  # the VALUES line of the query
    expected = Counter((g["doc"], round(float(t["value"]), 4)) for g in gold.values() for t in g["targets"]
                       if keyword in t["indicator"] or keyword in t["text"])
    assert expected
    rows = run(store, "targets_by_indicator")
    assert Counter((r["file"], round(float(r["value"]), 4)) for r in rows) == expected


def test_agencies_per_type_per_region(store, gold, agency_facts):
    agencies: dict[tuple[str, str], set[str]] = {}
    for g, unit in gold_units(gold):
        for name in {a for role in ROLES for a in unit[role]}:
            code, kind = agency_facts[(g["doc"], name)]
            if kind:
                agencies.setdefault((code, kind), set()).add(name)
    rows = run(store, "agencies_per_type_per_region")
    assert {(r["code"], r["notation"]): int(r["agencies"]) for r in rows} == {
        key: len(names) for key, names in agencies.items()}


def test_plans_per_region_level(store, gold):
    rows = run(store, "plans_per_region_level")
    assert {r["level"]: int(r["plans"]) for r in rows} == dict(
        Counter(g["plan"]["region"]["level"] for g in gold.values()))


def test_type_responsibilities_across_regions(store, gold, agency_facts):
    expected = Counter()
    for g, unit in gold_units(gold):
        for role in ROLES:
            for name in set(unit[role]):
                code, kind = agency_facts[(g["doc"], name)]
                if kind == "cast":  # the VALUES line of the query
                    expected[(code, name, role)] += 1
    assert expected
    rows = run(store, "type_responsibilities_across_regions")
    assert Counter({(r["code"], r["name"], r["role"]): int(r["units"]) for r in rows}) == expected


def test_plans(store, gold):
    rows = {r["file"]: r for r in run(store, "plans")}
    assert set(rows) == {g["doc"] for g in gold.values()}
    for g in gold.values():
        row, plan = rows[g["doc"]], g["plan"]
        assert row.get("code") == plan["region"]["admin_code"]
        assert (row.get("start"), row.get("end")) == tuple(
            str(plan[k]) if plan.get(k) else None for k in ("start_year", "end_year"))
        assert row.get("docNumber") == plan.get("doc_number")
        assert row.get("issued") == plan.get("issued")
        assert set(filter(None, row.get("issuers", "").split("、"))) == set(plan["issuers"])
