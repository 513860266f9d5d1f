"""The network page in a real headless Chromium (Debian's, driven by Playwright).

The page is served by a real HTTP server on a free loopback port; every request the page
makes is recorded, and anything leaving loopback is aborted and fails the test.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kg import iris
from kg.network import write_network_page
from kg.store import open_read_only

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# The hand-made contract store and the SPARQL counting live with the non-browser tests.
_spec = importlib.util.spec_from_file_location("_network_contract", Path(__file__).with_name("test_network.py"))
contract = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contract)


DRAWN = """() => new Promise(resolve => {
  const check = () => (window.pkTimings && window.pkTimings.drawn) ? resolve(true) : requestAnimationFrame(check);
  check();
})"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on 127.0.0.1 and a port chosen by the OS."""
    root = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium is missing: apt-get install -y chromium fonts-wqy-microhei"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """A page opened on the network view, with its requests and dialogs recorded."""

    def __init__(self, browser, url: str) -> None:
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        # Not wait_for_function: it evaluates a string, which the page's CSP (rightly) forbids.
        self.page.evaluate(DRAWN)

    def _route(self, route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def counts(self) -> tuple[int, int]:
        return tuple(self.page.evaluate("[nodes.length, edges.length]"))

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where ``node_id`` is drawn, in page coordinates."""
        xy = self.page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
        box = self.page.locator("#mynetwork canvas").bounding_box()
        return box["x"] + xy["x"], box["y"] + xy["y"]

    def close(self) -> None:
        self.context.close()


def publish(site: tuple[Path, str], store: Path, name: str, **kw) -> str:
    root, base = site
    write_network_page(store, root / name, level=kw.get("level", "agency"), regions=kw.get("regions", ()))
    return f"{base}/{name}"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return contract.make_store(tmp_path_factory.mktemp("bnet") / "store", contract.contract_quads())


def test_page_counts_filters_search_and_click(browser, site, store_path, tmp_path):
    store = open_read_only(store_path)
    visit = Visit(browser, publish(site, store_path, "agency.html"))
    try:
        page = visit.page
        assert visit.counts() == contract.sparql_counts(store) == (7, 7)
        assert page.evaluate("network.physics.options.enabled") is False

        page.select_option("#pk-region", "350103")
        assert visit.counts() == contract.sparql_counts(store, "350103") == (3, 2)
        page.select_option("#pk-region", "")
        page.uncheck(".pk-role[value=cooperate]")
        assert visit.counts() == (7, 2)  # the cooperating agencies are also responsible somewhere
        page.uncheck(".pk-role[value=responsible]")  # lead only: the five leads, co-lead links
        assert visit.counts() == (5, 2)
        assert set(page.evaluate("edges.get().map(e => e.kind)")) == {"co-lead"}
        page.check(".pk-role[value=cooperate]")
        page.check(".pk-role[value=responsible]")
        page.fill("#pk-group", "农民")  # the farmers' action: two responsible agencies, no links
        assert visit.counts() == (2, 0)
        page.fill("#pk-group", "")
        assert visit.counts() == (7, 7)

        page.fill("#pk-search", "kexie")  # pinyin finds 市科协 and 区科协
        assert page.text_content("#pk-search-count").startswith("2 ")
        page.fill("#pk-search", "qujing cast")  # and the English label
        assert page.evaluate("network.getSelectedNodes()") == [iris.agency_iri("530300", "市科协")]
        page.fill("#pk-search", "")

        kexie = iris.agency_iri("530300", "市科协")
        x, y = visit.node_point(kexie)
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip", state="visible")
        tip = page.text_content("div.vis-tooltip")
        assert "市科协" in tip and "Qujing CAST" in tip and "曲靖市 530300" in tip and "牵头 lead 3" in tip
        page.mouse.click(x, y)
        href = page.get_attribute("#pk-agency-link", "href")
        assert unquote(href) == "/id/agency/530300/市科协"
        query = page.get_attribute("#pk-units-link", "href")
        assert query.startswith("/sparql?query=") and kexie in unquote(query)

        page.screenshot(path=str(tmp_path / "network.png"), full_page=True)
        assert (tmp_path / "network.png").stat().st_size > 10_000
        assert visit.errors == [] and visit.outside == []
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in visit.requests if not u.startswith("data:"))
    finally:
        visit.close()


def test_type_level_page(browser, site, store_path):
    visit = Visit(browser, publish(site, store_path, "types.html", level="type"))
    try:
        assert visit.counts() == (4, 1)
        assert visit.page.evaluate("edges.get()[0].title").endswith("×3 · 2 地区 regions")
        visit.page.select_option("#pk-region", "530300")
        assert visit.counts() == (4, 1)
        assert visit.page.evaluate("edges.get()[0].title").endswith("×2 · 1 地区 regions")
        assert visit.outside == [] and visit.errors == []
    finally:
        visit.close()


def test_document_html_does_not_run(browser, site, tmp_path):
    evil = "<img src=x onerror=alert(1)>"
    agencies = [("530300", evil, "cast", "<script>alert(2)</script>", None), ("530300", "市教育体育局", None, None, None)]
    plans = {"x.txt": ("530300", [("<b>行动</b>", {"lead": [evil, "市教育体育局"]}, [])])}
    store = contract.make_store(tmp_path / "store", contract.contract_quads(plans, agencies))
    visit = Visit(browser, publish(site, store, "evil.html"))
    try:
        page = visit.page
        node = iris.agency_iri("530300", evil)
        assert page.evaluate("id => nodes.get(id).label", node) == evil
        x, y = visit.node_point(node)
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip", state="visible")
        page.mouse.click(x, y)
        page.wait_for_selector("#pk-info h3")
        assert page.text_content("#pk-info h3") == evil  # shown as text
        assert evil in page.text_content("div.vis-tooltip")
        assert page.evaluate("document.querySelectorAll('img, b, #pk-info script').length") == 0
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
        assert visit.dialogs == [] and visit.outside == [] and visit.errors == []
    finally:
        visit.close()


def test_corpus_page(browser, site, corpus_store, tmp_path):
    store = open_read_only(corpus_store)
    visit = Visit(browser, publish(site, corpus_store, "corpus.html"))
    try:
        page = visit.page
        full = visit.counts()
        assert full == contract.sparql_counts(store)
        region = page.evaluate("document.querySelector('#pk-region').options[1].value")
        page.select_option("#pk-region", region)
        assert visit.counts() == contract.sparql_counts(store, region) != full
        page.select_option("#pk-region", "")
        page.screenshot(path=str(tmp_path / "corpus.png"))
        assert (tmp_path / "corpus.png").stat().st_size > 10_000
        assert visit.outside == [] and visit.errors == []
    finally:
        visit.close()
