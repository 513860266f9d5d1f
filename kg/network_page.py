"""The network page: one self-contained HTML file built with pyvis, working offline.

pyvis renders its own template (so the page keeps its globals ``network``, ``nodes`` and
``edges``) with vis-network inlined from the pyvis wheel's ``lib/`` folder; the bootstrap
links that template adds even in "in_line" mode are removed, and the result is checked to
load nothing from anywhere. The layout is computed in Python (``kg.network.layout``) and
physics is off, so the browser only draws.

Labels reach the page as JSON through Jinja's ``tojson`` (HTML-safe) or our own escaped
JSON block, and the DOM only through ``textContent``: a document that names an agency
``<script>…`` shows that text and runs nothing.

>>> html = page_from_data(NetworkData())
>>> "var network" in html and "<script src" not in html and "jsdelivr" not in html
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from pyvis.edge import Edge
from pyvis.network import Network

from .errors import KgError
from .network import ROLES, NetworkData, layout, load_network_data, project
from .network_assets import PAGE_BAR, PAGE_CSS, PAGE_JS
from .store import open_read_only

TYPE_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d",
                "#f1ce63", "#499894", "#fabfd2", "#d4a6c8")
UNTYPED = ("", "未分类", "untyped", "#d9d9d9")
REGION_SHAPES = (("dot", "●"), ("square", "■"), ("diamond", "◆"), ("triangle", "▲"),
                 ("triangleDown", "▼"), ("star", "★"), ("hexagon", "⬢"))
REGION_BORDERS = ("#222222", "#b2182b", "#2166ac", "#1b7837", "#762a83", "#e08214", "#35978f", "#8c510a")
# Colour and arrow, not dashes: dashed lines made the first frame 3-4x slower (bench/).
EDGE_STYLES = {
    "co-lead": {"legend": "共同牵头 co-lead", "color": "#1f3f7a", "arrows": ""},
    "lead-cooperate": {"legend": "牵头 → 配合 lead → cooperate", "color": "#e8a35f", "arrows": "to"},
}
OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "multiselect": True},
    "nodes": {"font": {"face": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif", "size": 13}, "borderWidth": 2},
    "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}, "color": {"inherit": False, "opacity": 0.8},
              "arrows": {"to": {"scaleFactor": 0.5}}},
}
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")

_EXTERNAL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=", re.I)


def network_page_html(store_path: Path, *, level: str = "agency", regions: Iterable[str] = ()) -> str:
    """The page for the store at ``store_path``: every agency (or agency type) holding a
    role in some unit, limited to ``regions`` (GB/T 2260 codes) when given.

    Raises ``StoreError`` when there is no store and ``KgError`` for an unknown level.
    """
    data = load_network_data(open_read_only(store_path), regions=regions)
    return page_from_data(data, level=level)


def _norm(text: str) -> str:
    # Same folding as the page's search box: lower case, no spaces, apostrophes or dashes.
    return re.sub(r"[\s'’·\-]+", "", text.lower())


def page_from_data(data: NetworkData, *, level: str = "agency") -> str:
    """Render ``data`` at ``level`` as the self-contained page (see the module doc)."""
    graph = project(data, level=level)
    pos = layout(graph)
    types = sorted({(a.type_slug, a.type_zh, a.type_en) for a in data.agencies.values() if a.type_slug})
    type_style = {slug: (zh or slug, en, TYPE_COLOURS[i % len(TYPE_COLOURS)]) for i, (slug, zh, en) in enumerate(types)}
    region_list = sorted({(a.region_code, a.region_name) for a in data.agencies.values()})
    region_style = {code: (REGION_SHAPES[i % len(REGION_SHAPES)], REGION_BORDERS[i % len(REGION_BORDERS)])
                    for i, (code, _) in enumerate(region_list)}

    net = Network(height="calc(100vh - 52px)", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.options = OPTIONS
    for node, attrs in graph.nodes(data=True):
        x, y = pos[node]
        if level == "agency":
            info = data.agencies[node]
            (shape, _), border = region_style[info.region_code]
            _, _, colour = type_style.get(info.type_slug, UNTYPED[1:])
            counts = f"牵头 lead {attrs['led']} · 配合 cooperate {attrs['cooperated']} · 责任 responsible {attrs['responsible']}"
            lines = [x for x in (info.full_name if info.full_name != info.zh else "", info.en, info.pinyin,
                                 f"{info.region_name} {info.region_code}".strip(),
                                 f"{info.type_zh} {info.type_en}".strip(), counts) if x]
            name, led = info.zh, attrs["led"]
            search = "|".join(_norm(s) for s in (info.zh, info.full_name, info.en, info.pinyin) if s)
        else:
            shape, border = "dot", "#222222"
            _, _, colour = type_style.get(node, UNTYPED[1:])
            lines = [attrs["label_en"], f"机构 agencies {attrs['agencies']} · 地区 regions {attrs['regions']}",
                     f"牵头单元 units led {attrs['led']}"]
            name, led = attrs["label"], attrs["led"]
            search = "|".join(_norm(s) for s in (attrs["label"], attrs["label_en"], node) if s)
        net.add_node(node, label=name, shape=shape, x=x, y=y, size=8 + 4 * led ** 0.5,
                     color={"background": colour, "border": border,
                            "highlight": {"background": colour, "border": "#000000"}},
                     title="\n".join([name, *lines]), pkName=name, pkLines=lines, pkSearch=search)
    # Co-lead links drawn last, over the (many more) lead → cooperate links.
    for u, v, attrs in sorted(graph.edges(data=True), key=lambda e: e[2]["kind"] == "co-lead"):
        kind, w = attrs["kind"], attrs["weight"]
        style = EDGE_STYLES[kind]
        title = f"{style['legend']} ×{w}" + (f" · {attrs['regions']} 地区 regions" if level == "type" else "")
        # Appended directly: pyvis's add_edge scans every node and edge per call (O(n·e)).
        net.edges.append(Edge(u, v, directed=False, kind=kind, value=w, title=title, color=style["color"],
                              arrows=style["arrows"]).options)

    index = {iri: i for i, iri in enumerate(data.agencies)}
    actions = sorted({u.action for u in data.units})
    action_index = {a: i for i, a in enumerate(actions)}
    page_data = {
        "level": level,
        "agencies": [{"iri": a.iri, "region": a.region_code, "type": a.type_slug} for a in data.agencies.values()],
        "units": [{"id": i, "a": action_index[u.action],
                   **{r: sorted(index[a] for a in getattr(u, r)) for r in ROLES}} for i, u in enumerate(data.units)],
        "actions": [{"label": data.actions.get(a, a), "plan": data.action_plan.get(a, "")} for a in actions],
        "regions": [{"code": code, "name": name, "symbol": region_style[code][0][1], "border": region_style[code][1]}
                    for code, name in region_list],
        "types": [{"slug": s, "zh": zh, "en": en, "color": c} for s, (zh, en, c) in type_style.items()]
                 + ([{"slug": "", "zh": UNTYPED[1], "en": UNTYPED[2], "color": UNTYPED[3]}]
                    if any(not a.type_slug for a in data.agencies.values()) and level == "agency" else []),
        "edgeStyles": {k: s for k, s in EDGE_STYLES.items() if level == "agency" or k == "co-lead"},
    }
    return _assemble(_render(net), page_data)


def _render(net: Network) -> str:
    # pyvis's generate_html, minus its rule that switches to innerHTML tooltips whenever a
    # title contains "href": titles here are document text and must stay plain text.
    nodes, edges, heading, height, width, options = net.get_network_data()
    template = net.templateEnv.get_template(net.path)
    return template.render(height=height, width=width, nodes=nodes, edges=edges, heading=heading, options=options,
                           physics_enabled=False, use_DOT=False, dot_lang="", widget=False, bgcolor=net.bgcolor,
                           conf=False, tooltip_link=False, neighborhood_highlight=False, select_menu=False,
                           filter_menu=False, notebook=False, cdn_resources="in_line")


def _json_for_html(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _assemble(html: str, page_data: dict) -> str:
    html = re.sub(r"<link[^>]*bootstrap[^>]*>", "", html, flags=re.S)
    html = re.sub(r"<script[^>]*bootstrap[^>]*>\s*</script>", "", html, flags=re.S)
    html = re.sub(r"<!--\s*<link.*?-->", "", html, flags=re.S)  # a commented-out local vis.css link
    html = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", html)
    head = (f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>policykg · agency network</title>\n<style>{PAGE_CSS}</style>\n")
    html = html.replace("<head>", "<head>\n" + head, 1)
    html = html.replace("<body>", "<body>\n" + PAGE_BAR, 1)
    tail = (f'<script type="application/json" id="pk-data">{_json_for_html(page_data)}</script>\n'
            f"<script>{PAGE_JS}</script>\n</body>")
    cut = html.rfind("</body>")
    html = html[:cut] + tail + html[cut + len("</body>"):]
    if found := _EXTERNAL.search(html):
        raise KgError(f"network page would load an external resource ({found.group(0)!r}); "
                      "the pyvis template changed: update kg/network_page.py")
    return html
