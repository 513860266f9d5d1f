"""Regions: names as plans write them → GB/T 2260 codes, levels and parent chains."""

from __future__ import annotations

import time
import warnings

import pytest

from kg.model import Region
from kg.regions import NATION, find_region_prefix, region_by_code, region_chain, resolve_region


def test_the_bundled_plans_regions_match_the_gold(gold):
    seen = set()
    for case in gold.values():
        expected = case["plan"]["region"]
        region = resolve_region(expected["name"])
        assert region is not None, expected
        assert (region.code, region.level) == (expected["admin_code"], expected["level"])
        seen.add(region.code)
    assert seen == {"220000", "530300", "350103", "510800"}


@pytest.mark.parametrize(
    ("name", "code", "level", "official"),
    [
        ("吉林省", "220000", "province", "吉林省"),
        ("曲靖市", "530300", "city", "曲靖市"),
        ("福州市台江区", "350103", "county", "台江区"),
        ("广元市", "510800", "city", "广元市"),
        ("赤壁市", "421281", "county", "赤壁市"),  # 县级市 of 咸宁市
        ("儋州市", "460400", "city", "儋州市"),  # 地级 since 2015; never the old 469003
        ("百色市", "451000", "city", "百色市"),
        ("德阳市", "510600", "city", "德阳市"),
        ("北京市", "110000", "province", "北京市"),  # a municipality is province level
        ("重庆市", "500000", "province", "重庆市"),
        ("广西壮族自治区", "450000", "province", "广西壮族自治区"),
        ("仙桃市", "429004", "county", "仙桃市"),  # 省直辖县级市
        ("北京市朝阳区", "110105", "county", "朝阳区"),
        ("吉林省吉林市", "220200", "city", "吉林市"),
        # short forms, as cpca reads them
        ("曲靖", "530300", "city", "曲靖市"),
        ("广西", "450000", "province", "广西壮族自治区"),
        ("吉林", "220000", "province", "吉林省"),  # the province before 吉林市
        ("福州台江区", "350103", "county", "台江区"),
        (" 福州市 台江区 ", "350103", "county", "台江区"),
    ],
)
def test_names_resolve_to_codes_levels_and_official_names(name, code, level, official):
    region = resolve_region(name)
    assert region is not None
    assert (region.code, region.level, region.name) == (code, level, official)
    assert region_by_code(code) == region


@pytest.mark.parametrize("name", ["中华人民共和国", "全国", "国家", "中国"])
def test_the_nation(name):
    assert resolve_region(name) == NATION
    assert (NATION.code, NATION.level, NATION.parent_code) == ("100000", "national", None)


@pytest.mark.parametrize(
    "name",
    ["", "某某市", "科协", "市", "县", "市辖区", "省直辖县级行政区划", "吉林省科协", "曲靖市台江区", "福州市城区"],
)
def test_unknown_or_inconsistent_names_give_none(name):
    assert resolve_region(name) is None


def test_a_shared_name_needs_a_context_and_never_gets_a_guess():
    assert resolve_region("鼓楼区") is None  # 福州, 南京, 徐州, 开封
    assert resolve_region("鼓楼区", within=resolve_region("福州市")).code == "350102"
    assert resolve_region("鼓楼区", within=resolve_region("江苏省")) is None  # 南京 and 徐州
    assert resolve_region("鼓楼区", within=resolve_region("南京市")).code == "320106"
    # a sibling district is context enough
    assert resolve_region("鼓楼区", within=resolve_region("台江区")).code == "350102"
    assert resolve_region("朝阳区", within=resolve_region("北京市")).code == "110105"
    assert resolve_region("朝阳区", within=resolve_region("吉林省")).code == "220104"
    # a context does not override an unambiguous name
    assert resolve_region("台江区", within=resolve_region("吉林省")).code == "350103"


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("350103", ["350103", "350100", "350000", "100000"]),
        ("530300", ["530300", "530000", "100000"]),
        ("220000", ["220000", "100000"]),
        ("421281", ["421281", "421200", "420000", "100000"]),
        ("110105", ["110105", "110000", "100000"]),  # no 市辖区 110100 in between
        ("500233", ["500233", "500000", "100000"]),  # 忠县: not the placeholder 500200 县
        ("429004", ["429004", "420000", "100000"]),  # not the placeholder 429000
        ("100000", ["100000"]),
    ],
)
def test_chains_run_up_to_the_province_then_the_nation(code, chain):
    region = region_by_code(code)
    assert [r.code for r in region_chain(region)] == chain
    # every parent is a real region whose name comes from the gazetteer
    assert all(r.name and "辖" not in r.name and r.name != "县" for r in region_chain(region))


def test_chain_names_come_from_the_gazetteer():
    chain = region_chain(region_by_code("350103"))
    assert [r.name for r in chain] == ["台江区", "福州市", "福建省", "中华人民共和国"]
    assert [r.level for r in chain] == ["county", "city", "province", "national"]


def test_region_chain_returns_a_fresh_list():
    chain = region_chain(region_by_code("350103"))
    chain.clear()
    assert len(region_chain(region_by_code("350103"))) == 4


def test_placeholders_and_unknown_codes_are_not_regions():
    for code in ["110100", "500200", "469000", "999999", "469003", "abc"]:
        assert region_by_code(code) is None


@pytest.mark.parametrize(
    ("text", "code", "length"),
    [
        ("吉林省科协", "220000", 3),
        ("曲靖市科学技术协会", "530300", 3),
        ("福州市台江区教育局", "350103", 6),
        ("广元市总工会", "510800", 3),
        ("国家统计局", "100000", 2),
        ("中华人民共和国教育部", "100000", 7),
        ("福州台江区科协", "350103", 5),  # a short form followed by a further name
        ("吉林省吉林市", "220200", 6),
        ("佛山市鼓楼区", "440600", 3),  # 鼓楼区 is not in 佛山: the run stops at the city
    ],
)
def test_find_region_prefix(text, code, length):
    region, end = find_region_prefix(text)
    assert (region.code, end) == (code, length)


@pytest.mark.parametrize("text", ["市科协", "区人社局", "科协", "中山大学", "吉林大学", "", "鼓楼区教育局"])
def test_no_prefix(text):
    # a bare short form opens too many ordinary names to count; shared names need a context
    assert find_region_prefix(text) is None


def test_prefix_with_context():
    region, end = find_region_prefix("鼓楼区教育局", within=resolve_region("福州市"))
    assert (region.code, end) == ("350102", 3)


def test_agrees_with_cpcas_own_matcher():
    """We read cpca's table ourselves; its own matcher must find the same codes."""
    names = ["吉林省", "曲靖市", "福州市台江区", "广元市", "赤壁市", "儋州市", "百色市", "德阳市", "仙桃市"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, pandas may warn
        import cpca

        frame = cpca.transform(names)
    theirs = [str(code)[:6] for code in frame["adcode"]]
    assert theirs == [resolve_region(n).code for n in names]


def test_fast_enough_for_ten_thousand_documents():
    tails = ["台江区", "鼓楼区", "科协", "吉林市", "教育局"]
    names = [f"{p}{c}" for p in ["", "福州市", "吉林省"] for c in tails]
    start = time.perf_counter()
    for i in range(200):
        for name in names:
            find_region_prefix(name + "x" * (i % 3))  # defeat the cache
    assert time.perf_counter() - start < 2.0


def test_a_hand_made_region_chains_through_the_gazetteer():
    made = Region(code="350199", name="某新区", level="county", parent_code="350100")
    assert [r.code for r in region_chain(made)] == ["350199", "350100", "350000", "100000"]
