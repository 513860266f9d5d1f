"""``finditer`` for patterns Python's ``re`` cannot skip ahead in.

``re`` jumps straight to candidate positions only when a pattern starts with a literal or a
character class. A pattern that starts with a look-behind or an alternation of groups
(``kg.outline.MARKER_RE``, ``kg.targets._QUANTITY``) is tried at every character, about
250 ns each: a few milliseconds for every pass over a plan. ``Prefiltered`` first looks for
a character a match can start with (a plain class, which ``re`` skips to fast) and tries the
pattern only there: the same matches, 5-7× faster on plans.

>>> digits = Prefiltered(re.compile(r"(?<![\\d.])\\d+(?:\\.\\d+)?%"), r"\\d")
>>> text = "达到10.5%，不低于3%，版本1.2.3%"
>>> [m.group() for m in digits.finditer(text)]
['10.5%', '3%']
>>> [m.span() for m in digits.finditer(text)] == [m.span() for m in digits.pattern.finditer(text)]
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re._parser import parse as _parse  # the standard library's own parser, for the match width


class Prefiltered:
    """``pattern`` with the class of every character a match of it can start with.

    ``starts`` must hold every such character (``finditer`` would miss the others), and
    ``pattern`` must not match the empty string (checked here).
    """

    def __init__(self, pattern: re.Pattern[str], starts: str) -> None:
        if _parse(pattern.pattern, pattern.flags).getwidth()[0] == 0:
            raise ValueError(f"{pattern.pattern!r} can match the empty string")
        self.pattern = pattern
        self.starts = re.compile(f"[{starts}]")

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """The matches ``self.pattern.finditer(text, pos, endpos)`` gives, in order."""
        end = len(text) if endpos is None else min(endpos, len(text))
        search, match = self.starts.search, self.pattern.match
        while (candidate := search(text, pos, end)) is not None:
            found = match(text, candidate.start(), end)
            if found is None:
                pos = candidate.start() + 1
            else:
                yield found
                pos = found.end()  # never empty, so the search moves on
