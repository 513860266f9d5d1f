"""The query UI in a real headless Chromium (Debian's, driven by Playwright), offline.

`kg serve`'s app runs on a free loopback port over the bundled corpus built by the real
pipeline. The page loads YASGUI from our server (node_modules), runs an example from
queries/ with one click and shows its rows; every request is recorded and anything that
would leave 127.0.0.1 is aborted and fails the test.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.paths import QUERIES_DIR
from kg.server import make_app, running

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCUMENTS = sorted(p.name for p in (Path(__file__).resolve().parent.parent / "documents").glob("*.txt"))


@pytest.fixture(scope="module")
def base(corpus_store) -> Iterator[str]:
    with running(make_app(corpus_store, max_concurrent=2)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, base):
    context = browser.new_context()
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.outside = []  # type: ignore[attr-defined]

    def route(r) -> None:
        url = r.request.url
        page.requests.append(url)  # type: ignore[attr-defined]
        host = urllib.parse.urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            page.outside.append(url)  # type: ignore[attr-defined]
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()


def test_example_query_runs_in_the_editor_offline(page, base):
    assert (QUERIES_DIR / "plans.rq").is_file()
    page.goto(base + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("#examples button.example").count() == len(list(QUERIES_DIR.glob("*.rq")))
    page.click('button.example[data-name="plans"]')
    page.wait_for_function("document.body.dataset.queries === '1'", timeout=60_000)
    page.wait_for_selector(".yasr table tbody tr")
    table = page.inner_text(".yasr table tbody")
    for name in DOCUMENTS:
        assert name in table
    # The editor holds the example with its prefixes declared; tools follow the query.
    query = page.evaluate("window.kgYasgui.getTab().getYasqe().getValue()")
    assert "PREFIX pk: <https://w3id.org/policykg/ontology#>" in query and "pk:sourceFile" in query
    share = page.get_attribute("#share-link", "href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(share).query)["query"] == [query]
    assert "SPARQLWrapper(" in page.text_content("#python-snippet")
    assert page.text_content("#curl-snippet").startswith("curl ")
    csv_link = page.get_attribute("#download-csv", "href")
    with urllib.request.urlopen(base + csv_link, timeout=60) as response:
        assert response.headers["content-type"].startswith("text/csv")
        assert len(response.read().decode().splitlines()) == len(DOCUMENTS) + 1
    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"
    assert any(url.endswith("/assets/yasgui/yasgui.min.js") for url in page.requests)


def test_share_link_reproduces_the_query(page, base):
    query = "SELECT ?file WHERE { ?plan pk:sourceFile ?file } ORDER BY ?file"
    page.goto(base + "/sparql?" + urllib.parse.urlencode({"query": query}))
    page.wait_for_function("document.body.dataset.queries === '1'", timeout=60_000)
    assert query in page.evaluate("window.kgYasgui.getTab().getYasqe().getValue()")
    page.wait_for_selector(".yasr table tbody tr")
    assert DOCUMENTS[0] in page.inner_text(".yasr table tbody")
    assert page.outside == [], f"requests left 127.0.0.1: {page.outside}"


def test_counts_draw_a_bar_chart(page, base):
    query = ("SELECT ?file (COUNT(?unit) AS ?units) WHERE { ?plan pk:sourceFile ?file ; pk:hasAction ?unit } "
             "GROUP BY ?file ORDER BY ?file")
    page.goto(base + "/sparql?" + urllib.parse.urlencode({"query": query}))
    page.wait_for_function("document.body.dataset.queries === '1'", timeout=60_000)
    page.wait_for_selector("#chart:not([hidden]) rect.bar")
    assert page.locator("#chart-svg rect.bar").count() == page.locator(".yasr table tbody tr").count() > 1
    assert page.outside == []


def test_landing_page_in_the_browser(page, base):
    page.goto(base + "/")
    counts = json.loads(page.evaluate(
        "JSON.stringify([...document.querySelectorAll('.stat .n')].map(e => e.textContent))"))
    plans = urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?p a pk:Plan ; pk:sourceFile ?file }", "format": "csv"}), timeout=60).read()
    assert len(counts) == 6 and counts[0] == plans.decode().split()[1]
    assert page.outside == []
