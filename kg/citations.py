"""Cited documents across the corpus: one document, one node, however plans cite it.

The map step keys a cited document by its 文号 (``document/国办发〔2016〕10号``) or, when a plan
cites it by title only, by its normalised title (``document/t-…``, see
``kg.iris.normalise_title``: the 关于印发…的通知 shell, dashes, brackets and widths do not
matter). A per-document step cannot know that 《全民科学素质行动计划纲要实施方案（2016-2020年）》,
cited by title in one plan, is the document another plan cites as 国办发〔2016〕10号; this pass,
run once over the loaded store, does.

Every plan node (cited documents and built plans) is put in a class: by its 文号; a node without
one joins the class of the one 文号 whose documents carry the same title key, or else the class
of its title key. A title shared by documents of two different 文号 is ambiguous and joins
neither. Each class has a canonical node, ``kg.iris.document_iri`` of its 文号 (else of its
title key), and the pass states, in ``kg.iris.CORPUS_GRAPH`` (written by ``kg.corpus``):

- ``?alias owl:sameAs ?canonical`` for every other cited-document node of the class;
- ``?plan owl:sameAs ?node`` for every built plan of the class and every cited-document node
  of it — the direction the map step already uses for a plan and its own 文号, so
  ``pk:implements/(^owl:sameAs/pk:implements)*`` walks national → province → city → district
  (``queries/implementation_chain.rq``).

Triples the document graphs already hold are not repeated. The pass only adds: the document
graphs stay a pure function of their file, so incremental builds keep working; the corpus graph
is dropped and recomputed on every build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import iris
from .vocab import DCTERMS, OWL, PK, RDF


@dataclass
class _Node:
    numbers: set[str] = field(default_factory=set)  # 文号
    keys: set[str] = field(default_factory=set)  # normalised titles
    built: bool = False  # a plan built from an input file (has pk:sourceFile)


def _plan_nodes(store: ox.Store) -> dict[str, _Node]:
    # Read by pattern, not by one SPARQL join: a cited document is described again in the
    # graph of every plan that cites it, and the union graph keeps those repeats, so a join of
    # its type, 文号 and title multiplies them (10⁹ rows for 1,000 plans citing one document).
    plans = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(PK.Plan))
             if isinstance(q.subject, ox.NamedNode)}
    nodes: dict[str, _Node] = {iri: _Node() for iri in plans}
    for q in store.quads_for_pattern(None, ox.NamedNode(DCTERMS.identifier), None):
        if q.subject.value in nodes:
            nodes[q.subject.value].numbers.add(q.object.value)
    for q in store.quads_for_pattern(None, ox.NamedNode(DCTERMS.title), None):
        if q.subject.value in nodes and (key := iris.normalise_title(q.object.value)):
            nodes[q.subject.value].keys.add(key)
    for q in store.quads_for_pattern(None, ox.NamedNode(PK.sourceFile), None):
        if q.subject.value in nodes:
            nodes[q.subject.value].built = True
    return nodes


def _classes(nodes: dict[str, _Node]) -> dict[tuple[str, str], list[str]]:
    """("number", 文号) or ("title", key) → the plan nodes of that document."""
    numbers_by_key: dict[str, set[str]] = defaultdict(set)
    for node in nodes.values():
        for key in node.keys:
            numbers_by_key[key].update(node.numbers)
    classes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri in sorted(nodes):
        node = nodes[iri]
        if node.numbers:
            cls = ("number", min(node.numbers))  # two 文号 on one node: shapes flag it; pick one
        elif node.keys:
            found = {n for key in node.keys for n in numbers_by_key[key]}
            cls = ("number", found.pop()) if len(found) == 1 else ("title", min(node.keys))
        else:
            continue
        classes[cls].append(iri)
    return classes


def _canonical(cls: tuple[str, str]) -> str:
    kind, key = cls
    return iris.document_iri(doc_number=key, title=None) if kind == "number" else iris.document_iri_for_key(key)


def citation_quads(store: ox.Store) -> list[ox.Quad]:
    """The ``owl:sameAs`` quads (in ``kg.iris.CORPUS_GRAPH``) that make every citation of one
    document one node, for a store holding the document graphs. Reads only; deterministic.

    >>> store = ox.Store()
    >>> citation_quads(store)
    []
    """
    nodes = _plan_nodes(store)
    graph = ox.NamedNode(iris.CORPUS_GRAPH)
    same_as = ox.NamedNode(OWL.sameAs)
    out: dict[ox.Quad, None] = {}
    for cls, members in sorted(_classes(nodes).items()):
        cited = {m for m in members if not nodes[m].built}
        if not cited:  # built plans alone: the map step already linked each to its 文号
            continue
        canonical = _canonical(cls)
        documents = sorted(cited | {canonical})
        pairs = [(m, canonical) for m in documents if m != canonical]
        pairs += [(m, d) for m in members if nodes[m].built for d in documents]
        for s, o in pairs:
            triple = (ox.NamedNode(s), same_as, ox.NamedNode(o))
            if not any(q.graph_name != graph for q in store.quads_for_pattern(*triple, None)):
                out[ox.Quad(*triple, graph)] = None
    return list(out)
