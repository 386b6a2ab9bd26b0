"""Decoding work is linear in the attribute count, shown by counting calls, never by timing.

Every Python and C function call made while decoding (and rendering) a
message with n, 2n and 4n attributes is counted with ``sys.setprofile``.
Linear work means equal increments: ``calls(4n) - calls(2n)`` is twice
``calls(2n) - calls(n)``, up to a constant (caches warming, one-off paths).
Any term growing like n² would add ``6·a·n²`` to that difference.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any
from urllib.parse import urlencode

import pytest

from sso_harness.apps.bench.attributes import attribute_response
from sso_harness.protocols import decode_any, decode_post, decode_wsfed, render_summary, to_json
from sso_harness.protocols.xml.safe import parse_xml

from .protocol_builders import SAML11, fixed_pair, rstr, sign, to_bytes

_N = 1000


def _calls(work: Callable[[], object]) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def _views(message: Any) -> None:
    to_json(message)
    render_summary(message)


def _signed(n: int) -> Callable[[], object]:
    key, cert = fixed_pair("idp-new")
    root = sign(parse_xml(attribute_response(n), where="test"), key, cert,
                xpath="//saml:Assertion")
    value = base64.b64encode(to_bytes(root)).decode()
    return lambda: _views(decode_post({"SAMLResponse": value}, trusted_certs=[cert]))


def _wsfed(n: int) -> Callable[[], object]:
    attributes = "".join(
        f'<saml:Attribute AttributeName="a{i}" AttributeNamespace="http://x"><saml:AttributeValue>v'
        f"</saml:AttributeValue></saml:Attribute>" for i in range(n)
    )
    token = (f'<saml:Assertion xmlns:saml="{SAML11}" MajorVersion="1" MinorVersion="1" AssertionID="_s" Issuer="i" '
             f'IssueInstant="2024-01-01T00:00:00Z"><saml:AttributeStatement>{attributes}</saml:AttributeStatement>'
             "</saml:Assertion>")
    query = urlencode({"wa": "wsignin1.0", "wresult": rstr(token)})
    return lambda: to_json(decode_wsfed(query))


PATHS: dict[str, Callable[[int], Callable[[], object]]] = {
    "decode_any (raw XML) + views": lambda n: (lambda xml=attribute_response(n): _views(decode_any(xml))),
    "decode_post (base64) + views": lambda n: (
        lambda v=base64.b64encode(attribute_response(n)).decode(): _views(decode_post({"SAMLResponse": v}))
    ),
    "signed assertion, verified": _signed,
    "WS-Federation SAML 1.1 token": _wsfed,
}


@pytest.mark.parametrize("path", list(PATHS))
def test_calls_grow_linearly_with_attributes(path: str) -> None:
    make = PATHS[path]
    make(_N // 10)()  # warm the caches and one-off paths, so the counts below hold only per-size work
    small, double, quadruple = (_calls(make(n)) for n in (_N, 2 * _N, 4 * _N))
    step = double - small
    assert step >= _N, f"{path}: decoding {_N} more attributes made only {step} calls (not reading them?)"
    bend = (quadruple - double) - 2 * step
    # A quadratic term a·n² would bend the increments by 6·a·n² (at a = 0.001: 6,000 calls).
    assert abs(bend) <= step // 50, f"{path}: calls at n, 2n, 4n = {small}, {double}, {quadruple}"
