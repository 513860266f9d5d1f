"""Page layout undone (kg.layout, applied by kg.read.normalise): cut lines, page numbers,
indents, Markdown, spaces by punctuation — and nothing done to text that has none of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import layout
from kg.read import normalise

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "documents").glob("*.txt")) + sorted((ROOT / "tests" / "cases").rglob("*.txt"))

PARAGRAPHS = [
    "一、总体要求",
    "（一）指导思想。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，坚持科学普及与科技创新同等重要。",
    "（二）目标任务。到2025年，全市公民具备科学素质的比例超过15%，各区县均衡发展。",
    "二、重点任务",
    "（一）青少年科学素质提升行动。将弘扬科学精神贯穿于育人全链条，实施科学家精神进校园行动。（牵头单位：市教育局、市科协；配合单位：团市委、市妇联）",
    "（二）农民科学素质提升行动。实施高素质农民培育计划，每年培训高素质农民2000人次以上。（牵头单位：市农业农村局；配合单位：市科协）",
    "（三）产业工人科学素质提升行动。开展技能提升行动，深化“技能中国行动”。（牵头单位：市人社局、市总工会）",
    "三、组织实施",
    "各区县人民政府要将全民科学素质工作纳入国民经济和社会发展规划。",
]
ORIGINAL = "\n".join(PARAGRAPHS) + "\n"


def cut(text: str, width: int) -> str:
    return "\n".join(line[i : i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width))


@pytest.mark.parametrize("width", [20, 33, 38, 45])
def test_lines_cut_at_a_width_are_joined_back_into_paragraphs(width):
    assert normalise(cut(ORIGINAL, width)).text == normalise(ORIGINAL).text


def test_offsets_still_point_at_the_file_after_joining():
    raw = cut(ORIGINAL, 30)
    text = normalise(raw)
    start = text.text.index("市农业农村局")
    assert raw[text.raw_offsets[start] : text.raw_offsets[start] + 3] == "市农业"
    assert all(raw[text.raw_offsets[i]] == c for i, c in enumerate(text.text) if c not in "（）：；，")


def test_a_sentence_ending_a_full_line_stays_apart_from_the_next_numbered_part():
    lines = ["一" * 29 + "。", "（二）" + "二" * 27, "三" * 30, "四" * 30, "五" * 30, "六" * 30, "七" * 30]
    text = "\n".join(lines)
    breaks = layout.wrapped_line_breaks(text)
    assert (30, 31) not in breaks  # 。 then （二）: a paragraph ends at the margin
    assert len(breaks) == len(lines) - 2


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_no_bundled_or_case_plan_is_taken_for_a_cut_copy(plan):
    """Documents whose lines are paragraphs, tables or lists must not be re-joined."""
    raw = plan.read_text(encoding="utf-8", errors="replace")
    assert layout.wrap_width(raw.split("\n")) is None


@pytest.mark.parametrize("line", ["— 3 —", "- 12 -", "－ 4 －", "~5~", "第3页", "第 3 页 共 10 页", "3/10页"])
def test_page_number_lines_go_with_the_blank_lines_around_them(line):
    raw = f"（一）青少年科学素质提升行动。由市教育局\n\n{line}\n\n牵头。\n"
    assert normalise(raw).text == "（一）青少年科学素质提升行动。由市教育局\n牵头。\n"


@pytest.mark.parametrize("line", ["3", "序号 3", "2025", "— 三 —"])
def test_a_bare_number_is_kept_it_may_be_a_table_cell(line):
    assert line.split()[-1] in normalise(f"任务\n{line}\n市科协\n").text


def test_indents_go_tabs_stay():
    assert normalise("\u3000\u3000一、总体要求\n  （一）指导思想\n\t\t市科协\n").text == "一、总体要求\n（一）指导思想\n\t\t市科协\n"


def test_markdown_marks_go():
    assert normalise("## 一、总体要求\n**牵头单位**：市科协\n").text == "一、总体要求\n牵头单位：市科协\n"


def test_one_space_by_chinese_punctuation_goes_a_column_gap_stays():
    assert normalise("市科协 ， 市教育局 、市科技局；  市财政局\n").text == "市科协，市教育局、市科技局；市财政局\n"
    assert normalise("1  开展科普活动。  市科协  2025年\n").text == "1  开展科普活动。  市科协  2025年\n"
    assert normalise("牵头单位: 市科协; 配合单位: 市教育局, 市科技局\n").text == "牵头单位：市科协；配合单位：市教育局，市科技局\n"
