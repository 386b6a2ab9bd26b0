"""The attribute-scaling bench: its rows and table (small sizes; no assertion on any time)."""

from __future__ import annotations

from sso_harness.apps.bench.attributes import SIZES, attribute_response, measure_attributes, render_attributes
from sso_harness.apps.cli.bench import render_table
from sso_harness.protocols.saml import Response, decode_any


def test_the_bench_sizes_are_10k_20k_and_40k() -> None:
    assert SIZES == (10_000, 20_000, 40_000)


def test_the_measured_response_carries_exactly_the_attributes_asked_for() -> None:
    message = decode_any(attribute_response(25))
    assert isinstance(message, Response) and len(message.assertions[0].attributes) == 25


def test_rows_and_tables_name_each_size() -> None:
    rows = measure_attributes((10, 20), rounds=1)
    assert [row["attributes"] for row in rows] == [10, 20]
    assert all(row["median_s"] > 0 and row["per_attribute_us"] > 0 for row in rows)
    assert "per attribute" in render_attributes(rows)
    table = render_table({"attributes": rows})
    assert "decode + views, 10 SAML attributes" in table and "decode + views, 20 SAML attributes" in table
