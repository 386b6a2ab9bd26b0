"""The three shapes an AADSTS error takes on the wire (aadsts.md §1).

* the token endpoint's JSON body: ``error``, ``error_description`` (the
  message, then ``Trace ID``, ``Correlation ID`` and ``Timestamp`` lines),
  ``error_codes``, ``timestamp`` (``yyyy-MM-dd HH:mm:ssZ``), ``trace_id``,
  ``correlation_id``, ``error_uri`` (RFC 6749 §5.2 plus Entra's members);
* the authorize endpoint's error redirect (RFC 6749 §4.1.2.1): ``error``,
  ``error_description``, ``error_uri`` and ``state``, in the query, the
  fragment or a form post, as ``response_mode`` asks;
* the HTML error page, for errors that cannot go back to the app (unknown
  app, unregistered reply URL) and for SAML configuration errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from sso_harness.mocks.entra.errors import AadstsError
from sso_harness.mocks.entra.pages import error_page, hidden_form
from sso_harness.mocks.web.http import Response, json_response, redirect

__all__ = ["Correlation", "entra_timestamp", "error_description", "token_error", "redirect_error", "page_error", "ESTS_HEADERS"]

#: Headers Entra's STS puts on its responses (entra.md §2).
ESTS_HEADERS = (
    ("x-ms-ests-server", "2.1.18874.4 - mock ProdSlices"),
    ("P3P", 'CP="DSP CUR OTPi IND OTRi ONL FIN"'),
)


@dataclass(frozen=True)
class Correlation:
    """The IDs of one STS request: ``trace_id`` doubles as ``x-ms-request-id``."""

    trace_id: str
    correlation_id: str
    at: dt.datetime


def entra_timestamp(t: dt.datetime) -> str:
    """``2016-01-09 02:02:12Z``: a space instead of ``T``, no fraction."""
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def error_description(err: AadstsError, c: Correlation) -> str:
    return (
        f"{err.message}\r\nTrace ID: {c.trace_id}\r\nCorrelation ID: {c.correlation_id}\r\n"
        f"Timestamp: {entra_timestamp(c.at)}"
    )


def _headers(c: Correlation) -> list[tuple[str, str]]:
    return [("x-ms-request-id", c.trace_id), *ESTS_HEADERS]


def token_error(err: AadstsError, c: Correlation, error_uri_base: str) -> Response:
    body: dict[str, object] = {
        "error": err.oauth_error,
        "error_description": error_description(err, c),
        "error_codes": [err.code],
        "timestamp": entra_timestamp(c.at),
        "trace_id": c.trace_id,
        "correlation_id": c.correlation_id,
        "error_uri": f"{error_uri_base}/error?code={err.code}",
    }
    if err.suberror:
        body["suberror"] = err.suberror
    headers = [*_headers(c), ("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache")]
    return json_response(body, status=err.http_status, headers=headers)


def redirect_error(
    err: AadstsError,
    c: Correlation,
    *,
    redirect_uri: str,
    state: str | None,
    response_mode: str,
    error_uri_base: str,
) -> Response:
    params = {
        "error": err.redirect_error or err.oauth_error,
        "error_description": error_description(err, c),
        "error_uri": f"{error_uri_base}/error?code={err.code}",
    }
    if state is not None:
        params["state"] = state
    if response_mode == "form_post":
        response = hidden_form(redirect_uri, params)
    else:
        sep = "#" if response_mode == "fragment" else ("&" if "?" in redirect_uri else "?")
        response = redirect(redirect_uri + sep + urlencode(params))
    response.headers.extend(_headers(c))
    return response


def page_error(err: AadstsError, c: Correlation, *, app_name: str = "") -> Response:
    response = error_page(
        err.message,
        err.code,
        request_id=c.trace_id,
        correlation_id=c.correlation_id,
        timestamp=entra_timestamp(c.at),
        app_name=app_name,
    )
    response.headers.extend(_headers(c))
    return response
