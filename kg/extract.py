"""Extract: ``Text`` → ``PlanRecord`` (metadata, actions and measures with roles, targets).

PLACEHOLDER until the extractor lands.
"""

from __future__ import annotations

from .meta import extract_meta
from .model import PlanRecord, Text


def extract_plan(text: Text) -> PlanRecord:
    return PlanRecord(source=text.source, content_hash=text.content_hash, meta=extract_meta(text))
