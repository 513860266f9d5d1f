"""Quantitative targets: 到2025年…比例达到13% → ``TargetStatement``.

A target is a measured quantity a plan commits to: a percentage, a count with a measure word
(个 人 名 次 人次 家 所 项 …), a range (1.5%—2.5%) or a Chinese numeral amount (百万人次, 两次).
Numbers that only name things are left out (tests/gold/NOTES.md §8): numbers inside “…” or
《…》, ordinals (第三届), structure counts (5项提升行动, 三大, 六大), vague 一批/一支, years,
dates, 文号, section numbers, version numbers (2.0), durations (…年) and per-capita
denominators (每万人). Sentences that report a past baseline (截至…, 目前, 已…) give none.

The comparator comes from the wording (NOTES §4): 超过 → ">", 达到/以上/不低于/不少于 → ">=",
不超过/以下/以内 → "<=", a bare quantity → "=". The year is the 到YYYY年 governing the
target's sentence, else ``default_year`` (the 到YYYY年 opening a goals section, see
``section_year``); recurring targets (每年…, 每三年…) and "N年内" have none (NOTES §5).
Text is expected normalised by ``kg.read.normalise``; ASCII punctuation is accepted too.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .model import Span, TargetStatement
from .scan import Prefiltered
from .numbers import CN_BIG, CN_CHARS, FRACTION_UNITS, cn_number, doubling, parse_number

__all__ = ["cn_number", "distinct_targets", "extract_targets", "section_year"]

_CN = CN_CHARS

# Measure words, longest first. 个百分点 is folded to 百分点 below.
_UNITS = (
    "个百分点|百分点|人次|场次|学时|课时|小时|平方米|%|‰|人|名|个|次|家|所|项|场|期|座|处|元|篇|部|件|"
    "台|套|种|门|册|本|份|户|支|批|倍|天|班|届|间|条|位|辆|节|堂"
)
# Unit characters that here open a word instead (4部门, 3项目, 100家庭).
_NOT_UNIT = re.compile(r"部门|项目|家庭|所在|期间|人民|名称|次序|条件|位置|件事|门类|节点|台账|场所|处理|本地|本市|本区|本县")
_CLAUSE_END = "，,；;。！？!?\n"
_DASH = r"[—－\-–~～至到]"
_AR = r"\d+(?:\.\d+)?"
_NUMBER = rf"(?:{_AR}\s*[万亿]?|[{_CN}]+)"
_QUANTITY = re.compile(
    rf"(?<![\d.{_CN}])(?P<v>{_NUMBER})\s*(?:[%％]\s*)?(?:{_DASH}+\s*(?P<v2>{_NUMBER})\s*)?"
    rf"(?P<approx>余|多)?(?P<unit>{_UNITS}|％)"
    # 千分之一, 百分之十五: a share written as a fraction
    rf"|(?<![\d.{_CN}])(?P<den>[百千万])分之(?P<fv>{_AR}|[零〇一二两三四五六七八九十点]+)"
    # 翻一番: doubled (×2), 翻两番 ×4
    rf"|翻(?P<times>[一两二三四1-4])番"
    # 不少于三成: tenths, as a percentage
    rf"|(?<![\d.{_CN}])(?P<tenth>[一二三四五六七八九])成(?=(?:以上|左右)?(?:[{_CLAUSE_END}、）)]|$))"
    # 用户数突破一千万: a magnitude with no measure word, after a comparator
    rf"|(?<![\d.{_CN}])(?P<big>{_AR}\s*[万亿]|[一二两三四五六七八九十百千]+[万亿])(?=(?:以上|余|多)?(?:[{_CLAUSE_END}、）)]|$))"
)
_QUANTITIES = Prefiltered(_QUANTITY)  # tried only where a quantity can start

# A count of the document's own parts or of named programmes: 5项提升行动, 3个两百万行动, 三个方面.
_STRUCTURE_UNITS = frozenset("个项类种大条")
_STRUCTURE_NOUN = re.compile(
    r"(?:行动|工程|计划|任务|举措|方面|重点|战略|布局|理念|主战场|原则|环节|领域|专项|维护|自信|"
    r"全面|代表|确立|坚持|结合|服务|统筹|优先|机制|体系|制度)$"
)
_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f\s]+\)")
_NOUN_END = re.compile(r"[，,。；;：:、（）()“”\"《》\s]|和|及|与|并|的")

# Comparator words before the number (checked in this order) and after the unit.
_BEFORE = (
    (re.compile(r"不超过|不高于|不多于|不大于|控制在|压缩到|降低到|降至|下降到"), "<="),
    (re.compile(r"不低于|不少于|至少|最少|不小于"), ">="),
    (re.compile(r"达到|达|提高到|提升到|增加到|增长到|扩大到|增至|提高至|提升至|升至"), ">="),
    (re.compile(r"超过|高于|多于|大于|超出|突破"), ">"),
    (re.compile(r"低于|少于|小于"), "<"),
)
_ANY_COMPARATOR = re.compile("|".join(p.pattern for p, _ in _BEFORE))
_COMPARATOR_TAIL = re.compile(rf"(?:{_ANY_COMPARATOR.pattern}|并|和|争取|力争|努力|\s)+")
_AFTER = ((re.compile(r"^(?:及|或)?以上"), ">="), (re.compile(r"^(?:及|或)?(?:以下|以内)"), "<="))

_SENTENCE_END = "。！？!?\n"
# A year that governs a sentence: 到2025年, 至2020年底, 力争2017年前, or a sentence opening 2020年，
_YEAR = re.compile(r"(?:(?:到|至|截至|于|在)\s*(\d{4})\s*年|(\d{4})\s*年(?:底|末)?(?:前|以前))")
_OPENING_YEAR = re.compile(r"^\s*(?:——|-|—)?\s*(?:力争)?\s*(\d{4})\s*年(?:底|末)?\s*[，,]")
# A year governing its own clause: 比例2023年达到14%，2025年达到16% / 2023年培育高素质农民2万人
# (not a period 2021—2025年, a baseline 2015年的, a report 较2020年, nor a date 2021年12月).
_CLAUSE_YEAR = re.compile(r"(?<![\d—－\-~～至到较比于在])(\d{4})\s*年(?:底|末)?(?:前|以前)?(?=\s*(?:要|将|力争|确保|争取|基本)?\s*"
                          r"(?:达到|达|超过|提高到|提升到|增加到|建成|建设|创建|培育|培训|新建|实现|完成|突破|不低于|不少于))")
_PERIOD_END = re.compile(r"(?:到|至)\s*[“\"]?(十一|十二|十三|十四|十五)五[”\"]?\s*(?:期)?末")
_PERIOD_YEARS = {"十一": 2010, "十二": 2015, "十三": 2020, "十四": 2025, "十五": 2030}
_RECURRING = re.compile(rf"每(?:年|[\d{_CN}]+年|季度|半年|月|学期|届)|年均|[\d{_CN}]+年内")
_BASELINE = re.compile(r"截至|截止|目前|现有|以来|[几多近两三四五十]年来|已经|已有|已建|已达|已完成|已实现|已培训|(?:达到|提高|增长|建成|完成|实现)了")
# 2020年全市…达到10.3%，较2015年提高4个百分点: a report on a past year, not a commitment.
_REPORT = re.compile(r"(?:较|比)\s*\d{4}\s*年(?:底|末)?(?:提高|提升|增长|增加|上升|翻)")
_COMMITMENT = re.compile(r"(?:到|至)\s*\d{4}\s*年|(?:到|至)\s*[“\"]?十[一二三四五]五|力争|确保|争取|将|要|目标")
# A count that closes its clause: 新建职工书屋三十个， / 一百二十个、 / 两千场以上。
_CLAUSE_FINAL = re.compile(r"(?:及|或)?(?:以上|左右|以内|以下)?\s*(?:[，,。；;、）)！!\n]|$)")
_DURATION_UNITS = frozenset({"小时", "天"})  # 24小时热线 names a service; a duration counts only with a comparator
_FILLER = re.compile(r"^(?:[，,\s]|到\d{4}年|力争|确保|争取|努力|实现|全面|基本|要|使|让|其中)+")


def _quoted_mask(text: str) -> list[bool]:
    """Which characters sit inside “…”, 《…》, 「…」, 『…』 or "…" (reset at a sentence end,
    so one unclosed quote cannot hide the rest of a document)."""
    mask = [False] * len(text)
    depth = 0
    ascii_open = inside = False
    pos = 0  # the characters from pos up to the next quote or sentence end are all ``inside`` or not
    for m in _QUOTE_OR_END.finditer(text):  # visiting only these is 5× faster than every character
        i, ch = m.start(), m.group()
        if inside:
            mask[pos:i] = [True] * (i - pos)
        if ch in "“《「『":
            depth += 1
        elif ch in "”》」』":
            depth = max(0, depth - 1)
        elif ch == '"':
            ascii_open = not ascii_open
        else:
            depth, ascii_open = 0, False
        inside = depth > 0 or ascii_open
        mask[i] = inside
        pos = i + 1
    if inside:
        mask[pos:] = [True] * (len(text) - pos)
    return mask


_QUOTE_OR_END = re.compile(f'[“《「『”》」』"{re.escape(_SENTENCE_END)}]')


# A heading (一、 / （一）) and its title; a section reviewing the past gives no targets.
_SECTION_HEADING = re.compile(
    r"(?:^|(?<=[\n。]))[ \t\u3000]*(?:(?P<top>[一二三四五六七八九十]+、)|[（(][一二三四五六七八九十]+[）)])"
    r"[ \t\u3000]*(?P<title>[^\n。；]{1,30})"
)
_REVIEW_TITLE = re.compile(r"发展基础|工作基础|现实基础|发展现状|基本情况|现状|回顾|成效|成绩|成就|形势")
_FORWARD_TITLE = re.compile(r"目标|任务|措施|要求|举措|行动|工程|保障|思路")


def _review_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` under a heading that reviews the past (一、发展基础, （二）发展现状,
    “十三五”工作回顾): their numbers are baselines, not targets.

    >>> t = "一、发展基础\\n建成科技馆45座。\\n二、发展目标\\n到2025年，建成科技馆60座。"
    >>> [t[a:b].split("\\n")[0] for a, b in _review_spans(t)]
    ['一、发展基础']
    """
    spans: list[tuple[int, int]] = []
    headings = list(_SECTION_HEADING.finditer(text))
    for i, h in enumerate(headings):
        title = h.group("title")
        if not _REVIEW_TITLE.search(title) or _FORWARD_TITLE.search(title):
            continue
        top = bool(h.group("top"))
        end = next((n.start() for n in headings[i + 1 :] if bool(n.group("top")) or not top), len(text))
        spans.append((h.start(), end))
    return spans


def _bounds(text: str, pos: int, ends: str) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, pos) for ch in ends) + 1
    stops = [i for i in (text.find(ch, pos) for ch in ends) if i >= 0]
    return start, min(stops) if stops else len(text)


def _sentence_year(sentence_before: str) -> int | None:
    """The last year expression in the sentence before the number."""
    year = None
    for m in _YEAR.finditer(sentence_before):
        year = int(m.group(1) or m.group(2))
    if year is None and (m := _OPENING_YEAR.match(sentence_before)):
        year = int(m.group(1))
    for m in _PERIOD_END.finditer(sentence_before):
        year = _PERIOD_YEARS[m.group(1)]
    return year


def section_year(text: str) -> int | None:
    """The year a goals section sets in its opening: the first paragraph opening with
    (到)YYYY年, else the first 到YYYY年 of the section's first sentence.

    >>> section_year("二、目标要求\\n到2020年，建立起…模式。\\n（一）每年举行两次…")
    2020
    >>> section_year("（二）原则和目标\\n以突出科学精神引领为原则，到2025年，全市…达到13%。") 
    2025
    >>> section_year("二、主要任务\\n加强组织领导。") is None
    True
    """
    m = re.search(r"(?:^|\n)\s*(?:——)?\s*(?:力争)?(?:到|至)?\s*(\d{4})\s*年(?:底|末)?\s*[，,]", text)
    if m:
        return int(m.group(1))
    lines = [ln for ln in text.split("\n") if ln.strip()]
    body = "\n".join(lines[1:] if len(lines) > 1 and not re.search(r"[。；]", lines[0]) else lines)
    first = re.split(r"[。！？]", body, maxsplit=1)[0]
    m = re.search(r"(?:到|至)\s*(\d{4})\s*年", first)
    return int(m.group(1)) if m else None


def _comparator(before: str, after: str, approx: bool) -> str:
    for pattern, comparator in _AFTER:
        if pattern.match(after):
            return comparator
    if approx:
        return ">"  # 3000余人, 400多人
    for pattern, comparator in _BEFORE:
        if pattern.search(before):
            return comparator
    return "="


def _noun_after(text: str, end: int) -> str:
    """The noun phrase right after a count, up to punctuation or a conjunction."""
    window = _PINYIN.sub("", text[end : end + 60])  # robust to glued pinyin: 5项(xiàng)提升行动
    if window.startswith("“") and "”" in window:  # “科普智慧云”互动大屏: a quoted name opens it
        close = window.index("”") + 1
        m = _NOUN_END.search(window, close)
    else:
        m = _NOUN_END.search(window)
    return window[: min(m.start() if m else len(window), 30)]


def _counted_noun(text: str, end: int) -> str:
    """What a count counts when the noun follows it (建立12个劳模创新工作室 → 劳模创新工作室)."""
    return re.sub(r"^(?:及|或)?(?:以上|以下|以内|左右)", "", _noun_after(text, end))


def _indicator(before: str, noun: str) -> str:
    head = before[before.rfind("（") + 1 :] if before.rfind("（") > before.rfind("）") else before
    head = _FILLER.sub("", re.sub(r"^(?:及|或)?(?:以上|以下|以内)?[、，,\s]*", "", head))
    for m in _ANY_COMPARATOR.finditer(head):  # drop the trailing 达到并争取超过, keep 达标企业
        if _COMPARATOR_TAIL.fullmatch(head, m.start()):
            head = head[: m.start()]
            break
    head = re.sub(r"(?:的|为|是|\s)+$", "", head)
    return f"{head}{noun}" if noun else head


def _reading(m: re.Match[str]) -> tuple[Decimal | None, Decimal | None, str]:
    """(value, upper end of a range, unit) of a matched quantity."""
    if m.group("den"):
        return parse_number(m.group("fv")), None, FRACTION_UNITS[m.group("den")]
    if m.group("times"):
        return doubling(m.group("times")), None, "倍"
    if m.group("tenth"):
        return Decimal(10 * cn_number(m.group("tenth"))), None, "%"
    if m.group("big"):
        return parse_number(m.group("big")), None, "个"  # no measure word: a plain count
    value_max = parse_number(m.group("v2")) if m.group("v2") else None
    return parse_number(m.group("v")), value_max, m.group("unit").replace("个百分点", "百分点").replace("％", "%")


def _is_name_number(m: re.Match[str], text: str, quoted: list[bool], before: str, recurring: bool) -> bool:
    """Whether a matched quantity only names or counts something (NOTES §8), so is no target."""
    start = m.start()
    if quoted[start]:
        return True
    if start > 0 and text[start - 1] in "第每前由从":  # ordinal, per-capita, ranking, a from-value
        return True
    if text.startswith(("提高到", "提升到", "增加到", "增长到", "提高至", "提升至"), m.end()):
        return True  # 由10%提高到15%: the first number is the baseline
    has_comparator = any(p.search(before[-8:]) for p, _ in _BEFORE) or any(p.match(text[m.end() : m.end() + 4]) for p, _ in _AFTER)
    if m.group("tenth") or m.group("big"):  # 三成, 一千万 say what they measure only after 达到/突破…
        return not has_comparator
    if not m.group("v"):  # 千分之一, 翻一番
        return False
    unit = m.group("unit")
    token = re.sub(r"\s+", "", m.group("v"))
    if _NOT_UNIT.match(text, m.end("unit") - len(unit)):
        return True
    if unit in _STRUCTURE_UNITS and _STRUCTURE_NOUN.search(_noun_after(text, m.end())):
        return True
    if unit in _DURATION_UNITS:
        return not has_comparator
    if token[0].isdigit():
        return False
    # Chinese numerals mostly name things (百家城市, 五项学科竞赛, 三个方面, 一批): keep one only
    # after a comparator, as a frequency (两次, 每年一次), as a magnitude (一万名), or when the
    # count closes its clause after the thing counted (新建职工书屋三十个，).
    if has_comparator or (token not in ("百", "千", "万", "亿") and _CLAUSE_FINAL.match(text, m.end())):
        return False  # (a lone 万 is an idiom: 千家万户)
    if token[0] in "十百千万亿":
        return True
    if unit in ("次", "人次"):
        return token == "一" and not recurring
    return not (len(token) > 1 and token[-1] in CN_BIG)


# An indicator table: 指标 | 2020年 | 2025年 (| 属性), cells split by | or tabs. The year
# columns after the baseline state targets, each dated by its column: the baseline is the column
# marked 基期/基数/现状, else the earliest (tests/cases/heldout/NOTES.md §7).
_YEAR_CELL = re.compile(
    r"^\s*(\d{4})\s*年\s*(?:底|末)?\s*[（(]?\s*(?P<mark>目标值?|基期值?|基数|预期值?|现状值?)?\s*[）)]?"
    r"\s*(?P<glued>1)?\s*$"  # a one-line copy glues the first row's 序号 to the last header cell
)
_BASELINE_MARK = re.compile(r"基期|基数|现状")
# 6第三章 主要任务: a one-line copy runs the heading after a table into its last value
_VALUE_BEFORE_HEADING = re.compile(
    r"^\s*(?P<value>[≥≤＞＜><]?=?\s*\d+(?:\.\d+)?\s*[%％‰]?)\s*"
    r"(?=第[一二三四五六七八九十]{1,3}[章节部篇]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|表\s*\d|注[：:])"
)
_VALUE_CELL = re.compile(
    r"^\s*(?P<op>[≥≤＞＜><]=?)?\s*(?P<v>\d+(?:\.\d+)?)\s*(?:[%％‰])?\s*(?P<tail>以上|以下|以内|左右)?\s*$"
)
_BLANK_CELL = re.compile(r"^\s*(?:[—\-－/／]+|无)?\s*$")
_UNIT_PAREN = re.compile(r"[（(]\s*([^（）()]{1,6})\s*[）)]\s*$")


def _table_targets(text: str, review: list[tuple[int, int]]) -> list[TargetStatement]:
    """Targets in the year columns of indicator tables (cells split by ``|`` or tabs). Rows are
    found by shape: a text cell followed by one value cell per year column, so a table read
    with its line breaks lost is read the same way.

    >>> t = "指标 | 2020年 | 2025年\\n科技馆数量（座） | 6 | 14\\n年度科普经费（亿元） | 0.8 | ≥1.5\\n"
    >>> [(str(x.value), x.unit, x.year, x.comparator) for x in _table_targets(t, [])]
    [('14', '座', 2025, '='), ('150000000', '元', 2025, '>=')]

    With one column per year, each after the baseline is a target; on one line, a last value
    runs into the next row's 序号 (``10`` + ``2``), which the numbering tells apart:

    >>> t = "序号\\t指标\\t2020年（基期）\\t2023年\\t2025年1\\t比例（%）\\t10\\t12\\t152\\t志愿者（万人）\\t28\\t30\\t36"
    >>> [(str(x.value), x.year) for x in _table_targets(t, [])]
    [('12', 2023), ('15', 2025), ('300000', 2023), ('360000', 2025)]
    """
    out: list[TargetStatement] = []
    cells: list[tuple[int, str]] = []
    pos = 0
    for part in re.split(r"(\||\t)", text):
        if part not in ("|", "\t"):
            cells.append((pos, part))
        pos += len(part)
    i = 0
    while i < len(cells):
        years: list[int] = []
        marks: list[str] = []
        j = i
        while j < len(cells) and (m := _YEAR_CELL.match(cells[j][1].strip().split("\n")[0])):
            years.append(int(m.group(1)))
            marks.append(m.group("mark") or "")
            j += 1
        if len(years) < 2 or len(set(years)) < 2:
            i += 1
            continue
        k = len(years)
        baselines = {c for c, mark in enumerate(marks) if _BASELINE_MARK.search(mark)} or {years.index(min(years))}
        columns = [c for c in range(k) if c not in baselines and years[c] > max(years[b] for b in baselines)]
        numbered = any(re.search(r"序号\s*$", cells[x][1]) for x in range(max(0, i - 3), i))
        row_no = 0
        r = j - 1  # the last header cell may hold the first row when the year column ends it
        while r + k < len(cells) + 1:
            start, cell = cells[r]
            # the indicator: the cell's last line (a lost line break glues the row number on)
            name = re.sub(r"^\s*\d{1,2}\s*[.、]?\s*(?=\D)", "", re.split(r"[\n。；;]", cell.strip())[-1]).strip()
            values = [c.strip().split("\n")[0] for _, c in cells[r + 1 : r + 1 + k]]
            if values and (glued := _VALUE_BEFORE_HEADING.match(values[-1])):
                values[-1] = glued.group("value")  # the table's last value, the next heading run on
            if len(values) < k or not name or _VALUE_CELL.match(name) or _BLANK_CELL.match(name) or _YEAR_CELL.match(name):
                r += 1
                continue
            if not all(_VALUE_CELL.match(v) or _BLANK_CELL.match(v) for v in values):
                if _YEAR_CELL.match(values[0]) or r > j + 4 * (k + 3) and not out:
                    break
                r += 1
                continue
            row_no += 1
            if numbered and "\n" not in cells[r + k][1].strip() and _row_follows(cells[r + k + 1 : r + 2 * k + 2]):
                values[-1] = _unglue_row_number(values[-1], row_no + 1)
            r += k  # the row's last cell may hold the next row's indicator, on its next line
            if any(a <= start < b for a, b in review):
                continue
            unit_m = _UNIT_PAREN.search(name)
            indicator = _UNIT_PAREN.sub("", name).strip()
            end = cells[r][0] + len(cells[r][1].split("\n")[0])
            for c in columns:
                if m := _VALUE_CELL.match(values[c]):
                    out.append(_table_target(name, indicator, unit_m.group(1) if unit_m else "个", m, years[c],
                                             " | ".join([name, *[v.strip() for v in values]]), Span(start, end)))
        i = r
    return out


def _row_follows(cells: list[tuple[int, str]]) -> bool:
    """Whether ``cells`` are a whole row with no 序号 cell of its own: an indicator, then one
    value per year column (so the 序号 ran into the cell before)."""
    if len(cells) < 2 or "\n" in cells[0][1].strip() or _VALUE_CELL.match(cells[0][1]):
        return False
    return all(_VALUE_CELL.match(c.strip().split("\n")[0]) or _BLANK_CELL.match(c) or _VALUE_BEFORE_HEADING.match(c)
               for _, c in cells[1:])


def _unglue_row_number(value: str, next_no: int) -> str:
    """``102`` before the next row of a numbered table whose next row is 2: the value 10 with
    the next row's 序号 run on (a copy that lost its line breaks)."""
    number = str(next_no)
    head = value.strip()[: -len(number)]
    return head if value.strip().endswith(number) and head and _VALUE_CELL.match(head) else value


def _table_target(name: str, indicator: str, unit: str, m: re.Match[str], year: int, text: str,
                  span: Span) -> TargetStatement:
    unit = unit.replace("％", "%")
    value = Decimal(m.group("v"))
    if len(unit) > 1 and unit[0] in "万亿":
        value *= Decimal(10000 if unit[0] == "万" else 100000000)
        unit = unit[1:]
        value = value.to_integral_value() if value == value.to_integral_value() else value
    op = (m.group("op") or "").replace("＞", ">").replace("＜", "<").replace("≥", ">=").replace("≤", "<=")
    tail = m.group("tail") or ""
    comparator = op if op else ">=" if tail == "以上" else "<=" if tail in ("以下", "以内") else "="
    return TargetStatement(text=text, indicator=indicator, value=value, unit=unit, comparator=comparator,
                           year=year, span=span)


def extract_targets(text: str, *, default_year: int | None = None, offset: int = 0) -> list[TargetStatement]:
    """The quantitative targets stated in ``text``, in order, each restated target once.

    ``default_year`` applies to targets whose sentence has no year of its own; ``offset`` is
    added to the spans (the position of ``text`` in the document).

    >>> [(str(t.value), t.unit, t.comparator, t.year) for t in extract_targets(
    ...     "到2025年，全市公民具备科学素质的比例达到13%。重点实施5项提升行动。")]
    [('13', '%', '>=', 2025)]
    >>> t, = extract_targets("足额提取工资总额的1.5%—2.5%作为职工教育培训经费")
    >>> t.value, t.value_max, t.comparator
    (Decimal('1.5'), Decimal('2.5'), '=')
    >>> [(int(t.value), t.unit, t.year) for t in extract_targets("每年举行两次活动。年浏览量达到百万人次。", default_year=2020)]
    [(2, '次', None), (1000000, '人次', 2020)]
    >>> [(int(t.value), t.year) for t in extract_targets("到2025年，比例2023年达到14%，2025年达到16%。")]
    [(14, 2023), (16, 2025)]
    """
    quoted = _quoted_mask(text)
    out: list[TargetStatement] = []
    seen: set[tuple[Decimal, str, str]] = set()
    previous_end = 0
    review = _review_spans(text)
    for m in _QUANTITIES.finditer(text):
        if any(a <= m.start() < b for a, b in review):
            continue
        clause_start, clause_end = _bounds(text, m.start(), _CLAUSE_END)
        sentence_start, sentence_end = _bounds(text, m.start(), _SENTENCE_END)
        before = text[max(clause_start, previous_end) : m.start()]
        sentence_before = text[sentence_start : m.start()]
        sentence = text[sentence_start:sentence_end]
        recurring = bool(_RECURRING.search(sentence_before))
        if _is_name_number(m, text, quoted, before, recurring) or _BASELINE.search(sentence):
            continue
        if _REPORT.search(sentence) and not _COMMITMENT.search(sentence):
            continue
        value, value_max, unit = _reading(m)
        if value is None or (value_max is not None and value_max <= value):
            continue
        previous_end = m.end()
        comparator = "=" if value_max is not None else _comparator(before, text[m.end() :], bool(m.group("approx")))
        noun = _counted_noun(text, m.end()) if m.group("v") and unit not in ("%", "‰", "百分点") else ""
        indicator = _indicator(before, noun)
        if recurring:
            year = None
        else:
            clause_year = [int(y) for y in _CLAUSE_YEAR.findall(text[clause_start : m.start()])]
            year = clause_year[-1] if clause_year else _sentence_year(sentence_before)
            year = default_year if year is None else year
        # The same quantity of the same thing said twice (000: 省级12个劳模创新工作室) is one target.
        key = (value, unit, noun or indicator)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            TargetStatement(
                text=text[clause_start:clause_end].strip(),
                indicator=indicator,
                value=value,
                unit=unit,
                comparator=comparator,
                value_max=value_max,
                year=year,
                span=Span(offset + clause_start, offset + clause_end),
            )
        )
    for t in _table_targets(text, review):
        span = Span(offset + t.span.start, offset + t.span.end) if t.span else None
        out.append(TargetStatement(t.text, t.indicator, t.value, t.unit, t.comparator, t.value_max, t.year, span))
    return out


def distinct_targets(targets: list[TargetStatement]) -> list[TargetStatement]:
    """``targets`` without restatements (same value, unit and indicator or clause text), in
    order: for merging the targets of several calls over one plan's text.

    >>> ts = extract_targets("建立12个工作室。") + extract_targets("（省级12个工作室）的设立。")
    >>> len(ts), len(distinct_targets(ts))
    (2, 1)
    """
    out: list[TargetStatement] = []
    seen: set[tuple[Decimal, str, str]] = set()
    for t in targets:
        noun = next((_counted_noun(t.text, m.end()) for m in _QUANTITY.finditer(t.text) if _reading(m)[0] == t.value), "")
        key = (t.value, t.unit, noun or t.indicator)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out
