"""Namespace constants for the terms the map step writes (``pk:`` and the W3C vocabularies).

Plain strings so modules that do not load an RDF library can use them; ``term`` turns
one into a ``pyoxigraph.NamedNode``.

>>> PK.leadAgency
'https://w3id.org/policykg/ontology#leadAgency'
>>> str(DCTERMS), DCTERMS.title
('http://purl.org/dc/terms/', 'http://purl.org/dc/terms/title')
>>> term(SKOS.broader)
<NamedNode value=http://www.w3.org/2004/02/skos/core#broader>
"""

from __future__ import annotations

import pyoxigraph as ox

from .iris import PK as PK_NS


class _Namespace:
    """A namespace whose attributes are the IRIs of its terms (``str(ns)`` is its IRI).

    Not a ``str`` subclass: ``DCTERMS.title`` must not be ``str.title``.
    """

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        iri = self.__dict__[name] = f"{self._iri}{name}"  # found without __getattr__ next time
        return iri

    def __str__(self) -> str:
        return self._iri

    def __repr__(self) -> str:
        return f"_Namespace({self._iri!r})"


PK = _Namespace(PK_NS)
RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
ORG = _Namespace("http://www.w3.org/ns/org#")
PROV = _Namespace("http://www.w3.org/ns/prov#")
SH = _Namespace("http://www.w3.org/ns/shacl#")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")  # European Legislation Identifier
QB = _Namespace("http://purl.org/linked-data/cube#")  # RDF Data Cube
SDMX_DIMENSION = _Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATTRIBUTE = _Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_CONCEPT = _Namespace("http://purl.org/linked-data/sdmx/2009/concept#")
VOID = _Namespace("http://rdfs.org/ns/void#")
DCAT = _Namespace("http://www.w3.org/ns/dcat#")
FOAF = _Namespace("http://xmlns.com/foaf/0.1/")
WDT = _Namespace("http://www.wikidata.org/prop/direct/")

ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"


def term(iri: str) -> ox.NamedNode:
    """The ``NamedNode`` for ``iri``."""
    return ox.NamedNode(iri)
