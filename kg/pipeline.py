"""The per-document stage: file → quads. A pure function of the file's bytes and name, so it
runs in worker processes (``kg build --workers``) or on a Dask cluster (``kg.executors``)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import DocumentError
from .extract import extract_plan
from .links import link_quads
from .model import PlanRecord, ResolvedPlan, Role
from .rdf import plan_nquads
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


def _looks_like_a_plan(record: PlanRecord) -> bool:
    """Anything a plan is made of; a news item or a letter has none of it."""
    meta = record.meta
    return bool(record.actions or record.targets or meta.doc_number or meta.issued or meta.issuers)


def process_document(path: Path) -> DocumentResult:
    """Read, extract, resolve and map one document.

    Raises ``DocumentError`` (naming the file) when it cannot be read or is not a plan.
    """
    text = read_document(Path(path))
    record = extract_plan(text)
    if not _looks_like_a_plan(record):
        raise DocumentError(str(path), "not a plan: Chinese text, but no numbered sections (一、…), responsibilities, "
                                       "targets, 文号, issue date or issuing body were found")
    resolved = resolve_plan(record)
    plan_text, plan_count = plan_nquads(resolved)
    links = link_quads(resolved)
    nquads = plan_text.encode() + ox.serialize(links, format=ox.RdfFormat.N_QUADS)
    return DocumentResult(summarise(resolved, plan_count + len(links)), nquads, text.content_hash)


def process_or_error(path: Path) -> DocumentResult | DocumentError:
    """``process_document``, with every failure returned as a ``DocumentError`` naming the file.

    A parser bug must not stop the other documents, so any exception becomes a per-file error.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "page.html")
    ...     _ = p.write_text("<!DOCTYPE html><html><body>通知</body></html>")
    ...     print(process_or_error(p).reason)
    not a plain-text document: looks like an HTML/XML page
    """
    try:
        return process_document(path)
    except DocumentError as exc:
        return exc
    except RecursionError:
        return DocumentError(str(path), "structure nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - named per file; the other files still build
        return DocumentError(str(path), f"internal error while parsing: {type(exc).__name__}: {exc}")


def process_bytes_or_error(name: str, data: bytes, origin: str) -> DocumentResult | DocumentError:
    """``process_or_error`` for a document sent as bytes (to a machine without the file).

    ``name`` is the file's base name (it keys the plan's IRIs); ``origin`` is the path the
    user gave, used in error messages.
    """
    with tempfile.TemporaryDirectory(prefix="kg-doc-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = process_or_error(path)
    if isinstance(result, DocumentError):
        return DocumentError(origin, result.reason, line=result.line)
    return result
