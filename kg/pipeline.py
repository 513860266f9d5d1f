"""The per-document stage: file → quads. A pure function of the file's bytes, so it runs
in worker processes (``kg build --workers``) and could run on any executor."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .extract import extract_plan
from .links import link_quads
from .model import ResolvedPlan, Role
from .rdf import plan_quads
from .read import read_document
from .resolve import resolve_plan


@dataclass
class DocumentSummary:
    """What ``kg build`` prints per document."""

    source: str
    units: int = 0
    responsibilities: int = 0
    agencies: int = 0
    targets: int = 0
    triples: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class DocumentResult:
    summary: DocumentSummary
    nquads: bytes  # the document's named graph, serialised (picklable across processes)
    content_hash: str


def summarise(plan: ResolvedPlan, triples: int) -> DocumentSummary:
    record = plan.record
    units = record.units()
    with_roles = [u for u in units if u.roles]
    warnings = list(record.warnings) + list(plan.warnings)
    for action in record.actions:
        if not action.roles and action.measures and not any(m.roles for m in action.measures):
            warnings.append(f"action {action.ordinal} 《{action.title[:20]}》 names no agency")
    untyped = sorted(a.name for a in plan.agencies.values() if a.type is None)
    if untyped:
        warnings.append(f"{len(untyped)} agencies with no type: {'、'.join(untyped[:8])}")
    return DocumentSummary(
        source=record.source,
        units=len(with_roles),
        responsibilities=sum(len(u.roles) for u in units),
        agencies=len({m.name for u in units for m in u.roles if m.role in Role}),
        targets=len(record.targets) + sum(len(u.targets) for u in units),
        triples=triples,
        warnings=warnings,
    )


def process_document(path: Path) -> DocumentResult:
    """Read, extract, resolve and map one document.

    Raises ``DocumentError`` (naming the file) when it cannot be read or is not a plan.
    """
    text = read_document(Path(path))
    record = extract_plan(text)
    resolved = resolve_plan(record)
    quads = plan_quads(resolved) + link_quads(resolved)
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return DocumentResult(summarise(resolved, len(quads)), nquads, text.content_hash)
