"""Undo page layout: what a PDF export, a print copy or a Markdown conversion adds to a plan.

Copies of the same plan come with their text cut at a fixed width (one line per printed
line), page numbers between pages (``— 3 —``, ``第3页 共10页``), Markdown marks (``## 一、``,
``**…**``), or a space typed around every comma. None of that is the plan's; all of it
breaks parsers that read a paragraph as a line. Each function here returns the spans of
``text`` to delete (``kg.read`` deletes them, so offsets back to the file stay exact):

>>> text = "一、加强组织领导。各地要建立健全工作机制，市科协\\n牵头，市教育局配合。\\n— 2 —\\n二、强化保障"
>>> [text[a:b] for a, b in page_number_lines(text)]
['— 2 —\\n']
"""

from __future__ import annotations

import re
from collections import Counter

# A line that is only a page number: "— 3 —", "- 12 -", "~3~", "第 3 页", "第3页 共10页", "3/10页".
# A bare "3" is not one: it is as likely a 序号 cell of a table that lost its layout.
_PAGE_NUMBER = (r"[ \t]*(?:[-—–－~～]+[ \t]*\d{1,4}[ \t]*[-—–－~～]+"
                r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[，,/]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"
                r"|\d{1,4}[ \t]*/[ \t]*\d{1,4}[ \t]*页)[ \t]*")
_PAGE_NUMBER_LINE = re.compile(rf"^{_PAGE_NUMBER}(?:\n|\Z)", re.MULTILINE)
_BLANK_LINE_AFTER = re.compile(r"[ \t]*\n")

# Where a new numbered part starts: a line break before one is never a wrap.
_ITEM_START = re.compile(r"\t|[ \t]*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]"
                         r"|\d+[、.．](?!\d)|[①-⑳]|【|第[一二三四五六七八九十\d]+[章节条部分篇]|附件|——)")
_CLOSES = "。！？；：”）》"
_MIN_WRAPPED = 12  # a width below this is a table column, not a page


def page_number_lines(text: str) -> list[tuple[int, int]]:
    """Lines that only hold a page number, with the blank lines around them, so the lines
    before and after the page break meet. (Blank lines are walked one by one, not matched by
    a repeated group in the pattern, which backtracks quadratically over a run of them.)"""
    spans: list[tuple[int, int]] = []
    for match in _PAGE_NUMBER_LINE.finditer(text):
        start, end = match.span()
        floor = spans[-1][1] if spans else 0
        if start < floor:
            continue
        while start > floor:  # the line before is blank: it goes too
            line_start = text.rfind("\n", floor, start - 1) + 1 or floor
            if text[line_start : start - 1].strip(" \t") or line_start < floor:
                break
            start = line_start
        while (after := _BLANK_LINE_AFTER.match(text, end)) is not None:
            end = after.end()
        spans.append((start, end))
    return spans


def wrap_width(lines: list[str]) -> int | None:
    """The width a text was cut at, if it was: most long lines have that length (±2), and
    hardly any is longer. None for a text whose lines are paragraphs.

    >>> wrap_width(["一" * 30] * 9 + ["二" * 7])
    30
    >>> wrap_width(["一" * n for n in range(20, 60, 3)]) is None
    True
    """
    # Table rows (tab- or pipe-separated) can be as even as cut lines: the width is read from prose.
    lengths = [len(line) for line in lines if len(line) >= _MIN_WRAPPED and "\t" not in line and "|" not in line]
    if len(lengths) < 6:
        return None
    counts = Counter(lengths)
    width = max(counts, key=lambda n: (sum(counts[m] for m in range(n - 2, n + 3)), n))
    near = sum(counts[m] for m in range(width - 2, width + 3))
    longer = sum(c for n, c in counts.items() if n > width + 2)
    if near < 0.35 * len(lengths) or longer > 0.05 * len(lengths):
        return None
    return max(n for n in range(width - 2, width + 3) if counts[n])


def wrapped_line_breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks a fixed-width copy put inside paragraphs.

    A break is a wrap when its line is full and the next line goes on: a line of the full
    width, unless it closes a sentence and the next opens a numbered part or a table cell; a
    line a little shorter (copies cut at a visual width, where digits are narrow), unless it
    closes a sentence. Table rows are cut like the rest, so they are joined like the rest.

    >>> text = "（一）实施青少年科学素质提升\\n行动。市教育局牵头，市科协配\\n合。\\n" * 3
    >>> "".join(c for i, c in enumerate(text) if not any(a <= i < b for a, b in wrapped_line_breaks(text))).split("\\n")[0]
    '（一）实施青少年科学素质提升行动。市教育局牵头，市科协配合。'
    """
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return []
    breaks: list[tuple[int, int]] = []
    position = 0
    for line, following in zip(lines, lines[1:]):
        end = position + len(line)
        closes = line.rstrip()[-1:] in _CLOSES
        if following.strip() and (
            (len(line) >= width and not (closes and _ITEM_START.match(following)))
            or (len(line) >= width - 3 and not closes)  # cut at a visual width: a little short
        ):
            breaks.append((end, end + 1))
        position = end + 1
    return breaks


# Markdown: "## 一、总体要求", "**牵头单位**：…" — plans never use # at a line start or **.
_MARKDOWN = re.compile(r"^#{1,6}[ \t]+|\*\*", re.MULTILINE)
# Spaces typed beside Chinese punctuation ("市科协 ， 市教育局", "A, B" made "A， B"). After a
# mark that never ends a cell (，、；：and openers) any run goes; elsewhere only a single
# space, since a run after 。 or before a mark may separate the columns of a table.
_SPACE_BY_PUNCTUATION = re.compile(r"(?<=[，、；：（《“])[ ]+(?=[^ \t\n])|(?<=[。！？])[ ](?![ \t])"
                                   r"|(?<![ \t])[ ](?=[，、；：。！？）》”])")


# Paragraph indents: "　　" (two ideographic spaces, made "  " by kg.read) or any run of spaces
# before a line's text. Tabs stay: a table's empty first cell is one.
_INDENT = re.compile(r"^ +(?=[^ \t\n])", re.MULTILINE)


def indents(text: str) -> list[tuple[int, int]]:
    """Spaces that open a line (a paragraph indent, a centred title, a right-aligned signature)."""
    return [m.span() for m in _INDENT.finditer(text)]


def markdown_marks(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MARKDOWN.finditer(text)]


def spaces_by_punctuation(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SPACE_BY_PUNCTUATION.finditer(text)]
