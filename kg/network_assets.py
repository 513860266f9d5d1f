"""The network page's own CSS and JavaScript (controls, legend, filters, search, info panel).

Kept as Python strings so they ship inside the package with no package-data setup. The
script runs after pyvis's ``drawGraph()`` and works on its globals ``network``, ``nodes``
and ``edges``. Every text from a document reaches the DOM through ``textContent``,
``new Option(text)`` or vis-network's plain-text tooltips, never through ``innerHTML``.

>>> "innerHTML" in PAGE_JS
False
"""

from __future__ import annotations

PAGE_CSS = """
body { margin: 0; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 13px; }
.card { border: 0 !important; }
#pk-bar { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; padding: 6px 10px; background: #f4f4f1; border-bottom: 1px solid #ddd; }
#pk-bar label { white-space: nowrap; }
#pk-bar select, #pk-bar input[type=search] { font: inherit; max-width: 22em; }
#pk-counts { margin-left: auto; color: #444; }
#mynetwork { float: none !important; border: 0 !important; }
#pk-side { position: absolute; right: 10px; top: 64px; width: 230px; max-height: 75vh; font-size: 12px; overflow: auto; background: rgba(255,255,255,0.93); border: 1px solid #ccc; border-radius: 4px; padding: 6px 8px; z-index: 5; }
#pk-side h3 { font-size: 13px; margin: 6px 0 3px; }
#pk-side ul { list-style: none; margin: 0; padding: 0; }
#pk-side li { margin: 1px 0; }
.pk-swatch { display: inline-block; width: 11px; height: 11px; margin-right: 5px; vertical-align: -1px; border: 1px solid #555; }
.pk-line { display: inline-block; width: 26px; margin-right: 5px; vertical-align: 3px; border-top: 2px solid; }
#pk-info:empty { display: none; }
#pk-info { border-bottom: 1px solid #ccc; margin-bottom: 6px; padding-bottom: 4px; }
#pk-side summary { cursor: pointer; font-weight: bold; }
#pk-info a { display: block; margin-top: 3px; }
div.vis-tooltip { white-space: pre-line; font-family: inherit; }
"""

PAGE_BAR = """
<div id="pk-bar">
  <label>地区 Region <select id="pk-region"><option value="">全部 all</option></select></label>
  <span>角色 Role
    <label><input type="checkbox" class="pk-role" value="lead" checked>牵头 lead</label>
    <label><input type="checkbox" class="pk-role" value="cooperate" checked>配合 cooperate</label>
    <label><input type="checkbox" class="pk-role" value="responsible" checked>责任 responsible</label>
  </span>
  <label>行动 Action <select id="pk-action"><option value="">全部 all</option></select></label>
  <label>人群/关键词 Target group <input type="search" id="pk-group" placeholder="青少年, 农民 …"></label>
  <label>搜索 Search <input type="search" id="pk-search" placeholder="科协 / kexie / CAST"></label>
  <span id="pk-search-count"></span>
  <span id="pk-counts"></span>
</div>
<div id="pk-side"><div id="pk-info"></div><details id="pk-legend-box" open><summary>图例 Legend</summary><div id="pk-legend"></div></details></div>
"""

PAGE_JS = r"""
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("pk-data").textContent);
  const MASTER = new Map(nodes.get().map(function (n) { return [n.id, n]; }));
  const $ = function (id) { return document.getElementById(id); };
  const el = function (tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };
  window.pkTimings = { script: performance.now() };

  // ---- controls -------------------------------------------------------------------
  D.regions.forEach(function (r) { $("pk-region").add(new Option(r.name + " " + r.code, r.code)); });
  const groups = new Map();
  D.actions.forEach(function (a, i) {
    const plan = a.plan || "—";
    if (!groups.has(plan)) { const g = document.createElement("optgroup"); g.label = plan; groups.set(plan, g); $("pk-action").add(g); }
    groups.get(plan).appendChild(new Option(a.label, String(i)));
  });

  function legend() {
    const box = $("pk-legend");
    box.textContent = "";
    box.appendChild(el("h3", D.level === "type" ? "机构类型 Agency types" : "颜色 = 机构类型 Colour = type"));
    const ul = el("ul");
    D.types.forEach(function (t) {
      const li = el("li"), sw = el("span", undefined, "pk-swatch");
      sw.style.background = t.color;
      li.appendChild(sw); li.appendChild(document.createTextNode(t.zh + " " + t.en));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (D.level === "agency") {
      box.appendChild(el("h3", "形状/边框 = 地区 Shape/border = region"));
      const ur = el("ul");
      D.regions.forEach(function (r) {
        const li = el("li"), sw = el("span", r.symbol + " ");
        sw.style.color = r.border;
        li.appendChild(sw); li.appendChild(document.createTextNode(r.name + " " + r.code));
        ur.appendChild(li);
      });
      box.appendChild(ur);
      box.appendChild(el("h3", "大小 = 牵头单元数 Size = units led"));
    }
    box.appendChild(el("h3", "连线 Links"));
    const ue = el("ul");
    Object.keys(D.edgeStyles).forEach(function (k) {
      const s = D.edgeStyles[k], li = el("li"), line = el("span", undefined, "pk-line");
      line.style.borderTopColor = s.color;
      li.appendChild(line); li.appendChild(document.createTextNode((s.arrows ? "→ " : "") + s.legend));
      ue.appendChild(li);
    });
    box.appendChild(ue);
  }

  // ---- the projection, the same as kg.network.project ------------------------------
  function filtered() {
    const region = $("pk-region").value;
    const roles = Array.from(document.querySelectorAll(".pk-role:checked")).map(function (c) { return c.value; });
    const action = $("pk-action").value;
    const group = $("pk-group").value.trim().toLowerCase();
    const keep = function (a) { return !region || D.agencies[a].region === region; };
    const units = D.units.filter(function (u) {
      if (action !== "" && u.a !== Number(action)) return false;
      if (group) {
        const a = D.actions[u.a];
        if ((a.label + " " + a.plan).toLowerCase().indexOf(group) < 0) return false;
      }
      return true;
    }).map(function (u) {
      return { id: u.id, lead: u.lead.filter(keep), cooperate: u.cooperate.filter(keep),
               responsible: u.responsible.filter(keep) };
    });
    return { units: units, roles: roles };
  }

  function agencyView(sel) {
    const shown = new Set(), weights = new Map();
    const lead = sel.roles.indexOf("lead") >= 0, coop = sel.roles.indexOf("cooperate") >= 0;
    sel.units.forEach(function (u) {
      sel.roles.forEach(function (r) { u[r].forEach(function (a) { shown.add(D.agencies[a].iri); }); });
      if (!lead) return;
      const pairs = new Set(), ls = u.lead.map(function (a) { return D.agencies[a].iri; }).sort();
      for (let i = 0; i < ls.length; i++) for (let j = i + 1; j < ls.length; j++) pairs.add("co-lead|" + ls[i] + "|" + ls[j]);
      if (coop) u.cooperate.forEach(function (c) {
        const ci = D.agencies[c].iri;
        ls.forEach(function (l) { if (l !== ci) pairs.add("lead-cooperate|" + l + "|" + ci); });
      });
      pairs.forEach(function (p) { weights.set(p, (weights.get(p) || 0) + 1); });
    });
    // Co-lead links last so they are drawn over the lead → cooperate ones, as in Python.
    const co = function (kw) { return kw[0].indexOf("co-lead|") === 0 ? 1 : 0; };
    const order = Array.from(weights).sort(function (x, y) { return co(x) - co(y); });
    return { shown: shown, edges: order.map(function (kw) {
      const parts = kw[0].split("|"), style = D.edgeStyles[parts[0]];
      return { from: parts[1], to: parts[2], kind: parts[0], value: kw[1], color: style.color,
               arrows: style.arrows, title: style.legend + " ×" + kw[1] };
    }) };
  }

  function typeView(sel) {
    const shown = new Set(), units = new Map(), regions = new Map();
    const lead = sel.roles.indexOf("lead") >= 0;
    sel.units.forEach(function (u) {
      sel.roles.forEach(function (r) { u[r].forEach(function (a) { if (D.agencies[a].type) shown.add(D.agencies[a].type); }); });
      if (!lead) return;
      const byType = new Map();
      u.lead.forEach(function (a) {
        const t = D.agencies[a].type;
        if (!t) return;
        if (!byType.has(t)) byType.set(t, new Set());
        byType.get(t).add(D.agencies[a].region);
      });
      const ts = Array.from(byType.keys()).sort();
      for (let i = 0; i < ts.length; i++) for (let j = i + 1; j < ts.length; j++) {
        const k = "co-lead|" + ts[i] + "|" + ts[j];
        if (!units.has(k)) { units.set(k, new Set()); regions.set(k, new Set()); }
        units.get(k).add(u.id);
        byType.get(ts[i]).forEach(function (r) { regions.get(k).add(r); });
        byType.get(ts[j]).forEach(function (r) { regions.get(k).add(r); });
      }
    });
    const style = D.edgeStyles["co-lead"];
    return { shown: shown, edges: Array.from(units, function (kv) {
      const parts = kv[0].split("|"), n = kv[1].size, nr = regions.get(kv[0]).size;
      return { from: parts[1], to: parts[2], kind: "co-lead", value: n, color: style.color, arrows: "",
               title: style.legend + " ×" + n + " · " + nr + " 地区 regions" };
    }) };
  }

  function apply() {
    const view = (D.level === "type" ? typeView : agencyView)(filtered());
    const current = new Set(nodes.getIds());
    nodes.remove(Array.from(current).filter(function (id) { return !view.shown.has(id); }));
    nodes.add(Array.from(view.shown).filter(function (id) { return !current.has(id) && MASTER.has(id); })
      .map(function (id) { return MASTER.get(id); }));
    edges.clear();
    edges.add(view.edges);
    counts();
  }
  window.pkApply = apply;

  function counts() {
    $("pk-counts").textContent = nodes.length + (D.level === "type" ? " 类型 types · " : " 机构 agencies · ") + edges.length + " 连线 links";
  }

  // ---- search, hover, click --------------------------------------------------------
  const norm = function (s) { return (s || "").toLowerCase().replace(/[\s'’·-]+/g, ""); };
  $("pk-search").addEventListener("input", function () {
    const q = norm(this.value);
    if (!q) { network.unselectAll(); $("pk-search-count").textContent = ""; return; }
    const hits = nodes.getIds().filter(function (id) {
      const n = MASTER.get(id);
      return n.pkSearch.indexOf(q) >= 0;
    });
    network.selectNodes(hits);
    $("pk-search-count").textContent = hits.length + " 个匹配 matches";
    if (hits.length) network.fit({ nodes: hits, animation: false });
  });

  function pagePath(iri) { return iri.replace(/^https?:\/\/w3id\.org\/policykg/, ""); }
  function unitsQuery(iri) {
    return "PREFIX pk: <https://w3id.org/policykg/ontology#>\n" +
      "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
      "SELECT ?unit ?role ?text WHERE {\n  VALUES (?p ?role) { (pk:leadAgency \"lead\") (pk:cooperatingAgency \"cooperate\") (pk:responsibleAgency \"responsible\") }\n" +
      "  ?unit ?p <" + iri + "> .\n  OPTIONAL { ?unit pk:text ?text }\n} ORDER BY ?unit";
  }
  network.on("click", function (p) {
    const info = $("pk-info");
    info.textContent = "";
    if (!p.nodes.length) return;
    const n = MASTER.get(p.nodes[0]);
    info.appendChild(el("h3", n.pkName));
    n.pkLines.forEach(function (line) { info.appendChild(el("div", line)); });
    if (D.level === "agency") {
      const page = el("a", "机构页面 Agency page");
      page.href = pagePath(n.id);
      page.id = "pk-agency-link";
      const q = el("a", "SPARQL: 它的单元 its units");
      q.href = "/sparql?query=" + encodeURIComponent(unitsQuery(n.id));
      q.id = "pk-units-link";
      info.appendChild(page); info.appendChild(q);
    }
  });
  network.on("doubleClick", function (p) {
    if (D.level === "agency" && p.nodes.length) window.location.href = pagePath(p.nodes[0]);
  });

  ["pk-region", "pk-action"].forEach(function (id) { $(id).addEventListener("change", apply); });
  $("pk-group").addEventListener("input", apply);
  document.querySelectorAll(".pk-role").forEach(function (c) { c.addEventListener("change", apply); });
  legend();
  counts();
  // vis-network may already have drawn inside its constructor; draw once more, synchronously,
  // so "drawn" marks a complete frame with the controls in place (read by tests and bench/).
  network.once("afterDrawing", function () { window.pkTimings.drawn = performance.now(); });
  network.redraw();
})();
"""
