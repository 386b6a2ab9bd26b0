"""``decode_wsfed``: WS-Federation passive-requestor parameters → message.

The ``wa`` action decides (WS-Federation 1.2 §13.2): ``wsignin1.0`` is a
sign-in request, or a sign-in response when ``wresult`` is present;
``wsignout1.0`` and ``wsignoutcleanup1.0`` are sign-out requests.
Parameters come from the query string (GET) or the form body (POST); both
arrive here as a mapping, or as a raw query/body string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from cryptography import x509

from sso_harness.protocols.certinfo import DEFAULT_HORIZON
from sso_harness.protocols.errors import DECODE_NOT_RECOGNISED, DECODE_TOO_LARGE, DecodeError
from sso_harness.protocols.problems import WSFED_WTREALM_MISSING, Problem
from sso_harness.protocols.xml.safe import parse_xml
from sso_harness.protocols.saml.bindings import parse_query
from sso_harness.protocols.saml.options import decode_options
from sso_harness.protocols.wsfed.messages import WsFedMessage, WsFedSignInRequest, WsFedSignOutRequest
from sso_harness.protocols.wsfed.rstr import read_rstr
from sso_harness.protocols.xml.dsig.keys import PrivateKey

__all__ = ["MAX_WRESULT", "SIGNIN", "SIGNOUT", "SIGNOUT_CLEANUP", "decode_wsfed"]

SIGNIN = "wsignin1.0"
SIGNOUT = "wsignout1.0"
SIGNOUT_CLEANUP = "wsignoutcleanup1.0"
MAX_WRESULT = 10 * 1024 * 1024
WTREALM_MISSING = "wtrealm is missing (required in a sign-in request, WS-Federation §13.2.1)"


def _fields(params: Mapping[str, str] | str) -> Mapping[str, object]:
    if isinstance(params, str):  # same rules as the SAML bindings: first value per key, bounded field count
        return parse_query(params)
    if not isinstance(params, Mapping):
        raise DecodeError(f"expected a mapping of parameters, got {type(params).__name__}", where="parameters")
    return params


def _get(fields: Mapping[str, object], name: str) -> str | None:
    value = fields.get(name)
    if isinstance(value, (list, tuple)):  # parse_qs-style multi-dicts
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value is None:
        return None
    if not isinstance(value, str):
        raise DecodeError(f"expected a string, got {type(value).__name__}", where=name)
    return value


def decode_wsfed(
    params: Mapping[str, str] | str,
    *,
    trusted_certs: Sequence[x509.Certificate] = (),
    now: datetime | None = None,
    sp_keys: Sequence[PrivateKey] = (),
    cert_horizon: timedelta = DEFAULT_HORIZON,
) -> WsFedMessage:
    """Decode WS-Federation parameters (a mapping, or a query/form string).

    Returns :class:`WsFedSignInRequest`, :class:`WsFedSignOutRequest` or
    :class:`WsFedSignInResponse`.  The token in a response is verified
    against ``trusted_certs`` only and decrypted with ``sp_keys`` when
    encrypted; ``now`` adds time-window errors and certificate-expiry
    warnings.  Total: raises only :class:`DecodeError`.
    """
    options = decode_options(trusted_certs, now, sp_keys, cert_horizon)
    fields = _fields(params)
    wa = _get(fields, "wa")
    if wa is None:
        raise DecodeError("no wa parameter (not a WS-Federation message)", where="wa", code=DECODE_NOT_RECOGNISED)
    action = wa.strip()
    if action in (SIGNOUT, SIGNOUT_CLEANUP):
        return WsFedSignOutRequest(
            wa=action,
            wtrealm=_get(fields, "wtrealm"),
            wreply=_get(fields, "wreply"),
            wctx=_get(fields, "wctx"),
            cleanup=action == SIGNOUT_CLEANUP,
        )
    if action != SIGNIN:
        raise DecodeError(f"unsupported action {wa[:64]!r} (expected wsignin1.0, wsignout1.0 or wsignoutcleanup1.0)", where="wa")
    wresult = _get(fields, "wresult")
    if wresult is None:
        wtrealm = _get(fields, "wtrealm")
        return WsFedSignInRequest(
            wa=action,
            wtrealm=wtrealm,
            wreply=_get(fields, "wreply"),
            wctx=_get(fields, "wctx"),
            whr=_get(fields, "whr"),
            wct=_get(fields, "wct"),
            wfresh=_get(fields, "wfresh"),
            problems=() if wtrealm else (Problem(WSFED_WTREALM_MISSING, WTREALM_MISSING),),
        )
    data = wresult.encode("utf-8", "surrogatepass")
    if len(data) > MAX_WRESULT:
        raise DecodeError(f"wresult exceeds {MAX_WRESULT} bytes", where="wresult", code=DECODE_TOO_LARGE)
    try:
        root = parse_xml(data, where="XML")
        return read_rstr(action, _get(fields, "wctx"), data, root, options)
    except DecodeError as exc:
        raise exc.within("wresult") from None
