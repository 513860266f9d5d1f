"""Targets as RDF Data Cube observations, so statistical tools can read them.

A ``pk:Target`` whose plan has a region, and which has a year and an indicator, is also a
``qb:Observation`` in one ``qb:DataSet`` (``kg.iris.TARGETS_DATASET``):

==============================  =========================================================
dimension ``sdmx-dimension:refArea``   the plan's ``pk:Region`` (its IRI ends in the GB/T 2260
                                       code; the node carries ``pk:adminCode`` and ``wdt:P442``)
dimension ``sdmx-dimension:refPeriod`` the target year, ``xsd:gYear``
dimension ``pk:indicator``             what is measured
dimension ``pk:statedBy``              the plan or unit stating it (two statements of one
                                       indicator for one year stay two observations)
measure ``pk:value``                   the number (lower end of a range)
attribute ``sdmx-attribute:unitMeasure`` "%", "人", … as written
attribute ``pk:comparator``            ">=" etc.: 13 means "at least 13" under ">="
attribute ``pk:valueMax``              the upper end of a range (optional)
==============================  =========================================================

Targets with no year (recurring, undated) or of a plan with no region are not observations:
every dimension of a Data Cube observation must have a value (integrity constraint IC-11),
and none is invented.

>>> [p.rsplit("#", 1)[-1] for p, _kind, _required in COMPONENTS][:2]
['refArea', 'refPeriod']
"""

from __future__ import annotations

import pyoxigraph as ox

from . import iris
from .vocab import DCTERMS, PK, QB, RDF, RDFS, SDMX_ATTRIBUTE, SDMX_CONCEPT, SDMX_DIMENSION, XSD

# (property, kind, required) in qb:order
COMPONENTS: tuple[tuple[str, str, bool], ...] = (
    (SDMX_DIMENSION.refArea, "dimension", True),
    (SDMX_DIMENSION.refPeriod, "dimension", True),
    (PK.indicator, "dimension", True),
    (PK.statedBy, "dimension", True),
    (PK.value, "measure", True),
    (SDMX_ATTRIBUTE.unitMeasure, "attribute", True),
    (PK.comparator, "attribute", True),
    (PK.valueMax, "attribute", False),
)
_KIND_CLASS = {"dimension": QB.DimensionProperty, "measure": QB.MeasureProperty, "attribute": QB.AttributeProperty}
_SDMX_CONCEPTS = {
    SDMX_DIMENSION.refArea: (SDMX_CONCEPT.refArea, "Reference area", "参考地区"),
    SDMX_DIMENSION.refPeriod: (SDMX_CONCEPT.refPeriod, "Reference period", "参考期"),
    SDMX_ATTRIBUTE.unitMeasure: (SDMX_CONCEPT.unitMeasure, "Unit of measure", "计量单位"),
}


def observation_triples(
    target: str, *, owner: str, region_code: str | None, year: int | None, indicator: str | None, unit: str
) -> list[tuple[str, str, ox.NamedNode | ox.Literal]]:
    """The Data Cube triples of one target, or none when a dimension would have no value.

    >>> len(observation_triples("http://x/t", owner="http://x/u", region_code="530300", year=2025, indicator="比例", unit="%"))
    6
    >>> observation_triples("http://x/t", owner="http://x/u", region_code="530300", year=None, indicator="比例", unit="%")
    []
    """
    if region_code is None or year is None or not indicator:
        return []
    return [
        (target, RDF.type, ox.NamedNode(QB.Observation)),
        (target, QB.dataSet, ox.NamedNode(iris.TARGETS_DATASET)),
        (target, SDMX_DIMENSION.refArea, ox.NamedNode(iris.region_iri(region_code))),
        (target, SDMX_DIMENSION.refPeriod, ox.Literal(f"{int(year):04d}", datatype=ox.NamedNode(XSD.gYear))),
        (target, SDMX_ATTRIBUTE.unitMeasure, ox.Literal(unit)),
        (target, PK.statedBy, ox.NamedNode(owner)),
    ]


def structure_quads() -> list[ox.Quad]:
    """The targets ``qb:DataSet`` and its ``qb:DataStructureDefinition``, in the vocabulary graph.

    Component specifications carry both ``qb:dimension``/``qb:measure``/``qb:attribute`` and
    ``qb:componentProperty`` (the spec's normalised form, which the integrity-constraint
    queries use), so no inference is needed before checking them.
    """
    graph = ox.NamedNode(iris.VOCABULARY_GRAPH)
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: str | ox.Literal) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o, graph))

    dataset, dsd = iris.TARGETS_DATASET, iris.TARGETS_STRUCTURE
    add(dataset, RDF.type, QB.DataSet)
    add(dataset, QB.structure, dsd)
    add(dataset, RDFS.label, ox.Literal("方案量化目标", language="zh"))
    add(dataset, RDFS.label, ox.Literal("Quantitative targets of the plans", language="en"))
    add(dataset, DCTERMS.title, ox.Literal("Quantitative targets of the plans", language="en"))
    add(dataset, RDFS.comment, ox.Literal(
        "Every dated target of a plan with a known region, by region, year, indicator and the plan or unit "
        "stating it. Read the value with its comparator: 13 under \">=\" means at least 13.", language="en"))
    add(dataset, DCTERMS.isPartOf, iris.DATASET)
    add(dsd, RDF.type, QB.DataStructureDefinition)
    add(dsd, RDFS.label, ox.Literal("方案量化目标的结构", language="zh"))
    add(dsd, RDFS.label, ox.Literal("Structure of the targets data set", language="en"))
    for order, (prop, kind, required) in enumerate(COMPONENTS, start=1):
        spec = f"{dsd}/{prop.rsplit('#', 1)[-1]}"
        add(dsd, QB.component, spec)
        add(spec, RDF.type, QB.ComponentSpecification)
        add(spec, getattr(QB, kind), prop)
        add(spec, QB.componentProperty, prop)
        add(spec, QB.order, ox.Literal(str(order), datatype=ox.NamedNode(XSD.integer)))
        if kind == "attribute":
            add(spec, QB.componentRequired, ox.Literal("true" if required else "false",
                                                     datatype=ox.NamedNode(XSD.boolean)))
        if prop in _SDMX_CONCEPTS:  # SDMX-RDF's own declarations, restated so the graph is self-contained
            concept, en, zh = _SDMX_CONCEPTS[prop]
            add(prop, RDF.type, _KIND_CLASS[kind])
            add(prop, RDF.type, RDF.Property)
            add(prop, QB.concept, concept)
            add(prop, RDFS.label, ox.Literal(en, language="en"))
            add(prop, RDFS.label, ox.Literal(zh, language="zh"))
    return out
