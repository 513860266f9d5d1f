"""Numbers as plans write them: Arabic (1.2万, 5亿), Chinese (两百万, 一百二十, 二〇二二),
fractions (千分之一, 百分之十五) and doublings (翻一番).

Used by ``kg.targets`` (target values) and ``kg.meta`` (dates written 二〇二一年十二月三十日).
"""

from __future__ import annotations

import re
from decimal import Decimal

CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"

# The denominators of 百分之/千分之/万分之 and the unit each gives.
FRACTION_UNITS = {"百": "%", "千": "‰", "万": "‱"}


def cn_number(numeral: str) -> int | None:
    """The value of a Chinese numeral, or None if it is not one.

    >>> cn_number("两百万"), cn_number("百万"), cn_number("二十六"), cn_number("二〇二二")
    (2000000, 1000000, 26, 2022)
    >>> cn_number("一百二十"), cn_number("一千零五"), cn_number("十五"), cn_number("abc")
    (120, 1005, 15, None)
    """
    if not numeral or any(ch not in CN_CHARS for ch in numeral):
        return None
    if len(numeral) > 1 and all(ch in CN_DIGIT for ch in numeral):  # 二〇二二: digit by digit
        return int("".join(str(CN_DIGIT[ch]) for ch in numeral))
    total = section = digit = 0
    for ch in numeral:
        if ch in CN_DIGIT:
            digit = CN_DIGIT[ch]
        elif ch in CN_SMALL:
            section += (digit or 1) * CN_SMALL[ch]
            digit = 0
        else:
            section = ((section + digit) or 1) * CN_BIG[ch]
            total += section
            section = digit = 0
    return total + section + digit


def _tidy(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def parse_number(token: str) -> Decimal | None:
    """The value of a number as written: Arabic with an optional 万/亿 scale, a Chinese
    numeral, or a Chinese decimal (零点五); None if ``token`` is none of these.

    >>> parse_number("1.2万"), parse_number("5亿"), parse_number("两万"), parse_number("零点五")
    (Decimal('12000'), Decimal('500000000'), Decimal('20000'), Decimal('0.5'))
    >>> parse_number("3 万"), parse_number("第三") is None
    (Decimal('30000'), True)
    """
    token = re.sub(r"\s+", "", token)
    if not token:
        return None
    magnitude = 1
    if token[-1] in CN_BIG and token[:-1] and token[0].isdigit():
        magnitude, token = CN_BIG[token[-1]], token[:-1]
    if token[0].isdigit():
        try:
            return _tidy(Decimal(token) * magnitude)
        except ArithmeticError:
            return None
    if "点" in token:  # 零点五, 一点二
        whole, _, fraction = token.partition("点")
        number = cn_number(whole)
        if number is None or not fraction or any(ch not in CN_DIGIT for ch in fraction):
            return None
        return _tidy(Decimal(f"{number}.{''.join(str(CN_DIGIT[ch]) for ch in fraction)}"))
    number = cn_number(token)
    return None if number is None else Decimal(number)


def doubling(times: str) -> Decimal | None:
    """The factor 翻N番 (doubled N times) names: 翻一番 → 2, 翻两番 → 4.

    >>> doubling("一"), doubling("两"), doubling("x") is None
    (Decimal('2'), Decimal('4'), True)
    """
    n = CN_DIGIT.get(times) or (int(times) if times.isdigit() else None)
    return Decimal(2**n) if n else None
