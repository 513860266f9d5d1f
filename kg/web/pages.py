"""HTML pages and small documents of the endpoint: landing page, query UI, Service Description.

All document text is escaped (``html.escape``; JSON embedded in a page has ``<`` escaped).
The SPARQL editor is YASGUI, installed from the npm registry into ``node_modules/`` by the
project's setup (``npm ci``) and served from there by ``kg serve``: never from a CDN.
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from string import Template

import pyoxigraph as ox

from ..paths import ONTOLOGY_DIR, PROJECT_ROOT, QUERIES_DIR
from ..query import PREFIXES

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
YASGUI_DIR = PROJECT_ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"
ASSETS = {
    "kg": {"sparql.js": STATIC_DIR / "sparql.js", "style.css": STATIC_DIR / "style.css"},
    "yasgui": {"yasgui.min.js": YASGUI_DIR / "yasgui.min.js", "yasgui.min.css": YASGUI_DIR / "yasgui.min.css"},
}
PK = PREFIXES["pk"]
CLASSES = (("Plan", "plans", "规划"), ("Action", "actions", "任务"), ("Measure", "measures", "措施"),
           ("Agency", "agencies", "部门"), ("Target", "targets", "目标"), ("Region", "regions", "地区"))
# Plans built from documents (not the documents they cite), agencies named in some plan
# (not the national counterparts of the agency-type scheme).
COUNTS_QUERY = ("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?class { "
                + " ".join(f"<{PK}{name}>" for name, _, _ in CLASSES) + " } ?s a ?class . "
                f"FILTER(?class != <{PK}Plan> || EXISTS {{ ?s <{PK}sourceFile> ?file }}) "
                f"FILTER(?class != <{PK}Agency> || EXISTS {{ ?unit <{PK}leadAgency>|<{PK}cooperatingAgency>|"
                f"<{PK}responsibleAgency>|<{PK}issuedBy> ?s }}) }} GROUP BY ?class")


def asset_path(kind: str, name: str) -> Path | None:
    """The file behind ``/assets/<kind>/<name>``, if it is one we serve and it exists."""
    path = ASSETS.get(kind, {}).get(name)
    return path if path is not None and path.is_file() else None


def _template(name: str) -> Template:
    return Template((WEB_DIR / name).read_text(encoding="utf-8"))


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _nav(network: bool) -> str:
    links = [("/", "Home"), ("/sparql", "SPARQL"), ("/ontology", "Ontology")]
    if network:
        links.insert(2, ("/network", "Network"))
    return " ".join(f'<a href="{href}">{html.escape(text)}</a>' for href, text in links)


def home_page(counts: dict[str, int] | None, *, store: str, network: bool) -> str:
    """The landing page: what the dataset holds and where to go next."""
    if counts is None:
        stats = f'<p class="warning">No store is built at {html.escape(store)} yet: run <code>kg build</code>.</p>'
    else:
        cells = "".join(
            f'<div class="stat" id="count-{name.lower()}"><span class="n">{counts.get(name, 0):,}</span>'
            f'<span class="what">{html.escape(label)} · {html.escape(zh)}</span></div>'
            for name, label, zh in CLASSES)
        stats = f'<div class="stats">{cells}</div>'
    network_link = ('<li><a href="/network">The agency network</a> — who leads and who cooperates, drawn</li>'
                    if network else "")
    return _template("home.html").substitute(nav=_nav(network), stats=stats, network_link=network_link)


@functools.cache
def examples() -> tuple[dict[str, str], ...]:
    """Every ``queries/*.rq`` with its ``# Question:`` comment as description."""
    found = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"^#\s*Question:\s*(.+)$", text, re.M)
        found.append({"name": path.stem, "question": match.group(1).strip() if match else path.stem,
                      "query": text})
    return tuple(found)


def sparql_page(*, query: str | None, network: bool) -> str:
    """The query UI (YASGUI plus examples, downloads, share link and code snippets)."""
    config = {"prefixes": PREFIXES, "examples": list(examples()), "query": query}
    items = "".join(
        f'<li><button type="button" class="example" data-name="{html.escape(e["name"])}">'
        f'{html.escape(e["name"].replace("_", " "))}</button>'
        f'<span class="question">{html.escape(e["question"])}</span></li>'
        for e in examples())
    return _template("sparql.html").substitute(nav=_nav(network), examples=items or "<li>(none)</li>",
                                               config=_script_json(config))


def service_description(endpoint: str, media_type: str) -> bytes:
    """The SPARQL 1.1 Service Description of this endpoint, serialised as ``media_type``."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    node = ox.NamedNode(endpoint)
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(node, a, ox.NamedNode(sd + "Service")),
        ox.Triple(node, ox.NamedNode(sd + "endpoint"), node),
        ox.Triple(node, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(node, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
        ox.Triple(node, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "BasicFederatedQuery")),
        ox.Triple(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                  ox.Literal("policykg: Chinese policy action plans as a knowledge graph. Read-only; "
                             "the default graph is the union of the document graphs.", language="en")),
    ]
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
    triples += [ox.Triple(node, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{f}"))
                for f in formats]
    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
    prefixes = {"sd": sd} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


@functools.cache
def ontology_terms_json() -> bytes:
    """The ontology's classes and properties (full IRIs), for the editor's autocompletion."""
    rdf, owl, rdfs = PREFIXES["rdf"], PREFIXES["owl"], PREFIXES["rdfs"]
    graph = ox.Store()
    path = ONTOLOGY_DIR / "policykg.ttl"
    if path.is_file():
        graph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object)
                          for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))

    def of(kinds: list[str]) -> list[str]:
        values = " ".join(f"<{k}>" for k in kinds)
        rows = graph.query(f"SELECT DISTINCT ?t WHERE {{ VALUES ?k {{ {values} }} ?t a ?k FILTER isIRI(?t) }} ORDER BY ?t")
        return [row["t"].value for row in rows]  # type: ignore[index, union-attr]

    return json.dumps({
        "classes": of([owl + "Class", rdfs + "Class"]),
        "properties": of([owl + "ObjectProperty", owl + "DatatypeProperty", owl + "AnnotationProperty",
                          rdf + "Property"]),
    }).encode()
