"""Quantitative targets: 到2025年…达到13% → ``TargetStatement``.

PLACEHOLDER until the target extractor lands.
"""

from __future__ import annotations

from .model import TargetStatement


def extract_targets(text: str, *, default_year: int | None = None, offset: int = 0) -> list[TargetStatement]:
    return []
