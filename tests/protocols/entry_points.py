"""Every public entry point that decodes outside input, as ``name -> f(bytes)``.

Each function feeds the bytes to one decoder the way its callers do, then
renders what came back (JSON view, summary), because a view that crashes on
a decoded value loses the message just as surely as a decoder that does.
``run_all`` calls them all and returns the exceptions that broke the
contract: anything that is not a :class:`DecodeError` (the trace-file
readers may also raise their own documented format errors).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sso_harness.apps.cli import decode as cli_decode
from sso_harness.capture.hop import Hop
from sso_harness.protocols import (
    DecodeError,
    b64decode_lenient,
    decode_any,
    decode_artifact,
    decode_authorize_request,
    decode_authorize_response,
    decode_discovery,
    decode_jwks,
    decode_jwt,
    decode_oauth_any,
    decode_post,
    decode_redirect,
    decode_token_request,
    decode_token_response,
    decode_userinfo,
    decode_wsfed,
    inflate_bounded,
    load_certificates,
    parse_saml,
    parse_xml,
    render_summary,
    to_json,
    verify_jwt,
)
from sso_harness.protocols.errors import DECODE_INTERNAL
from sso_harness.protocols.jose import JwtExpectations, jwks_from_keys
from sso_harness.protocols.oauth import to_json as oauth_json
from sso_harness.protocols.saml import decode_form
from sso_harness.protocols.xml.dsig.keys import PrivateKey, load_private_key
from sso_harness.report.samltracer import SamlTracerImportError, load_samltracer
from sso_harness.report.trace_json import TraceFormatError, load_trace
from sso_harness.trace.trace import DecodeContext, Trace

from .hostile import KEYS, trusted_certificate

__all__ = ["ENTRY_POINTS", "READERS", "run_all"]

NOW = dt.datetime(2024, 1, 1, 0, 0, 30, tzinfo=dt.UTC)


@functools.lru_cache(maxsize=1)
def _sp_keys() -> tuple[PrivateKey, ...]:
    return (load_private_key((KEYS / "test-only-sp-key.pem").read_bytes()),)


@functools.lru_cache(maxsize=1)
def _jwks() -> dict[str, Any]:
    return jwks_from_keys([(trusted_certificate().public_key(), "k1", "RS256")])  # type: ignore[list-item]


def _saml_kw() -> dict[str, Any]:
    return {"trusted_certs": [trusted_certificate()], "now": NOW, "sp_keys": _sp_keys()}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _form(data: bytes) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(_text(data).split("?", 1)[-1], keep_blank_values=True))


def _saml_views(found: Any) -> None:
    to_json(found)
    render_summary(found)


def _oauth_views(found: Any) -> None:
    oauth_json(found)
    oauth_json(found, reveal_claims=True)


def _cli(data: bytes) -> None:
    """``sso-harness decode FILE --json`` and the summary: exit 0 or 2, never "internal error"."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        for as_json in (False, True):
            args = argparse.Namespace(input=str(path), idp_cert=[], sp_key=[], jwks=None, client_id="c",
                                      issuer=None, nonce=None, at="2024-01-01T00:00:30Z", json=as_json)
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                status = cli_decode.run(args)
            if status not in (0, 2) or "internal error" in err.getvalue():
                raise AssertionError(f"sso-harness decode: exit {status}: {err.getvalue().strip()}")


def _trace(data: bytes) -> None:
    """``Trace.from_hops`` over the input as a POST form, a query, a JSON answer and a fragment redirect."""
    form = (("content-type", "application/x-www-form-urlencoded"),)
    text = _text(data)
    hops = [
        Hop(0, "POST", "https://sp.example/acs", form, data, 200, (), 0.0, 0.1),
        Hop(1, "GET", "https://sp.example/acs?" + text.split("?", 1)[-1], (), b"", 200, (), 0.0, 0.1),
        Hop(2, "GET", "https://idp.example/userinfo", (("authorization", "Bearer t"),), b"", 200,
            (("content-type", "application/json"),), 0.0, 0.1, response_body=data),
        Hop(3, "POST", "https://idp.example/token", form, b"grant_type=authorization_code&code=c", 200,
            (("content-type", "application/json"),), 0.0, 0.1, response_body=data, request_body_truncated=True),
        Hop(4, "GET", "https://idp.example/authorize", (), b"", 302, (("location", "https://sp/cb#" + text),), 0.0, 0.1),
    ]
    context = DecodeContext(trusted_certs=(trusted_certificate(),), sp_keys=_sp_keys(), jwks=_jwks(), now=NOW)
    trace = Trace.from_hops(hops, context=context)
    for hop in trace:
        for message in hop.messages:
            message.to_json()
        # The trace's safety net turns a decoder bug into a DecodeError coded decode.internal: still a breach.
        internal = [e for e in hop.errors if e.code == DECODE_INTERNAL]
        if internal:
            raise AssertionError(str(internal[0]))
    trace.exchanges  # noqa: B018 - correlation runs over what was decoded
    trace.summary()


ENTRY_POINTS: dict[str, Callable[[bytes], object]] = {
    "saml.decode_any": lambda d: _saml_views(decode_any(d, **_saml_kw())),
    "saml.decode_post": lambda d: _saml_views(decode_post(_form(d), **_saml_kw())),
    "saml.decode_redirect": lambda d: _saml_views(decode_redirect(_text(d), **_saml_kw())),
    "saml.decode_form": lambda d: _saml_views(decode_form(_form(d), raw_query=_text(d), **_saml_kw())),
    "saml.parse_saml": lambda d: _saml_views(parse_saml(d, **_saml_kw())),
    "saml.decode_artifact": lambda d: decode_artifact(_text(d)),
    "wsfed.decode_wsfed": lambda d: to_json(decode_wsfed(_text(d), **_saml_kw())),
    "oauth.decode_oauth_any": lambda d: _oauth_views(decode_oauth_any(d, jwks=_jwks(), now=NOW,
                                                                      expected=JwtExpectations(client_id="c"))),
    "oauth.decode_authorize_request": lambda d: _oauth_views(decode_authorize_request(d)),
    "oauth.decode_authorize_response": lambda d: _oauth_views(decode_authorize_response(d)),
    "oauth.decode_token_request": lambda d: _oauth_views(decode_token_request(d, {"authorization": _text(d)[:64]})),
    "oauth.decode_token_response": lambda d: _oauth_views(decode_token_response(d, jwks=_jwks(), now=NOW)),
    "oauth.decode_userinfo": lambda d: _oauth_views(decode_userinfo(d)),
    "oauth.decode_discovery": lambda d: _oauth_views(decode_discovery(d)),
    "jose.decode_jwt": lambda d: decode_jwt(d),
    "jose.verify_jwt": lambda d: _oauth_views(verify_jwt(_text(d), _jwks(), now=NOW)),
    "jose.decode_jwks": lambda d: _oauth_views(decode_jwks(d)),
    "encoding.b64decode_lenient": lambda d: b64decode_lenient(d, where="input"),
    "encoding.inflate_bounded": lambda d: inflate_bounded(d, where="input"),
    "xml.parse_xml": lambda d: parse_xml(d, where="input"),
    "dsig.load_certificates": lambda d: load_certificates(d),
    "trace.from_hops": _trace,
    "cli.decode": _cli,
}
"""Decoders of outside input: the contract is "a value, or DecodeError"."""

READERS: dict[str, tuple[Callable[[bytes], object], tuple[type[Exception], ...]]] = {
    "report.load_trace": (lambda d: load_trace(d), (TraceFormatError,)),
    "report.load_samltracer": (lambda d: load_samltracer(d), (SamlTracerImportError,)),
}
"""Trace-file readers: also allowed their own documented format error."""


def run_all(data: bytes, names: tuple[str, ...] | None = None) -> list[tuple[str, BaseException]]:
    """Feed ``data`` to every entry point (or those in ``names``); the contract breaches found."""
    found: list[tuple[str, BaseException]] = []
    for name, decoder in ENTRY_POINTS.items():
        if names is not None and name not in names:
            continue
        try:
            decoder(data)
        except DecodeError:
            pass
        except Exception as exc:  # noqa: BLE001 - the breach being looked for
            found.append((name, exc))
    for name, (reader, allowed) in READERS.items():
        if names is not None and name not in names:
            continue
        try:
            reader(data)
        except (DecodeError, *allowed):
            pass
        except Exception as exc:  # noqa: BLE001
            found.append((name, exc))
    return found
