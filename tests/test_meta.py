"""Plan metadata against the gold plan fields of all five documents (tests/gold/*.json, NOTES.md),
in their bundled form and reformatted (one line, ASCII punctuation and brackets, traditional
characters), and on crafted plans of the genre: notices with 文号 and dates in other notations,
joint letterheads, citations without 《》.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import opencc
import pytest

from kg.meta import extract_meta, normalise_doc_number, plan_period
from kg.model import DocumentRef, Text
from kg.read import normalise, read_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "documents").glob("*.txt"))
GOLD = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "gold").glob("*.json"))}

_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f\s]+\)")
_FOLD = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "％": "%"})
_ASCII = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "〔": "[", "〕": "]"})
_S2T = opencc.OpenCC("s2t")


def fold(text: str) -> str:
    """What kg.read.normalise promises (pinyin removed, punctuation folded); idempotent."""
    return _PINYIN.sub("", text).translate(_FOLD)


def meta_of(text: str):
    return extract_meta(Text(source="plan.txt", text=text, raw=text, encoding="utf-8", content_hash=""))


def squeeze(s: str | None) -> str:
    """Titles compared as the scorer does: without spaces, brackets and punctuation."""
    return re.sub(r"[\s\u3000，。、；：（）()“”\"'·—\-?？]", "", s or "")


VARIANTS = {
    "bundled": lambda t: t,
    "one-line": lambda t: t.replace("\n", ""),
    "ascii-punctuation": lambda t: t.translate(_ASCII),
    "traditional": lambda t: fold(normalise(_S2T.convert(t)).text),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", DOCS, ids=[p.stem[:3] for p in DOCS])
def test_plan_fields_match_gold(path, variant):
    gold = GOLD[path.stem]["plan"]
    meta = meta_of(VARIANTS[variant](fold(read_document(path).text)))
    assert squeeze(meta.title) == squeeze(gold["title"])
    assert meta.region_name == gold["region"]["name"]
    assert (meta.start_year, meta.end_year) == (gold["start_year"], gold["end_year"])
    assert meta.doc_number == gold["doc_number"]
    assert (meta.issued.isoformat() if meta.issued else None) == gold["issued"]
    assert meta.issuers == gold["issuers"]
    assert sorted((squeeze(d.title), d.doc_number) for d in meta.implements) == sorted(
        (squeeze(d["title"]), d["doc_number"]) for d in gold["implements"]
    )


NOTICE = """成都市人民政府办公厅关于印发成都市全民科学素质行动实施方案（2021—2025年）的通知
成办发[2021]88号
各区（市）县政府，市政府各部门：
经市政府同意，现将《成都市全民科学素质行动实施方案（2021—2025年）》印发给你们，请认真组织实施。
成都市人民政府办公厅
二〇二一年十二月三十日
成都市全民科学素质行动实施方案（2021—2025年）
为深入贯彻落实国务院印发的《全民科学素质行动规划纲要（2021—2035年）》（国发[2021]9号）和四川省人民政府办公厅关于印发四川省全民科学素质行动实施方案（2021—2025年）的通知（川办发〔2021〕73号）精神，结合我市实际，制定本方案。
一、总体要求
认真落实《中华人民共和国科学技术普及法》。到2025年，全市公民具备科学素质的比例超过15%。
"""


@pytest.mark.parametrize("text", [NOTICE, NOTICE.replace("\n", ""), NOTICE.replace("〔", "【").replace("〕", "】")], ids=["lines", "one-line", "lenticular"])
def test_notice_with_number_chinese_date_and_uncited_title(text):
    meta = meta_of(text)
    assert meta.title == "成都市全民科学素质行动实施方案（2021—2025年）"
    assert (meta.region_name, meta.start_year, meta.end_year) == ("成都市", 2021, 2025)
    assert meta.doc_number == "成办发〔2021〕88号"
    assert meta.issued == dt.date(2021, 12, 30)
    assert meta.issuers == ["成都市人民政府办公厅"]
    assert meta.implements == [
        DocumentRef("全民科学素质行动规划纲要（2021—2035年）", "国发〔2021〕9号"),
        DocumentRef("四川省人民政府办公厅关于印发四川省全民科学素质行动实施方案（2021—2025年）的通知", "川办发〔2021〕73号"),
    ]


def test_joint_letterhead_and_signature():
    meta = meta_of(
        "武汉市科学技术协会  武汉市人力资源和社会保障局\n关于印发《武汉市职工科学素质提升行动方案》的通知\n"
        "武科协发（2022）5号\n各区科协、人社局：\n现将《武汉市职工科学素质提升行动方案》印发给你们。\n"
        "武汉市科学技术协会　　武汉市人力资源和社会保障局\n2022年3月1日\n武汉市职工科学素质提升行动方案\n"
        "根据《湖北省全民科学素质行动实施方案（2021—2025年）》要求，制定本方案。\n一、工作目标\n到2025年，全市职工科学素质明显提升。\n"
    )
    assert (meta.title, meta.region_name, meta.start_year, meta.end_year) == ("武汉市职工科学素质提升行动方案", "武汉市", None, 2025)
    assert (meta.doc_number, meta.issued) == ("武科协发〔2022〕5号", dt.date(2022, 3, 1))
    assert meta.issuers == ["武汉市科学技术协会", "武汉市人力资源和社会保障局"]
    assert meta.implements == [DocumentRef("湖北省全民科学素质行动实施方案（2021—2025年）", None)]


def test_cited_numbers_and_dates_are_not_the_plans_own():
    meta = meta_of(
        "某地科普工作要点\n根据《国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知》（国发〔2021〕9号），"
        "结合2021年6月3日会议精神，制定本要点。\n一、工作目标\n到2023年，建成科普基地5个。\n"
    )
    assert meta.doc_number is None and meta.issued is None and meta.issuers == []
    assert meta.implements == [DocumentRef("国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知", "国发〔2021〕9号")]
    assert meta.end_year == 2023


def test_region_from_issuer_when_the_title_names_none():
    meta = meta_of("青岛市科学技术协会关于印发《科普示范社区创建工作方案》的通知\n科普示范社区创建工作方案\n为推进社区科普，制定本方案。\n一、目标\n")
    assert (meta.title, meta.region_name, meta.issuers) == ("科普示范社区创建工作方案", "青岛市", ["青岛市科学技术协会"])


def test_portal_header_fields():
    meta = meta_of(
        "发文机关：| 某某 | 成文日期：| 2022-04-26 |\n发文字号：| 曲政发（2022）21号 | 发布日期：| 2022-04-28 10:26:00 |\n"
        "曲靖市科普基地认定办法\n为规范科普基地认定，制定本办法。\n一、总则\n"
    )
    assert (meta.title, meta.doc_number, meta.issued) == ("曲靖市科普基地认定办法", "曲政发〔2022〕21号", dt.date(2022, 4, 26))


@pytest.mark.parametrize(
    ("written", "expected"),
    [("国发[2021]9号", "国发〔2021〕9号"), ("吉政办发【2016】43号", "吉政办发〔2016〕43号"), ("科协办发普字﹝2017﹞35号", "科协办发普字〔2017〕35号"),
     ("曲政发［2022］21号", "曲政发〔2022〕21号"), ("广工发(2016)50号", "广工发〔2016〕50号"), ("2016年6月", None)],
)
def test_doc_number_brackets(written, expected):
    assert normalise_doc_number(written) == expected


def test_signature_at_the_end_and_a_notice_cited_in_the_preamble():
    meta = meta_of(
        "福州市鼓楼区社区科普益民工作实施方案\n按照市政府关于印发社区科普工作方案的通知要求，结合我区实际，制定本方案。\n"
        "一、工作目标\n到2018年，建成社区科普站10个。\n二、保障措施\n加强领导。\n\n"
        "福州市鼓楼区科学技术协会\n2017年3月2日\n"
    )
    assert (meta.title, meta.region_name, meta.end_year) == ("福州市鼓楼区社区科普益民工作实施方案", "福州市鼓楼区", 2018)
    assert (meta.issuers, meta.issued, meta.doc_number) == (["福州市鼓楼区科学技术协会"], dt.date(2017, 3, 2), None)


def test_portal_fields_on_lines_of_their_own():
    meta = meta_of(
        "首页 > 政务公开 > 文件\n索引号：11530300/2022-00123\n发文机关：曲靖市科学技术协会\n成文日期：2022年5月6日\n【字体：大 中 小】\n"
        "曲靖市科普示范基地认定管理办法\n为加强科普示范基地管理，依据《云南省科普示范基地认定管理办法》（云科协发〔2020〕8号），制定本办法。\n一、总则\n"
    )
    assert (meta.title, meta.region_name, meta.issued) == ("曲靖市科普示范基地认定管理办法", "曲靖市", dt.date(2022, 5, 6))
    assert meta.issuers == ["曲靖市科学技术协会"]
    assert meta.implements == [DocumentRef("云南省科普示范基地认定管理办法", "云科协发〔2020〕8号")]


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("襄阳市全民科学素质行动实施方案(2021-2025年)", (2021, 2025)),
        ("合肥市全民科学素质行动实施方案（2021－2025年）", (2021, 2025)),
        ("宁波市科普事业发展“十四五”规划", (2021, 2025)),
        ("某市“十三五”职工素质建设规划", (2016, 2020)),
        ("常德市2022年全民科学素质工作要点", (2022, 2022)),
        ("十堰市总工会关于实施新时代职工素质提升工程的意见", (None, None)),
        ("某市到2025年科普基地建设方案", (None, None)),  # a horizon, not the plan's year
    ],
)
def test_plan_period_from_the_title(title, period):
    assert plan_period(title) == period


FORWARD = """宜昌市人民政府办公室
关于转发市科协等部门宜昌市“十四五”科普基础设施建设方案的通知
宜府办发〔2022〕8号
各县市区人民政府，市政府各部门：
　　市科协制定的《宜昌市“十四五”科普基础设施建设方案》已经市人民政府同意，现转发给你们。
宜昌市人民政府办公室
2022年3月15日
（此件公开发布）
宜昌市“十四五”科普基础设施建设方案
　　根据《湖北省科普基础设施发展规划（2021—2025年）》，制定本方案。
一、建设目标
"""


@pytest.mark.parametrize("text", [FORWARD, FORWARD.replace("\n", "")], ids=["lines", "one-line"])
def test_forwarding_notice_finds_the_plans_own_heading(text):
    meta = meta_of(text)
    assert (meta.title, meta.region_name, meta.start_year, meta.end_year) == ("宜昌市“十四五”科普基础设施建设方案", "宜昌市", 2021, 2025)
    assert (meta.doc_number, meta.issued, meta.issuers) == ("宜府办发〔2022〕8号", dt.date(2022, 3, 15), ["宜昌市人民政府办公室"])
    assert meta.implements == [DocumentRef("湖北省科普基础设施发展规划（2021—2025年）", None)]


def test_red_letterhead_and_number_glued_before_the_title():
    meta = meta_of(
        "十堰市总工会文件十工发〔2021〕15号十堰市总工会关于实施职工素质提升工程的意见各县市区总工会，各基层工会："
        "为贯彻落实《新时期产业工人队伍建设改革方案》，现提出如下意见。一、工作目标全面提升。十堰市总工会2021年6月18日"
    )
    assert meta.title == "十堰市总工会关于实施职工素质提升工程的意见"
    assert (meta.doc_number, meta.issued, meta.issuers) == ("十工发〔2021〕15号", dt.date(2021, 6, 18), ["十堰市总工会"])


def test_number_glued_after_a_notice_title():
    meta = meta_of("某市科协关于印发《常德市2022年科普工作要点》的通知常科协发〔2022〕1号各区县科协：现将要点印发给你们。")
    assert meta.doc_number == "常科协发〔2022〕1号"
