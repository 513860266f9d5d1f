"""Load shedding (kg.sparql_pool) with real concurrent clients against a real server: quick
queries are never the ones stopped, and heavy ones still end by the limits. Outcomes are
asserted (status codes, who gave way), never durations."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from kg.paths import QUERIES_DIR
from kg.server import make_app, running
from test_server import AGENCIES, CROSS_JOIN, build_store, _corpus, post_query

# The same runaway cross join under another text: the pool has no memory of its cost.
FRESH_CROSS_JOIN = CROSS_JOIN.replace("?n", "?count")


def in_thread(outcomes: dict[str, object], name: str, query: str, base: str) -> threading.Thread:
    thread = threading.Thread(target=lambda: outcomes.update({name: post_query(base, query)[0]}))
    thread.start()
    return thread


@pytest.fixture()
def one_slot(tmp_path) -> Iterator[tuple[str, object]]:
    # One slot, a 2 s timeout: a query is heavy past 0.4 s (a fifth of the timeout).
    store = tmp_path / "store"
    build_store(store, _corpus())
    app = make_app(store, timeout=2, max_concurrent=1)
    with running(app) as url:
        assert post_query(url, CROSS_JOIN)[0] == 504  # now the pool knows this query is heavy
        yield url, app.state.pool


def test_a_query_known_to_be_heavy_never_makes_another_give_way(one_slot):
    base, pool = one_slot
    outcomes: dict[str, object] = {}
    running_one = in_thread(outcomes, "running", FRESH_CROSS_JOIN, base)
    time.sleep(1)  # it holds the slot and has run past the heavy mark
    waiting_one = in_thread(outcomes, "known heavy", CROSS_JOIN, base)
    running_one.join(60)
    waiting_one.join(60)
    assert outcomes["running"] == 504  # ended by the timeout, not stopped for the heavy one
    assert outcomes["known heavy"] in (503, 504)  # waited, then ended by a limit
    assert pool.preemptions == 0


def test_a_quick_query_goes_before_heavy_ones_that_waited_longer(one_slot):
    base, pool = one_slot
    outcomes: dict[str, object] = {}
    threads = [in_thread(outcomes, "running", FRESH_CROSS_JOIN, base)]
    time.sleep(0.2)
    threads.append(in_thread(outcomes, "known heavy", CROSS_JOIN, base))  # waits for the slot
    time.sleep(0.2)
    status, _, _ = post_query(base, AGENCIES)
    for thread in threads:
        thread.join(60)
    assert status == 200
    assert outcomes["running"] == 503  # gave way to the quick query
    # Served after the quick one, so nobody stopped it: it ran into the timeout.
    assert outcomes["known heavy"] == 504
    assert pool.preemptions == 1


HOSTILE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } OFFSET 100000000000 LIMIT 1",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)+ ?b . ?b (!rdf:type)* ?c . ?d ?e ?f }",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
]


@pytest.mark.slow
def test_every_example_query_answers_among_hostile_ones(corpus_store: Path):
    # Four clients send hostile queries back to back and eight send the example queries,
    # against two slots: every example query is answered and every hostile one is ended
    # by a limit (503 gave way or no slot, 504 timeout, 422 or a cut stream at the row cap).
    examples = [p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))]
    good: list[int] = []
    hostile: list[int] = []

    def client(queries: list[str], statuses: list[int]) -> Callable[[], None]:
        def run() -> None:
            for query in queries:
                try:
                    statuses.append(post_query(base, query)[0])
                except (OSError, http.client.HTTPException):  # a stream cut at the row cap
                    statuses.append(-1)
        return run

    app = make_app(corpus_store, timeout=3, max_rows=10_000, max_concurrent=2)
    with running(app) as base:
        threads = [threading.Thread(target=client(HOSTILE[i:] + HOSTILE[:i], hostile)) for i in range(4)]
        threads += [threading.Thread(target=client(examples[i:] + examples[:i], good)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
    assert good == [200] * 8 * len(examples)
    assert len(hostile) == 16 and set(hostile) <= {503, 504, 422, -1}, hostile


def _niced_workers() -> list[int]:
    return [p.pid for p in psutil.Process().children() if p.nice() > 0]


def test_a_heavy_query_is_deprioritised_only_while_a_quick_one_runs(tmp_path):
    store = tmp_path / "store"
    build_store(store, _corpus())
    with running(make_app(store, timeout=6, max_concurrent=2)) as base:
        outcomes: dict[str, object] = {}
        heavy = in_thread(outcomes, "heavy", CROSS_JOIN, base)
        time.sleep(2)  # past the heavy mark (a second), alone
        alone = _niced_workers()
        status, _, _ = post_query(base, AGENCIES)
        beside_quick = _niced_workers()
        heavy.join(60)
    assert alone == []  # nothing to protect: it keeps its priority
    assert status == 200 and len(beside_quick) == 1  # lowered once a quick query ran beside it
    assert outcomes["heavy"] == 504
