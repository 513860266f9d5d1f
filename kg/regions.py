"""Regions: place names → GB/T 2260 codes and parents, through the cpca gazetteer.

PLACEHOLDER until the region module lands.
"""

from __future__ import annotations

from .model import Region

NATION = Region(code="100000", name="中华人民共和国", level="national", parent_code=None)


def resolve_region(name: str) -> Region | None:
    return None


def region_chain(region: Region) -> list[Region]:
    """The region and its parents up to the nation."""
    return [region] if region == NATION else [region, NATION]
