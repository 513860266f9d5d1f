"""Agency names (机构名称): split lists as written, expand dropped prefixes, classify.

The knowledge is data: ``mappings/agency_types.csv`` and ``mappings/abbreviations.csv``
(see ``kg.agency_tables``).

A name is read as *head* + *core*: the core is what a type pattern matched (科协), the head
what precedes it — a level word (市), a party head (市委, 中共曲靖市委), a place (吉林省, 曲靖), a
parent agency (吉林省人民政府 in 吉林省人民政府办公厅) or a national head (国家).

>>> classify("市科协").slug, classify("团区委").slug, classify("省人力资源社会保障厅").slug
('cast', 'youth-league', 'hrss')
>>> split_agency_list("区人社局区总工会、区科技局、、区经信局等单位")
['区人社局', '区总工会', '区科技局', '区经信局']
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .agency_tables import Tables, TypeRule, tables
from .model import AgencyType
from .paths import CACHE_DIR
from .regions import find_region_prefix, resolve_region

def agency_types() -> list[AgencyType]:
    """Every agency type of ``mappings/agency_types.csv``, in table order.

    >>> [t.slug for t in agency_types()][:3]
    ['cast', 'education', 'hrss']
    """
    return [r.type for r in tables().rules]


@dataclass(frozen=True)
class ParsedName:
    """How a name is built: ``head`` + ``core`` (the part a type pattern matched)."""

    name: str
    rule: TypeRule | None
    core: str
    head: str
    level: str | None = None  # a level word written in the head or the core (市, 区)
    party: bool = False  # a party body (市委宣传部, 中共曲靖市委宣传部)
    place: str | None = None  # a place written in the head (吉林省, 曲靖)
    parent: str | None = None  # an agency written in the head (吉林省人民政府)
    national: bool = False

    @property
    def type(self) -> AgencyType | None:
        return self.rule.type if self.rule else None


_ALIAS = re.compile(r"[（(][^（()）]{2,20}[）)]$")  # a second name of the same body, in brackets


def _is_place(text: str) -> bool:
    found = find_region_prefix(text)
    return (found is not None and found[1] == len(text)) or resolve_region(text) is not None


def _read_head(head: str, t: Tables) -> dict[str, object] | None:
    """What a head says, or None when it is not a clean head."""
    h, party = (head[2:], True) if head.startswith("中共") else (head, False)
    if h == "":
        return {"party": party}
    if h in t.national_heads:
        return {"national": True, "party": party}
    if h in t.levels:
        return {"level": h, "party": party}
    if h.endswith("委") and h[:-1] in t.levels:
        return {"level": h[:-1], "party": True}
    if h.endswith("委") and _is_place(h[:-1]):
        return {"place": h[:-1], "party": True}
    if _is_place(h):
        return {"place": h, "party": party}
    if parse_name(h).rule is not None:
        return {"parent": h, "party": party}
    return None


@functools.lru_cache(maxsize=65536)
def parse_name(name: str) -> ParsedName:
    """Read a name as head + core and find its type.

    >>> p = parse_name("吉林省人民政府办公厅")
    >>> p.type.slug, p.parent, p.core
    ('general-office', '吉林省人民政府', '办公厅')
    >>> p = parse_name("中共曲靖市委宣传部")
    >>> p.type.slug, p.place, p.party
    ('propaganda', '曲靖市', True)
    >>> parse_name("州委宣传部（州新闻出版局）").type.slug
    'propaganda'
    """
    main = _ALIAS.sub("", name)
    if main != name and len(main) >= 2:  # 州委党校（州行政学院）: typed by its first name
        return dataclasses.replace(parse_name(main), name=name)
    t = tables()
    national = t.national.get(name)
    if national is None:
        national = next((a for w, a in t.national.items() if len(w) >= 3 and name.startswith(w)), None)
    if national is not None and national.written == name:
        return ParsedName(name, t.by_slug[national.type], name, "", national=True)
    matches = sorted(
        ((rule, m) for rule in t.rules for rx in rule.regexes if (m := rx.search(name))),
        key=lambda rm: rm[1].start(),
    )
    best = None
    for rule, m in matches:  # the longest core whose head reads cleanly
        info = _read_head(name[: m.start()], t)
        if info is not None:
            best = (rule, m, info)
            break
    if best is None and matches:  # 云南工业技师学院: an unclean head; find a place at its start
        rule, m = matches[0]
        head = name[: m.start()]
        place = next((head[:k] for k in range(len(head), 1, -1) if _is_place(head[:k])), None)
        best = (rule, m, {"place": place})
    if best is None:
        return ParsedName(name, None, "", "", national=national is not None)
    rule, m, info = best
    level = m.groupdict().get("level") or info.get("level")
    return ParsedName(
        name, rule, name[m.start():], name[: m.start()], level=level,  # type: ignore[arg-type]
        party=bool(info.get("party")) or rule.prefix == "party" or rule.type.slug == "party-committee",
        place=info.get("place"), parent=info.get("parent"),  # type: ignore[arg-type]
        national=national is not None or bool(info.get("national")),
    )


def classify(name: str) -> AgencyType | None:
    """The agency type of a name as written, or None.

    >>> classify("中科院长春分院").slug, classify("组宣部").slug, classify("曲靖师院").slug
    ('cas', 'union-department', 'university')
    >>> classify("某某公司") is None
    True
    """
    return parse_name(name).type


# ---- splitting ------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、，,；;/／\s]+")
_TRAILING = re.compile(r"(?:等单位|等部门|等|牵头|配合|参加|参与|协助|负责)+$")
_LEADING = re.compile(r"^由")


def split_agency_list(cell: str) -> list[str]:
    """Split a list of agency names as written.

    Separators are 、，,；;/ and white space, and 和/及/与 between names; trailing 等/等单位/等部门/牵头/配合/参加 and a
    leading 由 are removed, empty items dropped, and names glued without a separator split at
    name boundaries (jieba with a dictionary built from ``mappings/``).

    >>> split_agency_list("由省教育厅、  团省委牵头")
    ['省教育厅', '团省委']
    >>> split_agency_list("区教育局团区委、市委宣传部市科协")
    ['区教育局', '团区委', '市委宣传部', '市科协']
    """
    names: list[str] = []
    for part in _SEPARATORS.split(cell):
        part = _TRAILING.sub("", _LEADING.sub("", part.strip()))
        for piece in _split_conjunctions(part) if part else ():
            names.extend(_split_glued(piece))
    return names


_CONJUNCTIONS = re.compile(r"以及|和|及|与")


def _split_conjunctions(part: str) -> list[str]:
    """市科协和市教育局 → two names; 人力资源和社会保障局 stays one (人力资源 ends no name)."""
    t = tables()
    pieces, start = [], 0
    for m in _CONJUNCTIONS.finditer(part):
        left, right = part[start : m.start()], part[m.end() :]
        if len(left) >= 2 and left.endswith(t.suffixes) and right and _starts_name(right, left, t):
            pieces.append(left)
            start = m.end()
    pieces.append(part[start:])
    return pieces


def _is_head_only(text: str, t: Tables) -> bool:
    """A level or party head with nothing after it (市, 市委, 中共曲靖市委)."""
    h = text[2:] if text.startswith("中共") else text
    return h in t.levels or (h.endswith("委") and (h[:-1] in t.levels or _is_place(h[:-1])))


@functools.cache
def _name_starts(t: Tables) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """How a following name may begin: a head (national, party, level), and the type names
    that stand alone (not sub-units such as 办公室 or 组宣部)."""
    heads = sorted({*t.national_heads, *t.national, "中共", "共青团"}, key=len, reverse=True)
    opener = re.compile(f"(?:{'|'.join(map(re.escape, heads))}|团(?:{t.level_alternation})委|{t.level_alternation})")
    cores = sorted({w for rule, w in t.literal_patterns() if rule.parent is None and len(w) >= 2}, key=len, reverse=True)
    return opener, tuple(cores)


def _starts_name(right: str, left: str, t: Tables) -> bool:
    """Whether ``right`` opens a new name after ``left``: a head, a place (吉林省, 曲靖师院),
    a stand-alone type name (妇联 after 团委), or a sub-unit after a sub-unit (保障部法律部)."""
    opener, cores = _name_starts(t)
    if opener.match(right):
        return True
    found = find_region_prefix(right)
    if found is not None and right[found[1] - 1] in "省市区县州旗盟":
        return True
    if any(len(right) > k + 1 and resolve_region(right[:k]) is not None for k in (2, 3)):
        return True
    if _is_head_only(left, t):
        return False
    left_rule = parse_name(left).rule
    if left_rule is not None and left_rule.parent is not None:
        return any(right.startswith(p) for rule in t.rules if rule.parent for p in rule.patterns)
    return right.startswith(cores)


@functools.lru_cache(maxsize=65536)  # the same lists of names recur across plans
def _split_glued(part: str) -> tuple[str, ...]:
    t = tables()
    cut_at = [i for i in range(2, len(part) - 1) if part[:i].endswith(t.suffixes) and _starts_name(part[i:], part[:i], t)]
    if not cut_at:
        return (part,)
    bounds = _token_bounds(part)
    pieces, start = [], 0
    for n, i in enumerate(cut_at):
        left = part[start:i]
        # never cut inside the core a type pattern matched across the cut (中科院长春分院)
        piece = parse_name(part[start : cut_at[n + 1] if n + 1 < len(cut_at) else len(part)])
        inside = piece.rule is not None and start + len(piece.head) < i
        if i in bounds and not inside and len(left) >= 2 and left.endswith(t.suffixes) and _starts_name(part[i:], left, t):
            pieces.append(left)
            start = i
    pieces.append(part[start:])
    return tuple(pieces)


@functools.cache
def _tokenizer():  # -> jieba.Tokenizer; jieba is imported only when a glued name is met
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    words = agency_dictionary()
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(CACHE_DIR)
    tok.cache_file = "jieba.cache"
    cache = _dictionary_cache(jieba.__version__, words)
    # jieba reads its own cache with marshal.load(file), which pulls the 9 MB object by
    # object (1.2-1.9 s in a fresh process); marshal.loads of the bytes takes 0.4 s. The
    # cached dictionary already holds the user words, so a fresh `kg build` adds nothing.
    try:
        tok.FREQ, tok.total = _read_dictionary(cache)
        tok.initialized = True
    except (OSError, ValueError, EOFError, TypeError):
        tok.initialize()
        for word in words:
            tok.add_word(word, freq=2000)
        _write_dictionary(cache, tok.FREQ, tok.total)
    return tok


def _import_jieba():  # -> the jieba module
    """jieba imports pkg_resources (deprecated, and 0.2-0.4 s of a fresh `kg build`) only to
    find its own data files, and opens them by path when that import fails: so it is made to fail."""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import pkg_resources` raises ImportError
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def _dictionary_cache(jieba_version: str, words: list[str]) -> Path:
    """Where jieba's prefix dictionary with our words added is cached: keyed by jieba's
    version and the words, so a change to ``mappings/`` makes a new one."""
    key = hashlib.sha256("\n".join([jieba_version, *words]).encode()).hexdigest()[:16]
    return CACHE_DIR / f"jieba.agencies.{key}.cache"


def _read_dictionary(path: Path) -> tuple[dict[str, int], int]:
    freq, total = marshal.loads(path.read_bytes())
    if not isinstance(freq, dict) or not isinstance(total, int):
        raise TypeError(f"{path}: not a jieba prefix dictionary")
    return freq, total


def _write_dictionary(path: Path, freq: dict[str, int], total: int) -> None:
    """Written aside and renamed, so a concurrent build never reads half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps((freq, total)))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder costs time on the next run, not correctness


def agency_dictionary() -> list[str]:
    """jieba's user dictionary, built from the tables: type names × level and party heads,
    and national bodies.

    >>> words = agency_dictionary()
    >>> all(w in words for w in ("区人社局", "团区委", "市委宣传部", "中国科协"))
    True
    """
    t = tables()
    words = set(t.national)
    for rule, w in t.literal_patterns():
        words.add(w)
        if rule.prefix != "none":
            words.update(level + w for level in t.levels)
        if rule.prefix == "party":
            words.update(level + "委" + w for level in t.levels)
    return sorted(words)


def _token_bounds(text: str) -> set[int]:
    bounds, pos = set(), 0
    for token in _tokenizer().cut(text, HMM=False):
        pos += len(token)
        bounds.add(pos)
    return bounds


# ---- dropped prefixes -----------------------------------------------------------------


def expand_prefixes(names: list[str]) -> list[tuple[str, str | None]]:
    """Restore a head a list drops after its first name: 市委组织部、宣传部 → 市委宣传部.

    Returns (name, written) pairs; ``written`` is the name as written when it was expanded,
    else None. Only bare type names after a sibling with a level or place head are expanded.

    >>> expand_prefixes(["市委组织部", "宣传部", "教育局", "团委"])
    [('市委组织部', None), ('市委宣传部', '宣传部'), ('市教育局', '教育局'), ('团市委', '团委')]
    >>> expand_prefixes(["组宣部", "经济部"])
    [('组宣部', None), ('经济部', None)]
    """
    out: list[tuple[str, str | None]] = []
    base: ParsedName | None = None
    for name in names:
        p = parse_name(name)
        bare = p.rule is not None and p.core == name and not p.national and p.level is None
        if bare and base is not None and p.rule is not None and p.rule.prefix != "none":
            out.append((_with_head(p, base), name))
            continue
        if p.level or p.place:
            base = p
        out.append((name, None))
    return out


def _with_head(bare: ParsedName, sibling: ParsedName) -> str:
    where = sibling.level or sibling.place or ""
    chinese_party = "中共" if sibling.head.startswith("中共") else ""
    if bare.name == "团委" and sibling.level:
        return f"团{where}委"
    if bare.rule is not None and bare.rule.prefix == "party":
        return f"{chinese_party}{where}委{bare.name}"
    return where + bare.name
