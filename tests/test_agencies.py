"""Agency names: splitting, dropped prefixes, types, and the two mapping tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.agencies import agency_dictionary, classify, expand_prefixes, parse_name, split_agency_list
from kg.agency_tables import ABBREVIATIONS_FILE, TYPES_FILE, load_tables, tables
from kg.errors import MappingTableError
from kg.paths import CACHE_DIR
from kg.resolve import _core_row

GOLD = Path(__file__).resolve().parent / "gold"
WIKIDATA = Path(__file__).resolve().parents[1] / "mappings" / "wikidata.csv"
TYPO = "云南工业技师学联"  # gold NOTES: a typo for 云南工业技师学院, typed through its sibling in resolve


def gold_names() -> list[str]:
    names: set[str] = set()
    for path in sorted(GOLD.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        names.update(doc["plan"]["issuers"])
        for unit in doc["units"]:
            for role in ("lead", "cooperating", "responsible"):
                names.update(unit.get(role) or [])
    return sorted(names)


NAMES = gold_names()


def test_gold_has_the_agencies_we_think() -> None:
    assert len(NAMES) == 102 and TYPO in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_gold_name_survives_splitting(name: str) -> None:
    assert split_agency_list(name) == [name]


def test_every_gold_name_but_the_typo_has_a_type() -> None:
    assert [n for n in NAMES if classify(n) is None] == [TYPO]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("市科协", "cast"), ("吉林省科协", "cast"), ("市教体局", "education"), ("省教育厅", "education"),
        ("区人社局", "hrss"), ("省人力资源社会保障厅", "hrss"), ("区总工会", "trade-union"),
        ("吉林省工商联", "federation-industry-commerce"), ("省委宣传部", "propaganda"),
        ("区委组织部", "organization"), ("团省委", "youth-league"), ("团区委", "youth-league"),
        ("省妇联", "women-federation"), ("省科技厅", "science-technology"), ("省卫生计生委", "health"),
        ("区卫计局", "health"), ("市卫健委", "health"), ("区文体局", "culture-tourism"),
        ("省新闻出版广电局", "radio-tv"), ("省安监局", "emergency"), ("市应急管理局", "emergency"),
        ("省农委", "agriculture"), ("省农业厅", "agriculture"), ("曲靖市人民政府", "government"),
        ("吉林省人民政府办公厅", "general-office"), ("曲靖师院", "university"),
        ("云南能源职业技术学院", "vocational-college"), ("省社科院", "cass"), ("市农科院", "agricultural-academy"),
        ("中科院长春分院", "cas"), ("组宣部", "union-department"), ("法律部", "union-department"),
        ("市市场监管局", "market-regulation"), ("省直机关党工委", "organs-work-committee"),
        ("区委党校", "party-school"), ("市委网信办", "cyberspace"), ("区委文明办", "civilization-office"),
        # other places and spellings of the genre
        ("县委", "party-committee"), ("共青团曲靖市委", "youth-league"), ("市团委", "youth-league"),
        ("自治区科协", "cast"), ("州教育局", "education"), ("县农业农村局", "agriculture"),
        ("中国科协", "cast"), ("教育部", "education"), ("国家统计局", "statistics"), ("国务院办公厅", "general-office"),
    ],
)
def test_classify(name: str, slug: str) -> None:
    kind = classify(name)
    assert kind is not None and kind.slug == slug


def test_unknown_names_have_no_type() -> None:
    assert classify("某某有限公司") is None and classify("各级科协") is not None  # generic, but a 科协


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        # 003's table cells (gold NOTES: agency splitting, other cleaning)
        ("区教育局团区委、区科协", ["区教育局", "团区委", "区科协"]),
        ("区人社局区总工会", ["区人社局", "区总工会"]),
        ("区人社局\n区总工会", ["区人社局", "区总工会"]),
        ("区科技局、、区经信局", ["区科技局", "区经信局"]),
        ("区委宣传部、区委文明办、区妇联、区社科联等", ["区委宣传部", "区委文明办", "区妇联", "区社科联"]),
        # 001's 分工 sentences, and trailing role words
        ("由省教育厅、  团省委", ["省教育厅", "团省委"]),
        ("省总工会、团省委、省妇联等单位配合", ["省总工会", "团省委", "省妇联"]),
        ("市科协牵头", ["市科协"]),
        ("组宣部,经济部；保障部/法律部", ["组宣部", "经济部", "保障部", "法律部"]),
        ("市科协和市教育局及团市委", ["市科协", "市教育局", "团市委"]),
        ("市人力资源和社会保障局、市自然资源和规划局", ["市人力资源和社会保障局", "市自然资源和规划局"]),
        ("市文化和旅游局与市卫生和计划生育委员会", ["市文化和旅游局", "市卫生和计划生育委员会"]),
        # glued names in other regions and levels
        ("县教育局县人社局", ["县教育局", "县人社局"]),
        ("市委宣传部市科协", ["市委宣传部", "市科协"]),
        ("州委宣传部州科协州教育局", ["州委宣传部", "州科协", "州教育局"]),
        ("自治区科协自治区教育厅", ["自治区科协", "自治区教育厅"]),
        ("吉林省科协吉林省总工会", ["吉林省科协", "吉林省总工会"]),
        ("团委妇联", ["团委", "妇联"]),
        ("区城管局区住建局", ["区城管局", "区住建局"]),  # 城管局 is in no table: the suffix model
        ("市委市政府", ["市委", "市政府"]),
        ("中科院长春分院省农科院", ["中科院长春分院", "省农科院"]),
        ("保障部法律部", ["保障部", "法律部"]),
        # one name each: heads, parents and words that look like boundaries
        ("中共曲靖市委宣传部", ["中共曲靖市委宣传部"]),
        ("共青团曲靖市委", ["共青团曲靖市委"]),
        ("市总工会组宣部", ["市总工会组宣部"]),
        ("市人民政府办公室", ["市人民政府办公室"]),
        ("城乡社区科协", ["城乡社区科协"]),  # 社|区 is no boundary: jieba keeps 社区 whole
    ],
)
def test_split_agency_list(cell: str, names: list[str]) -> None:
    assert split_agency_list(cell) == names


def test_glued_pairs_of_gold_names_split() -> None:
    """Each gold name glued to its neighbours (in sorted order) splits back. A bare trade-union
    department (组宣部) is left joined after anything but another department: 市总工会组宣部 is one."""
    named = [n for n in NAMES if n != TYPO]
    departments = {n for n in named if parse_name(n).rule and parse_name(n).rule.parent and not parse_name(n).head}
    for a, b in zip(named, named[3:] + named[:3]):
        for left, right in ((a, b), (b, a)):
            if right in departments and left not in departments:
                continue
            assert split_agency_list(left + right) == [left, right], (left, right)


def test_jieba_cache_lives_in_the_project_cache() -> None:
    from kg.agencies import _tokenizer

    assert split_agency_list("区人社局区总工会") == ["区人社局", "区总工会"]
    assert _tokenizer().tmp_dir == str(CACHE_DIR)
    assert list(CACHE_DIR.glob("jieba.agencies.*.cache"))  # the dictionary with our words, read fast


def test_cached_dictionary_segments_as_a_freshly_built_one(tmp_path, monkeypatch) -> None:
    import jieba

    from kg import agencies

    words = agency_dictionary()
    cached = agencies._tokenizer()
    fresh = jieba.Tokenizer()
    fresh.tmp_dir = str(CACHE_DIR)
    fresh.cache_file = "jieba.cache"
    for word in words:
        fresh.add_word(word, freq=2000)
    assert (cached.FREQ, cached.total) == (fresh.FREQ, fresh.total)
    # A damaged cache is rebuilt, not trusted.
    path = agencies._dictionary_cache(jieba.__version__, words)
    monkeypatch.setattr(agencies, "_dictionary_cache", lambda *_: tmp_path / "damaged.cache")
    (tmp_path / "damaged.cache").write_bytes(b"\x00not marshal")
    agencies._tokenizer.cache_clear()
    try:
        assert agencies._tokenizer().total == cached.total
        assert agencies._read_dictionary(tmp_path / "damaged.cache")[1] == cached.total
    finally:
        agencies._tokenizer.cache_clear()
    assert path.is_file()


def test_dictionary_is_built_from_the_tables() -> None:
    words = set(agency_dictionary())
    assert {"县人社局", "州委宣传部", "团县委", "自治区科协", "全国总工会"} <= words


@pytest.mark.parametrize(
    ("names", "expanded"),
    [
        (["市委组织部", "宣传部", "统战部"], [("市委组织部", None), ("市委宣传部", "宣传部"), ("市委统战部", "统战部")]),
        (["县教育局", "人社局", "团委"], [("县教育局", None), ("县人社局", "人社局"), ("团县委", "团委")]),
        (["吉林省科协", "总工会"], [("吉林省科协", None), ("吉林省总工会", "总工会")]),
        (["中共曲靖市委宣传部", "组织部"], [("中共曲靖市委宣传部", None), ("中共曲靖市委组织部", "组织部")]),
        (["市委组织部", "市科技局"], [("市委组织部", None), ("市科技局", None)]),
        (["组宣部", "经济部"], [("组宣部", None), ("经济部", None)]),  # no prefixed sibling
        (["市科协", "云南能源职业技术学院"], [("市科协", None), ("云南能源职业技术学院", None)]),
        (["宣传部", "市科协"], [("宣传部", None), ("市科协", None)]),  # the sibling must come first
    ],
)
def test_expand_prefixes(names: list[str], expanded: list[tuple[str, str | None]]) -> None:
    assert expand_prefixes(names) == expanded


# ---- the tables ----------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_type_row_is_used_by_the_corpus_or_justified() -> None:
    used = {classify(n).slug for n in NAMES if classify(n)}
    unjustified = [r.type.slug for r in tables().rules if r.type.slug not in used and not r.note]
    assert unjustified == []


def test_every_abbreviation_row_is_used_by_the_corpus_or_justified() -> None:
    parsed = [parse_name(n) for n in NAMES]
    t = tables()
    counterparts = {r.type.national_counterpart for r in t.rules}
    uses = {
        "level": lambda w: any(p.level == w for p in parsed),
        "national-head": lambda w: False,
        # a national body is used when the corpus names it or a type has it as its counterpart
        "national": lambda w: any(n.startswith(w) for n in NAMES) or w in counterparts,
        "core": lambda w: any(p.rule and _core_row(p.core) is t.cores[w] for p in parsed),
        "suffix": lambda w: any(n.endswith(w) for n in NAMES),
    }
    unjustified = [(a.line, a.written) for a in t.abbreviations if not a.note and not uses[a.kind](a.written)]
    assert unjustified == []


def test_national_counterparts_resolve_to_the_nation_with_their_own_type() -> None:
    for rule in tables().rules:
        counterpart = rule.type.national_counterpart
        if counterpart:
            p = parse_name(counterpart)
            assert p.national and p.type == rule.type, (rule.type.slug, counterpart)


def test_core_short_forms_classify_as_their_type() -> None:
    for a in tables().cores.values():
        assert classify(a.written.replace("{level}", "市")) is not None, a.written


def test_type_slugs_reuse_the_wikidata_table_keys() -> None:
    """Each national body of the link table is a type's counterpart, keyed by the same slug."""
    keys = {r["key"]: r["name_zh"] for r in _rows(WIKIDATA) if r["kind"] == "agency"}
    by_slug = tables().by_slug
    for key, name_zh in keys.items():
        assert key in by_slug, key
        counterpart = by_slug[key].type.national_counterpart
        assert counterpart and parse_name(counterpart).national
        assert parse_name(name_zh).type == by_slug[key].type, name_zh


def _write(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Cast,科协,x,科协,,level,,", "agency_types.csv:3: slug 'Cast'"),
        ("cast2,科协,x,科协,,prefixed,,", "agency_types.csv:3: prefix must be level, party or none"),
        ("cast2,科协,x,科{city}协,,level,,", "agency_types.csv:3: only {level} and {place}"),
        ("cast,科协,x,科协,,level,,", "agency_types.csv:3: slug 'cast' is used twice"),
        ("cast2,科协,x,科协,,level,nobody,", "agency_types.csv:3: parent 'nobody' is not a slug"),
        ("cast2,科协,x", "agency_types.csv:3: expected 8 columns"),
    ],
)
def test_malformed_type_table_is_named_with_its_line(tmp_path: Path, row: str, message: str) -> None:
    header = TYPES_FILE.read_text(encoding="utf-8").splitlines()[:2]
    types = _write(tmp_path / "agency_types.csv", *header, row)
    with pytest.raises(MappingTableError, match=message.replace("{", r"\{").replace("}", r"\}")):
        load_tables(types, ABBREVIATIONS_FILE)


def test_malformed_abbreviation_table_is_named_with_its_line(tmp_path: Path) -> None:
    header = "kind,written,full,label_en,type,note"
    bad_level = _write(tmp_path / "a.csv", header, "level,省,province,,,", "level,市,town,,,")
    with pytest.raises(MappingTableError, match=r"a.csv:3: a level's full must be one of"):
        load_tables(TYPES_FILE, bad_level)
    bad_national = _write(tmp_path / "b.csv", header, "national,中国科协,中国科学技术协会,,science,")
    with pytest.raises(MappingTableError, match=r"b.csv:2: national body 中国科协 needs a type slug"):
        load_tables(TYPES_FILE, bad_national)
    with pytest.raises(MappingTableError, match=r"c.csv:1: header must be"):
        load_tables(TYPES_FILE, _write(tmp_path / "c.csv", "kind,written", "level,省"))
    with pytest.raises(MappingTableError, match=r"cannot read the table"):
        load_tables(TYPES_FILE, tmp_path / "missing.csv")
