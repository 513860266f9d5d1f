"""Resolve: the plan's region and every agency name → ``ResolvedPlan``.

An agency's region comes from how its name is written (``kg.agencies.parse_name``):

- a level word (省 市 区 县 州 …, also in 省委/团市委) is read against the plan's region chain:
  the nearest region whose name ends with it (赤壁市's plan: 市科协 is 赤壁市's), else the
  nearest of its level (福州市台江区's plan: 市科协 is 福州市's);
- a place (吉林省科协, 曲靖师院) is that place; a parent agency (吉林省人民政府办公厅) gives its own;
- national bodies (中国科协, 国家统计局, 中科院长春分院) are the nation;
- a sub-unit with no head (组宣部) belongs to the issuer of its parent type (广元市总工会);
- anything else is the plan's region.

The full name spells out the region and the type name (市科协 → 曲靖市科学技术协会, 市委宣传部 →
中共曲靖市委宣传部, 团区委 → 共青团福州市台江区委员会), from ``mappings/abbreviations.csv``.

>>> from kg.model import PlanMeta, PlanRecord
>>> plan = resolve_plan(PlanRecord("x.txt", "0", PlanMeta("曲靖市实施方案", issuers=["市科协"])))
>>> a = plan.agencies["市科协"]
>>> a.region.code, a.full_name, a.type.slug, a.label_en, a.pinyin
('530300', '曲靖市科学技术协会', 'cast', 'Qujing Municipal Association for Science and Technology', 'shi ke xie')
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from .agencies import ParsedName, parse_name
from .agency_tables import Abbreviation, Tables, tables
from .model import Agency, PlanMeta, PlanRecord, Region, ResolvedPlan
from .regions import NATION, find_region_prefix, region_by_code, region_chain, resolve_region

# 楚雄彝族自治州 → 楚雄州, 广西壮族自治区 → 广西自治区: English labels use the place, not the peoples
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)*自治([州县旗])$")
_AUTONOMOUS_REGION = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+(?=自治区$)")
_SMALL_WORDS = {"and", "of", "the", "for"}


def plan_region(meta: PlanMeta) -> Region | None:
    """The plan's region: from ``region_name``, else the title, else the issuers.

    >>> plan_region(PlanMeta("《福州市台江区全民科学素质行动计划纲要实施方案》")).code
    '350103'
    >>> plan_region(PlanMeta("全民科学素质行动规划纲要", issuers=["国务院"])) == NATION
    True
    """
    if meta.region_name:
        region = resolve_region(meta.region_name) or _prefix_region(meta.region_name)
        if region is not None:
            return region
    title = re.sub(r"[《》“”\"\s]", "", meta.title or "")
    region = _prefix_region(title)
    if region is not None:
        return region
    for issuer in meta.issuers:
        p = parse_name(issuer)
        if p.national:
            return NATION
        region = (resolve_region(p.place) if p.place else None) or _prefix_region(issuer)
        if region is not None:
            return region
    return None


def _prefix_region(text: str) -> Region | None:
    found = find_region_prefix(text)
    return found[0] if found else None


@dataclass
class _Context:
    region: Region | None
    chain: list[Region]
    issuers: dict[str, Agency] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def resolve_plan(record: PlanRecord) -> ResolvedPlan:
    """Resolve the plan's region and every agency it names (roles and issuers).

    >>> from kg.model import PlanMeta, PlanRecord
    >>> plan = resolve_plan(PlanRecord("x.txt", "0", PlanMeta("吉林省实施方案", issuers=["吉林省人民政府办公厅"])))
    >>> [r.code for r in plan.regions], plan.agencies["吉林省人民政府办公厅"].type.slug
    (['220000', '100000'], 'general-office')
    """
    region = plan_region(record.meta)
    ctx = _Context(region, region_chain(region) if region else [])
    if region is None:
        ctx.warnings.append("plan region not found (no place name in region, title or issuers)")
    agencies: dict[str, Agency] = {}
    for name in record.meta.issuers:
        agencies[name] = ctx.issuers[name] = resolve_agency(name, ctx)
    for unit in record.units():
        for mention in unit.roles:
            if mention.name not in agencies:
                agencies[mention.name] = resolve_agency(mention.name, ctx)
    _type_typos(agencies, ctx)
    regions: dict[str, Region] = {r.code: r for r in ctx.chain}
    for agency in agencies.values():
        for r in region_chain(agency.region):
            regions.setdefault(r.code, r)
    return ResolvedPlan(record, region, agencies, list(regions.values()), ctx.warnings)


def resolve_agency(name: str, ctx: _Context) -> Agency:
    """One agency name in the context of a plan (see the module docstring)."""
    p = parse_name(name)
    national = _national_body(name, tables())
    parent = _parent(p, ctx)
    region = _agency_region(p, parent, ctx)
    level = p.level or _leading_level(name)
    if level and not p.place and not p.national and parent is None and not _denotes(level, region):
        ctx.warnings.append(f"{name}: {level} names no level of the plan's region; filed under the plan's")
        return Agency(name, region, None, p.type, None, _pinyin(name))
    if national is not None:
        full: str | None = national.full + name[len(national.written):]
        label = national.label_en if national.written == name else None
    elif p.rule is None:
        full, label = _untyped_full_name(name, region), None
    else:
        full, label = _full_name(p, region, parent), _label_en(p, region, parent)
    return Agency(name, region, full, p.type, label, _pinyin(name))


def _parent(p: ParsedName, ctx: _Context) -> Agency | None:
    if p.parent:
        return resolve_agency(p.parent, ctx)
    if p.rule is not None and p.rule.parent and not p.head:  # 组宣部 of the issuing 总工会
        return next((a for a in ctx.issuers.values() if a.type and a.type.slug == p.rule.parent), None)
    return None


def _agency_region(p: ParsedName, parent: Agency | None, ctx: _Context) -> Region:
    if p.national:
        return NATION
    if parent is not None:
        return parent.region
    if p.place:
        region = next((r for r in ctx.chain if p.place in (r.name, _place_zh(r))), None)
        region = region or resolve_region(p.place, within=ctx.region) or _prefix_region(p.place)
        if region is not None:
            return region
        ctx.warnings.append(f"{p.name}: place {p.place} not found in the gazetteer")
    level = p.level or _leading_level(p.name)
    if level and ctx.chain:
        return _level_region(level, ctx.chain)
    if p.rule is None and (found := find_region_prefix(p.name, within=ctx.region)):
        return found[0]
    if ctx.region is None:
        ctx.warnings.append(f"{p.name}: no region (the plan's is unknown); filed under the nation")
        return NATION
    return ctx.region


def _leading_level(name: str) -> str | None:
    return next((w for w in sorted(tables().levels, key=len, reverse=True) if name.startswith(w)), None)


def _level_region(level: str, chain: list[Region]) -> Region:
    """The region a level word denotes, seen from a plan's region chain."""
    local = [r for r in chain if r.level != NATION.level]
    named = next((r for r in local if r.name.endswith(level)), None)
    if named is not None:
        return named
    wanted = tables().levels[level].full
    return next((r for r in local if r.level == wanted), chain[0])


def _denotes(level: str, region: Region) -> bool:
    return region.name.endswith(level) or region.level == tables().levels[level].full


def _place_zh(region: Region) -> str:
    """How agency names spell a region: 曲靖市; a district with its city, 福州市台江区."""
    if region.level == "county" and region.name.endswith("区") and region.parent_code:
        parent = region_by_code(region.parent_code)
        if parent is not None and parent.level == "city":
            return parent.name + region.name
    return region.name


def _core_row(core: str) -> Abbreviation | None:
    cores = tables().cores
    if core in cores:
        return cores[core]
    alternation = tables().level_alternation
    for written, row in cores.items():
        if "{level}" in written and re.fullmatch(written.replace("{level}", f"(?:{alternation})"), core):
            return row
    return None


def _full_name(p: ParsedName, region: Region, parent: Agency | None) -> str | None:
    row = _core_row(p.core)
    core_full = row.full if row else p.core
    if parent is not None:
        return (parent.full_name or parent.name) + core_full
    if p.place and not p.level:
        place = p.place
    elif p.level or (p.rule is not None and p.rule.prefix != "none" and region != NATION):
        place = _place_zh(region)
    else:
        return p.name  # an institution whose name is already whole (云南能源职业技术学院)
    if "{place}" in core_full:
        return core_full.format(place=place)
    if p.party:
        return f"中共{place}委{core_full}"
    head = p.head[2:] if p.head.startswith("中共") else p.head
    return (head if p.place and head.startswith(place) else place) + core_full


def _untyped_full_name(name: str, region: Region) -> str | None:
    level = _leading_level(name)
    if level and region != NATION:
        return _place_zh(region) + name[len(level):]
    return None


def _place_en(region: Region) -> str | None:
    if region == NATION:
        return None
    stem = _AUTONOMOUS_REGION.sub(r"\1", _AUTONOMOUS.sub(r"\1\2", region.name))
    level = next((w for w in sorted(tables().levels, key=len, reverse=True) if stem.endswith(w)), "")
    row = tables().levels.get(level)
    return row.label_en.format(name=_pinyin_name(stem[: len(stem) - len(level)])) if row else None


@functools.lru_cache(maxsize=65536)  # names recur across plans; pypinyin is a third of resolving
def _pinyin_name(text: str) -> str:
    return "".join(lazy_pinyin(text)).capitalize()


@functools.lru_cache(maxsize=65536)
def _pinyin(name: str) -> str:
    return " ".join(lazy_pinyin(name, v_to_u=True))


@functools.lru_cache(maxsize=65536)
def _national_body(name: str, t: Tables) -> Abbreviation | None:
    """The national body ``name`` is, or starts with (中科院长春分院 → 中科院)."""
    return t.national.get(name) or next(
        (a for w, a in t.national.items() if len(w) >= 3 and name.startswith(w)), None
    )


def _label_en(p: ParsedName, region: Region, parent: Agency | None) -> str | None:
    row = _core_row(p.core)
    if parent is not None:
        label = row.label_en if row and "{" not in row.label_en else None
        return f"{label} of the {parent.label_en}" if label and parent.label_en else None
    place = _place_en(region)
    if row is None:
        if p.rule is None or p.rule.prefix == "none" or place is None:
            return None
        words = p.rule.type.label_en.split()
        return place + " " + " ".join(w if w in _SMALL_WORDS else w[:1].upper() + w[1:] for w in words)
    name = _pinyin_name(p.place[: len(p.place) - 1] if p.place and p.place[-1] in "省市区县" else p.place or "")
    if "{place}" in row.label_en and place:
        return row.label_en.format(place=place, name=name)
    if "{name}" in row.label_en and name:
        return row.label_en.format(place=place, name=name)
    return None


def _type_typos(agencies: dict[str, Agency], ctx: _Context) -> None:
    """An untyped name one character away from a typed one in the same plan is that body
    misspelt (云南工业技师学联 beside 云南工业技师学院): give it that type and region."""
    typed = [a for a in agencies.values() if a.type is not None]
    for name, agency in list(agencies.items()):
        if agency.type is not None or len(name) < 5:
            continue
        for other in typed:
            if len(other.name) == len(name) and sum(x != y for x, y in zip(name, other.name)) == 1:
                agencies[name] = Agency(name, other.region, None, other.type, None, agency.pinyin)
                ctx.warnings.append(f"{name}: no type of its own; typed as {other.name} (one character apart)")
                break
