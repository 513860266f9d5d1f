"""Score a ``PlanRecord`` against a gold file the way tests/score_gold.py does, without
a store: role pairs (name after ``norm``, role) as a multiset F1, and gold units matched
by ``title[:12]`` inside a unit's text with exactly the gold's agencies per role.

Also the text helpers the extractor tests share: reading a bundled document through
``kg.read`` and, while ``kg.read`` does not yet strip pinyin or fold punctuation, doing
that here (a no-op once it does).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections import Counter
from pathlib import Path

from kg.model import PlanRecord, Text
from kg.read import normalise, read_document

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("score_gold_copy", HERE / "score_gold.py")
assert _spec and _spec.loader
_scorer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_scorer)
norm = _scorer.norm

_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zA-Z\u00c0-\u024f\u0300-\u036f]+\)")
_FOLD = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


def fold(text: str) -> str:
    """What kg.read.normalise promises: pinyin after characters removed, ASCII ( ) , : ; full-width."""
    text = _PINYIN.sub("", text)
    return re.sub(r"(?<!\d)[,:](?!\d)|[();]", lambda m: m.group().translate(_FOLD), text)


def as_text(raw: str, source: str = "<test>") -> Text:
    """A string through the project's normaliser, then folded."""
    text = normalise(raw, source=source)
    return dataclasses.replace(text, text=fold(text.text))


def read_folded(path: Path) -> Text:
    text = read_document(path)
    return dataclasses.replace(text, text=fold(text.text))


def role_pairs(record: PlanRecord) -> Counter:
    pairs: Counter = Counter()
    for unit in record.units():
        for role, names in _unit_roles(unit).items():
            pairs.update((name, role) for name in names)
    return pairs


def _unit_roles(unit) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"lead": set(), "cooperating": set(), "responsible": set()}
    for mention in unit.roles:
        out[mention.role.value].add(norm(mention.name))
    return out


def score(record: PlanRecord, gold: dict) -> dict:
    """{'role_f1': (f1, tp, gold, sys), 'unit_exact': (exact, total), 'misses': [...]}"""
    gold_pairs: Counter = Counter()
    for unit in gold["units"]:
        for role in ("lead", "cooperating", "responsible"):
            gold_pairs.update((norm(a), role) for a in unit.get(role, []))
    f1 = _scorer.f1(gold_pairs, role_pairs(record))
    units = [(norm(u.text), _unit_roles(u)) for u in record.units() if u.roles]
    exact, misses = 0, []
    for unit in gold["units"]:
        title = norm(unit.get("title", ""))[:12]
        want = {r: {norm(a) for a in unit.get(r, [])} for r in ("lead", "cooperating", "responsible")}
        if any(title and title in text and roles == want for text, roles in units):
            exact += 1
        else:
            misses.append(unit["title"])
    return {"role_f1": f1, "unit_exact": (exact, len(gold["units"])), "misses": misses}
