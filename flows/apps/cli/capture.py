"""``sso-harness capture``: record one SSO flow through the capture proxy into a support bundle.

    sso-harness capture URL [--out FILE.zip] [--headed] [--login DRIVER] [--user-env VAR --password-env VAR]
                            [--username-selector CSS] [--password-selector CSS] [--submit-selector CSS]
                            [--signed-in-url GLOB] [--signed-in-selector CSS] [--signed-in-text TEXT]
                            [--signed-in-cookie NAME] [--until URL-PATTERN] [--timeout S] [--no-redact] [--pii]
                            [--idp-cert PEM ...] [--idp-metadata URL|FILE ...]

A capture is complete when the browser reached the landing URL and is
signed in: by the ``--signed-in-*`` options when given (each one given must
hold), else, when a SAMLResponse was posted, by the SAML default (the ACS
answered without an error, a new cookie was set, the landing page loaded
on the SP). A start URL that does not open, a sign-in that stopped short
or timed out, or a landing without a session is an error finding
(``capture-incomplete``, ``capture-not-signed-in``) naming the last URL
and hop, and so is a landing whose session could not be checked
(``capture-sign-in-undecided``, with the check's code); the bundle is written all the same.

Exit status: 0 when the bundle was written and no error was found, 1 when
it was written and an error was found (in the flow, or the capture did not
complete), 2 when the options cannot work (nothing was recorded). Ctrl-C
stops the capture as asked: not an error by itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["add_parser", "run", "main"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("capture", help="record one SSO flow in a browser and write a redacted support bundle")
    p.add_argument("url", help="where the flow starts (an SP's protected page, an IdP's launcher, an authorize URL)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE.zip",
                   help="bundle path (default: reports/bundles/sso-capture-<UTC time>.zip)")
    p.add_argument("--headed", action="store_true", help="show the browser and sign in by hand (needs a display)")
    p.add_argument("--login", default=None, metavar="DRIVER",
                   help="sign in with this login driver: entra, form, jumpcloud, okta, simplesamlphp, oidc-provider")
    p.add_argument("--user-env", default=None, metavar="VAR", help="environment variable holding the test user's name")
    p.add_argument("--password-env", default=None, metavar="VAR", help="environment variable holding the test user's password")
    p.add_argument("--username-selector", default=None, metavar="CSS",
                   help="with --login: the user name field of the sign-in page (form default: input[name=username])")
    p.add_argument("--password-selector", default=None, metavar="CSS",
                   help="with --login: the password field (form default: input[name=password])")
    p.add_argument("--submit-selector", default=None, metavar="CSS",
                   help="with --login: the sign-in button (form default: button[type=submit])")
    p.add_argument("--signed-in-url", default=None, metavar="GLOB",
                   help="signed in means: the landing URL matches this glob (the --signed-in-* options combine; "
                        "default: the SAML default when a SAMLResponse was posted)")
    p.add_argument("--signed-in-selector", default=None, metavar="CSS", help="signed in means: the landing page has this element")
    p.add_argument("--signed-in-text", default=None, metavar="TEXT", help="signed in means: the landing page shows this text")
    p.add_argument("--signed-in-cookie", default=None, metavar="NAME", help="signed in means: the browser holds this cookie")
    p.add_argument("--until", default=None, metavar="URL-PATTERN",
                   help="stop when the browser reaches this URL (prefix, glob with *, or re:REGEX); "
                        "default: back on the start URL's origin")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S", help="stop after S seconds (default 120)")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep secrets in clear (recorded in bundle.json and shown as a banner)")
    p.add_argument("--pii", action="store_true", help="also mask personal data: NameIDs, attribute values, user names")
    p.add_argument("--idp-cert", type=Path, action="append", default=[], metavar="PEM",
                   help="trusted IdP signing certificate(s), to check signatures and spot a missed rollover")
    p.add_argument("--idp-metadata", action="append", default=[], metavar="URL|FILE",
                   help="IdP metadata whose signing certificates are trusted")
    p.add_argument("--loopback-only", action="store_true", help="answer non-loopback hosts locally (mock lane)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.capture_service import CaptureOptions, CaptureSetupError, capture
    from sso_harness.browser.signed_in import SignInRule

    argv = getattr(args, "argv", None) or ["sso-harness", "capture", *sys.argv[2:]]
    rule = SignInRule(url=args.signed_in_url, selector=args.signed_in_selector, text=args.signed_in_text,
                      cookie=args.signed_in_cookie)
    opts = CaptureOptions(
        url=args.url, out=args.out, headed=args.headed, login=args.login, user_env=args.user_env,
        password_env=args.password_env, until=args.until, timeout=args.timeout, redact=args.redact, pii=args.pii,
        idp_certs=tuple(args.idp_cert), idp_metadata=tuple(args.idp_metadata), loopback_only=args.loopback_only,
        argv=tuple(argv), username_selector=args.username_selector, password_selector=args.password_selector,
        submit_selector=args.submit_selector, signed_in=rule if rule.declared else None,
    )
    try:
        result = capture(opts)
    except (CaptureSetupError, ValueError) as exc:
        sys.stderr.write(f"sso-harness capture: {exc}\n")
        return 2
    out = sys.stdout
    out.write(f"sso-harness capture: stopped: {result.stopped_because}; {result.hops} hops recorded\n")
    if not result.completed:
        out.write("sso-harness capture: the capture did not complete (see the first finding)\n")
    if result.findings:
        out.write("diagnosis:\n" + "".join(f"  {f.line()}\n" for f in result.findings))
    else:
        out.write("diagnosis: no problems found\n")
    out.write(f"bundle: {result.path}  (open it with: sso-harness open {result.path})\n")
    return 1 if any(f.severity == "error" for f in result.findings) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry (``python -m sso_harness.apps.cli.capture URL ...``)."""
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    raw = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(["capture", *raw])
    args.argv = ["sso-harness", "capture", *raw]
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
