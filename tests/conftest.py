"""Shared fixtures: the bundled corpus built once per session into a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "documents"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    """The bundled documents built with the real pipeline into a fresh store."""
    from kg.build import build

    store = tmp_path_factory.mktemp("corpus") / "store"
    report = build([DOCUMENTS], store=store)
    assert report.ok, [str(f) for f in report.failures]
    return store


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
