"""``kg export``: dumps of the graph (N-Quads, Turtle, JSON-LD) and of the agency network."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import KgError
from .store import open_read_only

RDF_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def export(store_path: Path, fmt: str, out: Path) -> int:
    """Write the store to ``out`` in ``fmt``; returns the number of quads or records written.

    Turtle has no named graphs, so it holds the union of the document graphs.
    """
    if fmt in ("graphml", "gexf"):
        from .network import export_network

        return export_network(store_path, fmt, out)
    if fmt not in RDF_FORMATS:
        raise KgError(f"unknown export format {fmt!r}")
    store = open_read_only(store_path)
    if fmt == "nq":
        quads = list(store)
    else:
        seen = set()
        quads = []
        for q in store:
            triple = ox.Triple(q.subject, q.predicate, q.object)
            if triple not in seen:
                seen.add(triple)
                quads.append(triple)
    from .query import PREFIXES

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        with open(tmp, "wb") as fh:
            kwargs = {"prefixes": PREFIXES} if fmt in ("ttl", "jsonld") else {}
            ox.serialize(quads, fh, format=RDF_FORMATS[fmt], **kwargs)
        tmp.replace(out)
    except OSError as exc:
        raise KgError(f"{out}: cannot write ({exc.strerror})") from exc
    return len(quads)
