"""Extract: ``Text`` → ``PlanRecord`` (metadata, actions and measures with roles, targets).

Roles stay at the level the document states them:

- a section whose responsibility is a block of its own (``分工：…``) or sits in its heading,
  and which holds items of its own, is an Action (001's 行动/工程 sections);
- an item that ends with its own notation (a —— item, a numbered task) is a Measure of
  the nearest heading above it (002's —— items under （一）…行动, 004's tasks under
  三、主要任务);
- a table row is a Measure of the project in its first column (003).

Only units that carry roles, and actions holding such measures, are emitted: the scorer
reaches units by ``pk:hasAction/pk:hasMeasure?``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import targets as target_module
from .meta import extract_meta
from .model import PlanRecord, Role, RoleMention, Span, TargetStatement, Text, Unit, UnitKind
from .outline import Outline, Section, parse_outline
from .breakdown_tables import TableRow
from .roles import apply_first_listed, find_roles, first_listed_convention, role_mentions_from_cells

_LEADING_MARKER = re.compile(
    r"^[\s\u3000]*(?:——|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)][)）]?|[一二三四五六七八九十]{1,3}、"
    r"|[0-9０-９]{1,2}(?:、|[.．](?![0-9]))|[①-⑳]|【[一二三四五六七八九十]{1,3}】"
    r"|第[一二三四五六七八九十]{1,3}(?:部分|章|篇|节))[\s\u3000]*"
)
_GOALS_YEAR = re.compile(r"^[\s\u3000]*到\s*(\d{4})\s*年")


@dataclass
class _Owner:
    """A unit (or the plan) and the stretches of text whose targets are its own."""

    unit: Unit | None
    segments: list[tuple[int, int]] = field(default_factory=list)


def unit_title(text: str) -> str:
    """A unit's title: its text up to the first 。, without numbering or a leading ——.

    >>> unit_title("——实施科学家精神进校园。将科学精神融入课堂教学。")
    '实施科学家精神进校园'
    >>> unit_title("（四）)实施领导干部和公务员科学素质行动")
    '实施领导干部和公务员科学素质行动'
    """
    body = _LEADING_MARKER.sub("", text, count=1)
    stop = body.find("。")
    if stop < 0:
        paren = re.search(r"[（(][^（()）]*(?:牵头|责任|负责|配合)", body)
        stop = paren.start() if paren else len(body)
    return body[:stop].strip(" \u3000\t\n)）:：；;，,")


def extract_plan(text: Text) -> PlanRecord:
    """Everything a plan states: metadata, actions with measures and roles, targets.

    >>> from kg.model import Text
    >>> plan = "（一）实施行动。——做一件事。（市科协牵头，市教育局配合）"
    >>> record = extract_plan(Text("a.txt", plan, plan, "utf-8", "0"))
    >>> [(u.kind.value, u.title, [(m.role.value, m.name) for m in u.roles]) for u in record.units()]
    [('action', '实施行动', []), ('measure', '做一件事', [('lead', '市科协'), ('cooperating', '市教育局')])]
    """
    raw = text.text
    outline = parse_outline(text)
    record = PlanRecord(source=text.source, content_hash=text.content_hash, meta=extract_meta(text))
    placed: list[tuple[int, Unit, tuple[int, int]]] = []  # (start, action, region of the action)
    placed.extend(_section_actions(outline, raw, record.warnings))
    placed.extend(_table_actions(outline, record.warnings))
    placed.sort(key=lambda item: item[0])
    record.actions = [action for _, action, _ in placed]
    others = first_listed_convention(raw)
    if others is not None:  # 排在第一位的为牵头单位: the note rules every 责任单位 list of the plan
        for unit in record.units():
            unit.roles = apply_first_listed(unit.roles, others)
    for ordinal, action in enumerate(record.actions, 1):
        action.ordinal = ordinal
        for m_ordinal, measure in enumerate(action.measures, 1):
            measure.ordinal = m_ordinal
    record.targets = _attach_targets(outline, raw, [(a, region) for _, a, region in placed])
    return record


# ---- units from sections ------------------------------------------------------------


def _own_region(section: Section) -> tuple[int, int]:
    end = section.children[0].span.start if section.children else section.span.end
    return section.span.start, end


def _roles_in(raw: str, start: int, end: int) -> list[RoleMention]:
    return [_shift(m, start) for m in find_roles(raw[start:end])]


def _shift(mention: RoleMention, offset: int) -> RoleMention:
    span = Span(mention.span.start + offset, mention.span.end + offset) if mention.span else None
    return RoleMention(mention.role, mention.name, span, mention.written)


def _section_actions(outline: Outline, raw: str, warnings: list[str]) -> list[tuple[int, Unit, tuple[int, int]]]:
    actions: dict[int, tuple[Section, Unit]] = {}
    roles_of: dict[int, list[RoleMention]] = {}
    for section in outline.walk():
        if section.kind != "block":
            blocks = [c for c in section.children if c.kind == "block"]
            roles_of[id(section)] = _roles_in(raw, *_own_region(section)) + [
                m for b in blocks for m in _roles_in(raw, *_own_region(b))]
    lifted = _lift_closing_notations(outline, raw, roles_of)
    for section in outline.walk():
        if section.kind == "block":
            continue
        roles = roles_of[id(section)]
        if not roles:
            if id(section) not in lifted:
                _warn_generic(raw, section, warnings)
            continue
        leafish = all(c.kind == "block" and not c.children for c in section.children)
        heading = _heading_ancestor(section)
        if leafish and heading is not None:
            action = _action_for(heading, raw, actions)
            measure = Unit(kind=UnitKind.MEASURE, ordinal=0, title=unit_title(raw[section.span.start:section.span.end]),
                           text=raw[section.span.start:section.span.end].strip(), span=section.span, roles=roles)
            action.measures.append(measure)
        else:
            action = _action_for(section, raw, actions)
            action.roles = roles
            action.text = raw[section.span.start:section.span.end].strip()
    return [(s.span.start, unit, (s.span.start, s.span.end)) for s, unit in actions.values()]


# What may stand between the start of a closing notation's line (or sentence) and its first
# name: （ 以上工作由 牵头单位：
_CLOSING_OPENER = re.compile(
    r"[（(]?(?:(?:以上|上述|此项|该项|本项)(?:各项)?(?:工作|任务)?)?由?(?:[^\s：:，,；;。（()）]{1,6}[：:])?")


def _lift_closing_notations(outline: Outline, raw: str, roles_of: dict[int, list[RoleMention]]) -> set[int]:
    """A notation that closes the last of a section's items, when none of the other items
    names anyone, belongs to the section: ``1.任务 （1）… （2）… （牵头单位：A；参与单位：B）``
    and ``（一）… 1、… 2、… 以上工作由A牵头，B参加。`` (tests/cases/heldout/NOTES.md §1).

    A closing notation starts a line or follows a 。, so a one-line copy reads the same.
    Returns the ids of the items whose notation moved up.
    """
    lifted: set[int] = set()
    for section in outline.walk():
        if section.kind == "block" or roles_of.get(id(section)):
            continue
        items = [c for c in section.children if c.kind != "block"]
        if len(items) < 2 or any(c.kind != "block" for c in items[-1].children):
            continue
        last = items[-1]
        if any(roles_of.get(id(s)) for item in items[:-1] for s in item.walk()):
            continue
        mentions = roles_of.get(id(last), [])
        if not mentions or mentions[0].span is None or not _closes(raw, last, mentions):
            continue
        roles_of[id(section)], roles_of[id(last)] = mentions, []
        lifted.add(id(last))
    return lifted


def _closes(raw: str, item: Section, mentions: list[RoleMention]) -> bool:
    """Whether the mentions form a notation of their own at the end of ``item``."""
    first = mentions[0].span.start
    opened = max(raw.rfind("\n", item.span.start, first), raw.rfind("。", item.span.start, first))
    if opened < item.title_span.start:
        return False  # the notation sits in the item's heading line or first sentence
    if not _CLOSING_OPENER.fullmatch(raw[opened + 1:first].strip(" \u3000\t")):
        return False
    after = raw[max(m.span.end for m in mentions if m.span):item.span.end]
    return re.search(r"[。\n]\s*\S", after) is None


def _heading_ancestor(section: Section) -> Section | None:
    parent = section.parent
    while parent is not None and parent.kind == "block":
        parent = parent.parent
    return parent


def _action_for(section: Section, raw: str, actions: dict[int, tuple[Section, Unit]]) -> Unit:
    if id(section) not in actions:
        heading = raw[section.span.start:section.title_span.end].strip()
        unit = Unit(kind=UnitKind.ACTION, ordinal=0, title=section.title or unit_title(heading),
                    text=heading, span=section.span)
        actions[id(section)] = (section, unit)
    return actions[id(section)][1]


def _warn_generic(raw: str, section: Section, warnings: list[str]) -> None:
    """A notation that names only generic actors (各级科协牵头) is worth a look."""
    start, end = _own_region(section)
    if re.search(r"[（(][^（()）]{0,60}(?:牵头|责任单位|配合)[^（()）]{0,60}[）)]", raw[start:end]):
        warnings.append(f"section 《{section.title[:20]}》 states responsibility but names no agency")


# ---- units from tables --------------------------------------------------------------


def column_role(header: str) -> Role:
    """The role a table column gives its agencies: 牵头单位 → lead, 参加单位 → cooperating.

    >>> column_role("牵头单位"), column_role("参加单位"), column_role("责任单位")
    (<Role.LEAD: 'lead'>, <Role.COOPERATING: 'cooperating'>, <Role.RESPONSIBLE: 'responsible'>)
    """
    if "牵头" in header:
        return Role.LEAD
    if any(w in header for w in ("配合", "参加", "参与", "协办", "协同", "协助")):
        return Role.COOPERATING
    return Role.RESPONSIBLE


def _table_actions(outline: Outline, warnings: list[str]) -> list[tuple[int, Unit, tuple[int, int]]]:
    out: list[tuple[int, Unit, tuple[int, int]]] = []
    for table in outline.tables:
        current: Unit | None = None
        current_key: tuple[str | None, str | None] | None = None
        for row in table.rows:
            roles = _row_roles(row)
            if not roles:
                warnings.append(f"table row 《{unit_title(row.task)[:20]}》 names no agency")
                continue
            key = (row.group, row.project)
            if current is None or key != current_key:
                current = _row_action(row, table.header)
                current_key = key
                span = current.span or row.task_span
                out.append((span.start, current, (span.start, span.end)))
            current.measures.append(Unit(kind=UnitKind.MEASURE, ordinal=0, title=unit_title(row.task),
                                         text=row.task, span=row.task_span, roles=roles))
    return out


def _row_roles(row: TableRow) -> list[RoleMention]:
    """Roles of a row, with spans mapped back through the cells' character offsets
    (a cell may be joined from wrapped lines)."""
    bases, base = [], 0
    for _, cell, _ in row.cells:
        bases.append(base)
        base += len(cell) + 1
    mentions = role_mentions_from_cells(
        (column_role(col), cell, at) for (col, cell, _), at in zip(row.cells, bases, strict=True))
    out = []
    for mention in mentions:
        span = None
        if mention.span:
            i = max(k for k, at in enumerate(bases) if at <= mention.span.start)
            offsets = row.cells[i][2]
            a, b = mention.span.start - bases[i], mention.span.end - bases[i]
            if 0 <= a < b <= len(offsets):
                span = Span(offsets[a], offsets[b - 1] + 1)
        out.append(RoleMention(mention.role, mention.name, span, mention.written))
    return out


def _row_action(row: TableRow, header: list[str]) -> Unit:
    title = row.project or (unit_title(row.group) if row.group else next(
        (h for h in header if "任务" in h), "主要任务"))
    return Unit(kind=UnitKind.ACTION, ordinal=0, title=title, text=title,
                span=row.project_span or row.task_span)


# ---- targets ------------------------------------------------------------------------


def _attach_targets(outline: Outline, raw: str, actions: list[tuple[Unit, tuple[int, int]]]) -> list[TargetStatement]:
    """Each stretch of text is read for targets once, by the unit that owns it."""
    owners: list[_Owner] = []
    covered: list[tuple[int, int]] = []
    for action, region in actions:
        measure_spans = sorted((m.span.start, m.span.end) for m in action.measures if m.span)
        for measure in action.measures:
            if measure.span:
                owners.append(_Owner(measure, [(measure.span.start, measure.span.end)]))
        # An action inside this one (三、重点任务 holding a measure, its （一） an action of its
        # own) owns its own text: each stretch is read once.
        inner = [r for other, r in actions if other is not action and region[0] <= r[0] and r[1] <= region[1]
                 and r != region]
        owners.append(_Owner(action, _subtract([region], sorted(measure_spans + inner))))
        covered.append(region)
        covered.extend(measure_spans)
    plan = _Owner(None, _subtract([(0, len(raw))], sorted(covered)))
    plan_targets: list[TargetStatement] = []
    cuts = sorted({s.span.start for s in outline.walk()} | {t.span.start for t in outline.tables})
    for owner in owners + [plan]:
        for start, end in owner.segments:
            for a, b in _cut(start, end, cuts):
                if not raw[a:b].strip():
                    continue
                year = _goals_year(outline, a) if owner.unit is None else None
                found = target_module.extract_targets(raw[a:b], default_year=year, offset=a)
                (owner.unit.targets if owner.unit is not None else plan_targets).extend(found)
    # A plan restates its goals (a target in the goals, again in the safeguards): once is enough.
    return target_module.distinct_targets(plan_targets)


def _subtract(regions: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in regions:
        pos = start
        for a, b in sorted(holes):
            if b <= pos or a >= end:
                continue
            if a > pos:
                out.append((pos, a))
            pos = max(pos, b)
        if pos < end:
            out.append((pos, end))
    return out


def _cut(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    points = [start] + [c for c in cuts if start < c < end] + [end]
    return list(zip(points, points[1:], strict=False))


def _goals_year(outline: Outline, pos: int) -> int | None:
    """到YYYY年 opening a goals section (主要目标, 目标要求 …) dates the targets in it."""
    innermost = [s for s in outline.walk() if s.span.start <= pos < s.span.end]
    for section in reversed(innermost):
        if "目标" not in section.title:
            continue
        helper = getattr(target_module, "section_year", None)
        if helper is not None:
            return helper(section.body)
        match = _GOALS_YEAR.match(section.body)
        return int(match.group(1)) if match else None
    return None
