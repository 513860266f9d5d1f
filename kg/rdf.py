"""Map: ``ResolvedPlan`` → quads in the document's named graph. Knows nothing of text.

Every field of the dataclasses in ``kg.model`` becomes a term of ``ontology/policykg.ttl``:

========================  ==================================================================
``PlanMeta``              ``pk:Plan`` and ``eli:LegalResource``: rdfs:label@zh, dcterms:title,
                          dcterms:identifier and eli:id_local (文号), dcterms:issued and
                          eli:date_document, pk:startYear/pk:endYear, pk:region, pk:issuedBy,
                          pk:implements and eli:based_on (a shared ``pk:Plan`` per cited document)
``Unit``                  ``pk:Action`` (top level, via pk:hasAction) or ``pk:Measure`` (inside
                          an action, via pk:hasMeasure), both ``eli:LegalResourceSubdivision``
                          with eli:is_part_of their parent: label, pk:text, pk:ordinal, roles,
                          pk:hasTarget, pk:sourceStart/pk:sourceEnd, prov:wasDerivedFrom
``RoleMention``           the most specific of pk:leadAgency / pk:cooperatingAgency /
                          pk:responsibleAgency (never the super-property as well)
``TargetStatement``       ``pk:Target``: pk:value, pk:valueMax, pk:unit, pk:targetYear, …,
                          pk:statedBy; also a ``qb:Observation`` when dated (``kg.cube``)
``Agency``                ``pk:Agency``: label@zh as written, pk:fullName, skos:altLabel,
                          label@en, pk:region, pk:agencyType
``Region``                ``pk:Region``: label@zh, pk:adminCode, pk:level, skos:broader;
                          described once per store (``region_quads``, called by ``kg.corpus``)
========================  ==================================================================

IRIs come from ``kg.iris``, so they are the same on every rebuild. ELI terms are written beside
the pk: ones (not instead), for tools that read legislation metadata; ``eli:title`` is not, as
ELI puts it on a language expression (eli:LegalExpression), which the graph does not model —
the title is ``dcterms:title``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph as ox

from . import iris
from .agencies import agency_types
from .cube import observation_triples, structure_quads
from .model import Agency, AgencyType, DocumentRef, Region, ResolvedPlan, Role, Span, TargetStatement, Unit
from .paths import ONTOLOGY_DIR
from .regions import NATION as _NATION
from .vocab import DCTERMS, ELI, OWL, PK, PROV, RDF, RDFS, SKOS, XSD

ONTOLOGY_FILE = ONTOLOGY_DIR / "policykg.ttl"

ROLE_PROPERTY = {
    Role.LEAD: PK.leadAgency,
    Role.COOPERATING: PK.cooperatingAgency,
    Role.RESPONSIBLE: PK.responsibleAgency,
}

# ---- literals ----------------------------------------------------------------------------


def zh(value: str) -> ox.Literal:
    return ox.Literal(value, language="zh")


def string(value: str) -> ox.Literal:
    return ox.Literal(value)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD.integer))


def decimal(value: Decimal) -> ox.Literal:
    """An ``xsd:decimal`` literal in canonical-ish form (never exponent notation).

    >>> decimal(Decimal("1E+6")).value
    '1000000'
    >>> decimal(Decimal("2.50")).value
    '2.50'
    """
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"not a finite decimal: {value}")
    return ox.Literal(format(value, "f"), datatype=ox.NamedNode(XSD.decimal))


def gyear(year: int) -> ox.Literal:
    """An ``xsd:gYear`` literal.

    >>> gyear(2025).value
    '2025'
    """
    return ox.Literal(f"{int(year):04d}", datatype=ox.NamedNode(XSD.gYear))


def date(day: dt.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD.date))


# ---- quad collection ---------------------------------------------------------------------


class _Graph:
    """Quads in one named graph; subjects and predicates given as IRI strings.

    Kept as (subject, predicate, object) and turned into pyoxigraph quads, or written as
    N-Quads directly, at the end: ``ox.Quad`` takes 10-20 µs for a literal object (2 µs for
    an IRI), which was most of the cost of mapping a plan.
    """

    def __init__(self, graph: str) -> None:
        self.graph = graph
        self._triples: dict[tuple[str, str, ox.Literal | str], None] = {}  # insertion-ordered set

    def add(self, subject: str, predicate: str, obj: ox.NamedNode | ox.Literal | str) -> None:
        # shared nodes (agencies, regions) are described once
        self._triples[subject, predicate, obj.value if isinstance(obj, ox.NamedNode) else obj] = None

    def __len__(self) -> int:
        return len(self._triples)

    @property
    def quads(self) -> list[ox.Quad]:
        graph, nodes = ox.NamedNode(self.graph), {}

        def node(iri: str) -> ox.NamedNode:
            if iri not in nodes:
                nodes[iri] = ox.NamedNode(iri)
            return nodes[iri]

        return [ox.Quad(node(s), node(p), node(o) if isinstance(o, str) else o, graph) for s, p, o in self._triples]

    def nquads(self) -> str:
        """The quads as N-Quads, as ``ox.serialize`` writes them.

        Every IRI is checked as ``ox.NamedNode`` would (``ValueError`` if invalid), so a bad
        one fails this document, not the bulk load of the whole build.
        """
        graph = _iri(self.graph)
        return "".join(
            f"{_iri(s)} {_iri(p)} {_iri(o) if isinstance(o, str) else _literal(o)} {graph} .\n"
            for s, p, o in self._triples
        )


@functools.lru_cache(maxsize=65536)
def _iri(iri: str) -> str:
    ox.NamedNode(iri)  # raises ValueError for an invalid IRI
    return f"<{iri}>"


_XSD_STRING = XSD.string
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_TO_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')


def _literal(literal: ox.Literal) -> str:
    """A literal in N-Quads, escaped as Oxigraph escapes it."""
    value = literal.value
    if _TO_ESCAPE.search(value):
        value = _TO_ESCAPE.sub(lambda m: _ESCAPES.get(m.group()) or f"\\u{ord(m.group()):04X}", value)
    if literal.language:
        return f'"{value}"@{literal.language}'
    datatype = literal.datatype.value
    return f'"{value}"' if datatype == _XSD_STRING else f'"{value}"^^<{datatype}>'


# ---- plans -------------------------------------------------------------------------------


def plan_quads(plan: ResolvedPlan) -> list[ox.Quad]:
    """Every triple of one plan, in its named graph (``kg.iris.graph_iri(source)``).

    >>> from kg.model import PlanMeta, PlanRecord
    >>> record = PlanRecord(source="x.txt", content_hash="00", meta=PlanMeta(title="方案"))
    >>> quads = plan_quads(ResolvedPlan(record=record, region=None, agencies={}, regions=[]))
    >>> sorted(q.predicate.value.rsplit("#", 1)[-1] for q in quads if q.predicate.value.startswith(iris.PK))
    ['contentHash', 'sourceFile']
    >>> {q.graph_name.value for q in quads}
    {'https://w3id.org/policykg/id/graph/x'}
    """
    return plan_graph(plan).quads


def plan_nquads(plan: ResolvedPlan) -> tuple[str, int]:
    """``plan_quads`` as N-Quads text, and how many quads; much faster than serialising them.

    >>> from kg.model import PlanMeta, PlanRecord
    >>> plan = ResolvedPlan(record=PlanRecord("x.txt", "00", PlanMeta(title="方案")), region=None, agencies={}, regions=[])
    >>> text, count = plan_nquads(plan)
    >>> text.encode() == ox.serialize(plan_quads(plan), format=ox.RdfFormat.N_QUADS), count
    (True, 6)
    """
    graph = plan_graph(plan)
    return graph.nquads(), len(graph)


def plan_graph(plan: ResolvedPlan) -> _Graph:
    """The triples of ``plan_quads``, before they become quads or text."""
    record = plan.record
    source = record.source
    g = _Graph(iris.graph_iri(source))
    subject = iris.plan_iri(source)
    meta = record.meta

    g.add(subject, RDF.type, PK.Plan)
    g.add(subject, RDF.type, ELI.LegalResource)
    g.add(subject, RDFS.label, zh(meta.title or source))
    if meta.title:
        g.add(subject, DCTERMS.title, zh(meta.title))
    g.add(subject, PK.sourceFile, string(source))
    if record.content_hash:
        g.add(subject, PK.contentHash, string(record.content_hash))
    if meta.doc_number:
        g.add(subject, DCTERMS.identifier, string(meta.doc_number))
        g.add(subject, ELI.id_local, string(meta.doc_number))
        # The same document as cited by other plans, so implementation chains can be walked.
        g.add(subject, OWL.sameAs, iris.document_iri(doc_number=meta.doc_number, title=meta.title))
    if meta.issued:
        g.add(subject, DCTERMS.issued, date(meta.issued))
        g.add(subject, ELI.date_document, date(meta.issued))
    if meta.start_year is not None:
        g.add(subject, PK.startYear, gyear(meta.start_year))
    if meta.end_year is not None:
        g.add(subject, PK.endYear, gyear(meta.end_year))

    # Regions are only referred to here: ``kg.corpus`` describes each once for the whole store.
    if plan.region is not None:
        g.add(subject, PK.region, iris.region_iri(plan.region.code))

    agencies: dict[str, Agency | None] = dict(plan.agencies)
    for name in meta.issuers:
        g.add(subject, PK.issuedBy, _agency_iri(plan, name))
        agencies.setdefault(name, None)
    for ref in meta.implements:
        _document(g, subject, ref)

    targets = _Counter()
    for target in record.targets:
        _target(g, plan, subject, target, targets.next())
    for a, action in enumerate(record.actions, start=1):
        action_iri = iris.action_iri(source, a)
        g.add(subject, PK.hasAction, action_iri)
        _unit(g, plan, action_iri, PK.Action, action, agencies, targets, parent=subject)
        for m, measure in enumerate(action.measures, start=1):
            measure_iri = iris.measure_iri(source, a, m)
            g.add(action_iri, PK.hasMeasure, measure_iri)
            _unit(g, plan, measure_iri, PK.Measure, measure, agencies, targets, parent=action_iri)

    for name, agency in agencies.items():
        _agency(g, _agency_iri(plan, name), agency or _fallback_agency(plan, name), name)
    return g


class _Counter:
    """Target numbers within one plan, in document order."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _document(g: _Graph, plan: str, ref: DocumentRef) -> None:
    """A cited document: one node per 文号 (or normalised title), shared across plans."""
    if not (ref.doc_number or ref.title):
        return
    doc = iris.document_iri(doc_number=ref.doc_number, title=ref.title)
    g.add(plan, PK.implements, doc)
    g.add(plan, ELI.based_on, doc)
    g.add(doc, RDF.type, PK.Plan)
    g.add(doc, RDF.type, ELI.LegalResource)
    # Labelled by its 文号 when known: plans citing it under different titles share one label.
    g.add(doc, RDFS.label, zh(ref.doc_number or ref.title or ""))
    if ref.title:
        g.add(doc, DCTERMS.title, zh(ref.title))
    if ref.doc_number:
        g.add(doc, DCTERMS.identifier, string(ref.doc_number))
        g.add(doc, ELI.id_local, string(ref.doc_number))


def _span(g: _Graph, subject: str, plan: str, span: Span | None) -> None:
    g.add(subject, PROV.wasDerivedFrom, plan)
    if span is not None:
        g.add(subject, PK.sourceStart, integer(span.start))
        g.add(subject, PK.sourceEnd, integer(span.end))


def _unit(
    g: _Graph,
    plan: ResolvedPlan,
    subject: str,
    cls: str,
    unit: Unit,
    agencies: dict[str, Agency | None],
    targets: _Counter,
    *,
    parent: str,
) -> None:
    plan_iri = iris.plan_iri(plan.record.source)
    g.add(subject, RDF.type, cls)
    g.add(subject, RDF.type, ELI.LegalResourceSubdivision)
    g.add(subject, ELI.is_part_of, parent)
    g.add(subject, RDFS.label, zh(unit.title or unit.text))
    g.add(subject, PK.text, string(unit.text))
    g.add(subject, PK.ordinal, integer(unit.ordinal))
    _span(g, subject, plan_iri, unit.span)
    for mention in unit.roles:
        # Only the most specific role property; pk:responsibleAgency is its super-property.
        g.add(subject, ROLE_PROPERTY[Role(mention.role)], _agency_iri(plan, mention.name))
        agencies.setdefault(mention.name, None)
        if mention.written and mention.written != mention.name:
            g.add(_agency_iri(plan, mention.name), SKOS.altLabel, zh(mention.written))
    for target in unit.targets:
        _target(g, plan, subject, target, targets.next())


def _target(g: _Graph, resolved: ResolvedPlan, owner: str, target: TargetStatement, index: int) -> None:
    source = resolved.record.source
    plan = iris.plan_iri(source)
    subject = iris.target_iri(source, index)
    g.add(owner, PK.hasTarget, subject)
    g.add(subject, PK.statedBy, owner)
    g.add(subject, RDF.type, PK.Target)
    g.add(subject, RDFS.label, zh(target.text or target.indicator))
    if target.text:
        g.add(subject, PK.text, string(target.text))
    if target.indicator:
        g.add(subject, PK.indicator, string(target.indicator))
    g.add(subject, PK.value, decimal(target.value))
    if target.value_max is not None:
        g.add(subject, PK.valueMax, decimal(target.value_max))
    g.add(subject, PK.unit, string(target.unit))
    g.add(subject, PK.comparator, string(target.comparator))
    if target.year is not None:
        g.add(subject, PK.targetYear, gyear(target.year))
    _span(g, subject, plan, target.span)
    region = resolved.region.code if resolved.region is not None else None
    for s, p, o in observation_triples(subject, owner=owner, region_code=region, year=target.year,
                                       indicator=target.indicator, unit=target.unit):
        g.add(s, p, o)


# ---- agencies and regions ----------------------------------------------------------------


def _fallback_agency(plan: ResolvedPlan, name: str) -> Agency | None:
    """An agency the resolver did not return: assumed to be in the plan's region."""
    return Agency(name=name, region=plan.region) if plan.region is not None else None


def _agency_iri(plan: ResolvedPlan, name: str) -> str:
    agency = plan.agencies.get(name) or _fallback_agency(plan, name)
    if agency is None:  # no region known: still one node per plan and name; SHACL flags it
        return iris.agency_iri("unresolved", name)
    return iris.agency_iri(agency.region.code, agency.name)


def _agency(g: _Graph, subject: str, agency: Agency | None, written: str) -> None:
    g.add(subject, RDF.type, PK.Agency)
    if agency is None:
        g.add(subject, RDFS.label, zh(written))
        return
    g.add(subject, RDFS.label, zh(agency.name))
    if written != agency.name:
        g.add(subject, SKOS.altLabel, zh(written))
    if agency.full_name:
        g.add(subject, PK.fullName, string(agency.full_name))
        if agency.full_name != agency.name:
            g.add(subject, SKOS.altLabel, zh(agency.full_name))
    if agency.label_en:
        g.add(subject, RDFS.label, ox.Literal(agency.label_en, language="en"))
    if agency.pinyin:
        g.add(subject, SKOS.altLabel, ox.Literal(agency.pinyin, language="zh-Latn-pinyin"))
    g.add(subject, PK.region, iris.region_iri(agency.region.code))
    if agency.type is not None:
        # The concept itself is described once, in the vocabulary graph: copies in every
        # document graph would repeat in the union graph and multiply joins at scale.
        g.add(subject, PK.agencyType, iris.agency_type_iri(agency.type.slug))


def _concept(g: _Graph, kind: AgencyType) -> None:
    subject = iris.agency_type_iri(kind.slug)
    g.add(subject, RDF.type, SKOS.Concept)
    g.add(subject, SKOS.inScheme, iris.AGENCY_TYPE_SCHEME)
    g.add(subject, SKOS.notation, string(kind.slug))
    g.add(subject, SKOS.prefLabel, zh(kind.label_zh))
    g.add(subject, RDFS.label, zh(kind.label_zh))
    if kind.label_en:
        g.add(subject, SKOS.prefLabel, ox.Literal(kind.label_en, language="en"))
        g.add(subject, RDFS.label, ox.Literal(kind.label_en, language="en"))


def region_quads(regions: Iterable[Region], graph: str) -> list[ox.Quad]:
    """Each region's description, in ``graph``: label@zh, pk:adminCode, pk:level, and
    skos:broader its parent.

    A region is described once for the whole store (``kg.corpus``), not in the graph of every
    plan that refers to it: the union default graph would repeat the description per plan and
    multiply every join through a region's label or code.

    >>> from kg.regions import region_by_code
    >>> sorted(q.predicate.value.rsplit("#", 1)[-1] for q in region_quads([region_by_code("530300")], "http://g"))
    ['adminCode', 'broader', 'label', 'level', 'type']
    """
    g = _Graph(graph)
    for region in regions:
        _region(g, region)
    return g.quads


def _region(g: _Graph, region: Region) -> None:
    subject = iris.region_iri(region.code)
    g.add(subject, RDF.type, PK.Region)
    g.add(subject, RDFS.label, zh(region.name))
    g.add(subject, PK.adminCode, string(region.code))
    g.add(subject, PK.level, string(region.level))
    if region.parent_code:
        g.add(subject, SKOS.broader, iris.region_iri(region.parent_code))


# ---- vocabulary --------------------------------------------------------------------------


def ontology_quads() -> list[ox.Quad]:
    """``ontology/policykg.ttl`` in ``kg.iris.VOCABULARY_GRAPH``.

    >>> any(q.subject.value.endswith("#leadAgency") for q in ontology_quads())
    True
    """
    graph = ox.NamedNode(iris.VOCABULARY_GRAPH)
    with ONTOLOGY_FILE.open("rb") as fh:
        triples = ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=iris.PK)
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def agency_type_quads(types: Iterable[AgencyType]) -> list[ox.Quad]:
    """The agency-type ``skos:ConceptScheme``: one concept per type, each linked to its
    national counterpart body (a ``pk:Agency`` of the nation), in the vocabulary graph.

    >>> kind = AgencyType(slug="cast", label_zh="科协", label_en="Association for Science and Technology",
    ...                   national_counterpart="中国科协")
    >>> quads = agency_type_quads([kind])
    >>> sorted({q.predicate.value.rsplit("#", 1)[-1] for q in quads if q.subject.value.endswith("/cast")})[:3]
    ['inScheme', 'label', 'nationalCounterpart']
    """
    g = _Graph(iris.VOCABULARY_GRAPH)
    scheme = iris.AGENCY_TYPE_SCHEME
    g.add(scheme, RDF.type, SKOS.ConceptScheme)
    g.add(scheme, RDFS.label, zh("单位类型"))
    g.add(scheme, RDFS.label, ox.Literal("Agency types", language="en"))
    g.add(scheme, SKOS.prefLabel, zh("单位类型"))
    g.add(scheme, SKOS.prefLabel, ox.Literal("Agency types", language="en"))
    for kind in types:
        concept = iris.agency_type_iri(kind.slug)
        _concept(g, kind)
        g.add(concept, SKOS.topConceptOf, scheme)
        g.add(scheme, SKOS.hasTopConcept, concept)
        if kind.national_counterpart:
            body = iris.agency_iri(_NATION.code, kind.national_counterpart)
            g.add(concept, PK.nationalCounterpart, body)
            _agency(g, body, Agency(name=kind.national_counterpart, region=_NATION, type=kind),
                    kind.national_counterpart)
    return g.quads


def vocabulary_quads() -> list[ox.Quad]:
    """The ontology, the agency-type concept scheme and the targets' Data Cube structure, in
    ``kg.iris.VOCABULARY_GRAPH``."""
    return ontology_quads() + agency_type_quads(agency_types()) + structure_quads()
