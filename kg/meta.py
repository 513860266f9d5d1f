"""Plan metadata: title, region, period, 文号, issue date, issuers, implemented documents.

PLACEHOLDER until the metadata extractor lands.
"""

from __future__ import annotations

from .model import PlanMeta, Text


def extract_meta(text: Text) -> PlanMeta:
    first = next((line.strip() for line in text.text.splitlines() if line.strip()), text.source)
    return PlanMeta(title=first)
