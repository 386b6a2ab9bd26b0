"""Decoder throughput: decode + verify signed SAML responses, against pysaml2.

Both sides get the same base64 SAMLResponse form values (signed response and
assertion, RSA-SHA256, minted by the mock IdP) and the same IdP certificate;
pysaml2 runs stock (xmlsec1 backend) through ``parse_authn_request_response``.
Measured interleaved in one process on one core. Prints a table; asserts
nothing about time.

    .venv/bin/python -m sso_harness.apps.bench.decoder [--n N] [--baseline-n M] [--json]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import time

from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig

from sso_harness.apps.bench.stats import json_numbers
from sso_harness.protocols.saml import Response, decode_post
from sso_harness.mocks.fleet import MockFleet, SamlFleet


def _responses(fleet: MockFleet, n: int) -> list[tuple[str, str]]:
    user = fleet.users["b.simon@contoso.com"]
    sp = fleet.sp.settings
    out = []
    for i in range(n):
        request_id = f"_req{i:06d}"
        xml = fleet.idp.issue_response(user, sp.entity_id, sp.acs_url, request_id)
        out.append((request_id, base64.b64encode(xml).decode()))
    return out


def _stock_client(fleet: MockFleet) -> Saml2Client:
    sp = fleet.sp.settings
    config = SPConfig()
    config.load(
        {
            "entityid": sp.entity_id,
            "service": {"sp": {"endpoints": {"assertion_consumer_service": [(sp.acs_url, BINDING_HTTP_POST)]},
                               "want_assertions_signed": True, "want_response_signed": True}},
            "key_file": str(sp.signing.key_file),
            "cert_file": str(sp.signing.cert_file),
            "metadata": {"inline": [fleet.idp.metadata_xml]},
            "xmlsec_binary": "/usr/bin/xmlsec1",
        }
    )
    return Saml2Client(config=config)


def measure(n: int, baseline_n: int) -> dict[str, float]:
    """Run in a subprocess (see :func:`measure_isolated`) so pinning to one core stays local."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    with SamlFleet() as fleet:
        certs = [fleet.idp.settings.signing.cert]
        ours = _responses(fleet, n)
        theirs = ours[:baseline_n]
        client = _stock_client(fleet)
        outstanding = {rid: "/" for rid, _ in theirs}

        ours_s = theirs_s = 0.0
        # Interleave: one pysaml2 parse, then a proportional slice of ours.
        per = max(1, n // max(1, baseline_n))
        k = 0
        for rid, value in theirs:
            t = time.perf_counter()
            result = client.parse_authn_request_response(value, BINDING_HTTP_POST, outstanding)
            theirs_s += time.perf_counter() - t
            assert result is not None
            t = time.perf_counter()
            for _, v in ours[k : k + per]:
                msg = decode_post({"SAMLResponse": v}, trusted_certs=certs)
                assert isinstance(msg.message, Response) and msg.message.trusted
            ours_s += time.perf_counter() - t
            k += per
        t = time.perf_counter()
        for _, v in ours[k:]:
            decode_post({"SAMLResponse": v}, trusted_certs=certs)
        ours_s += time.perf_counter() - t
    ours_rate, theirs_rate = n / ours_s, len(theirs) / theirs_s
    return {"ours_per_s": ours_rate, "pysaml2_per_s": theirs_rate, "ratio": ours_rate / theirs_rate, "n": n, "baseline_n": len(theirs)}


def measure_isolated(n: int = 3000, baseline_n: int = 60) -> dict[str, float]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "sso_harness.apps.bench.decoder", "--n", str(n), "--baseline-n", str(baseline_n), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json_numbers(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--baseline-n", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    r = measure(args.n, args.baseline_n)
    if args.json:
        print(json.dumps(r))
        return
    print("Decode + verify of signed SAML responses (response and assertion signed, RSA-SHA256), one core")
    print(f"{'decoder':<44}{'n':>6}{'per second':>12}")
    print(f"{'sso-harness decode_post (in-process XML-DSig)':<44}{r['n']:>6}{r['ours_per_s']:>12.0f}")
    print(f"{'pysaml2 parse_authn_request_response (xmlsec1)':<44}{r['baseline_n']:>6}{r['pysaml2_per_s']:>12.1f}")
    print(f"{'ratio':<44}{'':>6}{r['ratio']:>11.0f}x")


if __name__ == "__main__":
    main()
