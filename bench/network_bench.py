"""Network page: build time in Python and load + first full draw in headless Chromium.

Synthetic stores follow the ontology contract: regions of 50 agencies, 20 agency types,
one Action per agency (1–3 leads, 0–6 cooperating agencies of its region) with one
Measure each: about 7–8 links per agency, like the bundled corpus (95 agencies, 750 links). For each size the table shows nodes/edges, page size, the Python side
(SPARQL + layout + render) and the browser side (navigation start → first complete frame
with the controls in place, median of ``--repeat`` loads). Not a test: numbers vary by machine.

    .venv/bin/python bench/network_bench.py [--sizes 100 1000 5000] [--repeat 3] [--screenshot PATH]

``--screenshot`` also builds the bundled corpus and saves its page (for the README).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import iris  # noqa: E402
from kg.network import load_network_data, project  # noqa: E402
from kg.network_page import page_from_data  # noqa: E402
from kg.query import PREFIXES  # noqa: E402
from kg.store import open_read_only, replace_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DRAWN = """() => new Promise(resolve => {
  const check = () => (window.pkTimings && window.pkTimings.drawn) ? resolve(window.pkTimings.drawn) : requestAnimationFrame(check);
  check();
})"""
PER_REGION, TYPES = 50, 20


def synthetic_quads(n_agencies: int, *, seed: int = 1) -> list[ox.Quad]:
    rng = random.Random(seed)
    pk = lambda t: ox.NamedNode(PREFIXES["pk"] + t)  # noqa: E731
    skos = lambda t: ox.NamedNode(PREFIXES["skos"] + t)  # noqa: E731
    a_type, label = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["rdfs"] + "label")
    vocab = ox.NamedNode(iris.VOCABULARY_GRAPH)
    quads = []
    for t in range(TYPES):
        ti = ox.NamedNode(iris.agency_type_iri(f"type-{t}"))
        quads += [ox.Quad(ti, skos("notation"), ox.Literal(f"type-{t}"), vocab),
                  ox.Quad(ti, skos("prefLabel"), ox.Literal(f"类型{t}", language="zh"), vocab),
                  ox.Quad(ti, skos("prefLabel"), ox.Literal(f"Type {t}", language="en"), vocab)]
    for r in range((n_agencies + PER_REGION - 1) // PER_REGION):
        code = f"{900000 + r * 100}"
        region = ox.NamedNode(iris.region_iri(code))
        quads += [ox.Quad(region, pk("adminCode"), ox.Literal(code), vocab),
                  ox.Quad(region, label, ox.Literal(f"地区{r}", language="zh"), vocab)]
        source = f"plan-{r}.txt"
        g, plan = ox.NamedNode(iris.graph_iri(source)), ox.NamedNode(iris.plan_iri(source))
        quads.append(ox.Quad(plan, a_type, pk("Plan"), g))
        count = min(PER_REGION, n_agencies - r * PER_REGION)
        agencies = [ox.NamedNode(iris.agency_iri(code, f"机构{r}-{i}")) for i in range(count)]
        for i, a in enumerate(agencies):
            quads += [ox.Quad(a, a_type, pk("Agency"), g), ox.Quad(a, label, ox.Literal(f"机构{r}-{i}", language="zh"), g),
                      ox.Quad(a, label, ox.Literal(f"Agency {r}-{i}", language="en"), g),
                      ox.Quad(a, pk("region"), region, g),
                      ox.Quad(a, pk("agencyType"), ox.NamedNode(iris.agency_type_iri(f"type-{rng.randrange(TYPES)}")), g)]
        for i in range(count):
            action = ox.NamedNode(iris.action_iri(source, i + 1))
            quads += [ox.Quad(plan, pk("hasAction"), action, g), ox.Quad(action, a_type, pk("Action"), g),
                      ox.Quad(action, label, ox.Literal(f"行动{i}", language="zh"), g)]
            units = [action]
            for j in (1,):
                measure = ox.NamedNode(iris.measure_iri(source, i + 1, j))
                quads.append(ox.Quad(action, pk("hasMeasure"), measure, g))
                units.append(measure)
            for k, unit in enumerate(units):
                leads = [agencies[i]] if k == 0 else rng.sample(agencies, rng.randint(1, min(3, count)))
                coop = rng.sample(agencies, rng.randint(0, min(6, count)))
                quads += [ox.Quad(unit, pk("leadAgency"), a, g) for a in leads]
                quads += [ox.Quad(unit, pk("cooperatingAgency"), a, g) for a in coop if a not in leads]
    return quads


def make_store(path: Path, quads: list[ox.Quad]) -> Path:
    replace_store(path, [ox.serialize(quads, format=ox.RdfFormat.N_QUADS)])
    return path


def browser_ms(browser, page_path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(page_path.as_uri())
        times.append(page.evaluate(DRAWN))  # ms since navigation start
        context.close()
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="save a screenshot of the bundled corpus page here")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="network-bench-"))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in args.sizes:
            store = make_store(work / f"store-{n}", synthetic_quads(n))
            t0 = time.perf_counter()
            data = load_network_data(open_read_only(store))
            t1 = time.perf_counter()
            html = page_from_data(data)
            t2 = time.perf_counter()
            graph = project(data)
            out = work / f"network-{n}.html"
            out.write_text(html, encoding="utf-8")
            ms = browser_ms(browser, out, args.repeat)
            rows.append((n, graph.number_of_nodes(), graph.number_of_edges(), len(html.encode()) / 1e6,
                         t1 - t0, t2 - t1, ms / 1000))
        if args.screenshot:
            from kg.build import build

            store = work / "corpus"
            build([ROOT / "documents"], store=store)
            out = work / "corpus.html"
            out.write_text(page_from_data(load_network_data(open_read_only(store))), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(out.as_uri())
            page.evaluate(DRAWN)
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.screenshot))
            print(f"screenshot of the corpus page: {args.screenshot}")
        browser.close()

    print(f"{'agencies':>8} | {'nodes':>5} | {'edges':>6} | {'page MB':>7} | {'SPARQL s':>8} | {'layout+html s':>13} | {'browser load+draw s':>19}")
    print("-" * 86)
    for n, nodes, edges, mb, q, lay, br in rows:
        print(f"{n:>8} | {nodes:>5} | {edges:>6} | {mb:>7.2f} | {q:>8.2f} | {lay:>13.2f} | {br:>19.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
