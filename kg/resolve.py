"""Resolve: agency names and the plan's region → ``ResolvedPlan``.

PLACEHOLDER until the resolver lands.
"""

from __future__ import annotations

from .model import ResolvedPlan, PlanRecord


def resolve_plan(record: PlanRecord) -> ResolvedPlan:
    return ResolvedPlan(record=record, region=None, agencies={}, regions=[])
