"""The bundled corpus against its hand-checked gold (tests/gold/, NOTES.md), scored with the
same SPARQL questions as the project scorer."""

from __future__ import annotations

import pytest

from scoring import EXPECTED, score_store, shortfalls


@pytest.fixture(scope="module")
def scores(corpus_store, gold):
    return score_store(corpus_store, gold)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_document_matches_gold(scores, stem):
    assert shortfalls(stem, scores[stem]) == []
