"""Read and normalise: bytes on disk → ``Text`` (decoded, simplified, pinyin stripped,
punctuation folded, offsets kept back to the raw string).

Decoding (``decode_bytes``) detects rather than guesses: byte-order marks first; NUL
bytes mean UTF-16 (or binary); then strict UTF-8; then every strict decoding among
GB18030, Big5 (big5 / cp950 / big5hkscs) and UTF-16, scored by ``plausibility`` (how many
of the 1,000 most common Chinese characters they yield, minus characters no plan holds);
then the same with a few corrupt bytes replaced by U+FFFD; charset-normalizer last.
Files that are empty, binary (PDF, images, archives, many NUL bytes), HTML/XML/RTF, or hold
almost no Chinese raise ``DocumentError`` naming the file and the reason.

The normalised text (``Text.text``) is what every later step parses. It guarantees:

- line breaks are ``\\n`` (CRLF and lone CR, also U+2028/U+2029, VT, FF, NEL); tabs and
  empty lines are kept (tables are tab-separated and use empty lines); trailing spaces
  and tabs are stripped from every line;
- byte-order marks, zero-width characters, soft hyphens and C0 control characters other
  than tab and newline are removed; HTML entities (&nbsp; &ldquo; &#12290;) are decoded;
- U+3000, NBSP and the other Unicode spaces become ``' '``;
- full-width letters and digits (ＡＢＣ１２３) and the full-width ％ ． ｜ ＂ ＇ become ASCII
  (what numbers, tables and quotes need); other full-width symbols (＋ ＝ ／ …) stay as
  written, because they are part of names and titles (“互联网＋科普”);
- ASCII ``(`` ``)`` become ``（`` ``）``; ASCII ``;`` becomes ``；``; ASCII ``,`` and ``:``
  become ``，`` and ``：`` except between two digits (1,000 and 10:26:00 stay);
- ASCII ``.`` ``!`` ``?`` after a Chinese character or closing mark, and followed by a space,
  line end, Chinese character or opening mark, become ``。`` ``！`` ``？`` (2.0 and 1. stay);
  a pair of ASCII ``"`` on one line around Chinese text becomes “…”;
- kept as written: 、。“”《》〔〕「」【】！？, other ASCII ``!`` ``?`` ``.``, ``[`` ``]`` ［ ］
  (文号 brackets are normalised later), and every dash (—, －, -, –);
- pinyin glued after a character, ``發(fā)`` or ``號（hào）``, is removed: a parenthesised
  group right after a CJK character, holding only Latin syllables with at least one tone
  mark or ü (or "?" standing for one, as an encoding without them leaves it: ``發(f?)``).
  ``(2021—2025年)``, ``(PPP)``, ``（一）`` and ``(?)`` are left alone;
- page layout is undone (``kg.layout``): lines cut at a fixed width are joined back into
  paragraphs, page-number lines (``— 3 —``, ``第3页``) are removed with the blank lines around
  them, and so are paragraph indents (spaces, not tabs, opening a line), Markdown marks
  (``## ``, ``**``) and a single space beside Chinese punctuation;
- traditional characters are simplified with OpenCC ``t2s`` (every entry of its
  dictionaries keeps the length, so offsets stay one-to-one), after mapping the few
  Hong Kong/Taiwan variants it does not know (衞 → 卫, 敍 → 叙, …).

Every step either deletes characters or replaces one character by one (an entity is
its first character replaced and the rest deleted), so
``Text.raw_offsets[i]`` is simply the index in ``Text.raw`` of the character that
became ``Text.text[i]``.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import html
import re
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from . import layout
from .errors import DocumentError
from .model import Text

if TYPE_CHECKING:
    import opencc

__all__ = ["decode_bytes", "normalise", "plausibility", "read_document"]

# ---- decoding -------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF file"),
)
# Order matters: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MARKUP = re.compile(r"\s*<(?:!doctype\s+html|html[\s>]|\?xml|head[\s>]|body[\s>])", re.IGNORECASE)
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = re.compile(f"[{_CJK_CLASS}]+")
_SAMPLE_CHARS = 20_000
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
# Characters a wrong decoding produces and Chinese plans don't: controls, private use,
# replacement char, Latin-1/Greek/Cyrillic, kana, Hangul, Yi, box drawing …
_IMPLAUSIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\u024f\u0370-\u052f\u2500-\u25ff\u3040-\u30ff"
    "\u3130-\u318f\ua000-\ua4cf\uac00-\ud7af\ue000-\uf8ff\ufffd]"
)
# The 1,000 most frequent simplified characters, by summed word frequency in jieba's
# dict.txt (they cover ~87% of its corpus and ~93% of the bundled plans, but only ~20%
# of the characters a GB↔Big5 mix-up produces).
_COMMON_HANZI = frozenset(
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于后就发自之对得主长可"
    "过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进区事代那去心小同北定开产前其军还然起种所"
    "如现理机体表力好外与文当两实重新三么只山水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城"
    "十相但已些正口通想度加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首共马形己儿司太目基领"
    "队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决张导术府才保交放管结师便走达族反再题色五"
    "京河接条规式县白它改风光运信受什组听布百济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边"
    "据集联古广完质阳难增历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准究往极育装许参半令吃"
    "观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源息语股铁断派速怎需片爱律纪支早况病境证编"
    "越局推满且列觉服双未居除乐企引标确织初青志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营"
    "足素视护副食创余照兴占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获习医演毛尽脸弹楼艺航"
    "陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射哥油刻留急降念云微伤例景拿绝阶座刘刚害印"
    "亿沙母酒助闻超审待压升送监策略限竟香配藏敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船"
    "惊核街夏宣掌田久著画辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶"
    "简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某顾曲楚典朱毒菜判救宋"
    "茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳"
    "襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂"
    "姓泽吸侧庆妈遇追甲馆补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟"
)
# A few of the most common Chinese punctuation marks count as plausible too.
_COMMON_MARKS = frozenset("，。、；：？！“”《》（）〔〕—…·")


def _strict(data: bytes, codec: str) -> str | None:
    """Decode strictly, tolerating only a multibyte character cut off at the very end."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        cut = exc.start
        if exc.end < len(data) or cut < len(data) - 4:
            return None
    try:
        return data[:cut].decode(codec)
    except UnicodeDecodeError:
        return None


def _lenient(data: bytes, codec: str) -> str | None:
    """Decode replacing bad bytes, if there are only a few (a corrupt byte, not a wrong codec)."""
    text = data.decode(codec, errors="replace")
    return text if text.count("\ufffd") <= max(8, len(text) // 100) else None


def plausibility(text: str) -> int:
    """How Chinese a decoding looks: common characters minus implausible ones.

    >>> plausibility("中国人民") > plausibility("ÖÐ¹úÈËÃñ")
    True
    """
    sample = _converter().convert(_SURROGATE.sub("\ufffd", text[:_SAMPLE_CHARS]))
    good = sum(map(_COMMON_HANZI.__contains__, sample)) + sum(map(_COMMON_MARKS.__contains__, sample))
    return good - len(_IMPLAUSIBLE.findall(sample))


def _best(data: bytes, codecs_to_try: list[str], *, lenient: bool = False) -> tuple[str, str] | None:
    """The Chinese-looking decoding with the highest ``plausibility``, as (text, codec).

    Strict decodings only, or with ``lenient`` those that replace a few corrupt bytes.
    """
    decode = _lenient if lenient else _strict
    candidates: list[tuple[int, str, str]] = []
    for codec in codecs_to_try:
        text = decode(data, codec)
        if text is None and codec == "big5":
            # Big5 variants: Windows' cp950, then the Hong Kong superset.
            text, codec = next(((t, c) for c in ("cp950", "big5hkscs") if (t := decode(data, c))), (None, codec))
        if text:
            candidates.append((plausibility(text), codec, text))
    score, codec, text = max(candidates, key=lambda c: c[0], default=(0, "", ""))
    return (text, codec) if score > 0 else None


_UTF16 = ["utf-16-le", "utf-16-be"]
_LEGACY = ["gb18030", "big5", *_UTF16]


def decode_bytes(data: bytes, *, path: str = "<bytes>") -> tuple[str, str]:
    """Decode a plan's bytes, returning ``(text, encoding)``; raises ``DocumentError``.

    >>> decode_bytes("科学素质".encode("gb18030"))
    ('科学素质', 'gb18030')
    >>> decode_bytes("科學素質".encode("big5"))
    ('科學素質', 'big5')
    """
    head = data.lstrip()[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise DocumentError(path, f"not a plain-text document: looks like {kind}")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec) or _lenient(data[len(bom) :], codec)
            if text is None:
                raise DocumentError(path, f"starts with a {codec} byte-order mark but is not valid {codec}")
            return text, codec
    nuls = data.count(0)
    if nuls:
        # NUL bytes: the high (or low) bytes of UTF-16 code units, or binary data.
        if found := _best(data, _UTF16) or _best(data, _UTF16, lenient=True):
            return found
        if nuls > max(4, len(data) // 1000):
            raise DocumentError(path, f"not a plain-text document: binary data ({nuls} NUL bytes)")
    if (text := _strict(data, "utf-8")) is not None:
        if _CONTROL.search(text) is not None:
            # Control characters: perhaps BOM-less UTF-16 whose bytes all happen to be ASCII.
            found = _best(data, _UTF16)
            if found is not None and plausibility(found[0]) > plausibility(text):
                return found
        return text, "utf-8"
    if found := _best(data, _LEGACY) or _best(data, ["utf-8", *_LEGACY], lenient=True):
        return found
    return _charset_normalizer(data, path)


def _charset_normalizer(data: bytes, path: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data).best()
        if best is not None:
            return str(best), codecs.lookup(best.encoding).name
    except (LookupError, UnicodeError, ValueError):
        pass
    raise DocumentError(path, "cannot tell the text encoding (not UTF-8, UTF-16, GB18030 or Big5)")


def read_document(path: Path) -> Text:
    """Read one plan file into a normalised ``Text``; raises ``DocumentError``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "plan.txt")
    ...     _ = p.write_bytes("發(fā)展科學(xué)素質(zhì)(2021—2025年)\\r\\n".encode("utf-16"))
    ...     t = read_document(p)
    >>> (t.text, t.encoding, t.source)
    ('发展科学素质（2021—2025年）\\n', 'utf-16-le', 'plan.txt')
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    raw, encoding = decode_bytes(data, path=str(path))
    if not raw.strip("\ufeff \t\r\n\x00\u3000"):
        raise DocumentError(str(path), "empty file (only whitespace)")
    if _MARKUP.match(raw.lstrip("\ufeff")):
        raise DocumentError(str(path), "not a plain-text document: looks like an HTML/XML page")
    visible = len(raw) - sum(map(raw.count, " \t\r\n\u3000\xa0"))
    cjk = sum(map(len, _CJK.findall(raw)))
    if cjk < 0.1 * visible:
        raise DocumentError(str(path), f"no Chinese text ({cjk} CJK characters of {visible}; decoded as {encoding})")
    return normalise(raw, source=path.name, content_hash=hashlib.sha256(data).hexdigest(), encoding=encoding)


_SURROGATE = re.compile("[\ud800-\udfff]")
# ---- normalising ----------------------------------------------------------------------


@cache
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


def _fold_table() -> dict[str, str]:
    """One-to-one replacements (ASCII ( ) ; are done by str.replace, faster)."""
    table: dict[str, str] = {}
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]:
        table[chr(code)] = chr(code - 0xFEE0)  # full-width letters and digits
    for char in "％．｜＂＇":
        table[char] = chr(ord(char) - 0xFEE0)
    for code in [0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000]:
        table[chr(code)] = " "
    for char in "\r\x0b\x0c\x85\u2028\u2029":
        table[char] = "\n"  # the CR of a CRLF pair is deleted before this
    # Hong Kong and Taiwan variant forms that t2s leaves alone (from OpenCC's HKVariants
    # and TWVariants, minus 么 and 著, which are ordinary simplified characters too).
    table.update(zip("衞枱糭粧敍衹潀痺簷睪", "卫台粽妆叙只潨痹檐睾"))
    return table


_FOLD = _fold_table()
# str.translate costs ~150 ns a character; a regex finds the few foldable ones faster.
_FOLDABLE = re.compile("[" + "".join(map(re.escape, _FOLD)) + "]")
# Removed before folding: BOM/ZWNBSP, zero-width and direction marks, soft hyphen, C0
# controls but tab and newline, and the CR of every CRLF.
_INVISIBLE = re.compile("\r(?=\n)|[\x00-\x08\x0e-\x1f\x7f\u00ad\u200b-\u200f\u2060\ufeff]")
_COMMA_COLON = re.compile(r"[,:](?:(?!\d)|(?<!\d[,:]))")
# A copy with ASCII punctuation ends sentences with "." "!" "?"; later steps cut at 。.
_SENTENCE_END = re.compile(f"[.!?](?<=[{_CJK_CLASS}）”》」』】%][.!?])(?=\\s|[{_CJK_CLASS}（“《「『【]|\\Z)")
_FULL_WIDTH_END = {".": "。", "!": "！", "?": "？"}
_ASCII_QUOTED = re.compile('"([^"\\n]*)"')
_CHINESE_CONTEXT = re.compile(f"[{_CJK_CLASS}，。、；：！？（）《》〔〕]")


def _curly_quotes(match: re.Match[str]) -> str:
    """"…" → “…” when Chinese is inside or right around it (not "OK" in English)."""
    start, end = match.span()
    context = match.string[max(0, start - 1) : end + 1]
    return f"“{match[1]}”" if _CHINESE_CONTEXT.search(context) else match[0]


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ\u0300\u0301\u0304\u030c\u0308"
# A copy saved in an encoding without tone letters (Big5, "replace") has "?" for them: 發(f?).
# Lower case only: glued pinyin is, and (PPP?) must stay.
_SYLLABLE = f"[a-z{_TONE}?]+"
# Inside the parentheses: a tone mark (or "?"), a letter, syllables separated by ' or space.
_PINYIN_BODY = f"(?=[a-z{_TONE}? '’]*[{_TONE}?])(?=[a-z{_TONE}? '’]*[a-z{_TONE}]){_SYLLABLE}(?:[ '’]{_SYLLABLE})*）"
# Consecutive groups go together, or a second pass would find the next one after a CJK.
_PINYIN = re.compile(f"（(?<=[{_CJK_CLASS}]（){_PINYIN_BODY}(?:（{_PINYIN_BODY})*")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|\Z)")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6});")


def _unescape_padded(match: re.Match[str]) -> str:
    """An entity as its character, padded with NULs (deleted next) to keep offsets exact.

    Idempotent although &amp;nbsp; gives &nbsp;: the ; of what is left is folded to ；.
    """
    char = html.unescape(match[0])
    return char + "\x00" * (len(match[0]) - 1) if len(char) == 1 and char != "\x00" else match[0]


class _Offsets:
    """Where each character of the current text came from in ``raw``, kept as runs.

    Run ``i`` maps current positions ``[starts[i], starts[i+1])`` onto raw positions from
    ``raw_starts[i]``. One-to-one replacements leave it unchanged; deletions split runs.
    """

    def __init__(self, length: int) -> None:
        self.starts = [0]
        self.raw_starts = [0]
        self.length = length

    def delete(self, text: str, pattern: re.Pattern[str]) -> str:
        """Remove the matches of ``pattern`` from ``text`` and update the runs."""
        return self.delete_spans(text, [m.span() for m in pattern.finditer(text)])

    def delete_spans(self, text: str, spans: list[tuple[int, int]]) -> str:
        """Remove ``text[start:end]`` for each span (in order, not overlapping) and update the runs."""
        spans = [(start, end) for start, end in spans if end > start]
        if not spans:
            return text
        kept: list[tuple[int, int]] = []
        cursor = 0
        for start, end in spans:
            if start > cursor:
                kept.append((cursor, start))
            cursor = end
        if cursor < len(text):
            kept.append((cursor, len(text)))
        starts: list[int] = []
        raw_starts: list[int] = []
        position = 0
        for start, end in kept:
            run = bisect.bisect_right(self.starts, start) - 1
            while start < end:
                run_end = self.starts[run + 1] if run + 1 < len(self.starts) else self.length
                piece_end = min(end, run_end)
                starts.append(position)
                raw_starts.append(self.raw_starts[run] + start - self.starts[run])
                position += piece_end - start
                start = piece_end
                run += 1
        self.starts, self.raw_starts, self.length = starts or [0], raw_starts or [0], position
        return "".join(text[start:end] for start, end in kept)

    def as_tuple(self) -> tuple[int, ...]:
        ends = [*self.starts[1:], self.length]
        runs = (range(raw, raw + end - start) for start, end, raw in zip(self.starts, ends, self.raw_starts))
        return tuple(chain.from_iterable(runs))


def _simplify(text: str) -> str:
    """OpenCC t2s, checked to keep the length (so offsets stay one-to-one)."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A future dictionary with a length-changing phrase: convert per character instead,
    # keeping any character whose conversion is not a single character.
    return "".join(c if len(s := _converter().convert(c)) != 1 else s for c in text)


# Big5 has no 〇, so a Big5 copy of 二〇二二年 reads 二?二二年 (the encoder's replacement).
_LOST_LING = re.compile(r"(?<=[一二三四五六七八九十〇零])[?？](?=[一二三四五六七八九十〇零?？]{0,3}年)"
                        r"|[?？](?=[一二三四五六七八九〇零]{1,3}年)")


def normalise(raw: str, *, source: str = "<string>", content_hash: str = "", encoding: str = "utf-8") -> Text:
    """Normalise decoded text as described in this module's docstring.

    >>> t = normalise("各縣(市、區(qū))人民政府,曲靖經(jīng)開區(qū):\\r\\n１２．５％\\u3000 \\r\\n")
    >>> t.text
    '各县（市、区）人民政府，曲靖经开区：\\n12.5%\\n'
    >>> t.raw[t.raw_offsets[5]], t.raw[t.raw_offsets[10]]
    ('區', '府')
    """
    offsets = _Offsets(len(raw))
    text = _SURROGATE.sub("\ufffd", raw)  # lone surrogates cannot reach OpenCC's UTF-8
    if "&" in text:  # HTML entities left by a copy from a web page: &nbsp; &ldquo; &#12290;
        text = _ENTITY.sub(_unescape_padded, text)  # the NUL padding goes with _INVISIBLE
    text = offsets.delete(text, _INVISIBLE)
    text = text.replace("(", "（").replace(")", "）").replace(";", "；")
    text = _FOLDABLE.sub(lambda m: _FOLD[m.group()], text)
    text = _COMMA_COLON.sub(lambda m: "，" if m.group() == "," else "：", text)
    text = _ASCII_QUOTED.sub(_curly_quotes, text)
    text = _SENTENCE_END.sub(lambda m: _FULL_WIDTH_END[m.group()], text)
    # Page layout (kg.layout), before glued pinyin goes: a copy cut at a fixed width cut the
    # file's lines, pinyin and all, so their lengths only line up as they were written.
    text = offsets.delete_spans(text, layout.indents(text))
    text = offsets.delete_spans(text, layout.markdown_marks(text))
    text = offsets.delete_spans(text, layout.spaces_by_punctuation(text))
    text = offsets.delete_spans(text, layout.page_number_lines(text))
    text = offsets.delete_spans(text, layout.wrapped_line_breaks(text))
    text = offsets.delete(text, _PINYIN)
    text = _LOST_LING.sub("〇", text)
    text = _simplify(text)
    text = offsets.delete(text, _TRAILING_SPACE)
    return Text(source, text, raw, encoding, content_hash, offsets.as_tuple())
