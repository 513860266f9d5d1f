"""parse_outline: headings, —— items, labelled blocks and 任务分解表 rows, with and
without line breaks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract_scoring import as_text, read_folded
from kg.outline import chinese_number, parse_outline

ROOT = Path(__file__).resolve().parent.parent
DOC = {p.stem[:3]: p for p in (ROOT / "documents").glob("*.txt")}


def _tree(outline) -> list[tuple[int, str, str]]:
    return [(s.level, s.kind, s.title) for s in outline.walk()]


def test_levels_follow_first_appearance():
    outline = parse_outline("（一）总体要求\n1、坚持原则。\n2、突出重点。\n（二）主要任务\n——开展活动。\n")
    assert _tree(outline) == [(1, "pcn", "总体要求"), (2, "ar", "坚持原则"), (2, "ar", "突出重点"),
                              (1, "pcn", "主要任务"), (2, "dash", "开展活动")]


def test_blocks_end_the_items_before_them():
    outline = parse_outline("（一）实施行动。\n任务：\n——甲。\n措施：\n——乙。\n分工：由市科协牵头。\n（二）下一节。")
    first = outline.sections[0]
    assert [(c.marker, [g.title for g in c.children]) for c in first.children] == [
        ("任务：", ["甲"]), ("措施：", ["乙"]), ("分工：", [])]
    assert outline.text[slice(first.children[2].span.start, first.children[2].span.end)] == "分工：由市科协牵头。"


def test_inline_numbers_are_not_headings():
    outline = parse_outline("一、总体要求\n统一、规范推进计划2.0，按1.5%提取，第1、2批试点。\n二、主要任务\n")
    assert [s.title for s in outline.walk()] == ["总体要求", "主要任务"]


def test_duplicate_number_kept_and_sequence_checked_in_one_line():
    # After a sentence end a repeated (004's two （四）) or skipped number is still a heading;
    # glued to a word it must be the next number.
    plan = "三、主要任务（一）甲任务。（二）乙任务。（四）丙任务。（四）丁任务。四、保障措施"
    assert [s.title for s in parse_outline(plan).sections[0].children] == ["甲任务", "乙任务", "丙任务", "丁任务"]
    plan = "三、主要任务（一）甲任务见附表（三）乙任务（二）丙任务"
    children = parse_outline(plan).sections[0].children
    assert [c.number for c in children] == [1, 2] and children[1].title == "丙任务"


@pytest.mark.parametrize("doc", ["001", "002", "004"])
def test_bundled_outline_survives_lost_line_breaks(doc):
    raw = DOC[doc].read_text(encoding="utf-8")
    original = parse_outline(read_folded(DOC[doc]))
    one_line = parse_outline(as_text(re.sub(r"\s*\n\s*", "", raw)))
    assert [(s.level, s.marker) for s in one_line.walk()] == [(s.level, s.marker) for s in original.walk()]


def test_bundled_001_structure():
    outline = parse_outline(read_folded(DOC["001"]))
    tasks = next(s for s in outline.sections if s.title == "重点任务")
    assert [s.title for s in tasks.children][3] == "实施领导干部和公务员科学素质行动"  # （四）) stray bracket
    assert all([c.marker for c in s.children] == ["任务：", "措施：", "分工："] for s in tasks.children)


def test_table_rows_of_003():
    outline = parse_outline(read_folded(DOC["003"]))
    rows = [r for t in outline.tables for r in t.rows]
    assert len(rows) == 35
    assert outline.tables[0].header == ["项目", "主要任务", "牵头单位", "参加单位"]
    assert rows[0].project == "未成年人科学素质行动" and rows[5].project == "城镇劳动者科学素质行动"
    assert [c[1] for c in rows[5].cells][0] == "区人社局区总工会"  # lead cell wrapped over two lines
    assert rows[7].task.startswith("大力营造") and rows[9].task.startswith("加强领导干部")  # unnumbered rows
    assert rows[14].group == "二、六大基础工程" and rows[14].project == "科学教育与培训基础工程"


@pytest.mark.parametrize("separator", ["\t", "    ", " | "])
def test_table_rows_same_for_any_separator_and_one_line(separator):
    raw = DOC["003"].read_text(encoding="utf-8")

    def rows(text):
        return [(r.project, r.task[:15]) for t in parse_outline(as_text(text)).tables for r in t.rows]

    expected = rows(raw)
    assert rows(raw.replace("\t", separator)) == expected
    assert rows(re.sub(r"\s*\n\s*", "", raw.replace("\t", separator))) == expected


def test_chinese_numbers():
    assert [chinese_number(n) for n in ("一", "十", "十一", "二十三", "12")] == [1, 10, 11, 23, 12]


def test_circled_bracketed_and_part_headings():
    outline = parse_outline("第一部分 指导思想\n【一】总体目标\n到2025年。\n【二】重点任务\n（一）青少年行动\n①甲。\n②乙。\n"
                            "第二部分 组织实施\n")
    assert _tree(outline) == [(1, "part", "指导思想"), (2, "bcn", "总体目标"), (2, "bcn", "重点任务"),
                              (3, "pcn", "青少年行动"), (4, "circ", "甲"), (4, "circ", "乙"), (1, "part", "组织实施")]


def test_labels_inside_a_parenthetical_are_not_blocks():
    outline = parse_outline("1.加强引领。（牵头单位：市总工会；配合单位：市委宣传部）\n2.弘扬精神。\n")
    assert _tree(outline) == [(1, "ar", "加强引领"), (1, "ar", "弘扬精神")]


def test_table_time_column_and_closing_note_are_not_rows():
    text = ("序号\t工作任务\t责任单位\t完成时限\n1\t开展培训。\t县人社局、县总工会\t2025年底前\n"
            "2\t建设阵地。\t县委宣传部、县科协、各乡镇人民政府\t长期坚持\n注：排在第一位的为牵头单位。\n")
    (table,) = parse_outline(text).tables
    assert [(r.task, [c[1] for c in r.cells]) for r in table.rows] == [
        ("开展培训。", ["县人社局、县总工会"]), ("建设阵地。", ["县委宣传部、县科协、各乡镇人民政府"])]
