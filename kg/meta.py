"""Plan metadata: title, region, period, 文号, issue date, issuers, implemented documents.

Plans of this genre open in one of a few ways, and this module reads all of them: a bare title
(perhaps over two lines, perhaps followed by a parenthetical ``（吉政办发〔2016〕43号，吉林省人民
政府办公厅2016年6月19日印发）``); a notice ``X关于印发《Y》的通知`` with a letterhead, a 文号, a
signature and a date before the plan ``Y`` itself; or a portal header (``发文字号：…``,
``成文日期：…``). The preamble between the plan's title and its first section (一、) names the
documents the plan implements (贯彻落实/根据/依据《…》（文号）, tests/gold/NOTES.md §9) and, in joint
plans, its issuers (``A、B、C决定联合开展…``). Nothing here depends on line breaks surviving.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import DocumentRef, PlanMeta, Text
from .regions import find_region_prefix
from .numbers import cn_number
from .targets import section_year

_CJK = "\u4e00-\u9fff"
# 文号: 吉政办发〔2016〕43号, 国发[2021]9号, 曲政发（2022）21号 …
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［（(【﹝]\s*((?:19|20)\d{2})\s*[〕\]］）)】﹞]\s*(\d{1,4})\s*号")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—－\-–~～至到]+\s*((?:19|20)\d{2})\s*年?")
# “十四五” in a title names the five-year period 2021—2025 (十一五 2006—2010 … 十五五 2026—2030).
_FIVE_YEAR = re.compile(r"十([一二三四五])五(?:规划|时期|期间)?")
_FIVE_YEAR_START = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}
# One year in a title (常德市2022年全民科学素质工作要点): an annual plan for that year.
_TITLE_YEAR = re.compile(r"(?<![\d到至止])((?:19|20)\d{2})\s*年(?!\s*(?:[—－\-–~～至到]|远景|前|底|以前))")
# 关于转发市科协等部门…的通知: the forwarded document's title follows its drafters.
_DRAFTERS = re.compile(r"^[\u4e00-\u9fff、]{2,40}?等[一二三四五六七八九十\d]*个?(?:部门|单位)(?:联合)?(?:制定|起草|拟定)?的?")
# Lost line breaks: a red letterhead and its 文号 glued before the title, a salutation after it.
_LETTERHEAD = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,40}?文件\s*[\u4e00-\u9fff]{1,12}\s*[〔\[［【﹝]\s*\d{4}\s*[〕\]］】﹞]\s*\d{1,4}\s*号\s*"
)
_SALUTATION = re.compile(r"各[^。：:，,]{1,30}(?:[、，,][^。：:]{1,30}){0,8}[：:]")
_TITLE_END = re.compile(r"实施方案|方案|规划|计划|纲要|意见|分解表|办法|细则|要点|安排|措施|通知")
_PERIOD_PAREN_CORE = r"[（(]\s*\d{4}\s*年?\s*[—－\-–~～至]+\s*\d{4}\s*年?\s*[)）]"
_PERIOD_PAREN = re.compile(rf"\s*{_PERIOD_PAREN_CORE}")
# What may follow a plan's title on its line when line breaks are lost; a table (tab, | or 序号) too.
_PREAMBLE_OPENERS = ("为", "根据", "依据", "按照", "贯彻", "一、", "（", "(", "“十", "近年", "当前", "随着", "\t", "|", "序号")
_NOTICE = re.compile(r"关于(?:印发|转发|颁布)\s*(?:《([^《》\n]{4,80})》|([^《》\n|]{4,80}?))\s*的\s*通知")
_HEADING = re.compile(r"(?:^|\n|[。：:\s])\s*[一二三四五六七八九十]+、")
_BASIS = re.compile(r"贯彻|落实|根据|依据|按照|遵照|实施|执行|精神")
# Lines around a plan that are not its title: portal fields (发文机关：…), breadcrumbs, font
# switches, page numbers, publication notes, a red letterhead (十堰市总工会文件).
_PAGE_CHROME = re.compile(r"^[\u4e00-\u9fff（）()\s]{2,40}文件$|\||^[\u4e00-\u9fff\s]{2,8}[：:](?!.*。)| > |^【|^PAGE|^[（(]此件|^-?\s*\d+\s*-?$")
_LEAD = re.compile(
    r"^\s*(?:以及|和|及|与)?\s*(?:为)?(?:深入|全面|认真|进一步)*(?:贯彻落实|贯彻|落实|根据|依据|按照|遵照|执行)?"
    r"(?:[\u4e00-\u9fff]{2,12}?印发的)?"
)
_ALIAS = re.compile(r"[（(]\s*以下简称[^）)]*[）)]")
_YMD = r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?"
_CN_YMD = r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
_DATE = re.compile(rf"(?<!\d){_YMD}|{_CN_YMD}")
_ORG_END = re.compile(
    r"(?:人民政府|政府|办公厅|办公室|委员会|委|局|厅|部|总工会|工会|科协|联合会|工商联|妇联|残联|团委|"
    r"院|中心|协会|学会|公司|集团|组|署|会|联|社)$"
)
_JOINT = re.compile(r"((?:[\u4e00-\u9fff]{2,25}[、，,和]\s*){1,12}[\u4e00-\u9fff]{2,25}?)(?:决定)?(?:联合|共同)(?:开展|制定|印发(?!的)|实施)")


@dataclass
class _Found:
    title: str
    end: int  # where the plan's own heading ends in the text (start of its preamble)


def _quoted(text: str) -> list[bool]:
    """Which characters are inside 《…》 (cited documents)."""
    mask, depth, pos = [False] * len(text), 0, 0
    for m in _TITLE_BRACKET.finditer(text):  # visiting only 《 and 》 is 5× faster than every character
        i = m.start()
        if depth > 0:
            mask[pos:i + 1] = [True] * (i + 1 - pos)  # 》 itself is inside, and 《 opens at once
        elif m.group() == "《":
            mask[i] = True
        depth += 1 if m.group() == "《" else -(depth > 0)
        pos = i + 1
    if depth > 0:
        mask[pos:] = [True] * (len(text) - pos)
    return mask


_TITLE_BRACKET = re.compile("[《》]")


def normalise_doc_number(number: str) -> str | None:
    """A 文号 with its year brackets as 〔〕, or None if ``number`` is none.

    >>> normalise_doc_number("国发[2021]9号"), normalise_doc_number("曲政发（2022）21号")
    ('国发〔2021〕9号', '曲政发〔2022〕21号')
    """
    m = _DOC_NUMBER.search(number)
    return _number(m) if m else None


def _number(m: re.Match[str]) -> str:
    prefix = re.split(r"[的和及与、]|印发|根据|依据|按照|转发|贯彻落实|文件|通知|意见|精神", m.group(1))[-1]
    return f"{prefix}〔{m.group(2)}〕{m.group(3)}号"


def _cut_title(line: str, mask_offset: int, mask: list[bool]) -> str:
    """The title at the start of a line that may run on into the preamble (lost line breaks)."""
    for m in _TITLE_END.finditer(line):
        if mask[mask_offset + m.start()]:
            continue
        end = m.end()
        if p := _PERIOD_PAREN.match(line, end):
            end = p.end()
        rest = line[end:].lstrip(" ")
        if not rest or rest.startswith(_PREAMBLE_OPENERS) or _DOC_NUMBER.match(rest.lstrip("（(")) or _SALUTATION.match(rest):
            return line[:end].strip()
    return line.strip()


def _notice(text: str, mask: list[bool] | None = None) -> re.Match[str] | None:
    """The notice that issues the plan (X关于印发《Y》的通知): in the document's head, not cited
    in a sentence (根据…关于印发…的通知) nor inside 《》."""
    heading = _HEADING.search(text)
    for m in _NOTICE.finditer(text, 0, heading.start() if heading else len(text)):
        lead = re.split(r"[。\n|]", text[: m.start()])[-1]
        if (mask is None or not mask[m.start()]) and not re.search(r"[，,]", lead) and not _BASIS.search(lead):
            return m
    return None


def _own_heading(title: str, text: str, start: int, mask: list[bool]) -> _Found | None:
    """The plan's own heading after a notice whose title carries more than the plan's
    (关于转发市科协等部门宜昌市…方案的通知 → 宜昌市…方案): the longest end of the notice's
    title that heads a line of its own (not a citation in 《》)."""
    squeezed = re.sub(r"\s+", "", title)
    for cut in range(1, len(squeezed) - 5):
        pattern = r"\s*".join(map(re.escape, squeezed[cut:]))
        for h in re.finditer(rf"(?:^|(?<=\n))[ \t\u3000]*({pattern})[ \t\u3000]*(?:\n|$)", text[start:], re.M):
            if not mask[start + h.start(1)]:
                return _Found(squeezed[cut:], start + h.end(1))
    for cut in range(1, len(squeezed) - 9):  # lost line breaks: the heading runs on in the text
        pattern = r"\s*".join(map(re.escape, squeezed[cut:]))
        for h in re.finditer(pattern, text[start:]):
            if not mask[start + h.start()]:
                return _Found(squeezed[cut:], start + h.end())
    return None


def _title_after_chrome(line: str, offset: int, mask: list[bool]) -> _Found | None:
    """The first title-shaped run in a line of page chrome with the document glued on: it opens
    with a place name right after a non-Chinese character and ends in 方案/规划/… ."""
    for m in re.finditer(rf"(?<![{_CJK}“”《》])[{_CJK}“”]", line[:400]):
        if mask[offset + m.start()] or not find_region_prefix(line[m.start() :]):
            continue
        title = _cut_title(line[m.start() :], offset + m.start(), mask)
        if title != line[m.start() :].strip() and len(title) <= 60:
            return _Found(title, offset + m.start() + len(title))
    return None


def _find_title(text: str, mask: list[bool]) -> _Found:
    notice = _notice(text, mask)
    if notice:
        title = (notice.group(1) or notice.group(2)).strip()
        pattern = r"\s*".join(map(re.escape, re.sub(r"\s+", "", title)))
        heading = next((h for h in re.finditer(pattern, text[notice.end() :]) if not mask[notice.end() + h.start()]), None)
        if heading is None and (own := _own_heading(title, text, notice.end(), mask)):
            return own
        if heading is None:
            title = _DRAFTERS.sub("", title) or title
        return _Found(title, notice.end() + (heading.end() if heading else 0))
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or _PAGE_CHROME.search(stripped) or _DOC_NUMBER.fullmatch(stripped):
            if len(stripped) > 120 and (glued := _title_after_chrome(stripped, pos + line.index(stripped), mask)):
                return glued  # a whole page on one line: 首页 > … 浏览次数：1024黄石市…规划“十四五”时期…
            pos += len(line) + 1
            continue
        start = pos + line.index(stripped)
        if (head := _LETTERHEAD.match(stripped)) and head.end() < len(stripped):  # lost line breaks
            start, stripped = start + head.end(), stripped[head.end() :]
        title = _cut_title(stripped, start, mask)
        end = start + len(title)
        nxt = next((ln.strip() for ln in lines[i + 1 : i + 3] if ln.strip()), "")
        if title == stripped and nxt and len(nxt) < 40 and re.fullmatch(
            rf"[^。，；：]{{0,30}}?(?:{_TITLE_END.pattern}|{_PERIOD_PAREN_CORE})", nxt
        ):
            title += nxt
            end = text.index(nxt, end) + len(nxt)
        return _Found(title, end)
    return _Found("", 0)


def _doc_numbers(text: str, found: _Found, mask: list[bool]) -> str | None:
    """The plan's own 文号: labelled (发文字号), in the header before the title, alone on a line,
    or in the parenthetical right under the title; never one cited after 》."""
    best: tuple[int, int, str] | None = None
    for m in _DOC_NUMBER.finditer(text):
        own_start = m.end(1) - len(_number(m).split("〔")[0])  # 《…》的通知常科素办〔…: the number starts at 常
        if mask[m.start()] or text[max(0, own_start - 3) : own_start].rstrip("（( ").endswith("》"):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : line_end if line_end >= 0 else len(text)].strip()
        paren = text[m.end() : m.end() + 60]
        if re.search(r"(?:发文字号|文号|字号)[\s:：|]*$", before):
            rank = 0
        elif m.start() < found.end and m.start() < 400:
            rank = 1  # header, letterhead or notice, before the plan's own heading
        elif 0 <= m.start() - found.end <= 3 and re.search(r"印发|发布|\d{4}\s*年", paren.split("）")[0]):
            rank = 1  # （吉政办发〔2016〕43号，…印发） under the title
        elif line.strip("（()） ") == m.group(0).strip():
            rank = 2
        else:
            continue
        if best is None or (rank, m.start()) < best[:2]:
            best = (rank, m.start(), _number(m))
    return best[2] if best else None


def _date(m: re.Match[str]) -> dt.date | None:
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        y, mo, d = (cn_number(m.group(i)) or 0 for i in (4, 5, 6))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _issued(text: str, found: _Found, mask: list[bool]) -> dt.date | None:
    """成文日期, else the date in the parenthetical under the title or the signature, else a
    publication date (发布日期, …印发)."""
    best: tuple[int, int, dt.date] | None = None
    for m in _DATE.finditer(text):
        date = _date(m)
        if date is None or mask[m.start()]:
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        after = text[m.end() : m.end() + 6]
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)].strip()
        if re.search(r"成文日期[\s:：|]*$", before):
            rank = 0
        elif re.match(r"\s*印发\s*[）)]", after):
            rank = 1  # （吉政办发〔2016〕43号，吉林省人民政府办公厅2016年6月19日印发）
        elif (m.start() < found.end or m.start() > len(text) - 300) and not after.lstrip().startswith("印发") and (
            line == m.group(0).strip() or _ORG_END.search(before.rstrip())
            # on one line, an unsigned notice: …认真组织实施。2022年2月25日 (no 2022年3月1日起 / ，)
            or (before.rstrip().endswith("。") and not re.match(r"\s*[，,起前后以至到]", after))
        ):
            rank = 1  # a signature: 曲靖市人民政府 / 2022年4月26日, in the notice or at the end
        elif re.search(r"发布日期[\s:：|]*$", before) or after.lstrip().startswith("印发"):
            rank = 2
        else:
            continue
        if best is None or (rank, m.start()) < best[:2]:
            best = (rank, m.start(), date)
    return best[2] if best else None


def _orgs(segment: str) -> list[str]:
    """Agency names in a letterhead, signature or list: 广 元 市 总 工 会 → 广元市总工会;
    A、B和C → A, B, C (but 人力资源和社会保障局 stays whole)."""
    tokens = segment.split()
    if tokens and sum(len(tok) == 1 for tok in tokens) >= 0.6 * len(tokens):  # letter-spaced
        segment = re.sub(rf"(?<=[{_CJK}]) (?=[{_CJK}])", "", segment.strip())
    out: list[str] = []
    for name in re.split(r"[、，,\s]+", segment):
        parts = name.split("和")
        if len(parts) == 2 and all(_ORG_END.search(x) for x in parts) and len(parts[1]) >= 3:
            out += parts
        elif name:
            out.append(name)
    return [n for n in out if 3 <= len(n) <= 30 and _ORG_END.search(n)]


def _signature(before: str) -> list[str]:
    """The agencies signing just before a date: the names after the last sentence end."""
    segment = re.split(r"[。，,：:；;|）)]", before)[-1]
    return _orgs(segment) if _ORG_END.search(segment.strip()) else []


def _issuers(text: str, found: _Found, region: str | None, preamble: str) -> list[str]:
    out: list[str] = []
    head = text[: found.end]
    if (notice := _notice(head)) is not None:
        prefix = re.split(r"[|:：\n]|号", head[: notice.start()].rstrip())[-1]
        if not prefix.strip():  # letterhead on the line before 关于印发
            prefix = next((ln for ln in reversed(head[: notice.start()].split("\n")) if ln.strip()), "")
        out += _orgs(prefix)
        body = head[notice.end() :]
        if m := _DATE.search(body):
            out += _signature(body[: m.start()])
    paren = re.match(r"\s*[（(]([^）)]{0,80}印发)[）)]", text[found.end :])
    if paren and (d := _DATE.search(paren.group(1))):
        out += _orgs(re.split(r"[，,]", paren.group(1)[: d.start()])[-1])
    joint = [m for m in _JOINT.finditer(preamble) if not m.group(0).endswith("的")]
    if joint:
        preferred = [m for m in joint if region and m.group(1).lstrip("，,").startswith(region)]
        out += _orgs((preferred or joint)[-1].group(1).split("，")[-1])
    tail_start = max(found.end, len(text) - 300)
    for m in _DATE.finditer(text, tail_start):  # a signature at the end, not the 印发 line of a 版记
        if not text[m.end() : m.end() + 4].lstrip().startswith("印发"):
            out += _signature(text[tail_start : m.start()])
    if not out and (m := re.search(r"发文机关[\s:：|]*([^|\n]{3,40})", head)):
        out += _orgs(m.group(1))
    return list(dict.fromkeys(out))


def _preamble(text: str, found: _Found) -> str:
    """From the plan's own heading to its first section (一、)."""
    heading = _HEADING.search(text, found.end)
    return text[found.end : heading.start() if heading else found.end + 800]


def _implements(preamble: str, found: _Found) -> list[DocumentRef]:
    """Documents named in the preamble after 贯彻落实/根据/依据…, with the 文号 that follows each."""
    preamble = _ALIAS.sub(lambda m: " " * len(m.group(0)), preamble)  # （以下简称《…》）
    out: list[DocumentRef] = []
    for sentence in re.split(r"(?<=[。！？])", preamble):
        if "现将" in sentence or "印发给" in sentence:
            continue
        used: set[int] = set()
        for m in re.finditer(r"《([^《》]+)》", sentence):
            if not _BASIS.search(sentence[: m.start()]) or m.group(1) == found.title:
                continue
            tail = re.match(r"[^《。，,；;]{0,12}?[（(]\s*([^（()）]{3,30}?号)\s*[）)]", sentence[m.end() :])
            number = None
            if tail and (n := _DOC_NUMBER.search(tail.group(1))):
                number = _number(n)
                used.add(m.end() + tail.end(1))
            out.append(DocumentRef(title=m.group(1).strip(), doc_number=number))
        for m in re.finditer(r"[（(]\s*([^（()）]{3,30}?号)\s*[）)]", sentence):  # 文号 after a title without 《》
            n = _DOC_NUMBER.search(m.group(1))
            if not n or m.end(1) in used or "》" in sentence[max(0, m.start() - 12) : m.start()]:
                continue
            lead = re.split(r"[、，,；;。》]|号[）)]", sentence[: m.start()])[-1]
            lead = _LEAD.sub("", lead).strip()
            if lead:
                out.append(DocumentRef(title=lead, doc_number=_number(n)))
        for m in _NOTICE.finditer(sentence):  # 按照…关于印发X的通知要求: a notice named without 《》 or 文号
            before = sentence[: m.start()]
            if not m.group(2) or m.group(2).strip() == found.title or before.count("《") > before.count("》"):
                continue  # a notice inside 《》 is read above
            if not _BASIS.search(before) or re.match(r"\s*[（(][^（()）]{3,30}?号\s*[）)]", sentence[m.end() :]):
                continue  # no basis word, or its 文号 follows: read above
            head = re.split(r"[、，,；;。》]", before)[-1]
            title = _LEAD.sub("", head).strip() + m.group(0)
            out.append(DocumentRef(title=title, doc_number=None))
    return out


def plan_period(title: str) -> tuple[int | None, int | None]:
    """The years a plan's title says it covers: a range, a five-year period or one year.

    >>> plan_period("曲靖市全民科学素质行动实施方案(2021—2025年)"), plan_period("宁波市科普事业发展“十四五”规划")
    ((2021, 2025), (2021, 2025))
    >>> plan_period("常德市2022年全民科学素质工作要点"), plan_period("吉林省“智慧蓝领”专项行动实施方案")
    ((2022, 2022), (None, None))
    """
    if period := _PERIOD.search(title):
        return int(period.group(1)), int(period.group(2))
    if five := _FIVE_YEAR.search(title):
        start = _FIVE_YEAR_START[five.group(1)]
        return start, start + 4
    years = _TITLE_YEAR.findall(title)
    if len(years) == 1:
        return int(years[0]), int(years[0])
    return None, None


def _end_year(text: str) -> int | None:
    """A plan without a period ends in the year its goals section sets (到2020年)."""
    goals = re.search(r"[一二三四五六七八九十]+、[^。\n]{0,12}目标[^。\n]{0,6}", text)
    if goals and (year := section_year(text[goals.end() : goals.end() + 600])):
        return year
    m = re.search(r"到\s*(\d{4})\s*年", text)
    return int(m.group(1)) if m else None


def extract_meta(text: Text) -> PlanMeta:
    """The metadata a plan states about itself.

    >>> from kg.model import Text
    >>> doc = ("吉林省贯彻全民科学素质行动计划纲要\\n实施方案（2016—2020年）\\n"
    ...        "（吉政办发〔2016〕43号，吉林省人民政府办公厅2016年6月19日印发）\\n"
    ...        "为贯彻落实《全民科学素质行动计划纲要（2006—2010—2020年）》（国发〔2006〕7号），制定本方案。\\n一、指导思想")
    >>> meta = extract_meta(Text(source="a.txt", text=doc, raw=doc, encoding="utf-8", content_hash=""))
    >>> meta.title, meta.region_name, meta.start_year, meta.end_year
    ('吉林省贯彻全民科学素质行动计划纲要实施方案（2016—2020年）', '吉林省', 2016, 2020)
    >>> meta.doc_number, meta.issued, meta.issuers
    ('吉政办发〔2016〕43号', datetime.date(2016, 6, 19), ['吉林省人民政府办公厅'])
    >>> meta.implements
    [DocumentRef(title='全民科学素质行动计划纲要（2006—2010—2020年）', doc_number='国发〔2006〕7号')]
    >>> doc = "昌吉州科普方案\\n按照自治区人民政府关于印发新疆科普方案的通知要求，制定本方案。\\n一、目标"
    >>> extract_meta(Text(source="a.txt", text=doc, raw=doc, encoding="utf-8", content_hash="")).implements
    [DocumentRef(title='自治区人民政府关于印发新疆科普方案的通知', doc_number=None)]
    """
    t = text.text
    mask = _quoted(t)
    found = _find_title(t, mask)
    title = found.title or text.source
    region = None
    if hit := find_region_prefix(title.lstrip("《“ ")):
        region = title.lstrip("《“ ")[: hit[1]]
    preamble = _preamble(t, found)
    issuers = _issuers(t, found, region, preamble)
    if region is None and issuers and (hit := find_region_prefix(issuers[0])):
        region = issuers[0][: hit[1]]
    start = end = None
    start, end = plan_period(title)
    if end is None:
        end = _end_year(t)
    return PlanMeta(
        title=title,
        region_name=region,
        start_year=start,
        end_year=end,
        doc_number=_doc_numbers(t, found, mask),
        issued=_issued(t, found, mask),
        issuers=issuers,
        implements=_implements(preamble, found),
    )
