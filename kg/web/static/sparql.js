// The policykg query page: YASGUI (served from node_modules, never a CDN) wired to this
// server, with one-click examples, downloads, a share link, code snippets and a bar chart.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("kg-config").textContent);
  const endpoint = window.location.origin + "/sparql";
  const prefixes = config.prefixes;

  // Declare the prefixes a query uses (the server pre-declares them too) so the editor
  // does not flag them and a copied query runs anywhere.
  function withPrefixes(query) {
    const declared = new Set();
    query.replace(/PREFIX\s+([\w-]*):/gi, (m, p) => declared.add(p));
    const body = query.replace(/<[^>\s]*>|"[^"\n]*"|#[^\n]*/g, " ");
    const lines = Object.keys(prefixes)
      .filter((p) => !declared.has(p) && new RegExp("(^|[^\\w:?$])" + p + ":", "m").test(body))
      .map((p) => "PREFIX " + p + ": <" + prefixes[p] + ">");
    return lines.length ? lines.join("\n") + "\n" + query : query;
  }

  // Autocompletion of pk: terms from our own ontology, not from an online vocabulary service.
  let terms = { classes: [], properties: [] };
  const termsReady = fetch("/ontology/terms.json").then((r) => r.json()).then((t) => { terms = t; });
  const Yasqe = Yasgui.Yasqe;
  Yasqe.forkAutocompleter("class", { name: "pk-class", bulk: true, persistenceId: null,
    get: () => termsReady.then(() => terms.classes) }, false);
  Yasqe.forkAutocompleter("property", { name: "pk-property", bulk: true, persistenceId: null,
    get: () => termsReady.then(() => terms.properties) }, false);
  Yasqe.defaults.autocompleters = ["prefixes", "variables", "pk-class", "pk-property"];

  const first = config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST",
      acceptHeaderSelect: "application/sparql-results+json", acceptHeaderGraph: "text/turtle" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    populateFromUrl: false,
    persistenceId: null,
    yasqe: { value: withPrefixes(config.query || first) },
  });

  function tab() { return yasgui.getTab(); }
  function currentQuery() { return tab().getYasqe().getValue(); }

  function runExample(name) {
    const example = config.examples.find((e) => e.name === name);
    if (!example) return;
    tab().setQuery(withPrefixes(example.query));
    tab().query();
  }
  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => runExample(button.dataset.name));
  });

  function queryUrl(query, format) {
    const params = new URLSearchParams({ query: query });
    if (format) params.set("format", format);
    return "/sparql?" + params.toString();
  }
  function shellQuote(text) { return "'" + text.replace(/'/g, "'\\''") + "'"; }

  function updateTools() {
    const query = currentQuery();
    document.getElementById("share-link").href = queryUrl(query);
    for (const format of ["csv", "tsv", "json"]) {
      const link = document.getElementById("download-" + format);
      link.href = queryUrl(query, format);
      link.setAttribute("download", "query-results." + format);
    }
    document.getElementById("python-snippet").textContent = [
      "from SPARQLWrapper import SPARQLWrapper, JSON",
      "",
      "sparql = SPARQLWrapper(" + JSON.stringify(endpoint) + ")",
      "sparql.setQuery(\"\"\"" + query.replace(/\\/g, "\\\\").replace(/"""/g, '\\"\\"\\"') + "\"\"\")",
      "sparql.setReturnFormat(JSON)",
      "for row in sparql.queryAndConvert()[\"results\"][\"bindings\"]:",
      "    print({k: v[\"value\"] for k, v in row.items()})",
    ].join("\n");
    document.getElementById("curl-snippet").textContent =
      "curl -H 'Accept: text/csv' --data-urlencode query=" + shellQuote(query) + " " + endpoint;
  }

  // A bar chart when the result is one label column and one numeric column.
  function drawChart() {
    const box = document.getElementById("chart");
    const svg = document.getElementById("chart-svg");
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    box.hidden = true;
    const results = tab().getYasr().results;
    const json = results && results.getAsJson && results.getAsJson();
    if (!json || !json.head || !json.results) return;
    const vars = json.head.vars || [];
    const rows = json.results.bindings || [];
    const isNumber = (b) => b && b.type === "literal" && b.value !== "" && !isNaN(Number(b.value));
    const numeric = vars.find((v) => rows.length && rows.every((r) => isNumber(r[v])));
    const label = vars.find((v) => v !== numeric && rows.some((r) => r[v] && r[v].type === "literal"))
      || vars.find((v) => v !== numeric);
    if (!numeric || !label || rows.length < 2) return;
    const shown = rows.slice(0, 30);
    const max = Math.max(...shown.map((r) => Number(r[numeric].value)), 1);
    const ns = "http://www.w3.org/2000/svg";
    const rowHeight = 18, labelWidth = 260, width = 720;
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(shown.length * rowHeight + 4));
    shown.forEach((r, i) => {
      const value = Number(r[numeric].value);
      const text = document.createElementNS(ns, "text");
      text.setAttribute("x", "0"); text.setAttribute("y", String(i * rowHeight + 13));
      text.textContent = (r[label] ? r[label].value : "").slice(0, 30);
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", String(labelWidth)); bar.setAttribute("y", String(i * rowHeight + 2));
      bar.setAttribute("height", String(rowHeight - 4));
      bar.setAttribute("width", String(Math.max(1, (width - labelWidth - 60) * value / max)));
      bar.setAttribute("class", "bar");
      const count = document.createElementNS(ns, "text");
      count.setAttribute("x", String(labelWidth + (width - labelWidth - 60) * value / max + 4));
      count.setAttribute("y", String(i * rowHeight + 13));
      count.textContent = String(value);
      svg.append(text, bar, count);
    });
    box.hidden = false;
  }

  yasgui.on("tabChange", updateTools);
  yasgui.on("tabSelect", () => setTimeout(updateTools, 0));
  // YASR takes the response after this event fires: draw on the next turn of the loop.
  yasgui.on("queryResponse", () => setTimeout(() => {
    updateTools();
    try { drawChart(); } finally {
      document.body.dataset.queries = String(Number(document.body.dataset.queries || 0) + 1);
    }
  }, 0));
  tab().getYasqe().on("change", updateTools);
  updateTools();
  if (config.query) tab().query();
  window.kgYasgui = yasgui;
})();
