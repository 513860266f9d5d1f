"""Role notations: one golden case per notation in tests/cases/roles/ (statement, ===,
then one ``role name [written]`` per expected mention, in order), plus table cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract_scoring import fold
from kg.model import Role
from kg.roles import find_roles, is_generic_actor, looks_like_agency, role_mentions_from_cells

CASES = sorted((Path(__file__).resolve().parent / "cases" / "roles").glob("*.txt"))


def _load(path: Path) -> tuple[str, list[tuple[str, ...]]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    cut = lines.index("===")
    statement = "\n".join(lines[:cut])
    expected = [tuple(ln.split()) for ln in lines[cut + 1:] if ln.strip()]
    return statement, expected


def _as_rows(mentions) -> list[tuple[str, ...]]:
    rows = []
    for m in mentions:
        rows.append((m.role.value, m.name, m.written) if m.written else (m.role.value, m.name))
    return rows


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_notation_case(case):
    statement, expected = _load(case)
    assert _as_rows(find_roles(fold(statement))) == expected


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_spans_point_at_what_was_written(case):
    statement = fold(_load(case)[0])
    for mention in find_roles(statement):
        assert statement[mention.span.start:mention.span.end] == (mention.written or mention.name)


def test_cases_cover_every_notation_of_the_brief():
    stems = {p.stem for p in CASES}
    assert len(stems) >= 15
    assert {"paren_lead_cooperating", "block_lead_cooperating", "block_without_verb", "paren_you_canjia",
            "paren_responsible", "overall_lead_then_responsible", "glued_lead_names", "dropped_prefix",
            "generic_actors_only"} <= stems


def test_table_cells_take_their_column_role():
    mentions = role_mentions_from_cells([
        (Role.LEAD, "区教育局团区委、区科协", 0),
        (Role.COOPERATING, "区科技局、、区经信局、区社科联等", 20),
    ])
    assert _as_rows(mentions) == [("lead", "区教育局"), ("lead", "团区委"), ("lead", "区科协"),
                                  ("cooperating", "区科技局"), ("cooperating", "区经信局"),
                                  ("cooperating", "区社科联")]


def test_a_cell_may_state_its_own_notation():
    mentions = role_mentions_from_cells([(Role.RESPONSIBLE, "市科协牵头，市教育局配合", 0)])
    assert _as_rows(mentions) == [("lead", "市科协"), ("cooperating", "市教育局")]


def test_generic_and_agency_names():
    assert is_generic_actor("各有关单位") and is_generic_actor("工会") and not is_generic_actor("经济部")
    assert looks_like_agency("中科院长春分院") and looks_like_agency("市大数据中心")
    assert not looks_like_agency("充分发挥企业科协")
