import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.read.numbers import decimals_of, is_amount, parse_amount, parse_quantity, to_yuan


@pytest.mark.parametrize("text, value", [
    ("21,262,614.31", Decimal("21262614.31")),
    ("0.00", Decimal("0.00")),
    ("542960", Decimal("542960")),
    ("-5.10", Decimal("-5.10")),
    ("(3.10)", Decimal("-3.10")),
    ("（1,000）", Decimal("-1000")),
])
def test_parse_amount_exact(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", [None, "", "-", "—", "/", "　"])
def test_empty_marks_are_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["万元", "12.3.4", "1,23", "abc"])
def test_non_figures_raise_naming_the_text(text):
    with pytest.raises(ValueError, match=f"^读不出数字“{re.escape(text)}”$"):
        parse_amount(text)


def test_units_and_decimals():
    assert to_yuan(Decimal("2126.26"), "万元") == Decimal("21262600.00")
    assert decimals_of("2,126.26") == 2 and decimals_of("542960") == 0
    with pytest.raises(ValueError):
        to_yuan(Decimal(1), "千元")


@given(st.text(max_size=30))
def test_parser_never_crashes(text):
    try:
        value = parse_amount(text)
    except ValueError:
        return
    assert value is None or isinstance(value, Decimal)
    assert value is None or is_amount(text.strip().replace("\u3000", ""))


@pytest.mark.parametrize("text, value", [("6台", Decimal(6)), ("10张", Decimal(10)), ("2 套", Decimal(2)),
                                         ("120平方米", Decimal(120)), ("1,000", Decimal(1000)), ("3", Decimal(3)),
                                         ("-", None), (None, None)])
def test_a_quantity_may_carry_its_measure_word(text, value):
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["台", "约6台", "6台6"])
def test_a_quantity_that_is_no_number_is_said_so(text):
    with pytest.raises(ValueError, match="读不出数字"):
        parse_quantity(text)
