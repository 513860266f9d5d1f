"""Structure of a plan: numbered sections, —— items, 任务：/措施：/分工： blocks and
任务分解表 (task breakdown table) rows.

Markers are found in the text itself, not only at line starts, so a plan whose line
breaks were lost (the whole plan on one line) gets the same outline. A marker at a line
start (or after a tab / ``|``) is always a heading; elsewhere it must follow a sentence end
or continue its list's numbering (二 after 一), which keeps 统一、 or 计划2.0 out.
Levels are not fixed per marker: the first kind met is the outermost (``一、`` in one plan,
``（一）`` in another), as a reader would take them.

Tables (任务分解表) are found and read by ``kg.breakdown_tables``; their spans are kept out of the
section outline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Span, Text
from .scan import Prefiltered
from .breakdown_tables import Table, TableRow, find_tables

__all__ = ["Outline", "Section", "Table", "TableRow", "parse_outline", "chinese_number"]

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

MARKER_RE = re.compile(
    r"(?P<cn>(?<![第之统唯单])[一二三四五六七八九十]{1,3}、)"
    r"|(?P<pcn>(?<![第])[（(][一二三四五六七八九十]{1,3}[）)][)）]?)"
    r"|(?P<ar>(?<![\d.．０-９第])[0-9０-９]{1,2}(?:、|[.．](?![0-9０-９])))"
    r"|(?P<par>(?<![第])[（(][0-9０-９]{1,2}[）)])"
    r"|(?P<circ>[①-⑳])"
    r"|(?P<bcn>【[一二三四五六七八九十]{1,3}】)"
    r"|(?P<part>第[一二三四五六七八九十]{1,3}(?:部分|章|篇)(?=[\s\u3000：:、]))"
    r"|(?P<sec>第[一二三四五六七八九十]{1,3}节(?=[\s\u3000：:、]))"  # 第一节 inside a 第一章
    r"|(?P<dash>——)"
    r"|(?P<block>(?:任务|措施|分工|责任分工|职责分工|工作分工|总?牵头(?:单位|部门)|责任(?:单位|部门)"
    r"|(?:配合|参加|参与)(?:单位|部门))[：:])"
)
_MARKERS = Prefiltered(MARKER_RE)  # tried only where a marker can start
_WEAK_BEFORE = set("。；;：:！!？?）)")
_NUMBERED = ("cn", "pcn", "ar", "par", "circ", "bcn", "part", "sec")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NAME_END = "局委办厅部会联院校所站协团处室司署社馆台行队府"
_STRONG_END = re.compile(r"行动|工程")
_TITLE_NOTATION = re.compile(r"[（(][^（()）\n]{0,40}?(?:牵头|责任(?:单位|部门)|配合|负责)[^（()）\n]*(?:[（(][^（()）\n]*[）)][^（()）\n]*)*[）)]")
_TITLE_END_WORDS = re.compile(r"行动|工程|计划|任务|目标|要求|思想|原则|措施|保障|机制|领导|活动")


def chinese_number(numeral: str) -> int:
    """Value of a numeral as used in headings: 一 → 1, 十二 → 12, 二十 → 20, ３ → 3.

    >>> chinese_number("十二"), chinese_number("二十"), chinese_number("７")
    (12, 20, 7)
    """
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return sum(_CN_DIGITS.get(c, 0) for c in numeral)
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


@dataclass
class Section:
    """A heading (一、 （一） 1、 （1）), a —— item or a labelled block (任务： 分工： …)."""

    # "cn" 一、 | "pcn" （一） | "ar" 1、 | "par" （1） | "circ" ① | "bcn" 【一】 | "part" 第一部分
    # | "sec" 第一节 | "dash" —— | "block" 分工：…
    kind: str
    level: int  # 1 = outermost
    marker: str  # as written, e.g. "（一）", "——", "分工："
    number: int | None  # 一 → 1; None for —— and blocks
    title: str  # heading text without marker, up to the first 。 or line end
    span: Span  # the whole section, children included
    title_span: Span
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False, compare=False)
    body: str = ""  # text after the title and before the first child

    def walk(self) -> list[Section]:
        """This section and all below it, in document order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Outline:
    """Top-level sections and tables of a plan, spans in the normalised text."""

    text: str
    sections: list[Section]
    tables: list[Table]

    def walk(self) -> list[Section]:
        """Every section, in document order."""
        return [s for top in self.sections for s in top.walk()]


def parse_outline(text: Text | str) -> Outline:
    """Sections (nested by marker kind) and tables of a plan.

    >>> outline = parse_outline("二、重点任务（一）实施青少年科学素质行动。任务：——完善学校教育。分工：由省教育厅牵头。")
    >>> [(s.level, s.marker, s.title) for s in outline.walk()]
    [(1, '二、', '重点任务'), (2, '（一）', '实施青少年科学素质行动'), (3, '任务：', '任务'), (4, '——', '完善学校教育'), (3, '分工：', '分工')]
    """
    raw = text.text if isinstance(text, Text) else text
    tables = find_tables(raw)
    blocked = [(t.span.start, t.span.end) for t in tables]
    markers = [m for m in _MARKERS.finditer(raw) if not any(a <= m.start() < b for a, b in blocked)]
    roots: list[Section] = []
    stack: list[Section] = []
    kinds_order: list[str] = []
    last_number: dict[str, int] = {}  # the last number accepted per marker kind, in any section
    for m in markers:
        kind = m.lastgroup or ""
        strength = _boundary(raw, m.start())
        number = _marker_number(kind, m.group())
        run_in = bool(stack) and _run_in(raw, stack[-1].title_span.start, m.start())
        fits = _accept(kind, number, strength, stack, last_number.get(kind), run_in, raw[m.start() - 1:m.start()])
        if not fits or (strength != "strong" and _in_parentheses(raw, m.start())):
            continue
        if number is not None:
            last_number[kind] = number
        table_start = next((a for a, _ in blocked if stack and stack[-1].span.start < a < m.start()), None)
        if table_start is not None:  # a table between closes every open section
            while stack:
                _close(stack.pop(), table_start, raw)
        while stack and kind in {s.kind for s in stack}:
            _close(stack.pop(), m.start(), raw)
        if kind not in kinds_order:
            kinds_order.append(kind)
        title_start, title_end = _title_extent(raw, m.end(), kind)
        section = Section(
            kind=kind,
            level=len(stack) + 1,
            marker=m.group(),
            number=number,
            title=_clean_title(raw[title_start:title_end]) if kind != "block" else m.group().rstrip("：:"),
            span=Span(m.start(), len(raw)),
            title_span=Span(title_start, title_end),
            parent=stack[-1] if stack else None,
        )
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    last = next((a for a, _ in blocked if stack and stack[-1].span.start < a), len(raw))
    while stack:
        _close(stack.pop(), last, raw)
    for section in (s for top in roots for s in top.walk()):
        first_child = section.children[0].span.start if section.children else section.span.end
        section.body = raw[section.title_span.end:first_child].strip()
    return Outline(text=raw, sections=roots, tables=tables)


def _close(section: Section, end: int, raw: str) -> None:
    while end > section.span.start and raw[end - 1].isspace():
        end -= 1
    section.span = Span(section.span.start, end)


def _boundary(raw: str, pos: int) -> str:
    """'strong' at a line/cell start, 'weak' after a sentence end or ）, else 'none'."""
    i = pos - 1
    while i >= 0 and raw[i] in " \u3000":
        i -= 1
    if i < 0 or raw[i] in "\n\r\t|":
        return "strong"
    return "weak" if raw[i] in _WEAK_BEFORE else "none"


def _in_parentheses(raw: str, pos: int, reach: int = 300) -> bool:
    """Whether ``pos`` sits inside a （…） opened earlier on its line: （牵头单位：A；配合单位：B）
    is one notation, not a 配合单位： block."""
    depth = 0
    for i in range(pos - 1, max(-1, pos - 1 - reach), -1):
        ch = raw[i]
        if ch == "\n":
            return False
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                return True
            depth -= 1
    return False


def _marker_number(kind: str, marker: str) -> int | None:
    if kind not in _NUMBERED:
        return None
    if kind == "circ":
        return _CIRCLED.index(marker) + 1
    digits = re.sub(r"[（()）、.．【】第部分章篇节]", "", marker)
    digits = digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return chinese_number(digits)


def _accept(kind: str, number: int | None, strength: str, stack: list[Section], last_number: int | None = None,
            run_in: bool = False, before: str = "") -> bool:
    """Is this marker a heading? Line starts always are; elsewhere it must fit its list.

    With line breaks lost (a one-line copy) a marker may follow a name or a heading with no
    punctuation: it counts when it continues the numbering of its kind (（3） after （2） of the
    previous section) or, numbered 1, right after a short heading (第二部分 重点任务一、…).
    """
    if strength == "strong":
        return True
    continues = number is not None and last_number is not None and number == last_number + 1
    if kind in ("bcn", "part", "sec"):  # 【一】 and 第一部分 head a line, or a sentence in a one-line copy
        # 第X章/第X节 are distinctive: in a one-line copy they may follow a name or a value
        # (团市委第二节, 6第三章) when they continue their numbering or open a short heading's list.
        return strength == "weak" or (kind != "bcn" and (continues or (run_in and number == 1)))
    if kind == "dash" and strength != "weak":  # ……州科协——开展…: the next item after a list of names
        return before in _NAME_END and any(s.kind == "dash" for s in stack)
    if kind in ("dash", "block"):
        return strength == "weak"
    if kind == "cn" and strength != "weak":
        if before in "一二三四五六七八九十、" or number is None:  # 第一、二批
            return False
        return continues or (run_in and number == 1)
    previous = next((s.number for s in reversed(stack) if s.kind == kind), None)
    if number is None:
        return True
    if previous is None:
        return number == 1 or continues
    allowed = {previous, previous + 1, previous + 2} if strength == "weak" else {previous + 1}
    return number in allowed


def _run_in(raw: str, title_start: int, pos: int) -> bool:
    """A marker right after a short heading with nothing between (重点任务一、)."""
    between = raw[title_start:pos]
    return 0 < len(between.strip()) <= 16 and not re.search(r"[。；;，,：:、）)\n]", between)


def _title_extent(raw: str, start: int, kind: str) -> tuple[int, int]:
    """A title runs to the first 。 or line end; on a long line with no 。 (lost line
    breaks), to the first word that ends a heading (行动, 工程, 目标 …)."""
    while start < len(raw) and raw[start] in " \u3000)）":
        start += 1
    if kind == "block":
        return start, start
    line_end = raw.find("\n", start)
    line_end = len(raw) if line_end < 0 else line_end
    stop = raw.find("。", start, line_end)
    end = min(stop if stop >= 0 else line_end, _next_marker_start(raw, start, line_end))
    notation = _TITLE_NOTATION.search(raw, start, line_end)  # 1.实施…行动（牵头单位：A；配合单位：B）
    if notation and start < notation.start() < end:
        end = notation.start()
    if line_end - start > 60:  # a run-in heading, or line breaks lost: 行动/工程 end a heading
        word = _STRONG_END.search(raw, start, min(end, start + 40))
        if word is None and end - start > 40:
            word = _TITLE_END_WORDS.search(raw, start, start + 40)
        if word:
            end = word.end()
    return start, end


def _next_marker_start(raw: str, start: int, end: int) -> int:
    for m in _MARKERS.finditer(raw, start, end):
        kind = m.lastgroup
        if kind in ("pcn", "dash", "bcn", "part", "sec") or (kind in ("ar", "circ") and _boundary(raw, m.start()) != "none"):
            return m.start()
        if kind in ("cn", "block") and _boundary(raw, m.start()) == "weak":
            return m.start()
    return end


def _clean_title(title: str) -> str:
    return title.strip(" \u3000\t)）:：。；;，,")
