"""Tests for protokol.rudates (expected strings written by hand)."""

from datetime import date, datetime

import pytest

from protokol.rudates import MONTHS_GENITIVE, format_date

CASES = [
    # the meeting dates of the originals (examples/originals/)
    (date(2023, 8, 27), "long", "27 августа 2023 г."),
    (date(2023, 8, 27), "numeric", "27.08.2023"),
    (date(2023, 8, 27), "quoted", "\u201c27\u201d августа 2023 г."),
    (date(2021, 9, 2), "quoted", "“02” сентября 2021 г."),
    (date(2021, 9, 2), "long", "2 сентября 2021 г."),
    (date(2021, 9, 2), "numeric", "02.09.2021"),
    (date(2022, 12, 25), "long", "25 декабря 2022 г."),
    (date(2024, 1, 9), "long", "9 января 2024 г."),
    (date(2024, 1, 9), "numeric", "09.01.2024"),
    (date(2024, 1, 9), "quoted", "“09” января 2024 г."),
    (date(2020, 12, 22), "numeric", "22.12.2020"),
    # ГОСТ Р 7.0.97 п. 5.10 examples
    (date(2016, 6, 5), "numeric", "05.06.2016"),
    (date(2016, 6, 5), "long", "5 июня 2016 г."),
    # month edges
    (date(2024, 2, 29), "long", "29 февраля 2024 г."),
    (date(2024, 3, 1), "long", "1 марта 2024 г."),
    (date(2024, 12, 31), "quoted", "“31” декабря 2024 г."),
]


@pytest.mark.parametrize("d,style,expected", CASES)
def test_format_date(d, style, expected):
    assert format_date(d, style) == expected


def test_default_style_is_long():
    assert format_date(date(2023, 8, 27)) == "27 августа 2023 г."


MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
          "августа", "сентября", "октября", "ноября", "декабря"]


def test_months_genitive():
    assert MONTHS_GENITIVE == tuple(MONTHS)


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_long_and_quoted(month):
    d = date(2025, month, 15)
    assert format_date(d, "long") == f"15 {MONTHS[month - 1]} 2025 г."
    assert format_date(d, "quoted") == f"“15” {MONTHS[month - 1]} 2025 г."
    assert format_date(d, "numeric") == f"15.{month:02d}.2025"


def test_quoted_uses_typographic_quotes_only():
    s = format_date(date(2021, 9, 2), "quoted")
    assert s.startswith("\u201c") and "\u201d" in s
    assert '"' not in s and "«" not in s and "»" not in s


def test_datetime_is_formatted_by_its_date():
    assert format_date(datetime(2023, 8, 27, 14, 30), "numeric") == "27.08.2023"


def test_unknown_style_raises():
    with pytest.raises(ValueError):
        format_date(date(2023, 8, 27), "short")


def test_non_date_raises():
    with pytest.raises(TypeError):
        format_date("2023-08-27", "long")
