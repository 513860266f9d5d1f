"""Hand-built ``ResolvedPlan`` objects (no text is parsed) for the map-step and shape tests.

Each builder returns a fresh object, so two calls model two independent rebuilds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kg.agencies import agency_types
from kg.model import (
    Agency,
    AgencyType,
    DocumentRef,
    PlanMeta,
    PlanRecord,
    Region,
    ResolvedPlan,
    Role,
    RoleMention,
    Span,
    TargetStatement,
    Unit,
    UnitKind,
)

NATION = Region(code="100000", name="中华人民共和国", level="national")
YUNNAN = Region(code="530000", name="云南省", level="province", parent_code="100000")
QUJING = Region(code="530300", name="曲靖市", level="city", parent_code="530000")
SICHUAN = Region(code="510000", name="四川省", level="province", parent_code="100000")
GUANGYUAN = Region(code="510800", name="广元市", level="city", parent_code="510000")



def table_type(slug: str) -> AgencyType:
    """The agency type of ``mappings/agency_types.csv`` with this slug, as the resolver gives it."""
    types = {t.slug: t for t in agency_types()}
    if slug not in types:
        raise LookupError(f"mappings/agency_types.csv has no type {slug!r}")
    return types[slug]


CAST = table_type("cast")
EDUCATION = table_type("education")
PROPAGANDA = table_type("propaganda")
GOVERNMENT = table_type("government")
TRADE_UNION = table_type("trade-union")

# The document both sample plans implement, cited by the same 文号 with different titles.
SHARED_DOC_NUMBER = "云政发〔2021〕29号"


def qujing_plan() -> ResolvedPlan:
    """A city plan: two actions, measures with lead/cooperating roles, an action with
    responsible agencies only, plan- and unit-level targets, an expanded abbreviation."""
    agencies = {
        "市教体局": Agency("市教体局", QUJING, full_name="曲靖市教育体育局", type=EDUCATION),
        "市科协": Agency("市科协", QUJING, full_name="曲靖市科学技术协会", type=CAST,
                       label_en="Qujing Association for Science and Technology", pinyin="shi kexie"),
        "市委宣传部": Agency("市委宣传部", QUJING, type=PROPAGANDA),
        "曲靖市人民政府": Agency("曲靖市人民政府", QUJING, type=GOVERNMENT),
    }
    m1 = Unit(
        kind=UnitKind.MEASURE, ordinal=1, title="实施科学家精神进校园",
        text="实施科学家精神进校园。每年培训教师3000人以上。(市教体局牵头,市科协、宣传部配合)",
        span=Span(120, 170),
        roles=[
            RoleMention(Role.LEAD, "市教体局", Span(150, 154)),
            RoleMention(Role.COOPERATING, "市科协", Span(157, 160)),
            RoleMention(Role.COOPERATING, "市委宣传部", Span(161, 164), written="宣传部"),
        ],
        targets=[TargetStatement("每年培训教师3000人以上", "培训教师", Decimal("3000"), "人", ">=",
                                 span=Span(131, 144))],
    )
    m2 = Unit(
        kind=UnitKind.MEASURE, ordinal=2, title="建立应急科普宣教协同机制",
        text="建立应急科普宣教协同机制。(市科协牵头,市科协配合)", span=Span(171, 200),
        roles=[RoleMention(Role.LEAD, "市科协"), RoleMention(Role.COOPERATING, "市科协")],
    )
    action1 = Unit(kind=UnitKind.ACTION, ordinal=1, title="青少年科学素质提升行动",
                   text="(一)青少年科学素质提升行动", span=Span(100, 115), measures=[m1, m2])
    action2 = Unit(
        kind=UnitKind.ACTION, ordinal=2, title="科普经费保障",
        text="科普经费保障。按1.5%—2.5%提取。(责任单位:市科协)", span=Span(300, 330),
        roles=[RoleMention(Role.RESPONSIBLE, "市科协")],
        targets=[TargetStatement("按1.5%—2.5%提取", "经费比例", Decimal("1.5"), "%", "=",
                                 value_max=Decimal("2.5"), span=Span(307, 318))],
    )
    meta = PlanMeta(
        title="曲靖市全民科学素质行动实施方案(2021—2025年)", region_name="曲靖市",
        start_year=2021, end_year=2025, doc_number="曲政发〔2022〕21号", issued=dt.date(2022, 4, 26),
        issuers=["曲靖市人民政府"],
        implements=[DocumentRef("云南省全民科学素质行动实施方案(2021—2025年)", SHARED_DOC_NUMBER),
                    DocumentRef("曲靖市国民经济和社会发展第十四个五年规划纲要", None)],
    )
    record = PlanRecord(
        source="002_sample.txt", content_hash="ab" * 32, meta=meta, actions=[action1, action2],
        targets=[TargetStatement("到2025年公民具备科学素质的比例达到13%", "公民具备科学素质的比例",
                                 Decimal("13"), "%", ">=", year=2025, span=Span(40, 60))],
    )
    return ResolvedPlan(record=record, region=QUJING, agencies=agencies,
                        regions=[QUJING, YUNNAN, NATION])


def guangyuan_plan() -> ResolvedPlan:
    """A second plan citing the same document as ``qujing_plan`` (by 文号, other title)."""
    agencies = {
        "市总工会": Agency("市总工会", GUANGYUAN, full_name="广元市总工会", type=TRADE_UNION),
        "组宣部": Agency("组宣部", GUANGYUAN, type=table_type("union-department")),
    }
    task = Unit(kind=UnitKind.MEASURE, ordinal=1, title="加强职工思想政治引领",
                text="加强职工思想政治引领。责任单位:组宣部", span=Span(10, 30),
                roles=[RoleMention(Role.RESPONSIBLE, "组宣部")])
    action = Unit(kind=UnitKind.ACTION, ordinal=1, title="主要任务", text="三、主要任务",
                  span=Span(5, 9), measures=[task])
    meta = PlanMeta(title="广元市职工素质建设工程五年规划(2016—2020年)", start_year=2016, end_year=2020,
                    issuers=["市总工会"],
                    implements=[DocumentRef("关于印发云南省全民科学素质行动实施方案的通知", SHARED_DOC_NUMBER)])
    record = PlanRecord(source="004_sample.txt", content_hash="cd" * 32, meta=meta, actions=[action])
    return ResolvedPlan(record=record, region=GUANGYUAN, agencies=agencies,
                        regions=[GUANGYUAN, SICHUAN, NATION])


def qujing_gold() -> dict:
    """``qujing_plan`` written as a gold file (tests/gold schema), for the scorer's questions."""
    return {
        "doc": "002_sample.txt",
        "plan": {
            "title": "曲靖市全民科学素质行动实施方案(2021—2025年)",
            "region": {"name": "曲靖市", "admin_code": "530300", "level": "city"},
            "start_year": 2021, "end_year": 2025, "doc_number": "曲政发〔2022〕21号",
            "issued": "2022-04-26", "issuers": ["曲靖市人民政府"],
            "implements": [
                {"title": "云南省全民科学素质行动实施方案(2021—2025年)", "doc_number": SHARED_DOC_NUMBER},
                {"title": "曲靖市国民经济和社会发展第十四个五年规划纲要", "doc_number": None},
            ],
        },
        "units": [
            {"ordinal": 1, "kind": "measure", "title": "实施科学家精神进校园",
             "lead": ["市教体局"], "cooperating": ["市科协", "宣传部"], "responsible": []},
            {"ordinal": 2, "kind": "measure", "title": "建立应急科普宣教协同机制",
             "lead": ["市科协"], "cooperating": ["市科协"], "responsible": []},
            {"ordinal": 3, "kind": "action", "title": "科普经费保障",
             "lead": [], "cooperating": [], "responsible": ["市科协"]},
        ],
        "targets": [{"value": 13}, {"value": 3000}, {"value": 1.5}],
    }


def gold_plan(gold: dict) -> ResolvedPlan:
    """A gold file (tests/gold schema) as a perfect extractor's ``PlanRecord``, resolved by the
    real resolver (``kg.resolve``): gold ``action`` units become actions, ``measure``/``task``
    units measures under an action named by their ``action``. No text is parsed: unit text is
    the gold title."""
    from kg.resolve import resolve_plan

    plan = gold["plan"]
    actions: list[Unit] = []
    by_title: dict[str, Unit] = {}
    for unit in gold["units"]:
        roles = [RoleMention(Role(role), name) for role in ("lead", "cooperating", "responsible") for name in unit[role]]
        if unit["kind"] == "action":
            actions.append(Unit(UnitKind.ACTION, len(actions) + 1, unit["title"], unit["title"], roles=roles))
            continue
        action = by_title.get(unit["action"])
        if action is None:
            action = by_title[unit["action"]] = Unit(UnitKind.ACTION, len(actions) + 1, unit["action"], unit["action"])
            actions.append(action)
        action.measures.append(Unit(UnitKind.MEASURE, len(action.measures) + 1, unit["title"], unit["title"],
                                    roles=roles))
    targets = [
        TargetStatement(t["text"], t["indicator"], Decimal(str(t["value"])), t["unit"], t["comparator"],
                        value_max=None if t.get("value_max") is None else Decimal(str(t["value_max"])),
                        year=t["year"])
        for t in gold["targets"]
    ]
    meta = PlanMeta(
        title=plan["title"], region_name=plan["region"]["name"], start_year=plan.get("start_year"),
        end_year=plan.get("end_year"), doc_number=plan.get("doc_number"),
        issued=dt.date.fromisoformat(plan["issued"]) if plan.get("issued") else None, issuers=list(plan["issuers"]),
        implements=[DocumentRef(d.get("title"), d.get("doc_number")) for d in plan["implements"]],
    )
    return resolve_plan(PlanRecord(source=gold["doc"], content_hash="", meta=meta, actions=actions, targets=targets))


def sample_store():  # -> pyoxigraph.Store
    """Both sample plans as ``kg build`` stores them: their graphs and links, the vocabulary
    graph and the corpus graph."""
    import pyoxigraph as ox

    from kg.corpus import add_corpus_graph
    from kg.links import link_quads
    from kg.rdf import plan_quads, vocabulary_quads

    store = ox.Store()
    for plan in (qujing_plan(), guangyuan_plan()):
        store.extend(plan_quads(plan) + link_quads(plan))
    store.extend(vocabulary_quads())
    add_corpus_graph(store)
    return store
