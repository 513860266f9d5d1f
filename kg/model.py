"""The dataclasses that flow between the pipeline steps.

read → ``Text`` → outline (internal to ``kg.outline``) → extract → ``PlanRecord``
→ resolve → ``ResolvedPlan`` → map (``kg.rdf``) → quads.

Everything up to ``ResolvedPlan`` is plain Python: no RDF library is imported here or by
the steps that produce these objects. ``kg.rdf`` consumes them and knows nothing of text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` in ``Text.text`` (the normalised text)."""

    start: int
    end: int


@dataclass(frozen=True)
class Text:
    """A decoded and normalised document.

    ``text`` is simplified Chinese with glued pinyin removed and punctuation folded
    (see ``kg.read``). ``raw_offsets[i]`` is the index in ``raw`` (the decoded but
    unnormalised string) of character ``i`` of ``text``, so spans can be shown against
    the original file.
    """

    source: str  # the input file's base name, e.g. "002_57a6c5265831e3de.txt"
    text: str
    raw: str
    encoding: str  # what the bytes were decoded as, e.g. "utf-8", "gb18030", "utf-16"
    content_hash: str  # sha256 of the raw bytes, hex
    raw_offsets: tuple[int, ...] = ()


class Role(str, Enum):
    """How a unit names an agency.

    牵头 → LEAD, 配合/参加/参与/协同 → COOPERATING, 责任单位/负责 → RESPONSIBLE.
    """

    LEAD = "lead"
    COOPERATING = "cooperating"
    RESPONSIBLE = "responsible"


@dataclass(frozen=True)
class RoleMention:
    """One agency named in one role by one unit.

    ``name`` is the name as written (simplified), with trailing 等/等单位/牵头/配合 removed.
    When a list drops a shared prefix (市委组织部、宣传部), ``name`` is the expanded form
    (市委宣传部) and ``written`` keeps what the document wrote (宣传部).
    """

    role: Role
    name: str
    span: Span | None = None
    written: str | None = None


class UnitKind(str, Enum):
    ACTION = "action"  # 行动/工程/任务 section, or a project column of a 任务分解表
    MEASURE = "measure"  # 措施, a —— item, a numbered task or a table row


@dataclass
class TargetStatement:
    """A quantitative target, e.g. 到2025年…比例达到13% → value 13, unit "%", year 2025, ">="."""

    text: str  # the clause that states it, as in the normalised text
    indicator: str  # what is measured
    value: Decimal
    unit: str  # "%", "人", "个", "人次", "名", "次", …
    comparator: str  # ">", ">=", "=", "<=", "<"
    value_max: Decimal | None = None  # upper end of a range (1.5%—2.5%)
    year: int | None = None  # the year it is due, None for recurring or undated targets
    span: Span | None = None


@dataclass
class Unit:
    """An Action (section) or Measure (item) of a plan, with the roles it states itself."""

    kind: UnitKind
    ordinal: int  # 1-based position in its parent
    title: str  # heading, or text up to the first 。 without its numbering
    text: str  # the unit's whole text (normalised); for actions, the heading line
    span: Span | None = None
    roles: list[RoleMention] = field(default_factory=list)
    targets: list[TargetStatement] = field(default_factory=list)
    measures: list[Unit] = field(default_factory=list)  # only on actions


@dataclass(frozen=True)
class DocumentRef:
    """A document a plan says it implements (贯彻落实/根据/依据《…》(文号))."""

    title: str | None  # without 《》
    doc_number: str | None  # 文号 with 〔〕 brackets, e.g. "国发〔2021〕9号"


@dataclass
class PlanMeta:
    title: str
    region_name: str | None = None  # as written, e.g. "福州市台江区"; resolved later
    start_year: int | None = None
    end_year: int | None = None
    doc_number: str | None = None  # 文号, brackets normalised to 〔〕
    issued: dt.date | None = None
    issuers: list[str] = field(default_factory=list)  # agency names as written
    implements: list[DocumentRef] = field(default_factory=list)


@dataclass
class PlanRecord:
    """Everything extracted from one document, before names are resolved."""

    source: str
    content_hash: str
    meta: PlanMeta
    actions: list[Unit] = field(default_factory=list)
    targets: list[TargetStatement] = field(default_factory=list)  # plan-level targets
    warnings: list[str] = field(default_factory=list)

    def units(self) -> list[Unit]:
        """Actions and their measures, in document order."""
        out: list[Unit] = []
        for action in self.actions:
            out.append(action)
            out.extend(action.measures)
        return out


# ---- resolve step -------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """An administrative division; ``code`` is GB/T 2260 (national = "100000")."""

    code: str
    name: str  # full official name, e.g. "福州市台江区" → name "台江区"
    level: str  # "national" | "province" | "city" | "county"
    parent_code: str | None = None


@dataclass(frozen=True)
class AgencyType:
    """A row of ``mappings/agency_types.csv``: a kind of agency, the same across regions."""

    slug: str  # English notation, e.g. "cast", "education", "hrss", "trade-union"
    label_zh: str
    label_en: str
    national_counterpart: str | None = None  # e.g. 中国科协


@dataclass(frozen=True)
class Agency:
    """One agency in one region. ``key`` is unique per (region, name) and used in IRIs."""

    name: str  # as written in the document, e.g. "市科协"
    region: Region
    full_name: str | None = None  # e.g. "曲靖市科学技术协会"
    type: AgencyType | None = None
    label_en: str | None = None
    pinyin: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.region.code, self.name)


@dataclass
class ResolvedPlan:
    """A ``PlanRecord`` with its region and every agency name resolved."""

    record: PlanRecord
    region: Region | None
    agencies: dict[str, Agency]  # by name as written (RoleMention.name / issuer name)
    regions: list[Region]  # the plan's region and its parents up to the nation
    warnings: list[str] = field(default_factory=list)
