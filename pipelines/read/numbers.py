"""Printed figures to exact decimals. Money is never a float here."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Cells that mean "nothing printed here" rather than zero.
EMPTY_MARKS = frozenset({"", "-", "--", "—", "——", "－", "/", "／", "\\", "…", "*"})

# A printed amount: optional sign, digits with optional thousands separators, optional decimals.
# Every separator is followed by three digits; the leading group may be longer, as spreadsheets
# formatted to group only the last thousands print it ("120258,600" for 120,258,600).
# Parentheses around a figure are an accounting negative.
AMOUNT_RE = re.compile(r"^[-−－]?\d+(?:[,，]\d{3})*(?:\.\d+)?$")
_PAREN_NEGATIVE = re.compile(r"^[（(]\s*(.+?)\s*[)）]$")


def not_a_figure(text: str) -> str:
    """读取问题: printed text where a figure belongs (the normalizer names the table and column before it)."""
    return f"读不出数字“{text}”"


def is_amount(text: str | None) -> bool:
    """True when the text is exactly one printed figure (2,126.26 / 0.00 / -5 / (3.10))."""
    if text is None:
        return False
    text = text.strip()
    inner = _PAREN_NEGATIVE.match(text)
    if inner:
        text = inner.group(1)
    return bool(AMOUNT_RE.match(text))


def parse_amount(text: str | None) -> Decimal | None:
    """The exact value of a printed figure; None for an empty cell or a dash.

    Raises ValueError, naming the text, for anything that is neither.
    """
    if text is None:
        return None
    cleaned = text.strip().replace("\u3000", "")
    if cleaned in EMPTY_MARKS:
        return None
    negative = False
    inner = _PAREN_NEGATIVE.match(cleaned)
    if inner:
        cleaned, negative = inner.group(1), True
    if not AMOUNT_RE.match(cleaned):
        raise ValueError(not_a_figure(text))
    cleaned = cleaned.replace(",", "").replace("，", "").replace("−", "-").replace("－", "-")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - AMOUNT_RE admits only valid literals
        raise ValueError(not_a_figure(text)) from exc
    return -value if negative else value


# A count printed with its measure word: 6台, 10张, 1项, 2 套, 120平方米.
_QUANTITY_RE = re.compile(r"^(.+?)\s*([\u4e00-\u9fff㎡]{1,4}|[a-zA-Z]{1,3})$")


def parse_quantity(text: str | None) -> Decimal | None:
    """A printed quantity, with or without its measure word (6台 → 6); None for an empty cell.

    Raises ValueError, naming the text, for anything else."""
    if text is None:
        return None
    cleaned = text.strip().replace("\u3000", "")
    m = _QUANTITY_RE.match(cleaned)
    return parse_amount(m.group(1) if m and is_amount(m.group(1)) else cleaned)


def decimals_of(text: str) -> int:
    """How many decimals a printed figure shows (its rounding unit)."""
    cleaned = text.strip().strip("()（）")
    return len(cleaned.split(".", 1)[1]) if "." in cleaned else 0


WAN = Decimal(10000)


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """A figure printed in ``unit`` (元 or 万元) as yuan, exactly."""
    if unit == "万元":
        return value * WAN
    if unit == "元":
        return value
    raise ValueError(f"不认识的金额单位“{unit}”（只认元和万元）")
