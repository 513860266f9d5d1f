"""Linked-data views of the store: dereferenceable IRIs, the dataset description, the ontology.

The server mounts these as plain functions (each returns ``(status, headers, body)``):

- ``GET /id/{path}`` → ``dereference(store, raw_path, accept)``: an HTML page for browsers
  (``resource_page``), Turtle, JSON-LD or N-Triples for machines (``resource_rdf``), chosen by
  the ``Accept`` header or ``?format=ttl|jsonld|nt|html``; 404 for an IRI the graph does not know.
- ``GET /.well-known/void`` → ``void_response(store, accept, base_url=…)`` (Turtle by default).
- ``GET /ontology`` → ``ontology_response(accept)``: the documentation page, or the Turtle file.
- ``GET /ontology/context.jsonld`` → ``context_response()``.

Every text from the graph is HTML-escaped; links to our own resources are local ``/id/…``
paths, links elsewhere only http(s) IRIs. Pages carry no script.

>>> negotiate("text/turtle;q=0.9, text/html;q=0.8")
'ttl'
>>> negotiate(None)
'html'
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote

import pyoxigraph as ox

from . import iris
from .jsonld import context, to_jsonld
from .ontology_doc import ontology_html
from .paths import ONTOLOGY_DIR
from .query import PREFIXES
from .vocab import PK, RDF, RDFS, SKOS

Response = tuple[int, dict[str, str], bytes]

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
_ACCEPTED = {
    "text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl", "application/x-turtle": "ttl",
    "application/ld+json": "jsonld", "application/json": "jsonld", "application/n-triples": "nt", "text/plain": "nt",
}
_PAGE_PREFIXES = {**PREFIXES, "eli": "http://data.europa.eu/eli/ontology#", "qb": "http://purl.org/linked-data/cube#",
                  "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
                  "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
                  "wdt": "http://www.wikidata.org/prop/direct/", "wd": "http://www.wikidata.org/entity/",
                  "void": "http://rdfs.org/ns/void#", "dcat": "http://www.w3.org/ns/dcat#"}
_ROLE_CLASSES = {PK.leadAgency: "lead", PK.cooperatingAgency: "cooperating", PK.responsibleAgency: "responsible"}
INCOMING_LIMIT = 200


def negotiate(accept: str | None, default: str = "html") -> str:
    """The best of ``MEDIA_TYPES`` for an ``Accept`` header (q-values honoured; ``*/*`` → ``default``)."""
    best, best_q = default, -1.0
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        fmt = _ACCEPTED.get(media) or (default if media in ("*/*", "text/*", "application/*") else None)
        if fmt and q > 0 and q > best_q:  # the first listed wins a tie
            best, best_q = fmt, q
    return best


# ---- reading one resource ---------------------------------------------------------------


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The resource's own triples (each once, whatever graphs hold it), blank nodes followed."""
    out: dict[ox.Triple, None] = {}
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.quads_for_pattern(node, None, None, None):
            out.setdefault(ox.Triple(q.subject, q.predicate, q.object), None)
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    return sorted(out, key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))


def _incoming(store: ox.Store, iri: str) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    out: dict[tuple, None] = {}
    for q in store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
        if isinstance(q.subject, ox.NamedNode):
            out.setdefault((q.subject, q.predicate), None)
            if len(out) > INCOMING_LIMIT:
                break
    return list(out)


def _label(store: ox.Store, node) -> str | None:
    labels = {}
    for q in store.quads_for_pattern(node, ox.NamedNode(RDFS.label), None, None):
        labels.setdefault(q.object.language or "", q.object.value)
    return labels.get("zh") or labels.get("en") or next(iter(labels.values()), None)


def resource_rdf(store: ox.Store, iri: str, fmt: str) -> bytes:
    """The resource's description as Turtle (``ttl``), JSON-LD with the published context
    (``jsonld``) or N-Triples (``nt``)."""
    triples = describe(store, iri)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(triples), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "ttl":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PAGE_PREFIXES)
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    raise ValueError(f"unknown RDF format {fmt!r}")


# ---- the HTML page ----------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _curie(iri: str) -> str:
    for prefix, ns in sorted(_PAGE_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and prefix != "pkid":
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _href(iri: str) -> str | None:
    """A safe href: our resources as local paths, our terms in the ontology page, else http(s)."""
    local = iris.local_path(iri)
    if local is not None:
        return quote(local, safe="/%")
    if iri.startswith(str(PK)):
        return "/ontology#" + quote(iri[len(str(PK)):], safe="")
    return iri if iri.startswith(("http://", "https://")) else None


def _link(iri: str, text: str) -> str:
    href = _href(iri)
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def _value(store: ox.Store, term) -> str:
    if isinstance(term, ox.NamedNode):
        label = _label(store, term) if term.value.startswith(iris.ID) else None
        text = label or _curie(term.value)
        extra = f' <small class="iri">{_e(_curie(term.value) if not term.value.startswith(iris.ID) else iris.local_path(term.value))}</small>' if label else ""
        return _link(term.value, text) + extra
    if isinstance(term, ox.BlankNode):
        return f"<code>_:{_e(term.value)}</code>"
    tag = f' <small>@{_e(term.language)}</small>' if term.language else (
        "" if term.datatype.value.endswith("#string") else f" <small>{_e(_curie(term.datatype.value))}</small>")
    lang = f' lang="{_e(term.language)}"' if term.language else ""
    return f"<span{lang}>{_e(term.value)}</span>{tag}"


def _marked(text: str, marks: list[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with ``<mark>`` around each non-overlapping (start, end, class, title)."""
    out, pos = [], 0
    for start, end, cls, title in sorted(marks, key=lambda m: (m[0], -m[1])):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(_e(text[pos:start]))
        out.append(f'<mark class="{_e(cls)}" title="{_e(title)}">{_e(text[start:end])}</mark>')
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _one(triples: list[ox.Triple], predicate: str):
    return next((t.object for t in triples if t.predicate.value == predicate), None)


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _target_mark(store: ox.Store, target, base: int, text: str) -> tuple[int, int] | None:
    """Where a target's clause is inside a unit text starting at offset ``base``."""
    t = describe(store, target.value)
    clause = _one(t, PK.text)
    start, end = _int(_one(t, PK.sourceStart)), _int(_one(t, PK.sourceEnd))
    if clause is not None and start is not None and text[start - base : start - base + len(clause.value)] == clause.value:
        return start - base, start - base + len(clause.value)
    if start is not None and end is not None and 0 <= start - base < end - base <= len(text) and clause is None:
        return start - base, end - base
    found = text.find(clause.value) if clause is not None and clause.value else -1
    return (found, found + len(clause.value)) if found >= 0 else None


def _passage(store: ox.Store, iri: str, triples: list[ox.Triple]) -> str:
    """The source passage with targets and named agencies highlighted, or "" when there is none."""
    types = {t.object.value for t in triples if t.predicate.value == RDF.type}
    owner_triples, focus = triples, None
    if PK.Target in types:  # show the clause inside the text of the unit that states it
        owner = _one(triples, PK.statedBy)
        owner_triples = describe(store, owner.value) if owner is not None else []
        if _one(owner_triples, PK.text) is None:
            owner_triples, focus = triples, None
        else:
            focus = ox.NamedNode(iri)
    text_term = _one(owner_triples, PK.text)
    if text_term is None:
        return ""
    text, base = text_term.value, _int(_one(owner_triples, PK.sourceStart)) or 0
    marks: list[tuple[int, int, str, str]] = []
    targets = [focus] if focus is not None else [t.object for t in owner_triples if t.predicate.value == PK.hasTarget]
    if owner_triples is triples and PK.Target in types:  # a plan-level target: its own clause
        marks.append((0, len(text), "target", "target"))
    for target in targets:
        span = _target_mark(store, target, base, text)
        if span:
            marks.append((*span, "target", "target"))
    for t in owner_triples:
        role = _ROLE_CLASSES.get(t.predicate.value)
        if role is None:
            continue
        names = {q.object.value for p in (RDFS.label, SKOS.altLabel)
                 for q in store.quads_for_pattern(t.object, ox.NamedNode(p), None, None) if q.object.language == "zh"}
        for name in sorted(names, key=len, reverse=True):
            at = text.find(name)
            while at >= 0:
                marks.append((at, at + len(name), role, f"{role} agency"))
                at = text.find(name, at + len(name))
    start = _int(_one(owner_triples, PK.sourceStart))
    where = f"characters {start}–{_int(_one(owner_triples, PK.sourceEnd))} of the normalised text" if start is not None else ""
    source = _one(triples, "http://www.w3.org/ns/prov#wasDerivedFrom")
    origin = f" · {_link(source.value, _label(store, source) or source.value)}" if source is not None else ""
    return (f'<section><h2>Source passage 原文</h2><p class="where">{_e(where)}{origin}</p>'
            f'<blockquote class="passage">{_marked(text, marks)}</blockquote>'
            '<p class="legend"><mark class="target">target 目标</mark> <mark class="lead">lead 牵头</mark> '
            '<mark class="cooperating">cooperating 配合</mark> <mark class="responsible">responsible 责任</mark></p></section>')


_STYLE = """body{font:15px/1.55 system-ui,"Noto Sans CJK SC",sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.25rem .6rem;border-bottom:1px solid #eee}
th{white-space:nowrap;font-weight:600;width:14rem}small{color:#777}.iri{font-family:monospace}
blockquote.passage{white-space:pre-wrap;background:#fafafa;border-left:4px solid #999;padding:.6rem 1rem;margin:0}
mark.target{background:#ffe08a}mark.lead{background:#b9e4c9}mark.cooperating{background:#cfe3ff}mark.responsible{background:#f3d1f4}"""


def resource_page(store: ox.Store, iri: str) -> tuple[str, int]:
    """The HTML page of one resource and the HTTP status (404 when the graph does not know it)."""
    triples = describe(store, iri)
    incoming = _incoming(store, iri)
    if not triples and not incoming:
        body = f"<h1>Not found 未找到</h1><p>The knowledge graph has nothing about <code>{_e(iri)}</code>.</p>"
        return _document("Not found", body), 404
    label = _label(store, ox.NamedNode(iri)) or iri.rsplit("/", 1)[-1]
    types = [t.object for t in triples if t.predicate.value == RDF.type]
    rows = []
    for t in triples:
        if t.subject.value != iri:
            continue
        rows.append(f"<tr><th>{_link(t.predicate.value, _curie(t.predicate.value))}</th><td>{_value(store, t.object)}</td></tr>")
    back = "".join(f"<tr><th>{_value(store, s)}</th><td>{_link(p.value, _curie(p.value))}</td></tr>" for s, p in incoming)
    more = f"<p><small>first {INCOMING_LIMIT} shown</small></p>" if len(incoming) > INCOMING_LIMIT else ""
    local = iris.local_path(iri) or ""
    alternates = " · ".join(f'<a href="{_e(quote(local, safe="/%"))}?format={fmt}" type="{_e(MEDIA_TYPES[fmt].split(";")[0])}">{name}</a>'
                            for fmt, name in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples")))
    body = (f"<h1>{_e(label)}</h1><p><code>{_e(iri)}</code><br>"
            + " ".join(_value(store, t) for t in types)
            + f"</p><p><small>{alternates}</small></p>"
            + _passage(store, iri, triples)
            + f"<section><h2>Properties 属性</h2><table>{''.join(rows)}</table></section>"
            + (f"<section><h2>Referenced by 被引用</h2><table>{back}</table>{more}</section>" if back else ""))
    head = "".join(f'<link rel="alternate" type="{_e(MEDIA_TYPES[f].split(";")[0])}" href="{_e(quote(local, safe="/%"))}?format={f}">'
                   for f in ("ttl", "jsonld", "nt"))
    return _document(label, body, head), 200


def _document(title: str, body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            f"<title>{_e(title)} · policykg</title>{head}<style>{_STYLE}</style></head><body>"
            f'<nav><a href="/">policykg</a> · <a href="/ontology">ontology</a> · <a href="/.well-known/void">dataset</a></nav>'
            f"{body}</body></html>")


# ---- routes as functions -------------------------------------------------------------------


def _headers(fmt: str) -> dict[str, str]:
    return {"content-type": MEDIA_TYPES[fmt], "vary": "Accept"}


def dereference(store: ox.Store, raw_path: str, accept: str | None, *, fmt: str | None = None) -> Response:
    """``GET /id/...``: the resource named by ``raw_path`` (pass the raw, percent-encoded path),
    in the format ``fmt`` (from ``?format=``) or negotiated from ``accept``."""
    iri = iris.iri_for_path(raw_path)
    chosen = fmt if fmt in MEDIA_TYPES else negotiate(accept)
    if iri is None:
        return 404, _headers("html"), _document("Not found", "<h1>Not found</h1>").encode("utf-8")
    if chosen == "html":
        page, status = resource_page(store, iri)
        return status, _headers("html"), page.encode("utf-8")
    body = resource_rdf(store, iri, chosen)
    status = 200 if describe(store, iri) or _incoming(store, iri) else 404
    return status, _headers(chosen), body


def void_response(store: ox.Store, accept: str | None, *, base_url: str) -> Response:
    """``GET /.well-known/void``: the DCAT + VoID description (Turtle unless JSON-LD or
    N-Triples is asked for; a browser gets Turtle as text)."""
    from .void import void_description

    fmt = negotiate(accept, default="ttl")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in void_description(store, base_url=base_url)]
    if fmt == "jsonld":
        return 200, _headers("jsonld"), json.dumps(to_jsonld(triples), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "nt":
        return 200, _headers("nt"), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return 200, _headers("ttl"), ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_PAGE_PREFIXES)


def ontology_response(accept: str | None) -> Response:
    """``GET /ontology``: the documentation page, or ``ontology/policykg.ttl`` for Turtle clients."""
    if negotiate(accept) == "ttl":
        return 200, _headers("ttl"), (ONTOLOGY_DIR / "policykg.ttl").read_bytes()
    return 200, _headers("html"), ontology_html().encode("utf-8")


def context_response() -> Response:
    """``GET /ontology/context.jsonld``: the published JSON-LD context."""
    return 200, {"content-type": "application/ld+json"}, json.dumps({"@context": context()}, ensure_ascii=False, indent=2).encode("utf-8")
