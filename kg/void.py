"""The dataset's description: DCAT + VoID, computed from a store.

``void_description`` counts what the store holds (triples, classes and entities per class,
triples per property, links per target dataset) and says where to get it (SPARQL endpoint,
dumps), under which licence, and which resources are good examples. It is served at
``/.well-known/void`` and written into every dump (``kg export``), in ``kg.iris.VOID_GRAPH``;
the counts leave that graph out, so a dump's description counts the data beside it.

Partitions and linksets have IRIs under the dataset IRI (no blank nodes), so each can be
dereferenced and two builds of the same store describe themselves identically.

>>> import pyoxigraph as ox
>>> quads = void_description(ox.Store(), base_url="http://127.0.0.1:7878")
>>> any(q.predicate.value.endswith("sparqlEndpoint") and q.object.value == "http://127.0.0.1:7878/sparql" for q in quads)
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pyoxigraph as ox

from . import iris
from .vocab import DCAT, DCTERMS, ELI, FOAF, ORG, OWL, PK, PROV, QB, RDF, RDFS, SKOS, VOID, XSD

# Government documents are not protected by copyright in China (Copyright Law, art. 5: laws,
# regulations, resolutions, decisions and orders of state organs and other documents of a
# legislative, administrative or judicial nature); the graph adds structure and curation, offered
# under CC BY 4.0 so researchers can reuse it and cite it. Wikidata's part of the links is CC0.
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# Datasets we link to with owl:sameAs: key → (uriSpace of its items, dataset IRI, title, SPARQL endpoint)
LINK_TARGETS: dict[str, tuple[str, str, str, str]] = {
    "wikidata": ("http://www.wikidata.org/entity/", "https://www.wikidata.org/", "Wikidata",
                 "https://query.wikidata.org/sparql"),
}

# Dump file name → (dcterms:format, media type); what ``kg export`` writes and the server offers.
DUMPS: dict[str, tuple[str, str]] = {
    "policykg.nq": ("N-Quads", "application/n-quads"),
    "policykg.ttl": ("Turtle", "text/turtle"),
    "policykg.jsonld": ("JSON-LD", "application/ld+json"),
}

VOCABULARIES = (str(PK), str(ELI), str(QB), str(SKOS), str(ORG), str(PROV), str(DCTERMS), str(OWL))

_PREFIXES = {str(PK): "pk", str(ELI): "eli", str(QB): "qb", str(SKOS): "skos", str(ORG): "org", str(PROV): "prov",
             str(DCTERMS): "dcterms", str(OWL): "owl", str(RDF): "rdf", str(RDFS): "rdfs", str(VOID): "void",
             str(DCAT): "dcat", "http://www.wikidata.org/prop/direct/": "wdt",
             "http://purl.org/linked-data/sdmx/2009/dimension#": "sdmx-dimension",
             "http://purl.org/linked-data/sdmx/2009/attribute#": "sdmx-attribute"}


def _key(iri: str) -> str:
    """A readable path segment for a class or property IRI: ``pk-Plan``, else a hash."""
    for ns, prefix in _PREFIXES.items():
        if iri.startswith(ns) and iri[len(ns):].replace("_", "").isalnum():
            return f"{prefix}-{iri[len(ns):]}"
    return "h-" + hashlib.sha1(iri.encode()).hexdigest()[:12]


def _count(store: ox.Store, pattern: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {pattern} }}"
    return int(next(iter(store.query(query)))["n"].value)


def _not_void(triple: str) -> str:
    return f"WHERE {{ GRAPH ?g {{ {triple} }} FILTER (?g != <{iris.VOID_GRAPH}>) }}"


def link_counts(store: ox.Store) -> list[tuple[str, str, int]]:
    """(link target key, class of the linked resource, number of owl:sameAs links), sorted —
    the table the README shows.

    >>> link_counts(ox.Store())
    []
    """
    out = []
    for key, (space, *_rest) in LINK_TARGETS.items():
        query = f"""SELECT ?class (COUNT(*) AS ?n) WHERE {{
            {{ SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{OWL.sameAs}> ?o }}
               FILTER (?g != <{iris.VOID_GRAPH}> && STRSTARTS(STR(?o), "{space}")) }} }}
            OPTIONAL {{ SELECT ?s (MIN(?c) AS ?class) WHERE {{ GRAPH ?h {{ ?s a ?c }} FILTER (STRSTARTS(STR(?c), "{PK}")) }} GROUP BY ?s }}
            }} GROUP BY ?class ORDER BY ?class"""
        for s in store.query(query):
            cls = s["class"].value if s["class"] is not None else ""
            out.append((key, cls, int(s["n"].value)))
    return out


def void_description(
    store: ox.Store, *, base_url: str, dumps: Mapping[str, str] | None = None, examples: int = 1
) -> list[ox.Quad]:
    """The DCAT + VoID description of ``store``, in ``kg.iris.VOID_GRAPH``.

    ``base_url`` is where the server answers (``{base_url}/sparql``); ``dumps`` maps dump file
    names of ``DUMPS`` to their download URLs (default ``{base_url}/dumps/<name>``).
    ``examples`` is how many example resources of each main class to name.
    """
    base_url = base_url.rstrip("/")
    dumps = dict(dumps) if dumps is not None else {name: f"{base_url}/dumps/{name}" for name in DUMPS}
    graph = ox.NamedNode(iris.VOID_GRAPH)
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: str | ox.Literal) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o, graph))

    def n(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD.integer))

    def text(value: str, lang: str) -> ox.Literal:
        return ox.Literal(value, language=lang)

    ds = iris.DATASET
    add(ds, RDF.type, VOID.Dataset)
    add(ds, RDF.type, DCAT.Dataset)
    for p in (DCTERMS.title, RDFS.label):
        add(ds, p, text("政策知识图谱：中国政府政策行动方案", "zh"))
        add(ds, p, text("policykg: Chinese government policy action plans", "en"))
    add(ds, DCTERMS.description, text(
        "Chinese government policy action plans as a knowledge graph: their actions and measures, the agencies "
        "that lead or cooperate in them, their quantitative targets and regions, and the documents they implement; "
        "regions, national bodies and documents linked to Wikidata.", "en"))
    add(ds, DCTERMS.description, text(
        "中国政府政策行动方案的知识图谱：方案的行动与措施、牵头和配合单位、量化目标、行政区划及所贯彻落实的文件；"
        "行政区划、全国性机构和文件与 Wikidata 关联。", "zh"))
    add(ds, DCTERMS.license, DATA_LICENSE)
    add(ds, DCTERMS.creator, ox.Literal("policykg contributors"))
    add(ds, DCTERMS.publisher, ox.Literal("policykg contributors"))
    add(ds, DCTERMS.language, "http://id.loc.gov/vocabulary/iso639-1/zh")
    add(ds, DCTERMS.conformsTo, "https://w3id.org/policykg/ontology")
    for word, lang in (("政策", "zh"), ("行动方案", "zh"), ("policy", "en"), ("action plan", "en"), ("China", "en")):
        add(ds, DCAT.keyword, text(word, lang))
    add(ds, VOID.uriSpace, ox.Literal(iris.ID))
    for vocab in VOCABULARIES:
        add(ds, VOID.vocabulary, vocab)
    add(ds, VOID.sparqlEndpoint, f"{base_url}/sparql")
    add(ds, VOID.subset, iris.TARGETS_DATASET)

    service = f"{base_url}/sparql"
    add(service, RDF.type, DCAT.DataService)
    add(service, DCAT.endpointURL, service)
    add(service, DCAT.servesDataset, ds)
    add(service, DCTERMS.conformsTo, "https://www.w3.org/TR/sparql11-protocol/")
    endpoint_dist = f"{ds}/distribution/sparql"
    add(ds, DCAT.distribution, endpoint_dist)
    add(endpoint_dist, RDF.type, DCAT.Distribution)
    add(endpoint_dist, DCAT.accessURL, service)
    add(endpoint_dist, DCAT.accessService, service)
    for name, url in sorted(dumps.items()):
        fmt, media = DUMPS[name]
        dist = f"{ds}/distribution/{iris.segment(name)}"
        add(ds, VOID.dataDump, url)
        add(ds, DCAT.distribution, dist)
        add(dist, RDF.type, DCAT.Distribution)
        add(dist, DCAT.downloadURL, url)
        add(dist, DCAT.mediaType, f"https://www.iana.org/assignments/media-types/{media}")
        add(dist, DCTERMS.format, ox.Literal(fmt))
        add(dist, DCTERMS.license, DATA_LICENSE)

    # ---- statistics (the description's own graph left out) --------------------------------
    add(ds, VOID.triples, n(_count(store, f"?s ?p ?o {_not_void('?s ?p ?o')}")))
    add(ds, VOID.distinctSubjects, n(_count(store, f"?s {_not_void('?s ?p ?o')}")))
    add(ds, VOID.distinctObjects, n(_count(store, f"?o {_not_void('?s ?p ?o')}")))
    add(ds, VOID.entities, n(_count(store, f"?s {_not_void(f'?s <{RDF.type}> ?c')}")))
    classes = store.query(f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) {_not_void(f'?s <{RDF.type}> ?c')}
        GROUP BY ?c ORDER BY ?c""")
    class_counts = [(s["c"].value, int(s["n"].value)) for s in classes if isinstance(s["c"], ox.NamedNode)]
    add(ds, VOID.classes, n(len(class_counts)))
    for cls, count in class_counts:
        part = f"{ds}/class/{iris.segment(_key(cls))}"
        add(ds, VOID.classPartition, part)
        add(part, getattr(VOID, "class"), cls)
        add(part, VOID.entities, n(count))
    properties = store.query(f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o {_not_void('?s ?p ?o')} }}
        GROUP BY ?p ORDER BY ?p""")
    property_counts = [(s["p"].value, int(s["n"].value)) for s in properties]
    add(ds, VOID.properties, n(len(property_counts)))
    for prop, count in property_counts:
        part = f"{ds}/property/{iris.segment(_key(prop))}"
        add(ds, VOID.propertyPartition, part)
        add(part, VOID.property, prop)
        add(part, VOID.triples, n(count))

    # ---- links to other datasets ----------------------------------------------------------
    for key, (space, target, title, endpoint) in LINK_TARGETS.items():
        links = _count(store, f"""?s ?o WHERE {{ GRAPH ?g {{ ?s <{OWL.sameAs}> ?o }}
            FILTER (?g != <{iris.VOID_GRAPH}> && STRSTARTS(STR(?o), "{space}")) }}""")
        if not links:
            continue
        linkset = f"{ds}/links/{key}"
        add(ds, VOID.subset, linkset)
        add(linkset, RDF.type, VOID.Linkset)
        add(linkset, VOID.subjectsTarget, ds)
        add(linkset, VOID.objectsTarget, target)
        add(linkset, VOID.linkPredicate, OWL.sameAs)
        add(linkset, VOID.triples, n(links))
        add(target, RDF.type, VOID.Dataset)
        add(target, DCTERMS.title, ox.Literal(title))
        add(target, VOID.uriSpace, ox.Literal(space))
        add(target, VOID.sparqlEndpoint, endpoint)
        add(target, FOAF.homepage, target)

    # ---- example resources ----------------------------------------------------------------
    for cls in (PK.Plan, PK.Action, PK.Measure, PK.Target, PK.Agency, PK.Region):
        query = f"""SELECT DISTINCT ?s WHERE {{ ?s a <{cls}> . FILTER (STRSTARTS(STR(?s), "{iris.ID}")) }}
            ORDER BY ?s LIMIT {int(examples)}"""
        if cls == PK.Plan:  # a built plan, not a document known only by citation
            query = query.replace(f"?s a <{cls}> .", f"?s a <{cls}> ; <{PK.sourceFile}> ?f .")
        for s in store.query(query, use_default_graph_as_union=True):
            add(ds, VOID.exampleResource, s["s"].value)
    return out
