"""Agency names: split lists (jieba + a dictionary built from ``mappings/``), expand
dropped prefixes, classify into agency types.

PLACEHOLDER until the agency module lands.
"""

from __future__ import annotations

import re

from .model import AgencyType


def split_agency_list(cell: str) -> list[str]:
    """Split a list of agency names as written: ``"A、B等单位"`` → ``["A", "B"]``."""
    names = []
    for part in re.split(r"[、，,；;\s]+", cell):
        part = re.sub(r"(等单位|等部门|等)$", "", part.strip())
        if part:
            names.append(part)
    return names


def agency_types() -> list[AgencyType]:
    return []
