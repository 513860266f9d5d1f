"""Fuzzing the reader and parsers end to end: whatever bytes a file holds, the per-document
stage (``kg.pipeline.process_document``) returns quads or raises ``DocumentError``; never
another exception, never a hang.

Inputs are plan-like text built from the genre's fragments (outline markers 一、 （一） 1、 ——,
牵头/配合/责任单位 notations, numbers, %, 文号, dates, tab tables), then damaged: deeply nested
or unbalanced brackets, huge lines, truncation at any byte, random bytes spliced in, saved
in a random encoding (UTF-8 with or without BOM, UTF-16, GB18030, GBK, Big5) with CRLF or not;
and plain random bytes.

Each example runs under an alarm (``HANG_SECONDS``): a parser stuck in a loop or a
backtracking regex fails the test with the input, instead of hanging the run. The default
run tries a few hundred cases in about 30 s; ``KG_FUZZ_EXAMPLES=5000`` (per test) runs a
bigger campaign and ``KG_FUZZ_HUGE=1`` adds 10 MB single-line files. The counts of cases
tried and their outcomes are printed at the end of the module.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DocumentError
from kg.pipeline import DocumentResult, process_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))
HANG_SECONDS = 60  # far above any real document's parse time, even on a loaded machine
FUZZ = settings(
    max_examples=EXAMPLES or 60,
    deadline=None,  # wall time is checked by the alarm, generously, not per example
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
OUTCOMES: Counter[str] = Counter()


class Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise Hang(f"no result after {HANG_SECONDS} s")


def run_pipeline(data: bytes, name: str = "fuzz.txt") -> DocumentResult | DocumentError:
    """The per-document stage on ``data`` saved as a file; any other exception propagates."""
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(HANG_SECONDS)
        try:
            result = process_document(path)
        except DocumentError as exc:
            OUTCOMES["DocumentError: " + _reason_kind(exc.reason)] += 1
            return exc
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    # The quads must be well-formed N-Quads, each in the document's own named graph.
    quads = list(ox.parse(result.nquads, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == result.summary.triples
    assert all(isinstance(q.graph_name, ox.NamedNode) for q in quads)
    OUTCOMES["graph"] += 1
    return result


def _reason_kind(reason: str) -> str:
    return reason.split("(")[0].split(":")[0].strip()[:40]


@pytest.fixture(scope="module", autouse=True)
def report_cases(request):
    yield
    tried = sum(OUTCOMES.values())
    lines = [f"fuzz: {tried} cases through process_document"] + [f"  {n:6d}  {what}" for what, n in OUTCOMES.most_common()]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + "\n".join(lines))


# ---- plan-like text ---------------------------------------------------------------------

AGENCIES = ["市科协", "市教育局", "区人社局", "区总工会", "市委组织部", "宣传部", "县卫健委", "省发展改革委",
            "团市委", "市妇联", "州委党校（州行政学院）", "市文广旅体局", "各县（市、区）人民政府", "中国科协"]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
WORDS = st.text(CJK, min_size=1, max_size=12)
AGENCY = st.one_of(st.sampled_from(AGENCIES), st.builds(lambda w, s: w + s, st.text(CJK, min_size=1, max_size=6),
                                                        st.sampled_from(["局", "委", "办", "厅", "部", "中心", "协会"])))
NUMBER = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=2, allow_nan=False).map(str),
    st.sampled_from(["两百万", "1万", "百万", "三成", "一千万", "9" * 60, "0.000001", "1.5%—2.5%", "千分之一"]),
)
MARKER = st.sampled_from(["一、", "二、", "十一、", "（一）", "（十二）", "1、", "2.", "(3)", "①", "——", "第一部分", "【一】",
                          "任务：", "措施：", "分工：", "目标：", "到2025年，", "到2020年", "\t"])
ROLE = st.one_of(
    st.builds(lambda a, b, c: f"（{a}、{b}牵头，{c}配合）", AGENCY, AGENCY, AGENCY),
    st.builds(lambda a, b: f"分工：由{a}牵头，{b}等单位配合", AGENCY, AGENCY),
    st.builds(lambda a, b: f"(由{a}牵头,{b}参加)", AGENCY, AGENCY),
    st.builds(lambda a, b: f"（责任单位：{a}、{b}）", AGENCY, AGENCY),
    st.builds(lambda a, b, c: f"总牵头部门：{a}。责任单位：{b}、{c}", AGENCY, AGENCY, AGENCY),
    st.builds(lambda a, b: f"{a}{b}", AGENCY, AGENCY),  # glued names
    st.lists(AGENCY, min_size=1, max_size=30).map("、".join),
)
TARGET = st.builds(lambda c, n, u: f"{c}{n}{u}", st.sampled_from(["达到", "超过", "不低于", "以上", "", "突破", "翻一番"]),
                   NUMBER, st.sampled_from(["%", "人", "个", "人次", "万人", "场次", "亿元", ""]))
META = st.one_of(
    st.builds(lambda w: f"关于印发{w}行动方案的通知", WORDS),
    st.builds(lambda w, y, n: f"{w}发〔{y}〕{n}号", WORDS, st.integers(1900, 2100), st.integers(0, 999)),
    st.sampled_from(["二〇二二年四月二十六日", "2021年3月5日", "（2021—2025年）", "贯彻落实《全民科学素质行动规划纲要》",
                     "根据《国务院关于印发〈X〉的通知》（国发〔2021〕9号）"]),
)
NEST = st.builds(lambda k, open_, close, inner: open_ * k + inner + close * k,
                 st.integers(1, 300), st.sampled_from(["（", "(", "《", "〔", "【", "“"]),
                 st.sampled_from(["）", ")", "》", "〕", "】", "”", ""]), st.text(CJK, max_size=5))
FRAGMENT = st.one_of(MARKER, ROLE, TARGET, META, NEST, WORDS, NUMBER,
                     st.sampled_from(["。", "，", "；", "\n", "\n\n", "、", "：", "…", "\r\n", " ", "\u3000", "\ufeff", "\x00"]))
LINE = st.lists(FRAGMENT, max_size=25).map("".join)
TEXT = st.one_of(
    st.lists(LINE, max_size=60).map("\n".join),
    st.builds(lambda line, n: line * n, LINE, st.integers(1, 2000)),  # one huge line
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "gbk", "big5"]


@st.composite
def damaged_bytes(draw) -> bytes:
    text = draw(TEXT)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # truncated, maybe mid-character
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=64)) + data[at:]
    return data


@pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")  # huge lines
@FUZZ
@given(damaged_bytes())
def test_plan_like_text_in_any_encoding_gives_quads_or_a_document_error(data):
    run_pipeline(data)


@settings(FUZZ, max_examples=(EXAMPLES or 60) // 2)
@given(st.binary(max_size=4096))
def test_random_bytes_give_quads_or_a_document_error(data):
    run_pipeline(data)


@settings(FUZZ, max_examples=(EXAMPLES or 30) // 2)
@given(st.sampled_from(sorted((ROOT / "documents").glob("*.txt"))), st.floats(0, 1), st.sampled_from(ENCODINGS))
def test_real_plans_truncated_anywhere_in_any_encoding(path, fraction, encoding):
    text = path.read_text(encoding="utf-8")
    data = text[: int(len(text) * fraction)].encode(encoding, errors="replace")
    run_pipeline(data, name=path.name)


@pytest.mark.slow
@pytest.mark.parametrize("megabytes", [1, 10] if os.environ.get("KG_FUZZ_HUGE") else [1])
def test_a_whole_corpus_on_one_huge_line(megabytes):
    """Lost line breaks at scale: the bundled plans, repeated, with no newline at all."""
    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in sorted((ROOT / "documents").glob("*.txt")))
    data = (text * (megabytes * 2**20 // len(text.encode()) + 1)).encode()[: megabytes * 2**20]
    result = run_pipeline(data)
    assert isinstance(result, (DocumentResult, DocumentError))
