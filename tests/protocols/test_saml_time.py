"""xs:dateTime parsing/formatting and time-window findings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sso_harness.protocols import DecodeError, Response, parse_saml
from sso_harness.protocols.saml import format_instant, parse_instant

UTC = UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-03-03T19:25:28Z", datetime(2020, 3, 3, 19, 25, 28, tzinfo=UTC)),
        ("2020-03-03T19:25:28.348Z", datetime(2020, 3, 3, 19, 25, 28, 348000, tzinfo=UTC)),
        ("2020-03-03T19:25:28.1234567Z", datetime(2020, 3, 3, 19, 25, 28, 123456, tzinfo=UTC)),
        ("2020-03-03T19:25:28", datetime(2020, 3, 3, 19, 25, 28, tzinfo=UTC)),
        (" 2020-03-03T19:25:28+01:00 ", datetime(2020, 3, 3, 18, 25, 28, tzinfo=UTC)),
        ("2020-03-03T19:25:28-0530", datetime(2020, 3, 4, 0, 55, 28, tzinfo=UTC)),
    ],
)
def test_parse_instant_tolerates_real_world_forms(text: str, expected: datetime) -> None:
    assert parse_instant(text, where="f") == expected
    assert parse_instant(None, where="f") is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2020-13-01T00:00:00Z",
        "2020-03-03 19:25:28Z",
        "２０２０-03-03T19:25:28Z",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_parse_instant_rejects_with_field_name(text: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_instant(text, where="Assertion/Conditions@NotOnOrAfter")
    assert info.value.where == "Assertion/Conditions@NotOnOrAfter"


def test_format_instant() -> None:
    assert format_instant(datetime(2024, 1, 1, tzinfo=UTC)) == "2024-01-01T00:00:00Z"
    assert format_instant(datetime(2024, 1, 1, 0, 0, 0, 184000, tzinfo=UTC)) == "2024-01-01T00:00:00.184Z"
    assert format_instant(datetime(2024, 1, 1, 1, tzinfo=timezone(timedelta(hours=1)))) == "2024-01-01T00:00:00Z"
    assert format_instant(None) is None


def test_time_findings_are_exact_at_the_boundaries(response_xml: Callable[..., str]) -> None:
    xml = response_xml()
    at_end = parse_saml(xml, now=datetime(2024, 5, 1, 10, 5, tzinfo=UTC))
    assert isinstance(at_end, Response)
    assert (
        "Assertion _a1: Conditions NotOnOrAfter 2024-05-01T10:05:00Z is not after the evaluation time 2024-05-01T10:05:00Z"
        in at_end.errors
    )
    inside = parse_saml(xml, now=datetime(2024, 5, 1, 10, 4, 59, tzinfo=UTC))
    assert isinstance(inside, Response) and inside.errors == ()
    naive = parse_saml(xml, now=datetime(2024, 5, 1, 10, 4, 59))
    assert isinstance(naive, Response) and naive.errors == ()
    at_start = parse_saml(xml, now=datetime(2024, 5, 1, 9, 59, tzinfo=UTC))
    assert isinstance(at_start, Response) and at_start.errors == ()
    before = parse_saml(xml, now=datetime(2024, 5, 1, 9, 58, 59, tzinfo=UTC))
    assert isinstance(before, Response)
    assert before.errors == (
        "Assertion _a1: Conditions NotBefore 2024-05-01T09:59:00Z is after the evaluation time "
        "2024-05-01T09:58:59Z (not yet valid)",
    )
    no_clock = parse_saml(xml)
    assert isinstance(no_clock, Response) and no_clock.errors == ()


def test_unparseable_assertion_time_is_a_decode_error(response_xml: Callable[..., str]) -> None:
    xml = response_xml().replace('NotOnOrAfter="2024-05-01T10:05:00Z">', 'NotOnOrAfter="soon">')
    with pytest.raises(DecodeError) as info:
        parse_saml(xml)
    assert info.value.where == "Assertion/Conditions@NotOnOrAfter"
