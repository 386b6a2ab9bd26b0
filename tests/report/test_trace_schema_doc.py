"""docs/trace-schema.md names every key the trace JSON writer writes."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from sso_harness.capture.hop import Hop
from sso_harness.report.redact import Redactor
from sso_harness.report.trace_json import dump_trace
from sso_harness.trace.noise import number_flow
from sso_harness.trace.trace import Trace

DOC = Path(__file__).resolve().parents[2] / "docs" / "trace-schema.md"
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
JSON = (("Content-Type", "application/json"),)
T0 = 1_800_000_000.0


def _everything() -> dict[str, object]:
    """A trace JSON with every optional key: a cut form, a JSON body, a decode error, noise, an exchange."""
    cut = Hop(0, "POST", "https://rp.example/callback", FORM,
              urlencode({"state": "s1", "code": "c", "pad": "p" * 2000}).encode(), 200, (), T0, T0 + 0.1)
    broken = Hop(1, "GET", "https://idp.example/sso?SAMLRequest=not-base64!", (), b"", 200, (), T0, T0 + 0.1)
    token = Hop(2, "POST", "https://idp.example/token", JSON, b'{"grant_type": "x"}', 200, JSON, T0, T0 + 0.1,
                response_body=b'{"access_token": "a"}')
    icon = Hop(3, "GET", "https://rp.example/favicon.ico", (("User-Agent", "Mozilla/5.0"),), b"", 404, (), T0, T0)
    return json.loads(dump_trace(Trace.from_hops(number_flow([cut, broken, token, icon]), body_limit=1024), Redactor()))


def _documented(key: str, text: str) -> bool:
    return f"`{key}`" in text


def test_every_written_key_is_in_the_schema_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    data = _everything()
    hops = data["hops"]
    assert isinstance(hops, list)
    keys = set(data) | {k for h in hops for k in h}
    keys |= {k for h in hops for m in h["messages"] for k in m}
    keys |= {k for h in hops for e in h["errors"] for k in e}
    keys |= {k for e in data["exchanges"] for k in e}  # type: ignore[attr-defined]
    assert {"notes", "truncated", "body_limit", "request_json", "response_json", "request_form"} <= keys
    assert any(e for h in hops for e in h["errors"])  # the decode error (and its code) was written
    assert sorted(k for k in keys if not _documented(k, text)) == []
