"""Mock IdP throughput: signed SAML responses per second, against pysaml2 + xmlsec1.

Three rows, measured in one process, interleaved so machine noise hits them
alike:

* ``entra issue``: the Entra-like IdP's response path (claims, NameID,
  build, sign the assertion in-process, serialise), as used after sign-in;
* ``entra http``: the same over HTTP, an SP-initiated AuthnRequest answered
  from an SSO session (parse the request, issue, the auto-post page);
* ``pysaml2 baseline``: pysaml2's ``Server.create_authn_response`` for the
  same user and SP, signing the assertion with its stock xmlsec1 backend.

The rows take turns in short rounds (one pysaml2 response, then ``n /
baseline-n`` from each mock row); per row, the rate over all its rounds is
reported with the median, min, max and interquartile range of its per-round
rates, and ``entra http`` also against ``entra issue`` (what HTTP, parsing
the request and the auto-post page add to the in-process figure).

Prints a table and, with ``--json``, the numbers. Nothing is asserted; the
issue's target is at least 200 responses/s from the response path.

    .venv/bin/python -m sso_harness.apps.bench.mock_idp [--n 400] [--baseline-n 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any


from saml2 import BINDING_HTTP_REDIRECT  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID  # noqa: E402
from saml2.server import Server  # noqa: E402

from sso_harness.mocks.entra.claims import PASSWORD, saml_attributes, sts_issuer  # noqa: E402
from sso_harness.mocks.entra.directory import UserRef  # noqa: E402
from sso_harness.mocks.entra.flow import SamlLeg, SignedIn  # noqa: E402
from sso_harness.mocks.fleet import MockFleet  # noqa: E402
from sso_harness.mocks.base.faults import NO_FAULTS  # noqa: E402
from sso_harness.mocks.saml.metadata import BINDING_POST, Endpoint, sp_descriptor, to_xml  # noqa: E402
from sso_harness.mocks.saml.redirect import redirect_url  # noqa: E402
from sso_harness.mocks.scenario import IDS  # noqa: E402


def _pysaml2_server(fleet: MockFleet, workdir: Path) -> Server:
    app_key = fleet.entra.signing_key(IDS.atlassian_app)
    sp_md = to_xml(sp_descriptor(fleet.atlassian.entity_id, acs=[Endpoint(BINDING_POST, fleet.atlassian.acs_url)]))
    config = IdPConfig()
    config.load(
        {
            "entityid": sts_issuer(fleet.tenant_id),
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(fleet.entra.saml_url(fleet.tenant_id), BINDING_HTTP_REDIRECT)]},
                    "policy": {"default": {"lifetime": {"minutes": 60}, "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}},
                    "signing_algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                    "digest_algorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
                }
            },
            "key_file": str(app_key.key_file),
            "cert_file": str(app_key.cert_file),
            "metadata": {"inline": [sp_md]},
            "xmlsec_binary": "/usr/bin/xmlsec1",
        }
    )
    return Server(config=config)


def measure(n: int, baseline_n: int) -> dict[str, dict[str, Any]]:
    with MockFleet() as fleet, tempfile.TemporaryDirectory() as tmp:
        tenant, app = fleet.entra.enterprise_app(IDS.atlassian_app)
        user = tenant.user("b.simon@contoso.com")
        assert user is not None
        signed_in = SignedIn(UserRef(tenant.tenant_id, user.upn), PASSWORD, sts_issuer(tenant.tenant_id), fleet.clock())
        leg = SamlLeg(tenant.tenant_id, app.app_id, app.reply_urls[0], app.identifiers[0], "_bench", app.relay_state)
        server = _pysaml2_server(fleet, Path(tmp))
        identity = {k: list(v) for k, v in saml_attributes(app, user, tenant, PASSWORD, sts_issuer(tenant.tenant_id)).items()}

        # An SSO session for the HTTP row: sign in once, then every AuthnRequest is answered at once.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        session = fleet.entra.ctx.sessions.create(signed_in)
        cookie = f"{fleet.entra.cookie('ESTSAUTH')}={session}"
        request_xml = (
            f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="_b" Version="2.0" IssueInstant="2024-01-01T00:00:00Z"><saml:Issuer>{app.identifiers[0]}</saml:Issuer></samlp:AuthnRequest>'
        ).encode()
        url = redirect_url(fleet.entra.saml_url(tenant.tenant_id), "SAMLRequest", request_xml)

        def ours() -> None:
            xml = fleet.entra.saml.issue(app, tenant, user, signed_in, leg, NO_FAULTS)
            assert b"SignatureValue" in xml

        def http() -> None:
            with opener.open(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=10) as r:
                assert b"SAMLResponse" in r.read()

        def baseline() -> None:
            response = server.create_authn_response(
                identity, "_bench", app.reply_urls[0], app.identifiers[0],
                name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user.upn), sign_assertion=True, sign_response=False,
            )
            assert "SignatureValue" in str(response)

        totals = {"entra issue": [0.0, 0], "entra http": [0.0, 0], "pysaml2 baseline": [0.0, 0]}
        per_round: dict[str, list[float]] = {name: [] for name in totals}
        for fn in (ours, http, baseline):  # warm up (imports, caches, xmlsec1 on disk)
            fn()
        per = max(1, n // max(1, baseline_n))
        for _ in range(baseline_n):
            for name, fn, count in (("pysaml2 baseline", baseline, 1), ("entra issue", ours, per), ("entra http", http, per)):
                start = time.perf_counter()
                for _ in range(count):
                    fn()
                spent = time.perf_counter() - start
                totals[name][0] += spent
                totals[name][1] += count
                per_round[name].append(count / spent)
    from sso_harness.apps.bench.token_endpoint import spread

    base_rate = totals["pysaml2 baseline"][1] / totals["pysaml2 baseline"][0]
    out: dict[str, dict[str, Any]] = {
        name: {"responses": count, "seconds": round(seconds, 3), "per_second": round(count / seconds, 1), "vs_baseline": round(count / seconds / base_rate, 1),
               "rounds": {k: round(v, 1) for k, v in spread(per_round[name]).items()}}
        for name, (seconds, count) in totals.items()
    }
    out["entra http"]["vs_in_process"] = round(out["entra http"]["per_second"] / out["entra issue"]["per_second"], 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="responses from each mock row (default 400)")
    parser.add_argument("--baseline-n", type=int, default=40, help="pysaml2 responses (default 40; ~60 ms each)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = measure(args.n, args.baseline_n)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'response path':<20} {'responses':>9} {'seconds':>8} {'per second':>11} {'x baseline':>10}")
    for name, r in results.items():
        print(f"{name:<20} {r['responses']:>9} {r['seconds']:>8.2f} {r['per_second']:>11.1f} {r['vs_baseline']:>10.1f}")
    print("target: at least 200 signed responses/s from the response path")
    return 0


if __name__ == "__main__":
    sys.exit(main())
