"""Score a store against the gold files with the project scorer's own SPARQL questions.

``tests/score_gold.py`` is a copy of ../shared/tools/score_gold.py; its HTTP call is swapped
for the same query run on the store in-process (the server tests cover HTTP).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from collections.abc import Callable, Iterable

from kg.build import build
from kg.store import open_read_only

HERE = Path(__file__).resolve().parent

# Per document: (role F1, unit-exact share, target F1, plan-field share) it must reach.
EXPECTED = {
    "000_bbd3759adfb93dbe": (None, None, 1.0, 1.0),
    "001_e2914c86c1e8064a": (1.0, 1.0, 1.0, 1.0),
    "002_57a6c5265831e3de": (1.0, 1.0, 1.0, 1.0),
    "003_8947f7bf25722f1b": (1.0, 1.0, 1.0, 1.0),
    "004_7faaebe4c7c05cfa": (1.0, 1.0, 1.0, 1.0),
}


def score_store(store_path: Path, gold: dict[str, dict]) -> dict[str, dict]:
    spec = importlib.util.spec_from_file_location("score_gold", HERE / "score_gold.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    store = open_read_only(store_path)

    def sparql(_endpoint, query):
        results = store.query(scorer.PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        return [{n: s[n].value for n in names if s[n] is not None} for s in results]

    scorer.sparql = sparql
    return {stem: scorer.score_doc(None, g) for stem, g in gold.items()}


def shortfalls(stem: str, result: dict) -> list[str]:
    """What a document's score misses of ``EXPECTED``; empty when it meets them all."""
    if not result.get("found"):
        return [f"{stem}: no pk:Plan with pk:sourceFile"]
    role_min, unit_min, target_min, plan_min = EXPECTED[stem]
    role_f1 = result["role_f1"][0]
    exact, units = result["unit_exact"]
    target_f1 = result["target_f1"][0]
    fields, total = result["plan_fields"]
    out = []
    if role_min is not None and role_f1 < role_min:
        out.append(f"{stem}: role F1 {role_f1:.3f} < {role_min} {result['role_f1']}")
    if unit_min is not None and exact < unit_min * units:
        out.append(f"{stem}: units exact {exact}/{units}")
    if target_f1 < target_min:
        out.append(f"{stem}: target F1 {target_f1:.3f} < {target_min} {result['target_f1']}")
    if fields < plan_min * total:
        out.append(f"{stem}: plan fields {fields}/{total}")
    return out


def build_and_score(paths: Iterable[Path], store: Path, gold: dict[str, dict]) -> dict[str, dict]:
    """Build ``paths`` into ``store`` with ``kg build`` (every file must build) and score it."""
    report = build(list(paths), store=store)
    assert report.ok, [str(f) for f in report.failures]
    return score_store(store, gold)


def copies(cases: Iterable[Path], transform: Callable[[str], bytes], folder: Path) -> Path:
    """``folder`` filled with a reformatted copy (``transform`` of the text) of each case."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        (folder / case.name).write_bytes(transform(case.read_text(encoding="utf-8")))
    return folder


def imperfections(case: str, result: dict) -> list[str]:
    """Everything short of a perfect score on every measure, as one line (empty when perfect)."""
    if not result.get("found"):
        return [f"{case}: no pk:Plan"]
    role_f1, tp, gold_pairs, system_pairs = result["role_f1"]
    exact, units = result["unit_exact"]
    target_f1, ttp, gold_targets, system_targets = result["target_f1"]
    fields, total = result["plan_fields"]
    perfect = (not gold_pairs or role_f1 == 1.0) and exact == units and fields == total and (
        target_f1 == 1.0 if gold_targets else system_targets == 0)
    if perfect:
        return []
    return [f"{case}: role F1 {role_f1:.3f} ({tp}/{gold_pairs} gold, {system_pairs} system), "
            f"units exact {exact}/{units}, target F1 {target_f1:.2f} ({ttp}/{gold_targets} gold, "
            f"{system_targets} system), plan fields {fields}/{total}"]
