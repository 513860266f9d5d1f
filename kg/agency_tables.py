"""The agency tables of ``mappings/``, loaded and checked once per process.

- ``agency_types.csv`` — ``slug,label_zh,label_en,patterns,national_counterpart,prefix,parent,note``:
  type-name patterns (科协|科学技术协会 → ``cast``); ``prefix`` says how a level is written
  before the type name (``level`` 市科协, ``party`` 市委宣传部, ``none`` 云南能源职业技术学院);
  ``parent`` names the type a sub-unit belongs to (组宣部 → ``trade-union``). In a pattern
  ``{level}`` stands for a level word (团{level}委 → 团市委) and ``{place}`` for a place name.
- ``abbreviations.csv`` — ``kind,written,full,label_en,type,note``: ``level`` words (省 市 区 县 …),
  ``national-head`` words (中国 全国 国家 …), ``national`` bodies (中国科协 → 中国科学技术协会, with
  their type), ``core`` type-name short forms (科协 → 科学技术协会, with an English template whose
  ``{place}`` is e.g. "Qujing Municipal" and ``{name}`` "Qujing") and name endings (``suffix``: 局 厅 委 …).

``note`` says why a row is there when no bundled document uses it (tested).

>>> tables().by_slug["youth-league"].type.national_counterpart
'共青团中央'
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import MappingTableError
from .model import AgencyType
from .paths import MAPPINGS_DIR

TYPES_FILE = MAPPINGS_DIR / "agency_types.csv"
ABBREVIATIONS_FILE = MAPPINGS_DIR / "abbreviations.csv"
TYPE_COLUMNS = ("slug", "label_zh", "label_en", "patterns", "national_counterpart", "prefix", "parent", "note")
ABBREVIATION_COLUMNS = ("kind", "written", "full", "label_en", "type", "note")
ABBREVIATION_KINDS = ("level", "national-head", "national", "core", "suffix")
LEVELS = ("province", "city", "county")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_PLACE = r"[\u4e00-\u9fff]{2,8}?"


@dataclass(frozen=True)
class TypeRule:
    """A row of ``agency_types.csv``: the type and the patterns that recognise it."""

    type: AgencyType
    patterns: tuple[str, ...]
    prefix: str  # "level" | "party" | "none"
    parent: str | None  # slug of the body a sub-unit belongs to
    note: str
    line: int
    regexes: tuple[re.Pattern[str], ...]  # one per pattern, anchored at the end of a name


@dataclass(frozen=True)
class Abbreviation:
    """A row of ``abbreviations.csv``."""

    kind: str
    written: str
    full: str
    label_en: str
    type: str
    note: str
    line: int


# eq=False: hashed by identity, so caches keyed on the (large) tables cost nothing to look up.
@dataclass(frozen=True, eq=False)
class Tables:
    rules: tuple[TypeRule, ...]
    abbreviations: tuple[Abbreviation, ...]

    def kind(self, kind: str) -> dict[str, Abbreviation]:
        return {a.written: a for a in self.abbreviations if a.kind == kind}

    @functools.cached_property
    def levels(self) -> dict[str, Abbreviation]:
        return self.kind("level")

    @functools.cached_property
    def national(self) -> dict[str, Abbreviation]:
        return self.kind("national")

    @functools.cached_property
    def cores(self) -> dict[str, Abbreviation]:
        return self.kind("core")

    @functools.cached_property
    def national_heads(self) -> tuple[str, ...]:
        return tuple(sorted(self.kind("national-head"), key=len, reverse=True))

    @functools.cached_property
    def by_slug(self) -> dict[str, TypeRule]:
        return {r.type.slug: r for r in self.rules}

    @functools.cached_property
    def level_alternation(self) -> str:
        return _alternation(self.levels)

    def literal_patterns(self) -> list[tuple[TypeRule, str]]:
        """Every pattern, with ``{level}`` expanded to each level word; ``{place}`` ones left out."""
        out = []
        for rule in self.rules:
            for p in (p for p in rule.patterns if "{place}" not in p):
                out.extend((rule, p.replace("{level}", w)) for w in (self.levels if "{level}" in p else [p]))
        return out

    @functools.cached_property
    def suffixes(self) -> tuple[str, ...]:
        """How agency names end: the suffix rows and the last character of every pattern."""
        ends = set(self.kind("suffix")) | {w[-1] for _, w in self.literal_patterns()}
        return tuple(sorted(ends, key=len, reverse=True))


def _alternation(words: object) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # type: ignore[call-overload]


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """Rows with where they are (``file:line``); raises ``MappingTableError``."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != columns:
                raise MappingTableError(f"{path}:1: header must be {','.join(columns)}, found {reader.fieldnames}")
            rows = []
            for row in reader:
                if None in row or None in row.values():
                    raise MappingTableError(f"{path}:{reader.line_num}: expected {len(columns)} columns")
                rows.append((f"{path}:{reader.line_num}", {k: v.strip() for k, v in row.items()}))
            return rows
    except OSError as exc:
        raise MappingTableError(f"{path}: cannot read the table ({exc.strerror})") from exc


def load_tables(types_file: Path = TYPES_FILE, abbreviations_file: Path = ABBREVIATIONS_FILE) -> Tables:
    """Read and check both tables. Raises ``MappingTableError`` naming the file and line.

    >>> load_tables().by_slug["cast"].patterns
    ('科协', '科学技术协会')
    """
    abbreviations = []
    for where, r in _read_csv(abbreviations_file, ABBREVIATION_COLUMNS):
        if r["kind"] not in ABBREVIATION_KINDS or not r["written"]:
            raise MappingTableError(f"{where}: kind must be one of {', '.join(ABBREVIATION_KINDS)}, with a written form")
        if r["kind"] == "level" and r["full"] not in LEVELS:
            raise MappingTableError(f"{where}: a level's full must be one of {', '.join(LEVELS)}")
        abbreviations.append(Abbreviation(line=int(where.rsplit(":", 1)[1]), **r))
    level = "(?P<level>" + _alternation(a.written for a in abbreviations if a.kind == "level") + ")"
    rules: list[TypeRule] = []
    for where, r in _read_csv(types_file, TYPE_COLUMNS):
        patterns = tuple(p for p in r["patterns"].split("|") if p)
        problem = (
            (not _SLUG.fullmatch(r["slug"]) and f"slug {r['slug']!r} must be lower-case words joined by '-'")
            or (r["prefix"] not in ("level", "party", "none") and f"prefix must be level, party or none, not {r['prefix']!r}")
            or ((not patterns or not r["label_zh"] or not r["label_en"]) and "patterns, label_zh and label_en are required")
            or (any(re.search(r"[{}]", re.sub(r"\{(level|place)\}", "", p)) for p in patterns)
                and "only {level} and {place} may appear in braces")
            or (r["slug"] in (x.type.slug for x in rules) and f"slug {r['slug']!r} is used twice")
        )
        if problem:
            raise MappingTableError(f"{where}: {problem}")
        regexes = tuple(
            re.compile("(?:" + re.escape(p).replace(r"\{level\}", level).replace(r"\{place\}", _PLACE) + ")$")
            for p in patterns
        )
        kind = AgencyType(r["slug"], r["label_zh"], r["label_en"], r["national_counterpart"] or None)
        line = int(where.rsplit(":", 1)[1])
        rules.append(TypeRule(kind, patterns, r["prefix"], r["parent"] or None, r["note"], line, regexes))
    slugs = {r.type.slug for r in rules}
    for rule in rules:
        if rule.parent and rule.parent not in slugs:
            raise MappingTableError(f"{types_file}:{rule.line}: parent {rule.parent!r} is not a slug")
    for a in abbreviations:
        if a.kind == "national" and a.type not in slugs:
            raise MappingTableError(f"{abbreviations_file}:{a.line}: national body {a.written} needs a type slug")
    return Tables(tuple(rules), tuple(abbreviations))


@functools.cache
def tables() -> Tables:
    """The project's tables, loaded once per process."""
    return load_tables()


