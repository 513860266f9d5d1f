"""The agency network (``kg network``, ``kg export --format graphml|gexf``, ``/network``).

Who works with whom: read the roles (牵头 lead, 配合 cooperate, 责任 responsible) from the
store with SPARQL into a ``NetworkData``, then project it onto a networkx graph:

- agency level: a node per agency holding a role in some unit; edges ``co-lead`` (both
  lead one unit, undirected, stored once with the smaller IRI first) and
  ``lead-cooperate`` (lead → cooperating agency), weighted by the number of units.
- type level: a node per agency type; ``co-lead`` edges weighted by the units and the
  regions in which agencies of the two types lead the same unit.

The page (``kg.network_page``) embeds the same ``NetworkData`` and repeats ``project`` in
JavaScript for its filters; the browser tests check both against SPARQL counts.

>>> import pyoxigraph as ox
>>> data = load_network_data(ox.Store())
>>> g = network_graph(ox.Store())
>>> (len(data.agencies), g.number_of_nodes())
(0, 0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox

from .errors import KgError
from .query import execute
from .store import open_read_only

LEVELS = ("agency", "type")
ROLES = ("lead", "cooperate", "responsible")
EDGE_KINDS = ("co-lead", "lead-cooperate")
EXPORT_FORMATS = ("graphml", "gexf")


@dataclass(frozen=True)
class AgencyInfo:
    """One agency as the network shows it; empty strings where the store says nothing."""

    iri: str
    zh: str
    en: str = ""
    pinyin: str = ""
    full_name: str = ""
    region_code: str = ""
    region_name: str = ""
    type_slug: str = ""
    type_zh: str = ""
    type_en: str = ""


@dataclass(frozen=True)
class Unit:
    """An Action or Measure with its agencies by role; ``action`` is its top-level Action."""

    iri: str
    action: str
    lead: frozenset[str] = frozenset()
    cooperate: frozenset[str] = frozenset()
    responsible: frozenset[str] = frozenset()


@dataclass
class NetworkData:
    agencies: dict[str, AgencyInfo] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)  # action IRI → short label
    action_plan: dict[str, str] = field(default_factory=dict)  # action IRI → plan title


_ROLES_QUERY = """
SELECT DISTINCT ?unit ?role ?agency ?action WHERE {
  VALUES (?p ?role) { (pk:leadAgency "lead") (pk:cooperatingAgency "cooperate") (pk:responsibleAgency "responsible") }
  ?unit ?p ?agency .
  OPTIONAL { ?parent pk:hasMeasure ?unit }
  BIND(COALESCE(?parent, ?unit) AS ?action)
}"""

_AGENCIES_QUERY = """
SELECT ?agency (MIN(?zh0) AS ?zh) (MIN(?en0) AS ?en) (MIN(?py0) AS ?py) (MIN(?full0) AS ?full)
       (MIN(?code0) AS ?code) (MIN(?rname0) AS ?rname) (MIN(?slug0) AS ?slug)
       (MIN(?tzh0) AS ?tzh) (MIN(?ten0) AS ?ten)
WHERE {
  { SELECT DISTINCT ?agency WHERE { ?u pk:leadAgency|pk:cooperatingAgency|pk:responsibleAgency ?agency } }
  OPTIONAL { ?agency rdfs:label ?zh0 FILTER(langMatches(lang(?zh0), "zh") && !CONTAINS(LCASE(lang(?zh0)), "latn")) }
  OPTIONAL { ?agency rdfs:label|skos:prefLabel|skos:altLabel ?en0 FILTER(langMatches(lang(?en0), "en")) }
  OPTIONAL { ?agency rdfs:label|skos:altLabel ?py0 FILTER(CONTAINS(LCASE(lang(?py0)), "latn")) }
  OPTIONAL { ?agency pk:fullName ?full0 }
  OPTIONAL { ?agency pk:region ?r . OPTIONAL { ?r pk:adminCode ?code0 } OPTIONAL { ?r rdfs:label ?rname0 } }
  OPTIONAL { ?agency pk:agencyType ?t . OPTIONAL { ?t skos:notation ?slug0 }
             OPTIONAL { ?t skos:prefLabel ?tzh0 FILTER(langMatches(lang(?tzh0), "zh")) }
             OPTIONAL { ?t skos:prefLabel ?ten0 FILTER(langMatches(lang(?ten0), "en")) } }
}
GROUP BY ?agency"""

_ACTIONS_QUERY = """
SELECT ?action (MIN(?l0) AS ?label) (MIN(?t0) AS ?text) (MIN(?pt0) AS ?plan) WHERE {
  { SELECT DISTINCT ?action WHERE { { ?action a pk:Action } UNION { ?plan0 pk:hasAction ?action } } }
  OPTIONAL { ?action rdfs:label ?l0 }
  OPTIONAL { ?action pk:text ?t0 }
  OPTIONAL { ?p pk:hasAction ?action . OPTIONAL { ?p dcterms:title ?pt0 } }
}
GROUP BY ?action"""


def _value(term: object) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else ""


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pinyin(name: str) -> str:
    """Pinyin for search when the store has none: ``科协`` → ``kexie``."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name))


def load_network_data(store: ox.Store, *, regions: Iterable[str] = ()) -> NetworkData:
    """Read agencies, units and roles from ``store`` (union of the document graphs).

    ``regions`` (GB/T 2260 codes) keeps only agencies of those regions; units keep the
    roles of the agencies that remain. An agency that is lead (or cooperating) and also
    responsible for a unit counts as lead (or cooperating) only: pk:responsibleAgency is
    their super-property.
    """
    wanted = set(regions)
    data = NetworkData()
    for row in execute(store, _AGENCIES_QUERY):
        iri = _value(row["agency"])
        code = _value(row["code"])
        if wanted and code not in wanted:
            continue
        zh = _value(row["zh"]) or iri.rsplit("/", 1)[-1]
        data.agencies[iri] = AgencyInfo(
            iri=iri, zh=zh, en=_value(row["en"]), pinyin=_value(row["py"]) or _pinyin(zh),
            full_name=_value(row["full"]), region_code=code, region_name=_value(row["rname"]),
            type_slug=_value(row["slug"]), type_zh=_value(row["tzh"]), type_en=_value(row["ten"]),
        )
    roles: dict[tuple[str, str], dict[str, set[str]]] = {}
    for row in execute(store, _ROLES_QUERY):
        agency = _value(row["agency"])
        if agency not in data.agencies:
            continue
        key = (_value(row["unit"]), _value(row["action"]))
        roles.setdefault(key, {r: set() for r in ROLES})[_value(row["role"])].add(agency)
    for (unit, action), by_role in sorted(roles.items()):
        # Lead and cooperate are kept as stated (a document may name one agency in both lists);
        # responsible is their super-property, so it only counts where neither is asserted.
        lead, coop = by_role["lead"], by_role["cooperate"]
        data.units.append(Unit(unit, action, frozenset(lead), frozenset(coop),
                               frozenset(by_role["responsible"] - lead - coop)))
    used = {u.action for u in data.units}
    for row in execute(store, _ACTIONS_QUERY):
        action = _value(row["action"])
        if action in used:
            data.actions[action] = _short(_value(row["label"]) or _value(row["text"]) or action)
            data.action_plan[action] = _short(_value(row["plan"]), 40)
    for action in used - data.actions.keys():
        data.actions[action] = action.rsplit("/", 2)[-2] if "/" in action else action
        data.action_plan[action] = ""
    return data


def project(data: NetworkData, *, level: str = "agency", roles: Sequence[str] = ROLES,
            actions: Iterable[str] | None = None) -> nx.MultiDiGraph | nx.Graph:
    """The network of ``data`` restricted to ``roles`` and (when given) to units of ``actions``.

    Raises ``KgError`` for an unknown level or role.
    """
    if level not in LEVELS:
        raise KgError(f"unknown network level {level!r}; choose one of {', '.join(LEVELS)}")
    if bad := set(roles) - set(ROLES):
        raise KgError(f"unknown role(s) {', '.join(sorted(bad))}; choose from {', '.join(ROLES)}")
    keep = None if actions is None else set(actions)
    units = [u for u in data.units if keep is None or u.action in keep]
    return _agency_graph(data, units, set(roles)) if level == "agency" else _type_graph(data, units, set(roles))


def _held(unit: Unit, roles: set[str]) -> set[str]:
    return set().union(*(getattr(unit, r) for r in roles)) if roles else set()


def _agency_graph(data: NetworkData, units: list[Unit], roles: set[str]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(level="agency")
    counts: dict[str, dict[str, int]] = {}
    for unit in units:
        for role in roles:
            for a in getattr(unit, role):
                counts.setdefault(a, dict.fromkeys(ROLES, 0))[role] += 1
    for iri in sorted(counts):
        info = data.agencies[iri]
        g.add_node(iri, label=info.zh, label_en=info.en, pinyin=info.pinyin, full_name=info.full_name,
                   region_code=info.region_code, region_name=info.region_name, type=info.type_slug,
                   type_zh=info.type_zh, type_en=info.type_en, led=counts[iri]["lead"],
                   cooperated=counts[iri]["cooperate"], responsible=counts[iri]["responsible"])
    weights: dict[tuple[str, str, str], int] = {}
    for unit in units:
        pairs: set[tuple[str, str, str]] = set()
        if "lead" in roles:
            lead = sorted(unit.lead)
            pairs.update((a, b, "co-lead") for i, a in enumerate(lead) for b in lead[i + 1:])
            if "cooperate" in roles:
                pairs.update((a, b, "lead-cooperate") for a in lead for b in unit.cooperate if a != b)
        for pair in pairs:
            weights[pair] = weights.get(pair, 0) + 1
    for (a, b, kind), w in sorted(weights.items()):
        g.add_edge(a, b, key=kind, kind=kind, weight=w, directed=kind != "co-lead")
    return g


def _type_graph(data: NetworkData, units: list[Unit], roles: set[str]) -> nx.Graph:
    g = nx.Graph(level="type")
    members: dict[str, set[str]] = {}
    led: dict[str, set[str]] = {}
    for unit in units:
        for a in _held(unit, roles):
            slug = data.agencies[a].type_slug
            if slug:
                members.setdefault(slug, set()).add(a)
                if a in unit.lead and "lead" in roles:
                    led.setdefault(slug, set()).add(unit.iri)
    for slug in sorted(members):
        info = data.agencies[min(members[slug])]
        g.add_node(slug, label=info.type_zh or slug, label_en=info.type_en, agencies=len(members[slug]),
                   regions=len({data.agencies[a].region_code for a in members[slug]}),
                   led=len(led.get(slug, ())))
    pair_units: dict[tuple[str, str], set[str]] = {}
    pair_regions: dict[tuple[str, str], set[str]] = {}
    for unit in units if "lead" in roles else ():
        by_type: dict[str, set[str]] = {}
        for a in unit.lead:
            if slug := data.agencies[a].type_slug:
                by_type.setdefault(slug, set()).add(data.agencies[a].region_code)
        types = sorted(by_type)
        for i, s in enumerate(types):
            for t in types[i + 1:]:
                pair_units.setdefault((s, t), set()).add(unit.iri)
                pair_regions.setdefault((s, t), set()).update(by_type[s] | by_type[t])
    for (s, t), us in sorted(pair_units.items()):
        g.add_edge(s, t, kind="co-lead", weight=len(us), units=len(us), regions=len(pair_regions[(s, t)]))
    return g


def network_graph(store: ox.Store, *, level: str = "agency", regions: Iterable[str] = ()) -> nx.MultiDiGraph | nx.Graph:
    """The agency network of ``store`` at ``level`` ("agency" or "type"), optionally
    limited to agencies of ``regions`` (GB/T 2260 codes). See ``load_network_data``."""
    return project(load_network_data(store, regions=regions), level=level)


def layout(graph: nx.Graph, *, seed: int = 7, spacing: float = 110.0) -> dict[str, tuple[float, float]]:
    """Positions in screen units: each connected component laid out with a seeded
    Fruchterman–Reingold (numpy), components packed in rows, biggest first, so a
    thousand isolated agencies do not pile up in the middle of one big circle.

    >>> pos = layout(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout(nx.path_graph(["a", "b", "c"]))
    True
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for comp in comps:
        n = len(comp)
        if n == 1:
            local = {comp[0]: np.zeros(2)}
        elif n <= 2000:
            local = nx.spring_layout(simple.subgraph(comp), seed=seed, iterations=60 if n < 500 else 30)
        else:  # dense FR is O(n²) memory; a big component gets a circle rather than a crash
            local = nx.circular_layout(simple.subgraph(comp))
        radius = 0.6 * spacing * math.sqrt(n) if n > 1 else 0.0
        boxes.append((comp, {v: np.asarray(p) * radius for v, p in local.items()}, 2 * radius + spacing))
    total = sum(size * size for _, _, size in boxes)
    row_width = max(math.sqrt(total) * 1.3, boxes[0][2]) if boxes else 0.0
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, local, size in boxes:
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v in comp:
            px, py = local[v]
            pos[v] = (round(float(x + size / 2 + px), 1), round(float(y + size / 2 + py), 1))
        x += size
        row_height = max(row_height, size)
    return pos


def export_network(store_path: Path, fmt: str, out: Path, *, level: str = "agency",
                   regions: Iterable[str] = ()) -> int:
    """Write the network as GraphML or GEXF (for Gephi, Cytoscape) with the node and edge
    attributes of ``network_graph`` plus x/y; returns nodes + edges written.

    Raises ``KgError`` for an unknown format or an unwritable file.
    """
    if fmt not in EXPORT_FORMATS:
        raise KgError(f"unknown network format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    graph = network_graph(open_read_only(store_path), level=level, regions=regions)
    for v, (x, y) in layout(graph).items():
        graph.nodes[v].update(x=x, y=y)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "graphml":
            nx.write_graphml(graph, tmp, named_key_ids=True)
        else:
            nx.write_gexf(graph, tmp)
        tmp.replace(out)
    except OSError as exc:
        raise KgError(f"{out}: cannot write ({exc.strerror})") from exc
    return graph.number_of_nodes() + graph.number_of_edges()


def write_network_page(store_path: Path, out_path: Path, *, level: str = "agency",
                       regions: Iterable[str] = ()) -> Path:
    """Write the self-contained network page for ``kg network``; returns its path."""
    from .network_page import network_page_html

    html = network_page_html(store_path, level=level, regions=regions)
    out_path = Path(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise KgError(f"{out_path}: cannot write ({exc.strerror})") from exc
    return out_path
