"""The read-and-normalise step on the bundled plans, re-encoded copies and crafted cases."""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DocumentError
from kg.model import Text
from kg.read import decode_bytes, normalise, read_document

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted((ROOT / "documents").glob("*.txt"))
GOLD = ROOT / "tests" / "gold"
TRADITIONAL_DOC = ROOT / "documents" / "002_57a6c5265831e3de.txt"  # traditional, pinyin glued
TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
T2S = opencc.OpenCC("t2s")
S2TW = opencc.OpenCC("s2tw")  # Taiwan forms: 為 not 爲, so (nearly) all fit in Big5


def doc_id(path: Path) -> str:
    return path.name[:3]


def utf8_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def write(tmp_path: Path, data: bytes, name: str = "plan.txt") -> Path:
    target = tmp_path / name
    target.write_bytes(data)
    return target


# ---- decoding ---------------------------------------------------------------------------

# (codec used to write the file, what read_document should report)
ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"),
    ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
    ("utf-32", "utf-32-le"),
    ("gb18030", "gb18030"),
]


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
@pytest.mark.parametrize(("codec", "reported"), ENCODINGS, ids=[c for c, _ in ENCODINGS])
def test_reencoded_document_normalises_like_utf8(tmp_path: Path, path: Path, codec: str, reported: str) -> None:
    text = utf8_text(path)
    reference = read_document(path)
    copy = read_document(write(tmp_path, text.encode(codec)))
    assert copy.encoding == reported
    assert copy.text == reference.text


@pytest.mark.parametrize("path", [p for p in DOCUMENTS if p != TRADITIONAL_DOC], ids=doc_id)
def test_simplified_documents_as_gbk(tmp_path: Path, path: Path) -> None:
    text = utf8_text(path)
    # GBK lacks a few characters GB18030 has (003 has one); those files are GB18030.
    data = text.encode("gbk", errors="replace")
    copy = read_document(write(tmp_path, data))
    assert copy.encoding == "gb18030"
    assert copy.text == normalise(data.decode("gbk")).text


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_traditional_copies_as_big5(tmp_path: Path, path: Path) -> None:
    # 002 as it is (its pinyin tone letters are not in Big5: they become '?'), the others
    # converted to traditional first, as a Taiwanese or Hong Kong site would publish them.
    text = utf8_text(path) if path == TRADITIONAL_DOC else S2TW.convert(utf8_text(path))
    data = text.encode("big5", errors="replace")
    copy = read_document(write(tmp_path, data))
    assert copy.encoding == "big5"
    assert copy.text == normalise(data.decode("big5")).text
    if path == TRADITIONAL_DOC:
        # Its pinyin, written as f? after the encoding lost the tone letters, is gone too.
        reference = read_document(path).text
        assert len(copy.text) == len(reference)
        assert sum(a != b for a, b in zip(copy.text, reference)) < 20  # 〇 and mojibake runs
    else:
        # s2tw → Big5 → t2s round-trips almost every line of a simplified plan.
        lines, reference = copy.text.split("\n"), read_document(path).text.split("\n")
        same = sum(a == b for a, b in zip(lines, reference))
        assert len(lines) == len(reference) and same > 0.9 * len(reference)


def test_hong_kong_big5_keeps_the_pinyin_letters_then_they_are_stripped(tmp_path: Path) -> None:
    data = utf8_text(TRADITIONAL_DOC).encode("big5hkscs", errors="replace")  # lacks only 秾鲳
    copy = read_document(write(tmp_path, data))
    reference = read_document(TRADITIONAL_DOC).text
    assert copy.encoding == "big5hkscs" and len(copy.text) == len(reference)
    assert sum(a != b for a, b in zip(copy.text, reference)) == data.count(b"?") - utf8_text(TRADITIONAL_DOC).count("?")


@pytest.mark.parametrize(
    ("sample", "codec"),
    [
        ("各县（市、区）人民政府", "gbk"),
        ("各縣（市、區）人民政府", "big5"),
        ("市教体局牵头", "utf-16-le"),
        ("市教體局牽頭", "utf-16-be"),
        ("提高全民科学素质", "gb18030"),
    ],
)
def test_short_lines_are_detected(sample: str, codec: str) -> None:
    assert decode_bytes(sample.encode(codec))[0] == sample


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_become_lf(tmp_path: Path, newline: str) -> None:
    path = DOCUMENTS[3]  # 003: tab table with empty lines
    text = utf8_text(path).replace("\n", newline)
    copy = read_document(write(tmp_path, text.encode("utf-8")))
    assert copy.text == read_document(path).text
    assert copy.raw == text  # raw keeps the file's line ends; offsets point into it


def test_truncated_last_character_is_dropped(tmp_path: Path) -> None:
    data = "科学素质行动实施方案".encode()[:-1]
    assert read_document(write(tmp_path, data)).text == "科学素质行动实施方"


def test_a_few_corrupt_bytes_do_not_lose_the_document(tmp_path: Path) -> None:
    data = utf8_text(DOCUMENTS[1]).encode()
    data = data[:3000] + b"\xff" + data[3000:]
    copy = read_document(write(tmp_path, data))
    assert copy.encoding == "utf-8" and "\ufffd" in copy.text and "吉林省" in copy.text


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "gb18030", "big5"])
def test_a_few_flipped_bytes_keep_the_encoding(tmp_path: Path, codec: str) -> None:
    # Corruption seen in scraped files: a stray byte breaks strict decoding (in UTF-16 it
    # can leave a lone surrogate); the encoding must still be recognised.
    rng = random.Random(codec)
    for path in DOCUMENTS:
        data = bytearray(S2TW.convert(utf8_text(path)).encode(codec, errors="replace"))
        for _ in range(4):
            data[rng.randrange(len(data))] = rng.randrange(256)
        copy = read_document(write(tmp_path, bytes(data)))
        assert copy.encoding.replace("cp950", "big5") == ENCODING_NAMES.get(codec, codec), path.name


ENCODING_NAMES = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}


def test_content_hash_is_sha256_of_the_bytes() -> None:
    path = DOCUMENTS[0]
    text = read_document(path)
    assert text.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert text.source == path.name


# ---- not a plan ---------------------------------------------------------------------------

NOT_PLANS = [
    (b"", "empty file"),
    (b" \r\n\t\n", "empty file"),
    ("\ufeff\u3000\n".encode(), "empty file"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "looks like a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "looks like a GIF image"),
    (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive"),
    (bytes(range(256)) * 40, "binary data"),
    ("<!DOCTYPE html>\n<html><body>科学素质行动</body></html>".encode(), "HTML"),
    ("  <html lang='zh'>\n<p>科学素质行动</p>".encode("utf-16"), "HTML"),
    (b"Annual report of the science literacy programme, 2021-2025.\n" * 20, "no Chinese text"),
]


@pytest.mark.parametrize(("data", "reason"), NOT_PLANS, ids=[r for _, r in NOT_PLANS])
def test_not_a_plan_is_a_document_error_naming_file_and_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, data, "suspect.txt")
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert reason in info.value.reason
    assert str(path) in str(info.value)


def test_unreadable_paths_are_document_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path)  # a directory


# ---- normalising ----------------------------------------------------------------------------

PINYIN_REMOVED = [
    ("發(fā)文字號(hào)", "发文字号"),
    ("科學(xué)素質(zhì)", "科学素质"),
    ("號（hào）", "号"),
    ("號（hào)", "号"),
    ("深圳(shēn zhèn)市", "深圳市"),
    ("綠(lǜ)色", "绿色"),
    ("女(nü)職工", "女职工"),
    ("𠀀(ā)", "𠀀"),
    ("發(f?)展科學(xu?)", "发展科学"),
    ("號(hào)(hào)碼", "号码"),  # consecutive groups go together (normalising is idempotent)  # saved in Big5 with "replace": tone letters became "?"
]
KEPT_AS_WRITTEN = [
    ("方案(2021—2025年)", "方案（2021—2025年）"),
    ("(市教體局牽頭,市科協配合)", "（市教体局牵头，市科协配合）"),
    ("政府和社會資本合作(PPP)", "政府和社会资本合作（PPP）"),
    ("（一）指導思想", "（一）指导思想"),
    ("發(fa)", "发（fa）"),  # no tone mark: not pinyin
    ("a(fā)", "a（fā）"),  # not after a Chinese character
    ("科普?qǐng)鲳^", "科普?qǐng）鲳^"),  # mojibake with a lost "(": left alone
    ("發(fā)(2021年)", "发（2021年）"),
    ("某某(?)方案(PPP?)", "某某（?）方案（PPP?）"),
]


@pytest.mark.parametrize(("raw", "expected"), PINYIN_REMOVED + KEPT_AS_WRITTEN)
def test_pinyin_after_characters_is_removed_real_parentheses_kept(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


FOLDING = [
    ("ＡＢＣ１２３ｘｙｚ", "ABC123xyz"),
    ("比例达到１３．５％", "比例达到13.5%"),
    ("到2025年:达到1,000人,10:26:00", "到2025年：达到1,000人，10:26:00"),
    ("牵头;配合", "牵头；配合"),
    ("全\u3000市\u00a0科\u2003协", "全 市 科 协"),
    ("行1\t牵头单位\t\n\n行2", "行1\t牵头单位\n\n行2"),
    ("末尾空格   \n  \n", "末尾空格\n\n"),
    ("\ufeff标题\u200b正文\x00", "标题正文"),
    ("甲\u2028乙\x0c丙", "甲\n乙\n丙"),
    ("、。“”《》〔〕[]［］—－-–！？!?", "、。“”《》〔〕[]［］—－-–！？!?"),
    ("（一）(二)", "（一）（二）"),
    ("制定本方案.\n建设\"智慧蓝领\"站点,达到13%.", "制定本方案。\n建设“智慧蓝领”站点，达到13%。"),
    ('计划2.0, "OK" 等...', '计划2.0，"OK" 等...'),  # the space typed after an ASCII comma goes with it
    ("1.主要任务?是!", "1.主要任务？是！"),
    ("衞生健康委員會", "卫生健康委员会"),
    ("&ldquo;智慧蓝领&rdquo;&nbsp;行动&#12290;A&amp;B &amp;nbsp; &bogus; R&D;", "“智慧蓝领” 行动。A&B &nbsp；&bogus；R&D；"),
    ("，：；", "，：；"),
]


@pytest.mark.parametrize(("raw", "expected"), FOLDING)
def test_punctuation_and_space_folding(raw: str, expected: str) -> None:
    assert normalise(raw).text == expected


def test_traditional_document_is_simplified_and_pinyin_free() -> None:
    text = read_document(TRADITIONAL_DOC).text
    assert "曲靖市全民科学素质行动实施方案（2021—2025年）" in text
    assert "曲政发〔2022〕21号" in text and "發" not in text and "學" not in text
    # The only tone letters left belong to mojibake runs whose "(" was lost.
    for match in re.finditer(f"[{TONE_MARKS}]+", text):
        before = text[: match.start()].rsplit("（", 1)[-1]
        assert not re.fullmatch(r"[a-z]*", before) or "?" in text[match.start() - 8 : match.start()]


def test_gold_strings_occur_in_the_normalised_text() -> None:
    """Every hand-checked title, 文号, agency and target phrase is found after normalising."""
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = read_document(ROOT / "documents" / f"{gold_file.stem}.txt").text
        plan = gold["plan"]
        wanted = [plan["title"], *plan["issuers"], *(t["text"] for t in gold["targets"])]
        wanted += [d for ref in plan["implements"] for d in (ref["title"], ref["doc_number"]) if d]
        for unit in gold["units"]:
            wanted += [unit["title"], *unit["lead"], *unit["cooperating"], *unit["responsible"]]
        flat = text.replace("\n", "")  # 001's title spans two lines
        missing = [w for w in wanted if normalise(w).text not in flat]
        assert missing == [], gold_file.name


# Reformatted copies as the hidden set makes them: full-width → ASCII punctuation, ASCII
# letters and digits → full-width.
TO_ASCII_PUNCTUATION = str.maketrans("，。；：（）“”！？％", ",.;:()\"\"!?%")
TO_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789ABCXYZabcxyz%"})


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
@pytest.mark.parametrize("table", [TO_ASCII_PUNCTUATION, TO_FULL_WIDTH], ids=["ascii", "full-width"])
def test_punctuation_variants_normalise_to_the_same_text(path: Path, table: dict[int, str]) -> None:
    assert normalise(utf8_text(path).translate(table)).text == read_document(path).text


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_traditional_copies_normalise_to_the_same_text(path: Path, config: str) -> None:
    reference = read_document(path).text
    copy = normalise(opencc.OpenCC(config).convert(utf8_text(path))).text
    assert len(copy) == len(reference)
    # Only one-to-many pairs t2s cannot undo: Taiwan's 著 for 着, and s2t's 好象 → 好像.
    differences = {(a, b) for a, b in zip(reference, copy) if a != b}
    assert differences <= {("着", "著"), ("象", "像")}


# ---- offsets -------------------------------------------------------------------------------

FOLD_PAIRS = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "\r": "\n", "\u3000": " ", "\xa0": " "}


def assert_offsets_point_at_sources(text: Text, positions: list[int]) -> None:
    assert len(text.raw_offsets) == len(text.text)
    assert all(a < b for a, b in zip(text.raw_offsets, text.raw_offsets[1:]))
    for i in positions:
        offset = text.raw_offsets[i]
        source = text.raw[offset]
        window = T2S.convert(text.raw[max(0, offset - 3) : offset + 4])  # phrase context
        folded = chr(ord(source) - 0xFEE0) if "\uff01" <= source <= "\uff5e" else FOLD_PAIRS.get(source, source)
        assert text.text[i] in {source, folded, window[min(offset, 3)]}, (i, source, text.text[i])


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_raw_offsets_map_each_character_to_its_source(tmp_path: Path, path: Path) -> None:
    crlf = utf8_text(path).replace("\n", "\r\n")
    for text in (read_document(path), read_document(write(tmp_path, crlf.encode("utf-16")))):
        positions = random.Random(path.name).sample(range(len(text.text)), 400)
        assert_offsets_point_at_sources(text, positions)


def test_offsets_of_decoded_entities_point_at_the_ampersand() -> None:
    text = normalise("甲&nbsp;乙&#x3002;")
    assert text.text == "甲 乙。" and text.raw_offsets == (0, 1, 7, 8)


def test_lone_surrogates_become_replacement_characters() -> None:
    text = normalise("\ud800發(fā)")
    assert text.text == "\ufffd发" and text.raw_offsets == (0, 1)


def test_offsets_skip_removed_pinyin() -> None:
    text = normalise("發(fā)展\r\n")
    assert text.text == "发展\n"
    assert text.raw_offsets == (0, 5, 7)


# ---- robustness ----------------------------------------------------------------------------

CHINESE_SAMPLE = utf8_text(TRADITIONAL_DOC)[:3000] + utf8_text(DOCUMENTS[3])[:2000]
FUZZ_CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "big5", "cp950"]


def outcome(tmp_path: Path, data: bytes) -> Text | DocumentError:
    path = write(tmp_path, data, "fuzz.txt")
    try:
        return read_document(path)
    except DocumentError as error:
        return error


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(tmp_path: Path, data: bytes) -> None:
    assert isinstance(outcome(tmp_path, data), (Text, DocumentError))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(st.sampled_from(CHINESE_SAMPLE) | st.characters(), max_size=400),
    codec=st.sampled_from(FUZZ_CODECS),
)
def test_fuzz_random_text_in_random_encodings(tmp_path: Path, text: str, codec: str) -> None:
    result = outcome(tmp_path, text.encode(codec, errors="replace"))
    assert isinstance(result, (Text, DocumentError))
    if isinstance(result, Text):
        assert len(result.raw_offsets) == len(result.text)


@settings(max_examples=200, deadline=None)
@given(raw=st.text(st.sampled_from('發(fā)（）(),:;.?"&nbsp;&amp;1 \t\r\n\u3000\ufeffａ') | st.characters(), max_size=300))
def test_normalise_offsets_hold_and_it_is_idempotent_for_any_string(raw: str) -> None:
    text = normalise(raw)
    assert len(text.raw_offsets) == len(text.text)
    assert all(0 <= a < b < len(raw) for a, b in zip(text.raw_offsets, text.raw_offsets[1:]))
    assert normalise(text.text).text == text.text  # later steps re-normalise snippets


@pytest.mark.parametrize("path", DOCUMENTS, ids=doc_id)
def test_normalising_twice_changes_nothing(path: Path) -> None:
    text = read_document(path).text
    assert normalise(text).text == text


@pytest.mark.slow
def test_ten_megabyte_single_line_completes(tmp_path: Path) -> None:
    line = utf8_text(TRADITIONAL_DOC).replace("\n", "")
    data = (line * (10_000_000 // len(line.encode()) + 1)).encode()
    text = read_document(write(tmp_path, data))
    assert "\n" not in text.text and len(text.raw_offsets) == len(text.text)


@pytest.mark.parametrize("unit", ["发（?", "发(a a", '"', "发.", "发(fā", "\r\r\n \t"])
def test_unclosed_repeats_stay_linear(unit: str) -> None:
    # Catastrophic backtracking would turn these 200,000-unit inputs into minutes.
    raw = unit * 200_000
    assert len(normalise(raw).raw_offsets) <= len(raw)


def test_deeply_nested_brackets() -> None:
    depth = 100_000
    text = normalise("發" + "(" * depth + "fā" + ")" * depth + "(" * depth + "科" + "）" * depth)
    assert text.text.startswith("发（（") and len(text.text) == 1 + 4 * depth + 3


def test_full_width_symbols_in_names_stay_as_written():
    # A unit title such as 实施“互联网＋科普”行动 must match the document's own form.
    text = normalise("实施“互联网＋科普”行动，比例达到１２．５％。").text
    assert "互联网＋科普" in text and "12.5%" in text


def test_big5_copy_of_a_chinese_numeral_date_gets_its_ling_back():
    # Big5 cannot encode 〇; a converted copy carries the encoder's "?" instead.
    assert "二〇二二年四月二十六日" in normalise("二?二二年四月二十六日印发").text
    assert "二?" not in normalise("第二?二是").text and "〇" not in normalise("第二?二是").text  # not a date
