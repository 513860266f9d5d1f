"""Regions: place names → GB/T 2260 codes and parents, from the cpca gazetteer's tables.

The names and codes come from the data file that ships inside the ``cpca`` package
(``cpca/resources/adcodes.csv``, 3,500 divisions). It is read directly, once, on first use:
importing ``cpca`` itself builds an Aho-Corasick automaton through the deprecated
``pkg_resources`` and its ``transform`` returns pandas frames — far too slow for a per-name
lookup over 10,000 documents, and it picks the first of several same-named districts
silently, where we want a parent context or no answer.

Levels follow the code: ``xx0000`` province (also the four municipalities 北京/上海/天津/重庆),
``xxxx00`` city (地级), anything else county (县级, including 县级市 such as 赤壁市 and the
省直辖县 such as 仙桃市, whose parent is the province). The gazetteer's placeholder rows
(市辖区, 县, 省直辖县级行政区划) are never returned; a district of a municipality has the
municipality itself as parent. The nation is ``NATION``: code "100000" is a project
convention (GB/T 2260 has no national code).

>>> resolve_region("福州市台江区")
Region(code='350103', name='台江区', level='county', parent_code='350100')
>>> [r.code for r in region_chain(region_by_code("350103"))]
['350103', '350100', '350000', '100000']
>>> find_region_prefix("吉林省科协")
(Region(code='220000', name='吉林省', level='province', parent_code='100000'), 3)
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import KgError
from .model import Region

NATION = Region(code="100000", name="中华人民共和国", level="national", parent_code=None)

# How plans name the whole country. 国家 and 中国 also open national agency names
# (国家统计局, 中国科协), which is why find_region_prefix accepts them.
NATION_NAMES = ("中华人民共和国", "全国", "国家", "中国")

# Rows of the gazetteer that stand for "no city level here", not for a place.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# The short forms cpca itself accepts: the name without 省/市/自治区/特别行政区, and the
# usual short names of the autonomous regions.
_SUFFIX = re.compile(r"(省|市|自治区|特别行政区)$")
_SPECIAL_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}

_LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}


@dataclass(frozen=True)
class _Gazetteer:
    by_code: dict[str, Region]
    by_name: dict[str, tuple[Region, ...]]  # official names
    by_short: dict[str, tuple[Region, ...]]  # short forms (吉林 → 吉林省, 吉林市)
    longest: int


def _data_file() -> Path:
    """cpca's adcode table, located without importing cpca (see the module docstring)."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise KgError("the gazetteer package cpca is not installed (pip install cpca)")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


@functools.cache
def _gazetteer() -> _Gazetteer:
    path = _data_file()
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names[row["adcode"][:6]] = row["name"].strip()

    def parent(code: str) -> str:
        if code.endswith("0000"):
            return NATION.code
        city = code[:4] + "00"
        if not code.endswith("00") and names.get(city) not in (None, *_PLACEHOLDERS):
            return city
        return code[:2] + "0000"

    by_code = {
        code: Region(code=code, name=name, level=_level(code), parent_code=parent(code))
        for code, name in names.items()
        if name not in _PLACEHOLDERS
    }
    by_name: dict[str, list[Region]] = {}
    by_short: dict[str, list[Region]] = {}
    for region in by_code.values():
        by_name.setdefault(region.name, []).append(region)
        short = _SPECIAL_SHORT.get(region.name) or _SUFFIX.sub("", region.name)
        if short != region.name and len(short) >= 2:
            by_short.setdefault(short, []).append(region)
    return _Gazetteer(
        by_code=by_code,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        longest=max(len(n) for n in (*by_name, *NATION_NAMES)),
    )


def region_by_code(code: str) -> Region | None:
    """The division with this six-digit GB/T 2260 code ("100000" → ``NATION``), or None.

    >>> region_by_code("530300").name
    '曲靖市'
    >>> region_by_code("110100") is None  # 市辖区: a placeholder, not a place
    True
    """
    if code == NATION.code:
        return NATION
    return _gazetteer().by_code.get(code)


def region_chain(region: Region) -> list[Region]:
    """The region, its parents up to the province, then ``NATION``.

    >>> [r.name for r in region_chain(resolve_region("仙桃市"))]
    ['仙桃市', '湖北省', '中华人民共和国']
    """
    return list(_chain(region))


@functools.cache
def _chain(region: Region) -> tuple[Region, ...]:
    chain = [region]
    while chain[-1].parent_code is not None:
        parent = region_by_code(chain[-1].parent_code)
        if parent is None:  # cannot happen for gazetteer regions; guards hand-made ones
            chain.append(NATION)
            break
        chain.append(parent)
    return tuple(chain)


def _is_within(region: Region, ancestor: Region) -> bool:
    return ancestor in _chain(region)


def _closeness(region: Region, context: Region | None) -> int:
    """How many divisions ``region`` shares with ``context`` (0 without a context)."""
    if context is None:
        return 0
    return len(set(_chain(region)) & set(_chain(context)))


def _choose(candidates: list[Region], within: Region | None) -> Region | None:
    """One region from several readings of a name: the closest to the context, then the
    highest level (吉林 → 吉林省 rather than 吉林市); None when that still leaves a tie."""
    if not candidates:
        return None
    best = max(_closeness(r, within) for r in candidates)
    closest = [r for r in candidates if _closeness(r, within) == best]
    top = min(_LEVEL_RANK[r.level] for r in closest)
    highest = [r for r in closest if _LEVEL_RANK[r.level] == top]
    return highest[0] if len(highest) == 1 else None


def _scan(text: str, *, whole: bool) -> tuple[list[Region], int] | None:
    """Read consecutive division names from the start of ``text``, each inside the last.

    Returns the readings of the last name and where the names end. Short forms (曲靖, 广西)
    are read only when followed by a further name (曲靖麒麟区) or, with ``whole``, when they
    are the whole text: a bare short form at the start of a name is too often a word
    (中山大学).
    """
    g = _gazetteer()
    for name in sorted(NATION_NAMES, key=len, reverse=True):
        if text.startswith(name):
            if whole and len(text) != len(name):
                break
            return [NATION], len(name)
    current: list[Region] = []
    pos = 0
    while pos < len(text):
        step = None
        for length in range(min(g.longest, len(text) - pos), 1, -1):
            piece = text[pos : pos + length]
            inside = [
                [r for r in readings if not current or any(_is_within(r, c) for c in current)]
                for readings in (g.by_name.get(piece, ()), g.by_short.get(piece, ()))
            ]
            found = inside[0] or inside[1]  # an official name wins over a short form
            if not found:
                continue
            if not inside[0]:
                ends = pos + length == len(text)
                if not (whole and ends) and not _scan_continues(text[pos + length :], found):
                    continue
            step = (found, pos + length)
            break
        if step is None:
            break
        current, pos = step
    if not current or (whole and pos != len(text)):
        return None
    return current, pos


def _scan_continues(rest: str, parents: list[Region]) -> bool:
    """Whether ``rest`` opens with the official name of a division inside one of ``parents``."""
    g = _gazetteer()
    for length in range(min(g.longest, len(rest)), 1, -1):
        if any(_is_within(r, p) for r in g.by_name.get(rest[:length], ()) for p in parents):
            return True
    return False


@functools.lru_cache(maxsize=65536)
def resolve_region(name: str, *, within: Region | None = None) -> Region | None:
    """The division a place name denotes, as written in a plan title or agency prefix.

    The name may chain levels (福州市台江区) and use cpca's short forms (曲靖, 广西).
    ``within`` is the context (e.g. the plan's region) that settles names several
    divisions share: 鼓楼区 is in 福州, 南京, 徐州 and 开封. Returns None for unknown names and
    for ties the context cannot settle — never a guess.

    >>> resolve_region("广元市")
    Region(code='510800', name='广元市', level='city', parent_code='510000')
    >>> resolve_region("全国") == NATION
    True
    >>> resolve_region("鼓楼区") is None
    True
    >>> resolve_region("鼓楼区", within=resolve_region("福州市")).code
    '350102'
    """
    text = re.sub(r"\s+", "", name)
    scanned = _scan(text, whole=True)
    if scanned is None:
        return None
    return _choose(scanned[0], within)


@functools.lru_cache(maxsize=65536)
def find_region_prefix(text: str, *, within: Region | None = None) -> tuple[Region, int] | None:
    """The longest run of division names at the start of ``text``, and its length.

    For agency names and titles: 吉林省科协 → (吉林省, 3); 福州市台江区教育局 → (台江区, 6);
    国家统计局 → (NATION, 2). Short forms count only when a further name follows them.
    ``within`` settles shared names as in ``resolve_region``.

    >>> find_region_prefix("福州市台江区教育局")[0].code, find_region_prefix("福州市台江区教育局")[1]
    ('350103', 6)
    >>> find_region_prefix("市科协") is None
    True
    """
    scanned = _scan(text, whole=False)
    if scanned is None:
        return None
    region = _choose(scanned[0], within)
    return None if region is None else (region, scanned[1])
