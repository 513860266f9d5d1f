"""任务分解表 (task breakdown tables): header row, cells, rows.

Tables are read by meaning as well as by layout: cells split on tabs, `` | `` or runs of
spaces, a line without a separator continues the cell above (project names wrapped as
``未成/年人/科学/素质/行动``), and when every separator is gone a cell is cut where a task's
last 。 meets a run of agency names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

__all__ = ["Table", "TableRow", "find_tables"]

_HEADER_WORD = (
    r"序号|编号|项目|类别|重点工程|主要任务|重点任务|工作任务|具体任务|任务|工作内容|主要内容|具体措施|工作措施"
    r"|总?牵头(?:单位|部门)|责任(?:单位|部门)|配合(?:单位|部门)|参加(?:单位|部门)|参与(?:单位|部门)"
    r"|协办(?:单位|部门)|协同(?:单位|部门)|协助(?:单位|部门)|完成时限|完成时间|时间安排|时间进度|进度安排|时间节点|时限|备注"
)
_HEADER_RE = re.compile(rf"(?:{_HEADER_WORD})(?:[ \t\u3000|\n]*(?:{_HEADER_WORD})){{2,}}(?![：:])")
_ROLE_COLUMN = re.compile(r"牵头|责任|配合|参加|参与|协办|协同|协助")
_SEPARATOR = re.compile(r"[ \u3000]*(?:\t|\|)[ \u3000]*|[ \u3000]{2,}")
_ROW_MARKER = re.compile(
    r"(?<![\d.．第])[0-9０-９]{1,2}、|[（(][一二三四五六七八九十]{1,3}[）)]|(?<![第统唯之])[一二三四五六七八九十]{1,3}、"
)
_PROJECT_END = re.compile(r"行动|工程|计划|项目")
# A line that closes a table: 注：排在第一位的为牵头单位… / 备注： / 说明：
_TABLE_NOTE = re.compile(r"(?:^|\n)[ \u3000\t]*(?:注|备注|说明)[0-9０-９]?[：:]")
# A 完成时限 / 备注 cell: 2025年底前, 长期坚持, 持续推进, 每年12月底前 …
_TIME_CELL = re.compile(r"\d{4}|长期|持续|每年|常态|逐年|年底|年度|季度|完成|以后|半年")


@dataclass
class TableRow:
    """One task of a table with its agency cells, keyed by column header (牵头单位 …)."""

    task: str  # the task cell, joined over wrapped lines
    task_span: Span
    cells: list[tuple[str, str, tuple[int, ...]]]  # (column header, cell text, offset of each character)
    project: str | None = None  # e.g. 未成年人科学素质行动 (marker removed)
    project_span: Span | None = None
    group: str | None = None  # a chapter heading among the rows, e.g. 二、六大基础工程


@dataclass
class Table:
    header: list[str]
    span: Span
    rows: list[TableRow]


@dataclass
class _Cell:
    text: str
    offsets: list[int]  # where each character of ``text`` is in the raw text
    kind: str = ""  # project | group | task | agency | run

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def cut(self, a: int, b: int | None = None, kind: str = "") -> _Cell:
        return _Cell(self.text[a:b], self.offsets[a:b], kind or self.kind)


def find_tables(raw: str) -> list[Table]:
    """Tables introduced by a header row that names an agency column (牵头单位 …).

    >>> t = find_tables("项目\\t主要任务\\t牵头单位\\t参加单位\\n\\t（一）未成\\n年人行动\\n\\t1、做事。\\t区科协\\t区妇联等")[0]
    >>> [(r.project, r.task, [c[1] for c in r.cells]) for r in t.rows]
    [('未成年人行动', '1、做事。', ['区科协', '区妇联等'])]
    """
    headers = [m for m in _HEADER_RE.finditer(raw) if _ROLE_COLUMN.search(m.group())]
    tables: list[Table] = []
    group: str | None = None
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(raw)
        note = _TABLE_NOTE.search(raw, header.end(), end)
        end = note.start() if note else end
        columns = re.findall(_HEADER_WORD, header.group())
        cells = [c for cell in _cells(raw, header.end(), end) for c in _refine(cell)]
        rows, group = _rows(cells, columns, group)
        tables.append(Table(header=columns, span=Span(header.start(), end), rows=rows))
    taken = [(t.span.start, t.span.end) for t in tables]
    tables.extend(t for t in _field_tables(raw) if not any(a < t.span.end and t.span.start < b for a, b in taken))
    return tables


# A table exported as labelled lines, one record per task:
#   任务名称：… / 牵头部门：… / 协同部门：… / 完成时限：…
_TASK_FIELD = r"任务名称|工作任务|具体任务|任务内容|重点任务|工作内容|具体措施|工作措施"
_ROLE_FIELD = r"总?牵头(?:单位|部门)|责任(?:单位|部门)|(?:配合|参加|参与|协办|协同|协助)(?:单位|部门)"
_FIELD_RE = re.compile(rf"(?P<name>{_TASK_FIELD}|{_ROLE_FIELD}|完成时限|完成时间|时间安排|时限要求|备注)[：:]")


def _field_tables(raw: str) -> list[Table]:
    """Records of labelled lines, each opened by a task label and naming an agency label.

    >>> t = _field_tables("任务名称：做事\\n牵头部门：市科协\\n协同部门：市教育局\\n任务名称：再做\\n牵头部门：市农业农村局")[0]
    >>> [(r.task, [(c[0], c[1]) for c in r.cells]) for r in t.rows]
    [('做事', [('牵头部门', '市科协'), ('协同部门', '市教育局')]), ('再做', [('牵头部门', '市农业农村局')])]
    """
    fields = list(_FIELD_RE.finditer(raw))
    records: list[list[tuple[str, int, int]]] = []
    for i, m in enumerate(fields):
        end = fields[i + 1].start() if i + 1 < len(fields) else len(raw)
        stop = re.compile(r"[\n。]").search(raw, m.end(), end)
        end = stop.start() if stop else end
        name = m.group("name")
        if re.fullmatch(_TASK_FIELD, name):
            records.append([])
        elif not records:
            continue
        a, b = m.end(), end
        while a < b and raw[a] in " \u3000\t":
            a += 1
        while b > a and raw[b - 1] in " \u3000\t；;，,":
            b -= 1
        records[-1].append((name, a, b))
    records = [r for r in records if re.fullmatch(_TASK_FIELD, r[0][0])
               and any(re.fullmatch(_ROLE_FIELD, n) for n, _, _ in r[1:])]
    if len(records) < 2:
        return []
    rows = []
    for record in records:
        name, a, b = record[0]
        cells = [(n, raw[x:y], tuple(range(x, y))) for n, x, y in record[1:] if re.fullmatch(_ROLE_FIELD, n)]
        rows.append(TableRow(task=raw[a:b], task_span=Span(a, b), cells=cells))
    header = [record[0][0]] + [n for n, _, _ in records[0][1:]]
    start = records[0][0][1] - len(records[0][0][0]) - 1
    return [Table(header=header, span=Span(start, records[-1][-1][2]), rows=rows)]


def _cells(raw: str, start: int, end: int) -> list[_Cell]:
    """Cells split on separators; a line with no separator continues the cell above."""
    cells: list[_Cell] = []
    for line in re.finditer(r"[^\n]*", raw[start:end]):
        a, text = start + line.start(), line.group()
        if not text.strip():
            continue
        seps = list(_SEPARATOR.finditer(text))
        if not seps and cells:
            cells[-1].text += (piece := _stripped(text, a, 0, len(text))).text
            cells[-1].offsets += piece.offsets
            cells[-1].kind = ""
            continue
        bounds = [0] + [s.end() for s in seps]
        stops = [s.start() for s in seps] + [len(text)]
        explicit = any(s.group().strip(" \u3000") for s in seps)  # tabs or pipes can hold an empty cell
        for b, e in zip(bounds, stops, strict=True):
            if b or e:
                cell = _stripped(text, a, b, e)
                cell.kind = "empty" if explicit and not cell.text else ""
                cells.append(cell)
    return cells


def _stripped(line: str, at: int, b: int, e: int) -> _Cell:
    while b < e and line[b].isspace():
        b += 1
    while e > b and line[e - 1].isspace():
        e -= 1
    return _Cell(line[b:e], list(range(at + b, at + e)))


def _refine(cell: _Cell) -> list[_Cell]:
    """Classify a cell, cutting it where several cells were run together."""
    text = cell.text
    if not text:
        return [cell] if cell.kind == "empty" else []
    if re.fullmatch(r"[0-9０-９]{1,3}", text):
        return []
    if _HEADER_RE.fullmatch(text):
        return []
    glued_number = re.search(r"(?<=[^\d.．])[0-9０-９]{1,2}$", text)
    if glued_number and _agency_like_run(text[:glued_number.start()]):  # line breaks lost: 团市委2 → next row's 序号
        cell = cell.cut(0, glued_number.start())
        text = cell.text
    out: list[_Cell] = []
    pos = 0
    while pos < len(text):
        rest = text[pos:]
        marker = _ROW_MARKER.match(rest)
        if marker and not marker.group()[0].isdigit():  # （一） project, 二、 group
            kind = "group" if marker.group().endswith("、") else "project"
            name_end = _name_end(rest, marker.end())
            out.append(cell.cut(pos, pos + name_end, kind))
            pos += name_end
            continue
        task_end = _task_end(rest)
        if task_end is None:
            kind = "agency" if _agency_like_run(rest) else "task"
            out.append(cell.cut(pos, None, kind))
            break
        if task_end > 0:
            out.append(cell.cut(pos, pos + task_end, "task"))
        run_end = _run_end(rest, task_end)
        out.append(cell.cut(pos + task_end, pos + run_end, "run" if task_end > 0 or len(out) > 1 else "agency"))
        pos += run_end
    if len(out) == 1 and out[0].kind == "run":
        out[0].kind = "agency"
    return [c for c in out if c.text]


def _name_end(text: str, start: int) -> int:
    """Where a project/group name glued to what follows ends."""
    nxt = _ROW_MARKER.search(text, start)
    limit = nxt.start() if nxt and nxt.start() - start <= 40 else len(text)
    stop = text.find("。", start, limit)
    limit = stop if stop >= 0 else limit
    if limit - start > 20:
        word = _PROJECT_END.search(text, start, limit)
        if word:
            return word.end()
    return limit


def _task_end(text: str) -> int | None:
    """End of the task part: just after the 。 that a run of agency names follows.
    None when no such 。 (the cell is one task, or only agencies)."""
    for stop in re.finditer("。", text):
        after = stop.end()
        if after == len(text):
            return None
        run_end = _run_end(text, after)
        if run_end > after and _agency_like_run(text[after:run_end]):
            return after
    if _agency_like_run(text):
        return 0
    return None


def _run_end(text: str, start: int) -> int:
    """A run of names ends at the next row marker, after a 等 that text follows, or at a 。."""
    limit = len(text)
    marker = _ROW_MARKER.search(text, start)
    if marker:
        limit = marker.start()
    stop = text.find("。", start, limit)
    if stop >= 0:
        limit = stop
    for etc in re.finditer("等", text[start:limit]):
        after = start + etc.end()
        if after < limit and text[after] not in "的之在和及与为，,、" and not text.startswith(
                ("单位", "部门", "有关", "相关"), after):
            return after
    return limit


def _agency_like_run(text: str) -> bool:
    from .roles import is_generic_actor, looks_like_agency

    parts = [re.sub(r"(等单位|等部门|等)$", "", p.strip()) for p in re.split(r"[、，,；;\s]+", text)]
    parts = [p for p in parts if p]
    return ("。" not in text and any(looks_like_agency(p) for p in parts)
            and all(looks_like_agency(p) or is_generic_actor(p) for p in parts))


def _rows(cells: list[_Cell], columns: list[str], group: str | None) -> tuple[list[TableRow], str | None]:
    """Assemble rows: a task opens a row, agency cells fill the agency columns in order."""
    agency_columns = [c for c in columns if _ROLE_COLUMN.search(c)]
    has_project = any(c in ("项目", "类别", "重点工程") for c in columns)
    rows: list[TableRow] = []
    project: _Cell | None = None
    current: TableRow | None = None
    filled: list[_Cell] = []
    continues = False  # the open row came after an empty cell: it continues a merged cell above
    pending = False  # an empty cell outside any row's agency columns: the next row continues
    above: list[tuple[str, str, tuple[int, ...]]] = []  # the agency cells of the last row with any

    def finish() -> None:
        nonlocal above
        if current is not None:
            current.cells = _assign(filled, agency_columns)
            if continues and above and current.cells and not current.cells[0][1]:
                # A merged 牵头单位 cell is written once, in its first row; the rows it spans
                # show an empty cell (tests/cases/heldout/NOTES.md §2).
                current.cells[0] = (current.cells[0][0], above[0][1], above[0][2])
            if any(text for _, text, _ in current.cells):
                above = current.cells
            rows.append(current)

    for cell in cells:
        kind = cell.kind
        if kind == "empty":
            if current is not None and len(filled) < len(agency_columns):
                filled.append(cell)  # an empty agency cell keeps the next one in its own column
            else:
                pending = True
            continue
        if current is not None and len(filled) >= len(agency_columns) and _time_cell(cell.text, columns):
            continue  # the 完成时限 column after the agency columns
        if kind == "agency" and (current is None or len(filled) >= len(agency_columns)):
            kind = "project" if has_project and len(cell.text) <= 30 else "task"
        if kind == "task" and has_project and current is None and project is None and len(cell.text) <= 30:
            kind = "project"
        if kind in ("group", "project"):
            finish()
            current, filled, pending = None, [], False
            if kind == "group":
                group, project = cell.text, None
            else:
                project = cell
        elif kind == "task":
            finish()
            filled, continues, pending = [], pending, False
            current = TableRow(task=cell.text, task_span=Span(cell.start, cell.end), cells=[],
                               project=_strip_marker(project.text) if project else None,
                               project_span=Span(project.start, project.end) if project else None,
                               group=group)
        elif current is not None:
            filled.append(cell)
    finish()
    return rows, group


def _time_cell(text: str, columns: list[str]) -> bool:
    """A short date or period in a column after the agency columns (完成时限 2025年底前).

    >>> _time_cell("2025年12月底前", ["序号", "工作任务", "责任单位", "完成时间"]), _time_cell("长期", ["任务", "牵头单位"])
    (True, False)
    """
    roles = [i for i, c in enumerate(columns) if _ROLE_COLUMN.search(c)]
    return (bool(roles) and roles[-1] < len(columns) - 1 and len(text) <= 16
            and not re.search("[、。，,]", text) and bool(_TIME_CELL.search(text)))


def _assign(filled: list[_Cell], columns: list[str]) -> list[tuple[str, str, int]]:
    """Agency cells to columns. A glued run (lead and cooperating lists with no separator
    left) is cut at its last glue point: lead cells may glue names, lists use 、."""
    pieces: list[_Cell] = []
    for cell in filled:
        if cell.kind == "run" and len(columns) >= 2:
            pieces.extend(_split_run(cell))
        else:
            pieces.append(cell)
    if not columns:
        return []
    while len(pieces) > len(columns):  # extra pieces belong to the first column (split lead cell)
        first, second = pieces[0], pieces[1]
        pieces[:2] = [_Cell(first.text + second.text, first.offsets + second.offsets, first.kind)]
    return [(col, piece.text, tuple(piece.offsets)) for col, piece in zip(columns, pieces, strict=False)]


def _split_run(cell: _Cell) -> list[_Cell]:
    from .agencies import split_agency_list

    text, cursor, glue = cell.text, 0, None
    for name in split_agency_list(text):
        at = text.find(name, cursor)
        if at < 0:
            continue
        if at == cursor and cursor > 0 and text[cursor - 1] not in "、，,；; ":
            glue = at
        cursor = at + len(name)
    if glue is None:
        return [cell]
    return [cell.cut(0, glue, "agency"), cell.cut(glue, None, "agency")]


def _strip_marker(name: str) -> str:
    return re.sub(r"^(?:[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十0-9]{1,3}、)", "", name).strip()
