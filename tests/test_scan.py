"""kg.scan: prefiltered patterns find exactly what ``finditer`` finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.outline import _MARKERS
from kg.paths import DOCUMENTS_DIR
from kg.read import read_document
from kg.scan import Prefiltered
from kg.targets import _QUANTITIES

PREFILTERED = [_MARKERS, _QUANTITIES]
# Characters the patterns care about, and some they do not.
ALPHABET = "一二三四五六七八九十百千万亿零〇两（()）、.．0123456789０９①⑳【】第部分章—任务措施分工责牵头单位配合参加与翻番成余多%％个项年 \n。，甲乙"


@pytest.mark.parametrize("scan", PREFILTERED, ids=["markers", "quantities"])
def test_same_matches_as_finditer_on_the_bundled_plans(scan):
    for path in sorted(DOCUMENTS_DIR.glob("*.txt")):
        text = read_document(path).text
        assert [m.span() for m in scan.finditer(text)] == [m.span() for m in scan.pattern.finditer(text)]
        assert [m.span() for m in scan.finditer(text, 100, 900)] == [m.span() for m in scan.pattern.finditer(text, 100, 900)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=60), pos=st.integers(0, 70), endpos=st.integers(0, 70))
def test_same_matches_as_finditer_on_any_text(text, pos, endpos):
    for scan in PREFILTERED:
        expected = [(m.span(), m.groupdict()) for m in scan.pattern.finditer(text, pos, endpos)]
        assert [(m.span(), m.groupdict()) for m in scan.finditer(text, pos, endpos)] == expected


def test_start_characters_come_from_the_pattern():
    assert Prefiltered(re.compile(r"(?<!x)(?:ab|[c-e]\d)|(?:f?)g+")).starts.pattern == "[ac-efg]"
    assert all(_MARKERS.starts.match(c) for c in "一（(0０①【第—任措分责职工总牵配参")
    assert not any(_MARKERS.starts.match(c) for c in "甲。，、")


@pytest.mark.parametrize("pattern", [r"\d*", r"(?i)abc", r".x", r"[^a]b"])
def test_a_pattern_whose_start_cannot_be_told_is_refused(pattern):
    with pytest.raises(ValueError):
        Prefiltered(re.compile(pattern))
