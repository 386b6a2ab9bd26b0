"""The signature pill of a rendered message keys on the signature's failure code."""

from __future__ import annotations

from typing import Any

from sso_harness.report.html.messages import trust_pill


def _view(*signatures: dict[str, Any], trusted: bool = False) -> dict[str, Any]:
    decoded = {"kind": "saml.response", "trusted": trusted, "signatures": list(signatures)}
    return {"protocol": "saml", "kind": "saml.response", "decoded": decoded}


def test_no_trust_anchors_reads_as_not_checked_whatever_the_reason_says() -> None:
    pill = trust_pill(_view({"valid": False, "failure": "dsig.no_trust_anchors", "reason": "(reworded)"}))
    assert "signature not checked (no trusted certificate given)" in pill


def test_an_untrusted_key_reads_as_not_trusted_even_if_the_reason_mentions_anchors() -> None:
    pill = trust_pill(_view({"valid": False, "failure": "dsig.untrusted_key", "reason": "no trusted certificates supplied"}))
    assert "signature NOT trusted" in pill


def test_a_trusted_message_reads_as_trusted() -> None:
    assert "signature trusted" in trust_pill(_view({"valid": True, "failure": None}, trusted=True))
