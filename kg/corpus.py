"""Passes over the loaded store that need every document, written to ``kg.iris.CORPUS_GRAPH``.

A document's graph is a pure function of its file, so incremental builds can carry it over
unchanged. What is shared between documents is stated here instead, once per store, and
recomputed on every build:

- **regions** (``kg.rdf.region_quads``, ``kg.links.region_link_quads``): every region a plan,
  agency or target refers to with ``pk:region``, and the regions above it up to the nation —
  label, GB/T 2260 code, level, ``skos:broader``, Wikidata's P442 code and ``owl:sameAs``.
  Described in each plan's graph instead, a region would repeat once per plan in the union
  default graph, and every join through its label or code would multiply with it;
- **citations** (``kg.citations``): one node per cited document, however plans cite it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from . import iris
from .citations import citation_quads
from .links import region_link_quads
from .model import Region
from .rdf import region_quads
from .regions import region_by_code, region_chain
from .vocab import PK


def referenced_regions(store: ox.Store) -> list[Region]:
    """Every region some ``pk:region`` in the store points at, with its parents, by code.

    Region IRIs that are not a GB/T 2260 code the gazetteer knows are skipped (they cannot
    be described); SHACL reports the dangling reference.
    """
    prefix = iris.region_iri("")
    codes = {row["r"].value.removeprefix(prefix)
             for row in store.query(f"SELECT DISTINCT ?r WHERE {{ GRAPH ?g {{ ?s <{PK.region}> ?r }} }}")
             if isinstance(row["r"], ox.NamedNode) and row["r"].value.startswith(prefix)}
    found: dict[str, Region] = {}
    for code in codes:
        region = region_by_code(code)
        if region is not None:
            found.update((r.code, r) for r in region_chain(region))
    return [found[code] for code in sorted(found)]


def corpus_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of ``kg.iris.CORPUS_GRAPH`` for a store holding the document graphs (and the
    vocabulary graph). Reads only; deterministic."""
    regions = referenced_regions(store)
    graph = iris.CORPUS_GRAPH
    return region_quads(regions, graph) + region_link_quads(regions, graph) + citation_quads(store)


def add_corpus_graph(store: ox.Store) -> int:
    """Replace ``kg.iris.CORPUS_GRAPH`` in ``store`` with ``corpus_quads(store)``; returns how
    many quads it holds. ``kg build`` calls it once the documents are loaded."""
    store.remove_graph(ox.NamedNode(iris.CORPUS_GRAPH))
    quads = corpus_quads(store)
    store.extend(quads)
    return len(quads)


def with_corpus_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` (document and vocabulary graphs) plus the corpus graph they call for: what
    ``kg build`` stores for them. For graphs mapped by hand, outside a build.

    >>> from kg.model import PlanMeta, PlanRecord, ResolvedPlan
    >>> from kg.rdf import plan_quads
    >>> from kg.regions import region_by_code
    >>> plan = ResolvedPlan(PlanRecord("x.txt", "0", PlanMeta("方案")), region_by_code("530300"), {}, [])
    >>> sorted({q.object.value for q in with_corpus_quads(plan_quads(plan)) if q.predicate.value.endswith("#level")})
    ['city', 'national', 'province']
    """
    quads = list(quads)
    store = ox.Store()
    store.extend(quads)
    return quads + corpus_quads(store)
