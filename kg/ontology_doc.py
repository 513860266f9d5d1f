"""Ontology documentation: ``ontology/policykg.ttl`` as one self-contained HTML page.

pyLODE was tried first (the usual tool): pyLODE 3.4.1 from PyPI fails at run time looking for
a ``pyproject.toml`` inside site-packages, so this small generator over rdflib renders what
researchers need — every class and property with its zh and en labels and comments, domain,
range, super-classes and super-properties, alignments (ELI, ORG, PROV, Data Cube …) — with an
anchor per term (``/ontology#leadAgency``). Every text is HTML-escaped; external IRIs are
linked only when they are http(s); no script, no network.

>>> "pk:leadAgency" in ontology_html() and "<script" not in ontology_html()
True
"""

from __future__ import annotations

import functools
import html

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .paths import ONTOLOGY_DIR

PK = rdflib.Namespace("https://w3id.org/policykg/ontology#")
ONTOLOGY = rdflib.URIRef("https://w3id.org/policykg/ontology")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")

_STYLE = """body{font:15px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}section.term{border-left:3px solid #69c;padding:.2rem 1rem;margin:1.5rem 0}
table{border-collapse:collapse}th{text-align:left;padding-right:1rem;vertical-align:top;font-weight:600;white-space:nowrap}
td{vertical-align:top}code{background:#f4f4f4;padding:0 .2rem}nav a{margin-right:.6rem;white-space:nowrap}.en{color:#555}"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


class _Renderer:
    def __init__(self, graph: rdflib.Graph) -> None:
        self.g = graph
        self.ns = {str(ns): prefix for prefix, ns in graph.namespaces() if prefix}

    def curie(self, iri: rdflib.URIRef) -> str:
        for ns, prefix in sorted(self.ns.items(), key=lambda kv: -len(kv[0])):
            if str(iri).startswith(ns):
                return f"{prefix}:{str(iri)[len(ns):]}"
        return str(iri)

    def link(self, node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.BNode):
            members = self.g.value(node, OWL.unionOf)
            if members is not None:
                return " or ".join(self.link(m) for m in rdflib.collection.Collection(self.g, members))
            return "(anonymous)"
        if isinstance(node, rdflib.Literal):
            return _e(node)
        if str(node).startswith(str(PK)):
            local = str(node)[len(str(PK)):]
            return f'<a href="#{_e(local)}"><code>pk:{_e(local)}</code></a>'
        label = f"<code>{_e(self.curie(node))}</code>"
        return f'<a href="{_e(node)}">{label}</a>' if str(node).startswith(("http://", "https://")) else label

    def texts(self, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
        values = sorted(self.g.objects(subject, predicate), key=lambda v: (getattr(v, "language", "") or "") != "zh")
        return "<br>".join(f'<span lang="{_e(v.language or "")}" class="{_e(v.language or "")}">{_e(v)}</span>'
                           for v in values)

    def term(self, subject: rdflib.URIRef) -> str:
        local = str(subject)[len(str(PK)):]
        rows = [("IRI", f"<code>{_e(subject)}</code>"), ("Label 标签", self.texts(subject, RDFS.label)),
                ("Comment 说明", self.texts(subject, RDFS.comment))]
        kinds = [self.link(t) for t in sorted(self.g.objects(subject, RDF.type))]
        rows.append(("Type 类型", ", ".join(kinds)))
        for title, predicate in (("Sub-class of", RDFS.subClassOf), ("Sub-property of", RDFS.subPropertyOf),
                                 ("Domain", RDFS.domain), ("Range", RDFS.range), ("Inverse of", OWL.inverseOf),
                                 ("Disjoint with", OWL.disjointWith), ("Close match", SKOS.closeMatch)):
            values = [self.link(v) for v in sorted(self.g.objects(subject, predicate), key=str)]
            if values:
                rows.append((title, ", ".join(values)))
        subs = [self.link(s) for s in sorted(self.g.subjects(RDFS.subClassOf, subject))]
        subs += [self.link(s) for s in sorted(self.g.subjects(RDFS.subPropertyOf, subject))]
        if subs:
            rows.append(("Narrower 下位", ", ".join(subs)))
        body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows if v)
        return f'<section class="term" id="{_e(local)}"><h3>pk:{_e(local)}</h3><table>{body}</table></section>'

    def page(self) -> str:
        terms = sorted(s for s in set(self.g.subjects(RDF.type, None))
                       if isinstance(s, rdflib.URIRef) and str(s).startswith(str(PK)))
        classes = [t for t in terms if (t, RDF.type, OWL.Class) in self.g]
        objects = [t for t in terms if (t, RDF.type, OWL.ObjectProperty) in self.g]
        data = [t for t in terms if (t, RDF.type, OWL.DatatypeProperty) in self.g]
        g, o = self.g, ONTOLOGY
        header = [("IRI", f"<code>{_e(o)}</code>"), ("Version", _e(g.value(o, OWL.versionInfo) or "")),
                  ("Namespace", f'<code>{_e(PK)}</code> (prefix <code>pk:</code>)'),
                  ("Licence", self.link(g.value(o, DCTERMS.license)) if g.value(o, DCTERMS.license) else ""),
                  ("Description", self.texts(o, DCTERMS.description))]
        sections = []
        for title, group in (("Classes 类", classes), ("Object properties 对象属性", objects), ("Data properties 数据属性", data)):
            nav = "".join(f'<a href="#{_e(str(t)[len(str(PK)):])}">{_e(str(t)[len(str(PK)):])}</a>' for t in group)
            sections.append(f"<h2>{_e(title)}</h2><nav>{nav}</nav>" + "".join(self.term(t) for t in group))
        title = " · ".join(str(t) for t in sorted(g.objects(o, DCTERMS.title), key=lambda t: t.language != "zh"))
        return ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width\"><title>{_e(title)}</title>"
                f"<link rel=\"alternate\" type=\"text/turtle\" href=\"/ontology\"><style>{_STYLE}</style></head><body>"
                f"<h1>{_e(title)}</h1><table>"
                + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in header if v)
                + "</table>" + "".join(sections) + "</body></html>")


@functools.cache
def ontology_html() -> str:
    """The ontology's documentation page (cached: the file does not change while serving)."""
    return _Renderer(rdflib.Graph().parse(ONTOLOGY_DIR / "policykg.ttl")).page()
