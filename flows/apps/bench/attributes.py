"""Decoding time against the attribute count: 10k, 20k and 40k SAML attributes.

One unsigned Response per size, one AttributeStatement of N attributes (one
value each), decoded from its HTTP-POST form value and rendered as the CLI
and reports do (JSON view and summary). Each size is the median of a few
rounds; ``per_attribute_us`` staying flat across sizes is what linear means.
Reported, never asserted: the structural check is
``tests/protocols/test_linear_decoding.py`` (it counts calls, not time).

    .venv/bin/python -m sso_harness.apps.bench.attributes [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import base64
import json
import time
from collections.abc import Sequence
from typing import Any

from sso_harness.apps.bench.stats import median
from sso_harness.protocols.saml import decode_post, render_summary, to_json

__all__ = ["SIZES", "attribute_response", "measure_attributes", "render_attributes"]

SIZES = (10_000, 20_000, 40_000)
_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


def attribute_response(count: int) -> bytes:
    """A Response whose one assertion carries ``count`` distinct attributes."""
    attributes = "".join(
        f'<saml:Attribute Name="urn:attr:{i}"><saml:AttributeValue>value {i}</saml:AttributeValue></saml:Attribute>'
        for i in range(count)
    )
    return (
        f'<samlp:Response xmlns:samlp="{_SAMLP}" xmlns:saml="{_SAML}" ID="_bench" Version="2.0" '
        'IssueInstant="2024-01-01T00:00:00Z"><saml:Issuer>https://idp.bench</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        '<saml:Assertion ID="_bench-a" Version="2.0" IssueInstant="2024-01-01T00:00:00Z">'
        f"<saml:Issuer>https://idp.bench</saml:Issuer><saml:AttributeStatement>{attributes}"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    ).encode()


def _once(value: str) -> float:
    started = time.perf_counter()
    message = decode_post({"SAMLResponse": value})
    to_json(message)
    render_summary(message)
    return time.perf_counter() - started


def measure_attributes(sizes: Sequence[int] = SIZES, rounds: int = 3) -> list[dict[str, Any]]:
    """One row per size: ``attributes``, ``median_s`` over ``rounds``, ``per_attribute_us``."""
    rows = []
    for size in sizes:
        value = base64.b64encode(attribute_response(size)).decode()
        seconds = median([_once(value) for _ in range(rounds)])
        rows.append({"attributes": size, "median_s": seconds, "per_attribute_us": seconds / size * 1e6})
    return rows


def render_attributes(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a small table, with each size's time relative to the first."""
    first = rows[0]["median_s"] if rows else float("nan")
    lines = [f"{'attributes':>10}  {'decode + views':>14}  {'per attribute':>13}  {'vs first':>8}"]
    for row in rows:
        lines.append(f"{row['attributes']:>10}  {row['median_s'] * 1000:>11.0f} ms  {row['per_attribute_us']:>10.1f} us"
                     f"  {row['median_s'] / first:>7.2f}x")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure_attributes(rounds=args.rounds)
    print(json.dumps(rows) if args.json else render_attributes(rows))


if __name__ == "__main__":
    main()
