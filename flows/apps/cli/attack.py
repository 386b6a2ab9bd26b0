"""``sso-harness attack``: the security battery against a target's SPs and relying parties.

    sso-harness attack [--target T] [--config FILE] [--sp NAME] [--only IDS] [--json]
                       [--weaknesses LIST] [--headed] [--env-file FILE]

``--target mocks`` (the default) starts the mock fleet and the attack lab on
loopback and attacks the hardened SPs (``sp``, ``atlassian``, ``alibaba``,
``mitel``) and the hardened relying party (``oidc-rp``); the deliberately
vulnerable ``vulnerable-sp`` and ``vulnerable-rp`` run only when named with
``--sp``, with the weaknesses of ``--weaknesses`` (default: all). Any other
target comes from the targets file and is attacked only when all of its
URLs are on loopback or it says ``attack_allowed: true``; anything else is
refused with exit status 2 before a single request is sent. Its SAML SPs
(with ``acs``, ``entity_id`` and ``sign_on_url``) get the SAML battery; its
OIDC relying parties (an ``oidc`` flow with ``sign_on_url``, ``client_id``
and ``redirect_uri``) get the OIDC battery, with the harness serving their
provider at ``idp.issuer`` (:mod:`sso_harness.apps.security.target_rps`).

``--env-file FILE`` reads ``KEY=VALUE`` lines into the environment first, for
the targets file's ``${VAR}`` values, as ``sso-harness run --env-file`` does
(variables already set win): ``peers.env`` of ``sso-harness peers up``, whose
``openidc-rp`` target is mod_auth_openidc registered for this command.

Every attempt runs in a fresh browser context (no cookie or IdP session of
an earlier attempt survives). The untampered login (the control) runs
first; if an SP or relying party does not accept it, the command stops
there with ``security.control_failed`` and what to configure (for a
targets-file SP, usually its ``signed_in`` rule), exit status 2.

Prints the attack matrix (``--json``: as JSON). Exit status: 0 when every
attack was REJECTED, 1 when any was ACCEPTED, 3 when some were
INCONCLUSIVE (none ACCEPTED), 2 for a refusal, a failed control or a usage
error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command imports its machinery only when it runs
    from playwright.sync_api import Browser, Playwright

    from sso_harness.apps.security.catalogue import Attack
    from sso_harness.apps.security.verdicts import BatteryRun

__all__ = ["add_parser", "run", "main", "parse_only"]

MOCK_SAML = ("sp", "atlassian", "alibaba", "mitel")
MOCK_OIDC = ("oidc-rp",)
VULNERABLE = ("vulnerable-sp", "vulnerable-rp")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("attack", help="attack a target's SPs and relying parties; print the attack matrix")
    p.add_argument("--target", default="mocks", help="target name from the targets file (default: mocks, the mock fleet)")
    p.add_argument("--config", default=None, metavar="FILE", help="targets YAML (default: ./targets.yaml)")
    p.add_argument("--sp", action="append", default=None, metavar="NAME", help="only this SP or relying party (repeatable)")
    p.add_argument("--only", default=None, metavar="IDS", help="comma-separated attack ids or globs, e.g. 'saml-xsw*,oidc-alg-none'")
    p.add_argument("--json", action="store_true", help="print the matrix as JSON")
    p.add_argument("--weaknesses", default=None, metavar="LIST",
                   help="weaknesses of vulnerable-sp / vulnerable-rp (comma-separated; default: all)")
    p.add_argument("--headed", action="store_true", help="show the browser")
    p.add_argument("--env-file", default=None, metavar="FILE",
                   help="KEY=VALUE lines for the targets file's ${VAR} values (e.g. peers.env of `sso-harness peers up`)")
    p.set_defaults(handler=run)


def parse_only(text: str | None) -> list[str] | None:
    return [p.strip() for p in text.split(",") if p.strip()] if text else None


def _fail(message: str, status: int = 2) -> int:
    sys.stderr.write(f"sso-harness attack: {message}\n")
    return status


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.security.battery_loop import ControlFailed
    from sso_harness.apps.security.catalogue import ALL_ATTACKS, UnknownAttack, select
    from sso_harness.apps.cli.run import read_env_file
    from sso_harness.apps.security.safety import AttackRefused

    if getattr(args, "env_file", None):
        try:
            for key, value in read_env_file(Path(args.env_file)).items():
                os.environ.setdefault(key, value)
        except (OSError, ValueError) as exc:
            return _fail(f"cannot read --env-file: {exc}")
    try:
        attacks = select(ALL_ATTACKS, parse_only(args.only))
    except UnknownAttack as exc:
        return _fail(str(exc))
    try:
        if args.target == "mocks":
            runs = _run_mocks(args, attacks)
        else:
            runs = _run_target(args, attacks)
    except AttackRefused as exc:
        return _fail(str(exc))
    except ControlFailed as exc:
        return _fail(str(exc))
    except (LookupError, ValueError) as exc:
        return _fail(str(exc))
    from sso_harness.apps.security.matrix import exit_status, matrix_json, matrix_text

    if args.json:
        sys.stdout.write(json.dumps(matrix_json(runs), indent=2) + "\n")
    else:
        sys.stdout.write(matrix_text(runs))
    return exit_status(runs)


def _browser(args: argparse.Namespace) -> tuple[Playwright, Browser]:
    from playwright.sync_api import sync_playwright

    from sso_harness.browser.launch import launch_args

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(**launch_args(proxy_url=None, spki_pin=None, base={"headless": not args.headed}))
    return playwright, browser


def _has_attacks(attacks: Sequence[Attack], protocol: str) -> bool:
    """Whether ``--only`` left any attack (not just the control) of ``protocol``."""
    return any(a.protocol == protocol and not a.control for a in attacks)


def _weaknesses(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """``(SAML weaknesses, relying-party weaknesses)`` of ``--weaknesses`` (default: every one;
    for SAML every one but the second wrapping reader, since an SP has one)."""
    from sso_harness.mocks.oidc_rp import RpWeakness
    from sso_harness.mocks.sps.saml_weaknesses import SamlWeakness

    saml_names = [w.value for w in SamlWeakness]
    rp_names = [w.value for w in RpWeakness]
    if args.weaknesses is None:
        return [w for w in saml_names if w != SamlWeakness.XSW_FIRST_ASSERTION.value], rp_names
    chosen = [w.strip() for w in args.weaknesses.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in saml_names and w not in rp_names]
    if unknown:
        raise ValueError(f"--weaknesses: unknown {', '.join(unknown)}; known: {', '.join(saml_names + rp_names)}")
    return [w for w in chosen if w in saml_names], [w for w in chosen if w in rp_names]


def _run_mocks(args: argparse.Namespace, attacks: Sequence[Attack]) -> list[BatteryRun]:
    from sso_harness.apps.security.driver_browser import BrowserDriver
    from sso_harness.apps.security.lab_subjects import rp_subject, vulnerable_saml_subject
    from sso_harness.apps.security.mock_subjects import fleet_saml_subjects
    from sso_harness.apps.security.oidc_battery import OidcBattery
    from sso_harness.apps.security.saml_battery import SamlBattery
    from sso_harness.mocks.attack_lab import AttackLab
    from sso_harness.mocks.fleet import MockFleet

    wanted = args.sp or [n for n in (*MOCK_SAML, *MOCK_OIDC) if _has_attacks(attacks, "saml" if n in MOCK_SAML else "oidc")]
    unknown = [n for n in wanted if n not in (*MOCK_SAML, *MOCK_OIDC, *VULNERABLE)]
    if unknown:
        raise LookupError(f"--sp {', '.join(unknown)}: the mocks target has {', '.join((*MOCK_SAML, *MOCK_OIDC, *VULNERABLE))}")
    runs = []
    saml_weak, rp_weak = _weaknesses(args)
    lab = AttackLab(saml_weaknesses=saml_weak, rp_weaknesses=rp_weak)
    manager, browser = _browser(args)
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(lab)
            fleet_names = [n for n in wanted if n in MOCK_SAML]
            saml = fleet_saml_subjects(stack.enter_context(MockFleet()), fleet_names) if fleet_names else {}
            if "vulnerable-sp" in wanted:
                saml["vulnerable-sp"] = vulnerable_saml_subject(lab)
            for name in wanted:
                context = browser.new_context()
                driver = BrowserDriver(context, new_context=browser.new_context)
                try:
                    if name in saml:
                        runs.append(SamlBattery(saml[name], driver, lab.site, key=lab.attacker_key).run(attacks))
                    else:
                        runs.append(OidcBattery(rp_subject(lab, name), driver, lab.site).run(attacks))
                finally:
                    driver.close()
                    context.close()
    finally:
        browser.close()
        manager.stop()
    return runs


def _run_target(args: argparse.Namespace, attacks: Sequence[Attack]) -> list[BatteryRun]:
    from sso_harness.apps.security.driver_browser import BrowserDriver
    from sso_harness.apps.security.safety import check_attack_allowed, target_urls
    from sso_harness.apps.security.oidc_battery import OidcBattery
    from sso_harness.apps.security.saml_battery import SamlBattery
    from sso_harness.apps.security.target_rps import serve_target_rp, target_rps
    from sso_harness.apps.security.target_subjects import target_saml_subjects
    from sso_harness.mocks.attack_lab import serve_attacker_site
    from sso_harness.targets import TargetError, load_targets
    from sso_harness.targets.load import UNKNOWN_TARGET
    from sso_harness.targets.runner import driver_for

    path = Path(args.config) if args.config else Path("targets.yaml")
    try:
        # Only the chosen target: another target's unset ${VARIABLE} is not this command's concern.
        target = load_targets(path, only=args.target)[args.target]
    except TargetError as exc:
        unknown = [p for p in exc.problems if p.code == UNKNOWN_TARGET]
        if unknown:
            raise LookupError(f"--target {args.target}: not in {path}; {unknown[0].what}") from None
        raise LookupError(str(exc)) from None
    check_attack_allowed(target.name, target_urls(target), target.attack_allowed)
    subjects = target_saml_subjects(target, driver_for(target.idp.login))
    rps = {sp.name: sp for sp in target_rps(target)}
    if args.sp:
        missing = [n for n in args.sp if n not in subjects and n not in rps]
        if missing:
            raise LookupError(f"--sp {', '.join(missing)}: the target has no SP-initiated SAML SP or OIDC relying party "
                              f"by that name (it has: {', '.join([*subjects, *rps]) or 'none'})")
        subjects = {n: subjects[n] for n in args.sp if n in subjects}
        rps = {n: rps[n] for n in args.sp if n in rps}
    elif subjects and rps:  # a target with both: --only that names one protocol's attacks leaves the other out
        rps = rps if _has_attacks(attacks, "oidc") or not _has_attacks(attacks, "saml") else {}
        subjects = subjects if _has_attacks(attacks, "saml") or not rps else {}
    if not subjects and not rps:
        raise LookupError(f"target {target.name!r} has no SAML SP with acs, entity_id and sign_on_url, nor an OIDC "
                          "relying party with an oidc flow, sign_on_url, client_id, redirect_uri and idp.issuer, to attack")
    runs = []
    manager, browser = _browser(args)
    try:
        with serve_attacker_site() as site:
            for name in [*subjects, *rps]:
                context = browser.new_context()
                driver = BrowserDriver(context, new_context=browser.new_context)
                try:
                    if name in subjects:
                        runs.append(SamlBattery(subjects[name], driver, site).run(attacks))
                    else:
                        with serve_target_rp(target, rps[name]) as rp:
                            runs.append(OidcBattery(rp, driver, site).run(attacks))
                finally:
                    driver.close()
                    context.close()
    finally:
        browser.close()
        manager.stop()
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry (``python -m sso_harness.apps.cli.attack ...``)."""
    parser = argparse.ArgumentParser(prog="sso-harness")
    sub = parser.add_subparsers(dest="command")
    add_parser(sub)
    args = parser.parse_args(["attack", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
