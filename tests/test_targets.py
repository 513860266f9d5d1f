"""Targets against the gold (tests/gold/*.json, NOTES.md §4–8): every gold clause on its own,
every bundled document as a whole (F1 over values, as the scorer counts them), reformatted
copies of the documents, and crafted sentences of the genre for what is and is not a target.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import opencc
import pytest

from kg.read import normalise, read_document
from kg.targets import distinct_targets, extract_targets, section_year

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "documents").glob("*.txt"))
GOLD = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "gold").glob("*.json"))}

_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f\s]+\)")
_FOLD = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "％": "%", **{chr(0xFF10 + i): str(i) for i in range(10)}})
_UNFOLD = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "%": "％", **{str(i): chr(0xFF10 + i) for i in range(10)}})


def fold(text: str) -> str:
    """What kg.read.normalise promises (pinyin removed, punctuation folded); idempotent, so it
    stays right once the full normaliser lands."""
    return _PINYIN.sub("", text).translate(_FOLD)


def doc_text(path: Path) -> str:
    return fold(read_document(path).text)


_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、")


def document_targets(text: str):
    """Targets of a whole document, as the extractor calls us: paragraph by paragraph, with the
    year a goals section (一、…目标…) opens with as the default (NOTES §5)."""
    out, pos, default = [], 0, None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            default = section_year("\n".join(lines[i : i + 4])) if "目标" in line else None
        out += extract_targets(line, default_year=default, offset=pos)
        pos += len(line) + 1
    return distinct_targets(out)


def f1(gold: Counter, found: Counter) -> float:
    tp = sum((gold & found).values())
    p, r = tp / max(1, sum(found.values())), tp / max(1, sum(gold.values()))
    return 2 * p * r / (p + r) if p + r else 0.0


GOLD_TARGETS = [(stem, t) for stem, g in GOLD.items() for t in g["targets"]]


@pytest.mark.parametrize(("stem", "gold"), GOLD_TARGETS, ids=[f"{s[:3]}-{t['text'][:12]}" for s, t in GOLD_TARGETS])
def test_gold_clause_gives_the_gold_target(stem, gold):
    clause = fold(gold["text"])
    has_own_year = re.search(r"\d{4}年", clause)
    recurring = re.search(r"每.{0,2}年|年内", clause)
    # The clause is fed alone: a year it inherits from its goals section comes as default_year;
    # recurring clauses get a default they must ignore.
    default = None if has_own_year else gold["year"] if gold["year"] else 2099 if recurring else None
    found = extract_targets(clause, default_year=default)
    assert len(found) == 1, found
    t = found[0]
    assert t.value == Decimal(str(gold["value"]))
    assert t.value_max == (Decimal(str(gold["value_max"])) if gold["value_max"] is not None else None)
    assert (t.unit, t.comparator, t.year) == (gold["unit"], gold["comparator"], gold["year"])
    assert t.indicator and t.span is not None and clause[t.span.start : t.span.end].strip() == t.text


@pytest.fixture(scope="module")
def found_by_doc():
    return {p.stem: document_targets(doc_text(p)) for p in DOCS}


@pytest.mark.parametrize("stem", sorted(GOLD))
def test_document_values_match_gold(found_by_doc, stem):
    gold = Counter(Decimal(str(t["value"])) for t in GOLD[stem]["targets"])
    found = Counter(t.value for t in found_by_doc[stem])
    assert f1(gold, found) >= 0.95, (gold - found, found - gold)


@pytest.mark.parametrize("stem", sorted(GOLD))
def test_document_targets_match_gold_in_every_field(found_by_doc, stem):
    def key(value, value_max, unit, comparator, year):
        return (Decimal(str(value)), value_max and Decimal(str(value_max)), unit, comparator, year)

    gold = Counter(key(t["value"], t["value_max"], t["unit"], t["comparator"], t["year"]) for t in GOLD[stem]["targets"])
    found = Counter(key(t.value, t.value_max, t.unit, t.comparator, t.year) for t in found_by_doc[stem])
    assert f1(gold, found) >= 0.95, (gold - found, found - gold)


def test_spans_point_into_the_document():
    text = doc_text(DOCS[4])
    for t in document_targets(text):
        assert text[t.span.start : t.span.end].strip() == t.text


_T2S_BACK = opencc.OpenCC("s2t")


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.translate(_UNFOLD), id="ascii-punctuation-fullwidth-digits"),
        pytest.param(lambda t: t.replace("\n", ""), id="one-line"),
        pytest.param(lambda t: fold(normalise(_T2S_BACK.convert(t)).text), id="traditional"),
    ],
)
@pytest.mark.parametrize("path", DOCS, ids=[p.stem[:3] for p in DOCS])
def test_reformatted_documents_give_the_same_values(path, variant):
    text = variant(doc_text(path))
    found = Counter(t.value for t in distinct_targets(extract_targets(text)))
    gold = Counter(Decimal(str(t["value"])) for t in GOLD[path.stem]["targets"])
    assert f1(gold, found) >= 0.95, (gold - found, found - gold)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2025年，全省公民具备科学素质的比例超过15%。", [("15", "%", ">", 2025)]),
        ("科普经费不低于人均1元，科普场馆不少于3座", [("1", "元", ">=", None), ("3", "座", ">=", None)]),
        ("每年开展科普活动不超过5场", [("5", "场", "<=", None)]),
        ("年均培训3.5万人次", [("35000", "人次", "=", None)]),
        ("新增科普示范社区20个左右", [("20", "个", "=", None)]),
        ("培训基层干部3—5期", [("3", "期", "=", None)]),
        ("到“十四五”末，建成科普e站100个", [("100", "个", "=", 2025)]),
        ("每年至少开展一次应急演练", [("1", "次", ">=", None)]),
        ("到2023年，科普志愿者达到两万名", [("20000", "名", ">=", 2023)]),
        ("力争2022年底前建成科普基地8家", [("8", "家", "=", 2022)]),
        ("每万人口拥有注册科普志愿者达到15名", [("15", "名", ">=", None)]),
        # Chinese counts that close their clause after the thing counted (tests/cases/plans/NOTES.md)
        ("新建职工书屋三十个，其中示范点不少于三个。", [("30", "个", "=", None), ("3", "个", ">=", None)]),
        ("创建科普示范社区一百二十个、科普示范学校50所", [("120", "个", "=", None), ("50", "所", "=", None)]),
        ("开展“科普大篷车”巡展一千余场。", [("1000", "场", ">", None)]),
        ("每年开展科技下乡活动不少于20场次", [("20", "场次", ">=", None)]),
        # fractions, doublings, tenths, magnitudes without a measure word
        ("科普经费占本级财政支出的比例不低于千分之一", [("1", "‰", ">=", None)]),
        ("经费占比达到百分之十五", [("15", "%", ">=", None)]),
        ("到2025年，科普经费投入翻一番。", [("2", "倍", "=", 2025)]),
        ("其中脱贫户家庭成员不少于三成", [("30", "%", ">=", None)]),
        ("平台用户数突破一千万。", [("10000000", "个", ">", None)]),
        ("全市科普专项经费总额达到5亿元", [("500000000", "元", ">=", None)]),
    ],
)
def test_genre_targets(text, expected):
    got = [(str(t.value), t.unit, t.comparator, t.year) for t in extract_targets(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "重点实施5项提升行动和5项重点工程。",  # structure counts (NOTES §8)
        "实施三大重点人群科学素质行动，六大基础工程。",
        "组织动员全市职工开展职业技能3个两百万行动。",
        "开展爱国卫生“7个专项行动”和“万名党员进党校”活动。",  # quoted names
        "实施百万新型女农民培训计划，新一轮全国百家城市技能振兴专项活动。",
        "中学生五项学科竞赛，千家万户，统一部署，一项重要工作。",
        "实施卓越工程师培养计划2.0，助力“中国制造2025”。",
        "重点建设一批培训站点，建成一支科普志愿者队伍。",
        "贯彻《全民科学素质行动计划纲要（2006—2010—2020年）》（国发〔2006〕7号）。",
        "曲靖市人民政府\n2022年4月26日\n1、推进义务教育阶段的科技教育。（3）加强指导。",
        "召开第十一次党代会，第3届科普讲解大赛，“十三五”期间，每万人口拥有科普人员。",
        "截至2020年底，全市已建成科普教育基地35个，公民具备科学素质的比例达到10.3%。",  # baseline
        "公民具备科学素质的比例由8%提高到12%",  # 8 is the baseline, 12 the target
        "会同4部门实施3项目。",
        "PAGE  \n- 1 -\n发布日期：2022-04-26 10:26:00",
        "考核结果分为优秀、良好、合格、不合格四个等次。组建百人劳模宣讲团。千家万户。",
        "五年来，全市累计培训职工42万人次。近年来，建成科技馆7座。",  # reports on the past
        "实施百万职工技能提升行动，营造万众创新氛围。",
        "一、发展基础\n“十三五”期间，全市建成科普教育基地156个，年接待观众超过280万人次。",
    ],
)
def test_numbers_that_are_not_targets(text):
    values = [str(t.value) for t in extract_targets(text)]
    assert values == (["12"] if "提高到12%" in text else [])


def test_range_and_repeated_target():
    text = "足额提取工资总额的1.5%-2.5%作为经费。创建企业e站（首批设立在省级12个劳模创新工作室）。全省首批企业e站（省级12个劳模创新工作室）的设立。"
    found = extract_targets(text)
    assert [(str(t.value), t.value_max and str(t.value_max)) for t in found] == [("1.5", "2.5"), ("12", None)]


def test_offset_shifts_spans():
    (a,) = extract_targets("比例达到13%")
    (b,) = extract_targets("比例达到13%", offset=100)
    assert (b.span.start - a.span.start, b.span.end - a.span.end) == (100, 100)


def test_section_year_of_each_goals_section():
    text = doc_text(DOCS[4])
    goals = text[text.index("二、目标要求") : text.index("三、主要任务")]
    assert section_year(goals) == 2020
    text0 = doc_text(DOCS[0])
    assert section_year(text0[text0.index("三、主要目标") : text0.index("四、重点任务")]) == 2020
    assert section_year("（三）主要目标\n每年举办科普活动。") is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("2020年，全市公民具备科学素质的比例达到10.3%，较2015年提高4个百分点。", []),  # a report on the past
        ("到2025年，全市公民具备科学素质的比例达到15%，比2020年提高4.7个百分点。", ["15", "4.7"]),
        ("开通24小时心理咨询热线，每年培训时间不少于40小时。", ["40"]),
        # a section reviewing the past gives none, the goals after it do
        ("一、发展基础\n建成科技馆45座。\n二、发展目标\n到2025年，建成科技馆60座。", ["60"]),
        ("（二）发展现状\n比例由2015年的5.9%提高到2020年的10.8%。\n（三）发展目标\n到2025年，比例超过15%。", ["15"]),
        ("一、现状与目标\n到2025年，比例较2020年提高5个百分点，力争达到11%以上。", ["5", "11"]),
    ],
)
def test_reports_and_durations(text, values):
    assert [str(t.value) for t in extract_targets(text)] == values
