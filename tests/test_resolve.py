"""The resolve step on the bundled documents' gold facts and on plans of other regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.model import PlanMeta, PlanRecord, ResolvedPlan, Role, RoleMention, Unit, UnitKind
from kg.regions import NATION
from kg.resolve import plan_region, resolve_plan

GOLD = Path(__file__).resolve().parent / "gold"
DOCS = {p.stem[:3]: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}


def record_from_gold(doc: dict, *, region_name: str | None = None) -> PlanRecord:
    """The gold facts as the extract step should hand them over."""
    units = []
    for u in doc["units"]:
        roles = [RoleMention(Role.LEAD, n) for n in u["lead"]]
        roles += [RoleMention(Role.COOPERATING, n) for n in u["cooperating"]]
        roles += [RoleMention(Role.RESPONSIBLE, n) for n in u.get("responsible") or []]
        units.append(Unit(UnitKind.ACTION, u["ordinal"], u["title"], u["title"], roles=roles))
    meta = PlanMeta(doc["plan"]["title"], region_name=region_name, issuers=list(doc["plan"]["issuers"]))
    return PlanRecord(doc["doc"], "0", meta, actions=units)


def plan(names: list[str], title: str, *, issuers: tuple[str, ...] = (), region_name: str | None = None) -> ResolvedPlan:
    unit = Unit(UnitKind.MEASURE, 1, "t", "t", roles=[RoleMention(Role.LEAD, n) for n in names])
    meta = PlanMeta(title, region_name=region_name, issuers=list(issuers))
    return resolve_plan(PlanRecord("x.txt", "0", meta, actions=[unit]))


@pytest.mark.parametrize("key", sorted(DOCS))
def test_plan_region_from_the_title_and_issuers(key: str) -> None:
    doc = DOCS[key]
    gold = doc["plan"]["region"]
    by_title = plan_region(PlanMeta(doc["plan"]["title"], issuers=doc["plan"]["issuers"]))
    by_name = plan_region(PlanMeta("实施方案", region_name=gold["name"]))
    assert by_title is not None and by_name is not None
    assert (by_title.code, by_title.level) == (by_name.code, by_name.level) == (gold["admin_code"], gold["level"])


@pytest.mark.parametrize("key", sorted(DOCS))
def test_every_gold_agency_is_resolved_and_typed(key: str) -> None:
    doc = DOCS[key]
    resolved = resolve_plan(record_from_gold(doc, region_name=doc["plan"]["region"]["name"]))
    names = set(doc["plan"]["issuers"]) | {n for u in doc["units"] for r in ("lead", "cooperating", "responsible") for n in u.get(r) or []}
    assert set(resolved.agencies) == names
    assert [a.name for a in resolved.agencies.values() if a.type is None] == []
    assert all(a.pinyin for a in resolved.agencies.values())
    codes = [r.code for r in resolved.regions]
    assert len(codes) == len(set(codes)) and codes[0] == doc["plan"]["region"]["admin_code"] and codes[-1] != codes[0]
    assert NATION in resolved.regions


def test_agency_regions_in_the_bundled_plans() -> None:
    jilin, qujing, taijiang, guangyuan = (
        resolve_plan(record_from_gold(DOCS[k])).agencies for k in ("001", "002", "003", "004")
    )
    assert {a.region.code for n, a in jilin.items() if n != "中科院长春分院"} == {"220000"}
    assert jilin["中科院长春分院"].region == NATION
    assert {a.region.code for n, a in qujing.items() if not n.startswith("云南")} == {"530300"}
    assert qujing["云南能源职业技术学院"].region.code == "530000"  # 云南 is the province
    assert qujing["云南工业技师学联"].region.code == "530000"  # the typo goes with its sibling
    assert qujing["云南工业技师学联"].type == qujing["云南工业技师学院"].type
    assert {a.region.code for a in taijiang.values()} == {"350103"}
    assert {a.region.code for a in guangyuan.values()} == {"510800"}


@pytest.mark.parametrize(
    ("key", "name", "full_name", "slug", "label_en"),
    [
        ("002", "市科协", "曲靖市科学技术协会", "cast", "Qujing Municipal Association for Science and Technology"),
        ("002", "市委宣传部", "中共曲靖市委宣传部", "propaganda", "Publicity Department of the CPC Qujing Municipal Committee"),
        ("002", "团市委", "共青团曲靖市委员会", "youth-league", "Qujing Municipal Committee of the Communist Youth League"),
        ("002", "市教体局", "曲靖市教育体育局", "education", "Qujing Municipal Education and Sports Bureau"),
        ("002", "曲靖师院", "曲靖师范学院", "university", "Qujing Normal University"),
        ("002", "云南能源职业技术学院", "云南能源职业技术学院", "vocational-college", None),
        ("003", "区人社局", "福州市台江区人力资源和社会保障局", "hrss", "Taijiang District Human Resources and Social Security Bureau"),
        ("003", "团区委", "共青团福州市台江区委员会", "youth-league", "Taijiang District Committee of the Communist Youth League"),
        ("003", "区委党校", "中共福州市台江区委党校", "party-school", "Party School of the CPC Taijiang District Committee"),
        ("001", "省人力资源社会保障厅", "吉林省人力资源和社会保障厅", "hrss", "Jilin Provincial Department of Human Resources and Social Security"),
        ("001", "吉林省人民政府办公厅", "吉林省人民政府办公厅", "general-office", "General Office of the Jilin Provincial People's Government"),
        ("001", "中科院长春分院", "中国科学院长春分院", "cas", None),
        ("000", "吉林省科协", "吉林省科学技术协会", "cast", "Jilin Provincial Association for Science and Technology"),
        ("000", "吉林省工商联", "吉林省工商业联合会", "federation-industry-commerce", "Jilin Provincial Federation of Industry and Commerce"),
        ("004", "组宣部", "广元市总工会组织宣传部", "union-department", "Organization and Publicity Department of the Guangyuan Municipal Federation of Trade Unions"),
    ],
)
def test_full_names_types_and_labels(key: str, name: str, full_name: str, slug: str, label_en: str | None) -> None:
    agency = resolve_plan(record_from_gold(DOCS[key])).agencies[name]
    assert (agency.full_name, agency.type and agency.type.slug, agency.label_en) == (full_name, slug, label_en)


def test_pinyin() -> None:
    agencies = resolve_plan(record_from_gold(DOCS["002"])).agencies
    assert (agencies["市科协"].pinyin, agencies["市文旅局"].pinyin) == ("shi ke xie", "shi wen lü ju")


def test_county_plan_reads_level_words_up_its_chain() -> None:
    resolved = plan(["县教育局", "县人社局", "市科协", "省科协", "团县委", "县委", "中国科协"], "寿宁县全民科学素质行动实施方案")
    a = resolved.agencies
    assert resolved.region is not None and resolved.region.code == "350924"
    assert {n: a[n].region.code for n in a} == {
        "县教育局": "350924", "县人社局": "350924", "团县委": "350924", "县委": "350924",
        "市科协": "350900", "省科协": "350000", "中国科协": "100000",
    }
    assert a["县人社局"].full_name == "寿宁县人力资源和社会保障局"
    assert a["县委"].full_name == "中共寿宁县委员会" and a["县委"].type.slug == "party-committee"
    assert a["市科协"].full_name == "宁德市科学技术协会"
    assert a["中国科协"].full_name == "中国科学技术协会" and a["中国科协"].label_en == "China Association for Science and Technology"
    assert [r.code for r in resolved.regions] == ["350924", "350900", "350000", "100000"]


def test_county_level_city_is_the_shi_of_its_own_plan() -> None:
    """赤壁市 is a county-level city: in its plan 市科协 is 赤壁市's, 省科协 is 湖北省's."""
    a = plan(["市科协", "省科协"], "赤壁市全民科学素质行动实施方案").agencies
    assert (a["市科协"].region.code, a["省科协"].region.code) == ("421281", "420000")
    assert a["市科协"].label_en == "Chibi Municipal Association for Science and Technology"


def test_autonomous_prefecture_and_explicit_places() -> None:
    a = plan(["州委宣传部", "州科协", "福州市科协", "云南省科协"], "楚雄彝族自治州全民科学素质行动实施方案").agencies
    assert a["州委宣传部"].region.code == a["州科协"].region.code == "532300"
    assert a["州委宣传部"].full_name == "中共楚雄彝族自治州委宣传部"
    assert a["州科协"].label_en == "Chuxiong Prefectural Association for Science and Technology"
    assert (a["福州市科协"].region.code, a["云南省科协"].region.code) == ("350100", "530000")


def test_region_from_issuers_when_the_title_names_none() -> None:
    resolved = plan(["市科协"], "全民科学素质行动实施方案", issuers=("曲靖市人民政府",))
    assert resolved.region is not None and resolved.region.code == "530300"
    assert resolved.agencies["市科协"].region.code == "530300"
    national = plan(["教育部", "科技部"], "全民科学素质行动规划纲要", issuers=("国务院",))
    assert national.region == NATION and {a.region for a in national.agencies.values()} == {NATION}
    assert [r.code for r in national.regions] == ["100000"]


def test_unknown_region_is_a_warning_not_a_guess() -> None:
    resolved = plan(["市科协"], "全民科学素质行动实施方案")
    assert resolved.region is None
    assert any("plan region not found" in w for w in resolved.warnings)
    assert resolved.agencies["市科协"].region == NATION


def test_untyped_agency_keeps_region_and_a_full_name() -> None:
    a = plan(["区人防办"], "福州市台江区实施方案").agencies["区人防办"]
    assert (a.type, a.region.code, a.full_name) == (None, "350103", "福州市台江区人防办")


def test_level_word_outside_the_plan_chain_gets_no_invented_full_name() -> None:
    """市城管局 in a provincial plan stands for the cities' bureaus: no 广西壮族自治区城管局."""
    resolved = plan(["市城管局", "自治区党委宣传部"], "广西壮族自治区全民科学素质行动实施方案")
    a = resolved.agencies
    assert (a["市城管局"].region.code, a["市城管局"].full_name, a["市城管局"].type.slug) == ("450000", None, "urban-management")
    assert any(w.startswith("市城管局: 市 names no level") for w in resolved.warnings)
    assert a["自治区党委宣传部"].full_name == "中共广西壮族自治区委员会宣传部"
    assert a["自治区党委宣传部"].region.code == "450000"
