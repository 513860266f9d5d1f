"""Responsibility notations → ``RoleMention`` (who leads, who cooperates, who is responsible).

Plans state responsibility in a handful of notations, found here wherever they sit in a
statement:

- a parenthetical after a measure: ``（A、B牵头，C、D配合）``, ``（由A牵头，B参加）``,
  ``（责任单位：A、B）``, ``（A负责）``;
- a labelled block: ``分工：由A牵头，B等单位配合。``, ``责任单位：A、B``,
  ``总牵头部门：A。责任单位：B、C``, ``牵头单位：A 配合单位：B``;
- the agency columns of a 任务分解表 (task breakdown table): ``role_mentions_from_cells``.

Prose such as ``工会牵头、职工参与的工作机制`` is not a notation and is left alone, and
generic actors (各级科协, 各有关部门 …) are not agencies (gold NOTES §10). Splitting a list
into names is ``kg.agencies.split_agency_list``'s job; this module only decides roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import agencies
from .model import Role, RoleMention, Span

# 牵头 lead; 配合/参加/参与/协同/协助 cooperating; 负责 responsible.
_VERBS: list[tuple[str, Role]] = [
    ("牵头负责", Role.LEAD),
    ("牵头", Role.LEAD),
    ("负总责", Role.LEAD),
    ("配合", Role.COOPERATING),
    ("参加", Role.COOPERATING),
    ("参与", Role.COOPERATING),
    ("协同", Role.COOPERATING),
    ("协助", Role.COOPERATING),
    ("协办", Role.COOPERATING),
    ("负责", Role.RESPONSIBLE),
]
_VERB_RE = re.compile("|".join(v for v, _ in _VERBS))
_VERB_ROLE = dict(_VERBS)

# Labels such as 牵头单位： 责任部门： 总牵头部门： 配合单位：
_LABEL_RE = re.compile(
    r"(?P<label>总?牵头(?:单位|部门)|主?责任?(?:单位|部门)|负责(?:单位|部门)|主办(?:单位|部门)"
    r"|(?:配合|参加|参与|协办|协助|协同)(?:单位|部门)"
    # bare 牵头： / 配合： opening a notation (（牵头：A；配合：B/C）)
    r"|(?<![\u4e00-\u9fff])(?:牵头|配合|协同|协办|参与))[：:]"
)
# A heading's last word: a one-line copy runs （一）…提升行动 into the 牵头单位： line below it.
_HEADING_WORD_END = re.compile(r"(?:行动|工程|计划|任务)$")
_BLOCK_RE = re.compile(r"(?:^|(?<=[\n\t。；;]))\s*(?:分工|责任分工|职责分工|工作分工)[：:]")
_ROLE_WORD_RE = re.compile(r"牵头|配合|参加|参与|协同|协助|协办|负责|会同|单位[：:]|部门[：:]")
# （牵头） after a name in a list: 责任单位：市科协（牵头）、市教育局
_ROLE_MARK_RE = re.compile(r"(?<=[^\s（(、，,])[（(](?P<word>牵头(?:单位|部门)?|主责|配合(?:单位|部门)?|协办)[）)]")
# A list's reading note, e.g. （排在第一位的为牵头单位，下同）: see ``first_listed_convention``
_LIST_NOTE_RE = re.compile(r"[（(][^（()）\n]{0,30}(?:第一位|首位|第一个|最前)[^（()）\n]{0,30}[）)]")
# A sentence that is only a notation: 由A会同B、C负责。 / 由A负责落实。 / 以上工作由A牵头，B等成员单位参加。
_DUTY_END_RE = re.compile(r"(?:负责|牵头|配合|参加|参与|协同|协助|协办)(?:组织)?(?:落实|实施|推进)?$")
_DUTY_SPLIT_RE = re.compile(r"会同|牵头负责|牵头|负总责|配合|参加|参与|协同|协助|协办|负责|[，,、；;\s]+")

# Words around a list that are not part of any name.
# 以上工作由… / 上述任务由…: the sentence gives the work above to the agencies it names
_LEAD_IN = re.compile(r"^(?:(?:以上|上述|此项|该项|本项)(?:各项)?(?:工作|任务)?(?=由))?(?:并由|由|请|会同|联合|和|及|与)")
# No agency name holds 由 (but 自由贸易区): text up to it is a heading a one-line copy ran in,
# as in （二）农民科学素质行动由县农委牵头.
_AFTER_YOU = re.compile(r"^.*(?<!自)由(?=.)")
_TRAIL = re.compile(
    r"(?:等有关单位|等相关单位|等有关部门|等相关部门|等成员单位|等单位|等部门|等)?"
    r"(?:按职责分工|按照职责分工|按职责|分别|共同|具体)?$"
)
# A name ends like an organisation: 局 委 办 厅 部 会 联 院 校 …
_ORG_END = re.compile(
    r"(?:[局委办厅部会联院校所站协团处室司署社馆台行队府军警盟]|中心|大学|学会|公司|集团|银行)$"
)
_ALIAS_RE = re.compile(r"[（(][^（()）]{2,20}[）)]$")
_GENERIC_START = re.compile(r"^(?:各|有关|相关|其他|其它|地方|全市|全省|全区|全县|本级|所属|属地)")
# Verbs of a task sentence never sit inside an agency name (充分发挥企业科协… is prose).
_PROSE_VERB = re.compile(r"发挥|加强|推进|推动|开展|建立|实施|支持|鼓励|引导|依托|结合|利用|提高|提升|完善")
_GENERIC_WORDS = {"工会", "科协", "工商联", "妇联", "团委", "政府", "人民政府", "企业", "学校", "社会",
                  "单位", "部门", "人社部门", "总工会",
                  # a kind of local body, not one body: 各镇人民政府、街道办事处负责落实
                  "街道办事处", "街道", "乡镇", "镇街", "乡镇人民政府", "镇人民政府", "乡人民政府"}


def is_generic_actor(name: str) -> bool:
    """True for actors that are not one agency (各级科协, 有关部门, 工会 …; gold NOTES §10).

    >>> is_generic_actor("各级科协"), is_generic_actor("市科协"), is_generic_actor("人社部门")
    (True, False, True)
    """
    return bool(_GENERIC_START.match(name)) or name in _GENERIC_WORDS or name.endswith("部门")


def looks_like_agency(name: str) -> bool:
    """True when ``name`` ends like an organisation and is not a generic actor.

    >>> looks_like_agency("区教育局团区委"), looks_like_agency("政府引导"), looks_like_agency("各级工会")
    (True, False, False)
    >>> looks_like_agency("州委党校（州行政学院）")
    True
    """
    name = _ALIAS_RE.sub("", name)  # 州委党校（州行政学院）: the second name of the same body
    return (2 <= len(name) <= 30 and bool(_ORG_END.search(name)) and not is_generic_actor(name)
            and not _PROSE_VERB.search(name))


def find_roles(statement: str) -> list[RoleMention]:
    """Every agency a statement names with its role, in order; spans are offsets in ``statement``.

    Reads parentheticals with a role word, labelled blocks and sentences that are nothing but
    a notation (``由A会同B、C负责。``); ignores prose.

    >>> [(m.role.value, m.name) for m in find_roles("——实施……。（市教体局、市科协牵头，团市委配合）")]
    [('lead', '市教体局'), ('lead', '市科协'), ('cooperating', '团市委')]
    >>> [(m.role.value, m.name) for m in find_roles("分工：由省教育厅、团省委牵头，省科协等单位。")]
    [('lead', '省教育厅'), ('lead', '团省委'), ('cooperating', '省科协')]
    >>> [(m.role.value, m.name) for m in find_roles("开展培训。由盟教育局会同团盟委、盟科协负责。")]
    [('lead', '盟教育局'), ('cooperating', '团盟委'), ('cooperating', '盟科协')]
    >>> [(m.role.value, m.name) for m in find_roles("构建党委领导、工会牵头、职工参与的机制。")]
    []
    """
    statement, marks = _lift_role_marks(statement)
    found: list[RoleMention] = []
    taken: list[tuple[int, int]] = []
    for start, end in _parentheticals(statement):
        body = statement[start:end]
        if _ROLE_WORD_RE.search(body):
            found.extend(_parse_notation(body, start, strict=True))
            taken.append((start - 1, end + 1))
    for start, end in _labelled_blocks(statement):
        if any(a <= start < b for a, b in taken):
            continue
        found.extend(_parse_notation(_masked(statement, taken)[start:end], start, strict=False))
        taken.append((start, end))
    for start, end in _duty_sentences(statement):
        if not any(a < end and start < b for a, b in taken):
            found.extend(_parse_verbs(statement[start:end], start, strict=True, default=None))
    found.sort(key=lambda m: m.span.start if m.span else 0)
    return _expand(_apply_marks(found, marks))


def role_mentions_from_cells(cells: Iterable[tuple[Role, str, int]]) -> list[RoleMention]:
    """Mentions from the agency columns of a table row: ``(column role, cell text, offset)``.

    A cell may itself use a notation (``A牵头，B配合``); otherwise its column gives the role.

    >>> [(m.role.value, m.name) for m in role_mentions_from_cells(
    ...     [(Role.LEAD, "区人社局", 0), (Role.COOPERATING, "区委宣传部、区科协等", 10)])]
    [('lead', '区人社局'), ('cooperating', '区委宣传部'), ('cooperating', '区科协')]
    """
    found: list[RoleMention] = []
    marks: dict[int, Role] = {}
    for role, cell, offset in cells:
        cell, cell_marks = _lift_role_marks(cell)
        marks.update({offset + end: r for end, r in cell_marks.items()})
        if _VERB_RE.search(cell) or _LABEL_RE.search(cell):
            found.extend(_parse_notation(cell, offset, strict=False, default=role))
        else:
            found.extend(_mentions(cell, offset, role, strict=False))
    return _expand(_apply_marks(found, marks))


_FIRST_LISTED_RE = re.compile(
    r"(?:排|列)(?:在|于)?(?:第一位|首位|第一个|最前)(?:的|者)?(?:单位|部门)?(?:为|是)(?:牵头|主责)(?:单位|部门)?"
    r"(?:[，,；;]\s*(?:其他|其余|其它)(?:的)?(?:单位|部门)?(?:为|是)(?P<rest>配合|参与|协办|责任)(?:单位|部门)?)?"
)


def first_listed_convention(text: str) -> Role | None:
    """A plan's note that the first agency of a 责任单位 list leads (排在第一位的为牵头单位).

    Returns the role of the others (responsible, or cooperating when the note says
    其他为配合单位), or None when the plan has no such note.

    >>> first_listed_convention("责任单位：市教育局、市科协（排在第一位的为牵头单位，下同）")
    <Role.RESPONSIBLE: 'responsible'>
    >>> first_listed_convention("注：列第一位的为牵头单位，其他为配合单位。")
    <Role.COOPERATING: 'cooperating'>
    >>> first_listed_convention("（市科协牵头）") is None
    True
    """
    m = _FIRST_LISTED_RE.search(text)
    if m is None:
        return None
    rest = m.group("rest")
    return Role.RESPONSIBLE if rest in (None, "责任") else Role.COOPERATING


def apply_first_listed(mentions: list[RoleMention], others: Role) -> list[RoleMention]:
    """Under a first-listed note, a unit named only in a 责任单位 list: the first leads,
    the others take ``others``. Units with a stated lead are left as they are.

    >>> [(m.role.value, m.name) for m in apply_first_listed(
    ...     [RoleMention(Role.RESPONSIBLE, "市教育局"), RoleMention(Role.RESPONSIBLE, "市科协")], Role.RESPONSIBLE)]
    [('lead', '市教育局'), ('responsible', '市科协')]
    """
    if not mentions or any(m.role is not Role.RESPONSIBLE for m in mentions):
        return mentions
    first, *rest = mentions
    return [RoleMention(Role.LEAD, first.name, first.span, first.written)] + [
        RoleMention(others, m.name, m.span, m.written) for m in rest]


def _lift_role_marks(text: str) -> tuple[str, dict[int, Role]]:
    """Blank out （牵头） marks and list notes (same length, so offsets hold); return the
    text and, for each mark, the position it follows with the role it gives that name."""
    marks: dict[int, Role] = {}

    def blank(m: re.Match[str]) -> str:
        if m.re is _ROLE_MARK_RE:
            marks[m.start()] = _label_role(m.group("word"))
        return " " * len(m.group())

    text = _ROLE_MARK_RE.sub(blank, text)
    return _LIST_NOTE_RE.sub(blank, text), marks


def _apply_marks(mentions: list[RoleMention], marks: dict[int, Role]) -> list[RoleMention]:
    if not marks:
        return mentions
    return [RoleMention(marks[m.span.end], m.name, m.span, m.written) if m.span and m.span.end in marks else m
            for m in mentions]


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        chars[max(0, a):b] = " " * (min(b, len(chars)) - max(0, a))
    return "".join(chars)


def _duty_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences ending in 负责 whose every part is an actor or a role word."""
    out = []
    for sentence in re.finditer(r"[^。；;\n]+", text):
        body = sentence.group().rstrip(" \u3000")
        if not _DUTY_END_RE.search(body):
            continue
        core = re.sub(r"[（(][^（()）]{0,12}[）)]", "", body.strip(" \u3000"))
        core = _LEAD_IN.sub("", _AFTER_YOU.sub("", core))
        pieces = [_TRAIL.sub("", p) for p in _DUTY_SPLIT_RE.split(_DUTY_END_RE.sub("", core))]
        pieces = [p for p in pieces if p]
        if pieces and all(looks_like_agency(p) or is_generic_actor(p) for p in pieces):
            out.append((sentence.start(), sentence.start() + len(body)))
    return out


def _parentheticals(text: str) -> list[tuple[int, int]]:
    """Body spans of outermost balanced （…） groups; inner ones such as 各县（市、区） stay inside."""
    out: list[tuple[int, int]] = []
    depth, opened = 0, 0
    for m in _PARENTHESIS.finditer(text):  # visiting only the brackets, not every character
        i, ch = m.start(), m.group()
        if ch in "（(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0 and 2 <= i - opened - 1 <= 400:
                out.append((opened + 1, i))
    return out


_PARENTHESIS = re.compile("[（()）]")


def _labelled_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of 分工：… and 牵头单位：… style blocks that are not inside parentheses."""
    starts: list[int] = [m.start() for m in _BLOCK_RE.finditer(text)]
    for m in _LABEL_RE.finditer(text):
        before = text[: m.start()].rstrip(" \u3000")
        if not before or before[-1] in "\n\t。；;：:|" or _HEADING_WORD_END.search(before):
            starts.append(m.start())
    spans: list[tuple[int, int]] = []
    for start in sorted(set(starts)):
        if spans and spans[-1][0] <= start < spans[-1][1]:
            continue
        end = _block_end(text, start)
        spans.append((start, end))
    return spans


def _block_end(text: str, start: int) -> int:
    """A block runs to the end of its line, or to a 。 not followed by another label."""
    pos = start
    while True:
        stop = min((i for i in (text.find("\n", pos), text.find("。", pos)) if i >= 0), default=len(text))
        if stop < len(text) and text[stop] == "。" and _LABEL_RE.match(text, stop + 1):
            pos = stop + 1
            continue
        return stop


def _parse_notation(body: str, offset: int, *, strict: bool, default: Role | None = None) -> list[RoleMention]:
    """Roles in one notation body, e.g. ``由A、B牵头，C、D等单位配合`` or ``责任单位：A、B``."""
    labels = list(_LABEL_RE.finditer(body))
    if labels:
        out: list[RoleMention] = []
        head = body[: labels[0].start()]
        if head.strip("：:，,；;。 分工"):
            out.extend(_parse_verbs(head, offset, strict=strict, default=default))
        for i, label in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
            out.extend(_parse_verbs(body[label.end():end], offset + label.end(), strict=strict,
                                    default=_label_role(label.group("label"))))
        return out
    start = 0
    block = _BLOCK_RE.match(body)
    if block:
        start = block.end()
    return _parse_verbs(body[start:], offset + start, strict=strict, default=default)


def _label_role(label: str) -> Role:
    if "牵头" in label:
        return Role.LEAD
    if any(w in label for w in ("配合", "参加", "参与", "协办", "协助", "协同")):
        return Role.COOPERATING
    return Role.RESPONSIBLE


def _parse_verbs(text: str, offset: int, *, strict: bool, default: Role | None) -> list[RoleMention]:
    """Walk clauses; names before a role verb take its role.

    Names left over with no verb after them are cooperating when a lead came before
    (``由A牵头，B等单位。``, gold NOTES on 001), else they take the label's role.
    """
    out: list[RoleMention] = []
    pending: list[tuple[int, int]] = []  # spans of name lists still waiting for a verb
    seen_lead = False
    for clause in re.finditer(r"[^，,；;。]+", text):
        chunk_start, chunk = clause.start(), clause.group()
        first = _VERB_RE.search(chunk)
        together = chunk.find("会同")
        if together >= 0 and (first is None or together < first.start()):
            # A会同B、C负责: A leads and B, C work with it (tests/cases/genre/NOTES.md)
            pending.append((chunk_start, chunk_start + together))
            for a, b in pending:
                out.extend(_mentions(text[a:b], offset + a, Role.LEAD, strict=strict))
            pending, seen_lead = [], True
            rest = chunk_start + together + 2
            verb = _VERB_RE.search(text, rest, clause.end())
            end = verb.start() if verb else clause.end()
            out.extend(_mentions(text[rest:end], offset + rest, Role.COOPERATING, strict=strict))
            continue
        if first is None:
            pending.append((chunk_start, clause.end()))
            continue
        # 由A牵头组织 / A牵头负责: the list is before the clause's first verb, which decides.
        role = _VERB_ROLE[first.group()]
        if role is Role.RESPONSIBLE and seen_lead:
            # A牵头，B、C按职责分工负责: the agencies working under a lead cooperate, as in the
            # gold convention for lead lists followed by a list with no 配合 (NOTES on 001).
            role = Role.COOPERATING
        pending.append((chunk_start, chunk_start + first.start()))
        for a, b in pending:
            out.extend(_mentions(text[a:b], offset + a, role, strict=strict))
        pending = []
        seen_lead = seen_lead or role is Role.LEAD
    if pending:
        role = Role.COOPERATING if seen_lead else default
        if role is not None:
            for a, b in pending:
                out.extend(_mentions(text[a:b], offset + a, role, strict=strict))
    return out


def _mentions(names_text: str, offset: int, role: Role, *, strict: bool) -> list[RoleMention]:
    """Split a list of names and locate each in the text."""
    stripped = names_text.strip(" \u3000\t\n：:")
    lead = _LEAD_IN.match(stripped)
    if lead:
        stripped = stripped[lead.end():]
    stripped = _TRAIL.sub("", stripped)
    if not stripped:
        return []
    base = names_text.find(stripped)
    out: list[RoleMention] = []
    cursor = 0
    for name in agencies.split_agency_list(stripped):
        name = _TRAIL.sub("", _LEAD_IN.sub("", _AFTER_YOU.sub("", name.strip())))
        if not name or is_generic_actor(name) or (strict and not looks_like_agency(name)):
            continue
        at = stripped.find(name, cursor)
        span = None
        if at >= 0:
            cursor = at + len(name)
            span = Span(offset + base + at, offset + base + at + len(name))
        if any(m.name == name and m.role is role for m in out):
            continue
        out.append(RoleMention(role=role, name=name, span=span))
    return out


def _expand(mentions: list[RoleMention]) -> list[RoleMention]:
    """Restore prefixes a list dropped (市委组织部、宣传部 → 市委宣传部) when the agency
    module offers it; keep what was written in ``written``."""
    expand = getattr(agencies, "expand_prefixes", None)
    if expand is None or not mentions:
        return mentions
    pairs = expand([m.name for m in mentions])
    out: list[RoleMention] = []
    for mention, (name, written) in zip(mentions, pairs, strict=True):
        if name != mention.name:
            written = written or mention.name
        out.append(RoleMention(mention.role, name, mention.span, written if written != name else None))
    return out
