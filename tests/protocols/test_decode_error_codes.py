"""DecodeError carries a stable code; layers and pickling keep it."""

from __future__ import annotations

import pickle
from typing import get_args

from sso_harness.protocols import errors
from sso_harness.protocols.errors import (
    DECODE_LIBRARY_REFUSED,
    DECODE_MALFORMED,
    DECODE_TOO_LARGE,
    DecodeError,
    DecodeErrorCode,
)


def test_every_code_has_a_named_constant_and_codes_are_namespaced() -> None:
    constants = {getattr(errors, name) for name in errors.__all__ if name.startswith("DECODE_")}
    assert constants == set(get_args(DecodeErrorCode))
    assert all(code.startswith("decode.") for code in constants)


def test_the_default_code_is_malformed() -> None:
    assert DecodeError("bad").code == DECODE_MALFORMED


def test_an_outer_layer_keeps_the_code() -> None:
    inner = DecodeError("too big", where="XML", code=DECODE_TOO_LARGE)
    outer = inner.within("SAMLResponse")
    assert (outer.code, outer.where, str(outer)) == (DECODE_TOO_LARGE, "SAMLResponse/XML", "SAMLResponse/XML: too big")


def test_pickling_keeps_the_code() -> None:
    copy = pickle.loads(pickle.dumps(DecodeError("too big", where="x", offset=3, code=DECODE_TOO_LARGE)))
    assert (copy.reason, copy.where, copy.offset, copy.code) == ("too big", "x", 3, DECODE_TOO_LARGE)


def test_a_library_exception_becomes_a_coded_error_naming_the_field() -> None:
    error = DecodeError.from_library(KeyError("tag 13"), where="X509Certificate", what="certificate")
    assert error.code == DECODE_LIBRARY_REFUSED and error.where == "X509Certificate"
    assert error.reason == "certificate is unreadable (KeyError: 'tag 13')"
