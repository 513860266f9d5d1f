"""``kg export``: dumps of the graph (N-Quads, Turtle, JSON-LD, CSV tables) and of the agency network.

Every RDF dump carries the dataset's DCAT + VoID description (``kg.void``), in the named graph
``kg.iris.VOID_GRAPH`` of the N-Quads dump; it counts the data beside it. Turtle and JSON-LD
have no named graphs here, so they hold the union of the graphs. JSON-LD uses the published
context (``ontology/context.jsonld``, embedded so the file parses offline). CSV writes the five
tables of ``kg.csv_tables`` into a folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from . import iris, settings
from .errors import KgError
from .store import open_read_only

RDF_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}
FORMATS = (*RDF_FORMATS, "csv", "graphml", "gexf")

# Where the description says the endpoint and dumps are: the default `kg serve` address.
DEFAULT_BASE_URL = f"http://{settings.HOST.default}:{settings.PORT.default}"


def dump_quads(store: ox.Store, *, base_url: str = DEFAULT_BASE_URL) -> list[ox.Quad]:
    """The store's quads with a fresh dataset description in place of any stored one."""
    from .void import void_description

    void_graph = ox.NamedNode(iris.VOID_GRAPH)
    return [q for q in store if q.graph_name != void_graph] + void_description(store, base_url=base_url)


def union_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of ``quads``, in first-seen order."""
    seen: dict[ox.Triple, None] = {}
    for q in quads:
        seen.setdefault(ox.Triple(q.subject, q.predicate, q.object), None)
    return list(seen)


def export(store_path: Path, fmt: str, out: Path, *, base_url: str = DEFAULT_BASE_URL) -> int:
    """Write the store to ``out`` in ``fmt``; returns the number of quads, triples or rows written.

    ``out`` is a file, or for ``csv`` a folder. ``base_url`` is where the dataset description
    says the SPARQL endpoint and dumps are. Raises ``KgError`` for an unknown format, a missing
    store or an output that cannot be written.
    """
    if fmt in ("graphml", "gexf"):
        from .network import export_network

        return export_network(store_path, fmt, out)
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    store = open_read_only(store_path)
    if fmt == "csv":
        from .csv_tables import write_tables

        return sum(write_tables(store, Path(out)).values())
    quads = dump_quads(store, base_url=base_url)
    records: list = quads if fmt == "nq" else union_triples(quads)
    from .query import PREFIXES

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        with open(tmp, "wb") as fh:
            if fmt == "jsonld":
                from .jsonld import to_jsonld

                fh.write(json.dumps(to_jsonld(records), ensure_ascii=False, indent=1).encode("utf-8"))
            else:
                kwargs = {"prefixes": PREFIXES} if fmt == "ttl" else {}
                ox.serialize(records, fh, format=RDF_FORMATS[fmt], **kwargs)
        tmp.replace(out)
    except OSError as exc:
        raise KgError(f"{out}: cannot write ({exc.strerror})") from exc
    return len(records)
