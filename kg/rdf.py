"""Map: ``ResolvedPlan`` → quads in the document's named graph. Knows nothing of text.

PLACEHOLDER until the mapping lands.
"""

from __future__ import annotations

import pyoxigraph as ox

from .model import ResolvedPlan


def plan_quads(plan: ResolvedPlan) -> list[ox.Quad]:
    raise NotImplementedError


def vocabulary_quads() -> list[ox.Quad]:
    """The ontology and the agency-type concept scheme, in their own graph."""
    return []
