"""JSON-LD with the project's published ``@context`` (``ontology/context.jsonld``).

The context gives every ``pk:`` term a short name with its type coercion (object properties
take IRIs, ``pk:value`` is ``xsd:decimal``, years ``xsd:gYear``…), language maps for labels and
titles, and the prefixes of the vocabularies the graph uses. ``build_context`` derives it from
``ontology/policykg.ttl``; a test keeps the published file equal to it.

``to_jsonld`` compacts quads against that context without a JSON-LD library: each node object
uses a term where every value fits the term's coercion and the compact IRI (``pk:value``)
otherwise, so nothing is lost; named graphs stay named graphs. The context is embedded in the
output, so a dump parses offline with any JSON-LD processor.

>>> ctx = build_context()
>>> ctx["value"], ctx["hasAction"]
({'@id': 'pk:value', '@type': 'xsd:decimal'}, {'@id': 'pk:hasAction', '@type': '@id'})
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from . import iris
from .paths import ONTOLOGY_DIR
from .vocab import DCAT, DCTERMS, ELI, FOAF, ORG, OWL, PK, PROV, QB, RDF, RDFS, SDMX_ATTRIBUTE, SDMX_DIMENSION, SKOS, VOID, WDT, XSD

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
CONTEXT_URL = "https://w3id.org/policykg/context.jsonld"

PREFIXES = {
    "pk": str(PK), "pkid": iris.ID, "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "org": str(ORG), "prov": str(PROV), "eli": str(ELI),
    "qb": str(QB), "sdmx-dimension": str(SDMX_DIMENSION), "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "void": str(VOID), "dcat": str(DCAT), "foaf": str(FOAF), "wdt": str(WDT), "wd": "http://www.wikidata.org/entity/",
}

# Terms of other vocabularies the graph uses often: name → (IRI, coercion or container)
_COMMON: dict[str, tuple[str, dict[str, str]]] = {
    "label": (RDFS.label, {"@container": "@language"}),
    "comment": (RDFS.comment, {"@container": "@language"}),
    "title": (DCTERMS.title, {"@container": "@language"}),
    "prefLabel": (SKOS.prefLabel, {"@container": "@language"}),
    "altLabel": (SKOS.altLabel, {"@container": "@language"}),
    "identifier": (DCTERMS.identifier, {}),
    "issued": (DCTERMS.issued, {"@type": "xsd:date"}),
    "broader": (SKOS.broader, {"@type": "@id"}),
    "notation": (SKOS.notation, {}),
    "inScheme": (SKOS.inScheme, {"@type": "@id"}),
    "sameAs": (OWL.sameAs, {"@type": "@id"}),
    "wasDerivedFrom": (PROV.wasDerivedFrom, {"@type": "@id"}),
    "based_on": (ELI.based_on, {"@type": "@id"}),
    "is_part_of": (ELI.is_part_of, {"@type": "@id"}),
    "id_local": (ELI.id_local, {}),
    "date_document": (ELI.date_document, {"@type": "xsd:date"}),
    "dataSet": (QB.dataSet, {"@type": "@id"}),
    "refArea": (SDMX_DIMENSION.refArea, {"@type": "@id"}),
    "refPeriod": (SDMX_DIMENSION.refPeriod, {"@type": "xsd:gYear"}),
    "unitMeasure": (SDMX_ATTRIBUTE.unitMeasure, {}),
    "P442": (f"{WDT}P442", {}),
    "LegalResource": (ELI.LegalResource, {}),
    "LegalResourceSubdivision": (ELI.LegalResourceSubdivision, {}),
    "Observation": (QB.Observation, {}),
    "Concept": (SKOS.Concept, {}),
}


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "pkid":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def build_context() -> dict[str, Any]:
    """The ``@context`` object, derived from the ontology (pk: classes and properties with
    their ranges) and ``_COMMON``."""
    import rdflib

    onto = rdflib.Graph().parse(ONTOLOGY_DIR / "policykg.ttl")
    ctx: dict[str, Any] = {"@version": 1.1, **PREFIXES}
    terms: dict[str, Any] = {}
    for s in sorted(set(onto.subjects(rdflib.RDF.type, None))):
        if not isinstance(s, rdflib.URIRef) or not str(s).startswith(str(PK)):
            continue
        name = str(s)[len(str(PK)):]
        kinds = set(onto.objects(s, rdflib.RDF.type))
        curie = f"pk:{name}"
        if rdflib.OWL.ObjectProperty in kinds:
            terms[name] = {"@id": curie, "@type": "@id"}
        elif rdflib.OWL.DatatypeProperty in kinds:
            rng = onto.value(s, rdflib.RDFS.range)
            coerce = {} if rng in (None, rdflib.XSD.string) else {"@type": _curie(str(rng))}
            terms[name] = {"@id": curie, **coerce} if coerce else curie
        else:
            terms[name] = curie
    for name, (iri, extra) in _COMMON.items():
        terms[name] = {"@id": _curie(iri), **extra} if extra else _curie(iri)
    ctx.update(sorted(terms.items()))
    return ctx


_LOADED: dict[str, Any] | None = None


def context() -> dict[str, Any]:
    """The published context (``ontology/context.jsonld``'s ``@context``)."""
    global _LOADED
    if _LOADED is None:
        _LOADED = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    return _LOADED


class _Compactor:
    def __init__(self, ctx: dict[str, Any]) -> None:
        self.prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))}
        self.terms: dict[str, tuple[str, dict[str, Any]]] = {}  # IRI → (term, definition)
        for name, value in ctx.items():
            if name.startswith("@") or name in self.prefixes:
                continue
            definition = {"@id": value} if isinstance(value, str) else dict(value)
            self.terms[self._expand(definition["@id"])] = (name, definition)

    def _expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else curie

    def iri(self, iri: str) -> str:
        """An IRI in @id position: a compact IRI, never a bare term (those are vocab-relative)."""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def vocab(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term[0] if term and len(term[1]) == 1 else self.iri(iri)

    def node_ref(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def expanded(self, value) -> dict[str, str]:
        if isinstance(value, (ox.NamedNode, ox.BlankNode)):
            return {"@id": self.node_ref(value)}
        if value.language:
            return {"@value": value.value, "@language": value.language}
        if value.datatype.value == XSD.string:
            return {"@value": value.value}
        return {"@value": value.value, "@type": self.iri(value.datatype.value)}

    def fits(self, definition: dict[str, Any], value) -> bool:
        kind = definition.get("@type")
        if definition.get("@container") == "@language":
            return isinstance(value, ox.Literal) and (value.language is not None or value.datatype.value == XSD.string)
        if kind == "@id":
            return isinstance(value, (ox.NamedNode, ox.BlankNode))
        if kind is not None:
            return isinstance(value, ox.Literal) and self._expand(kind) == value.datatype.value
        return isinstance(value, ox.Literal) and value.language is None and value.datatype.value == XSD.string

    def node(self, subject, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"@id": self.node_ref(subject)}
        by_predicate: dict[str, list] = defaultdict(list)
        for p, o in pairs:
            by_predicate[p].append(o)
        types = [self.vocab(o.value) if isinstance(o, ox.NamedNode) else f"_:{o.value}" for o in by_predicate.pop(RDF.type, [])]
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for p in sorted(by_predicate):
            values = by_predicate[p]
            term = self.terms.get(p)
            fitting = [v for v in values if term and self.fits(term[1], v)]
            others = [v for v in values if not (term and self.fits(term[1], v))]
            if fitting:
                name, definition = term
                if definition.get("@container") == "@language":
                    langs: dict[str, list[str]] = defaultdict(list)
                    for v in fitting:
                        langs[v.language or "@none"].append(v.value)
                    out[name] = {k: (v[0] if len(v) == 1 else v) for k, v in sorted(langs.items())}
                else:
                    plain = [self.node_ref(v) if definition.get("@type") == "@id" else v.value for v in fitting]
                    out[name] = plain[0] if len(plain) == 1 else plain
            if others:
                key = self.iri(p)
                out[key] = [self.expanded(v) for v in others]
        return out


def to_jsonld(quads: Iterable[ox.Quad | ox.Triple], *, ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-LD document for ``quads`` (triples, or quads whose named graphs are kept), with
    ``ctx`` (default: the published context) embedded.

    >>> doc = to_jsonld([ox.Triple(ox.NamedNode(iris.plan_iri("a.txt")), ox.NamedNode(PK.startYear),
    ...                            ox.Literal("2021", datatype=ox.NamedNode(XSD.gYear)))])
    >>> doc["@graph"]
    [{'@id': 'pkid:plan/a', 'startYear': '2021'}]
    """
    ctx = context() if ctx is None else ctx
    compactor = _Compactor(ctx)
    graphs: dict[str | None, dict[Any, list[tuple[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        name = q.graph_name if isinstance(q, ox.Quad) and not isinstance(q.graph_name, ox.DefaultGraph) else None
        key = None if name is None else compactor.node_ref(name)
        graphs[key][q.subject].append((q.predicate.value, q.object))

    def nodes(subjects: dict[Any, list[tuple[str, Any]]]) -> list[dict[str, Any]]:
        return [compactor.node(s, pairs) for s, pairs in sorted(subjects.items(), key=lambda kv: (isinstance(kv[0], ox.BlankNode), kv[0].value))]

    body = nodes(graphs.pop(None, {}))
    body += [{"@id": g, "@graph": nodes(subjects)} for g, subjects in sorted(graphs.items())]
    return {"@context": ctx, "@graph": body}


def write_context() -> None:
    """Regenerate ``ontology/context.jsonld`` from the ontology (after adding terms to it)."""
    doc = {"@context": build_context()}
    CONTEXT_FILE.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
