"""Run SPARQL against a store and format the results (``kg query``)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from .errors import QueryError

FORMATS = ("table", "csv", "tsv", "json")

PREFIXES = {
    "pk": "https://w3id.org/policykg/ontology#",
    "pkid": "https://w3id.org/policykg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
}


def execute(store: ox.Store, query: str):
    """Run ``query`` over the union of the document graphs.

    The common prefixes above are pre-declared. Raises ``QueryError`` for a malformed
    query or an update.
    """
    try:
        return store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"bad SPARQL query: {exc}") from exc


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def solutions_to_rows(solutions) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in solutions.variables]
    return names, [[_cell(s[n]) for n in names] for s in solutions]


def format_results(results, fmt: str = "table") -> str:
    """Format SELECT/ASK/CONSTRUCT results as text.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("v")))
    >>> print(format_results(execute(store, "SELECT ?o WHERE { ?s ?p ?o }"), "csv").strip())
    o
    v
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if isinstance(results, ox.QueryBoolean):
        return json.dumps({"boolean": bool(results)}) if fmt == "json" else str(bool(results)).lower() + "\n"
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(list(results), format=ox.RdfFormat.N_TRIPLES).decode()
    names, rows = solutions_to_rows(results)
    if fmt == "json":
        return json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n").writerows([names, *rows])
        return out.getvalue()
    return _table(names, rows)


def _width(s: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]
    def line(cells):
        return " | ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()
    sep = "-+-".join("-" * w for w in widths)
    return "\n".join([line(names), sep, *(line(r) for r in rows)]) + f"\n({len(rows)} rows)\n"
