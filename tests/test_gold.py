"""The bundled corpus against its hand-checked gold (tests/gold/, NOTES.md), scored with the
same SPARQL questions as ../shared/tools/score_gold.py (copied to tests/score_gold.py).

The scorer's HTTP call is swapped for the same query on the store in-process; the server
tests check that the endpoint answers the scorer over HTTP.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import open_read_only

HERE = Path(__file__).resolve().parent


def _load_scorer(store: ox.Store):
    spec = importlib.util.spec_from_file_location("score_gold", HERE / "score_gold.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def sparql_rows(_endpoint, query):
        results = store.query(scorer.PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        out = []
        for solution in results:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term.value
            out.append(row)
        return out

    scorer.sparql = sparql_rows
    return scorer


@pytest.fixture(scope="module")
def scores(corpus_store, gold):
    scorer = _load_scorer(open_read_only(corpus_store))
    return {stem: scorer.score_doc(None, g) for stem, g in gold.items()}


# Thresholds per document: (role F1, unit-exact share, target F1, plan fields share).
EXPECTED = {
    "000_bbd3759adfb93dbe": (None, None, 0.85, 1.0),
    "001_e2914c86c1e8064a": (0.97, 0.9, 0.99, 1.0),
    "002_57a6c5265831e3de": (0.97, 0.9, 0.85, 1.0),
    "003_8947f7bf25722f1b": (0.97, 0.9, 0.85, 1.0),
    "004_7faaebe4c7c05cfa": (0.97, 0.9, 0.85, 1.0),
}


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_document_matches_gold(scores, stem):
    result = scores[stem]
    assert result["found"], f"no pk:Plan with pk:sourceFile {stem}.txt"
    role_min, unit_min, target_min, plan_min = EXPECTED[stem]
    role_f1, *_ = result["role_f1"]
    exact, units = result["unit_exact"]
    target_f1, *_ = result["target_f1"]
    fields, total = result["plan_fields"]
    if role_min is not None:
        assert role_f1 >= role_min, result
        assert exact >= unit_min * units, result
    assert target_f1 >= target_min, result
    assert fields >= plan_min * total, result
