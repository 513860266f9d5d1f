"""Links to open government data (Wikidata, GB/T 2260) as quads.

PLACEHOLDER until the linking module lands.
"""

from __future__ import annotations

import pyoxigraph as ox

from .model import ResolvedPlan


def link_quads(plan: ResolvedPlan) -> list[ox.Quad]:
    return []
