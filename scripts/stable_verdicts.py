"""Run the attack battery N times against each hardened peer and check that the verdict sets agree.

    python scripts/stable_verdicts.py [--runs N] [--peer NAME ...] [--json FILE]

Peers (all hardened: every control ACCEPTED, every attack REJECTED):

``mocks``
    ``sso-harness attack --json`` as a user runs it: the mock fleet's SAML SPs
    and the hardened relying party, each invocation on a fresh fleet and lab.
    One row per SP / relying party (``mocks/sp``, ``mocks/oidc-rp`` ...).
``simplesamlphp-sp``
    SimpleSAMLphp's SP federated with a mock IdP whose key the harness holds,
    started as ``e2e/security/conftest.py`` starts it; the battery runs
    through its Python entry point (there is no targets-file form of it),
    every run against the same running peer, so leftover state shows.
``mellon-simplesamlphp``, ``mellon-entra``
    Apache mod_auth_mellon behind the SimpleSAMLphp IdP, and behind the
    Entra-like mock IdP, started as ``e2e/peers/conftest.py`` starts them and
    attacked by ``sso-harness attack --target NAME --config
    flows/apps/peers/peers_targets.yaml`` with the ``${PEER_*}`` values in the
    environment. A targets-file SP's IdP key is not the harness's, so attacks
    that need a new IdP signature (``needs_signer`` in the catalogue) cannot be
    mounted; they are left out with ``--only`` and named under the table.
``openidc-rp``
    Apache mod_auth_openidc registered with an OpenID provider at a loopback
    issuer, started as ``sso-harness peers up --target openidc-rp`` starts it
    (:class:`sso_harness.apps.peers.stack.PeerStack`) and attacked by
    ``sso-harness attack --target openidc-rp --config
    flows/apps/peers/peers_targets.yaml``, which serves that provider itself
    (the OIDC battery needs the provider's key). Its one acceptance,
    ``oidc-alg-none`` (the module skips the signature of an unsigned ID token
    from the token endpoint), is evidenced (:data:`EVIDENCED`), not a failure.

A peer that is not installed here is skipped and says so. Prints, per peer,
every attack's verdict in each run and whether the runs agree. An attack the
battery found not applicable (with a code, e.g. XSW1/XSW2 when the IdP signs
only the Assertion) counts as the verdict ``NOT APPLICABLE``: it must be the
same in every run like any other, and it is fine on a hardened peer, except
for a control. Exit status 1 when any peer's runs differ, a run failed (no
matrix), or a hardened peer has an INCONCLUSIVE or a (non-control) ACCEPTED
verdict; else 0.
Secrets (test users' passwords) are made per run, passed through the
environment only, and blanked from any error text printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the peers and the battery are imported only when a peer runs
    from sso_harness.apps.peers import MockPartners, SimpleSamlPhp, SspUser

REPO = Path(__file__).resolve().parents[1]
APACHE_TARGETS = REPO / "flows" / "apps" / "peers" / "peers_targets.yaml"  # sso_harness.apps.peers.stack.PEERS_TARGETS
PEERS = ("mocks", "simplesamlphp-sp", "mellon-simplesamlphp", "mellon-entra", "openidc-rp")
#: Non-hardened verdicts a peer gives with evidence (e2e/security/test_oidc_target_rp.py says why): shown, not failed.
EVIDENCED: dict[str, tuple[str, ...]] = {"openidc-rp": ("oidc-alg-none=ACCEPTED",)}
MELLON_ENTRA_APP = "7d1f3b5e-2a4c-4e6f-8b0d-1c3e5a7f9b2d"  # as e2e/peers/conftest.py registers it
NOT_APPLICABLE = "NOT APPLICABLE"


# ---- the agreement logic (pure; tests/apps/security/test_stable_verdicts.py) ----------------

@dataclass(frozen=True)
class RunVerdicts:
    """One battery run against one peer: attack id -> verdict, which ids are controls, or the error
    that stopped the run before a matrix came out."""

    verdicts: Mapping[str, str] = field(default_factory=dict)
    controls: frozenset[str] = frozenset()
    error: str | None = None
    reasons: Mapping[str, str] = field(default_factory=dict)
    """Why, for each verdict a hardened peer should not give (shown under the table)."""


@dataclass
class PeerRows:
    """Every run against one peer (``skipped``: why it was not run; then ``runs`` is empty)."""

    peer: str
    runs: list[RunVerdicts] = field(default_factory=list)
    left_out: tuple[str, ...] = ()
    skipped: str | None = None


def differing(runs: Sequence[RunVerdicts]) -> list[str]:
    """Attack ids whose verdict is not the same in every run (an id missing from a run counts as
    differing); ``["<error>"]`` first when a run produced no matrix."""
    out = ["<error>"] if any(r.error is not None for r in runs) else []
    ids = sorted({a for r in runs for a in r.verdicts})
    out += [a for a in ids if len({r.verdicts.get(a) for r in runs}) > 1]
    return out


def unhardened(runs: Sequence[RunVerdicts]) -> list[str]:
    """``attack=VERDICT`` for each verdict a hardened peer must not give: INCONCLUSIVE anywhere,
    a control not ACCEPTED, an attack ACCEPTED (each pair once, sorted); an attack NOT APPLICABLE is fine."""
    found: set[str] = set()
    for run in runs:
        for attack, verdict in run.verdicts.items():
            wanted = {"ACCEPTED"} if attack in run.controls else {"REJECTED", NOT_APPLICABLE}
            if verdict not in wanted:
                found.add(f"{attack}={verdict}")
    return sorted(found)


def peer_ok(rows: PeerRows) -> bool:
    """A skipped peer is not a failure; a run peer passes when it has runs, they agree, and all are hardened verdicts."""
    if rows.skipped is not None:
        return True
    return bool(rows.runs) and not differing(rows.runs) and not set(unhardened(rows.runs)) - set(EVIDENCED.get(rows.peer, ()))


_SHORT = {"REJECTED": "REJ", "ACCEPTED": "ACC", "INCONCLUSIVE": "INC", NOT_APPLICABLE: "n/a"}


def render(all_rows: Sequence[PeerRows]) -> str:
    """The per-peer verdict tables and the summary table."""
    lines: list[str] = []
    for rows in all_rows:
        if rows.skipped is not None:
            continue
        n = len(rows.runs)
        lines.append(f"== {rows.peer}: {n} run(s)")
        ids = sorted({a for r in rows.runs for a in r.verdicts}, key=lambda a: (not any(a in r.controls for r in rows.runs), a))
        width = max([len("attack")] + [len(a) for a in ids])
        lines.append(f"  {'attack':<{width}}  " + " ".join(f"run{i + 1:<2}" for i in range(n)) + "  agree")
        for attack in ids:
            cells = [_SHORT.get(r.verdicts.get(attack, "-"), r.verdicts.get(attack, "-")) for r in rows.runs]
            agree = "yes" if len(set(cells)) == 1 else "NO"
            lines.append(f"  {attack:<{width}}  " + " ".join(f"{c:<5}" for c in cells) + f"  {agree}")
        for i, run in enumerate(rows.runs):
            if run.error is not None:
                lines.append(f"  run{i + 1} failed: {run.error}")
        shown: dict[str, str] = {}
        for run in rows.runs:
            for attack, why in run.reasons.items():
                shown.setdefault(attack, why)
        verdict_of = {a: v for run in rows.runs for a, v in run.verdicts.items() if a in run.reasons}
        lines += [f"  {attack} {verdict_of.get(attack, '')}: {why}" for attack, why in sorted(shown.items())]
        if rows.left_out:
            lines.append(f"  not mountable here (need the IdP's key): {', '.join(rows.left_out)}")
        lines.append("")
    lines.append(f"{'peer':<28} {'runs':>4}  {'agree':<5}  {'hardened':<8}  notes")
    for rows in all_rows:
        if rows.skipped is not None:
            lines.append(f"{rows.peer:<28} {0:>4}  {'-':<5}  {'-':<8}  skipped: {rows.skipped}")
            continue
        diff, bad = differing(rows.runs), unhardened(rows.runs)
        notes = [f"evidenced: {u}" for u in bad if u in EVIDENCED.get(rows.peer, ())]
        bad = [u for u in bad if u not in EVIDENCED.get(rows.peer, ())]
        if diff:
            notes.append("differ: " + ", ".join(diff))
        if bad:
            notes.append("not hardened verdicts: " + ", ".join(bad))
        sets = {tuple(sorted(r.verdicts.items())) for r in rows.runs if r.error is None}
        lines.append(f"{rows.peer:<28} {len(rows.runs):>4}  {'yes' if not diff else 'NO':<5}  "
                     f"{'yes' if not bad else 'NO':<8}  {'; '.join(notes) or f'{len(sets)} distinct verdict set(s)'}")
    return "\n".join(lines) + "\n"


# ---- running the battery -------------------------------------------------------------------

def _blank(text: str, hidden: Sequence[str]) -> str:
    for value in hidden:
        if value:
            text = text.replace(value, "[redacted]")
    return text


def _cli_runs(args: Sequence[str], env: Mapping[str, str], hidden: Sequence[str]) -> dict[str, RunVerdicts]:
    """``sso-harness attack ARGS --json`` once: target name -> its verdicts; ``{"": error}`` when no matrix came out."""
    done = subprocess.run([sys.executable, "-m", "sso_harness.apps.cli.attack", *args, "--json"], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=1800)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"": RunVerdicts(error=f"exit {done.returncode}: {_blank(tail, hidden)[:300]}")}
    out: dict[str, RunVerdicts] = {}
    for target in report["targets"]:
        results: list[tuple[str, str, bool, str]] = [
            (r["id"], r["verdict"], bool(r["control"]), f"{r['code']}: {r['reason']}" if r.get("code") else r["reason"])
            for r in target["results"]]
        results += [(n["id"], NOT_APPLICABLE, False, f"{n.get('code', '')}: {n.get('reason', '')}")
                    for n in target.get("not_applicable", [])]
        out[target["target"]] = _verdicts(results, hidden)
    return out


def _verdicts(results: Sequence[tuple[str, str, bool, str]], hidden: Sequence[str]) -> RunVerdicts:
    """One run from ``(attack id, verdict, control?, reason)`` rows; reasons kept for every verdict but
    the expected one (a not-applicable row's reason is its code and why)."""
    return RunVerdicts(
        verdicts={a: v for a, v, _, _ in results},
        controls=frozenset(a for a, _, control, _ in results if control),
        reasons={a: _blank(why, hidden)[:300] for a, v, control, why in results if v != ("ACCEPTED" if control else "REJECTED")},
    )


def _signer_free_attacks() -> tuple[list[str], list[str]]:
    """(SAML attack ids a captured login can mount, ids that need the IdP to sign anew)."""
    from sso_harness.apps.security.catalogue import SAML_ATTACKS

    return [a.id for a in SAML_ATTACKS if not a.needs_signer], [a.id for a in SAML_ATTACKS if a.needs_signer]


def run_mocks(n: int) -> list[PeerRows]:
    per_run: list[dict[str, RunVerdicts]] = []
    for i in range(n):
        print(f"[mocks] run {i + 1}/{n}", file=sys.stderr, flush=True)
        per_run.append(_cli_runs([], {}, ()))
    names = sorted({name for got in per_run for name in got if name})
    if not names:
        return [PeerRows("mocks", [got[""] for got in per_run])]
    # A run without a matrix (or without this target) is an error row of every target.
    return [PeerRows(f"mocks/{name}", [got.get(name) or got.get("") or RunVerdicts(error=f"no matrix for {name}")
                                       for got in per_run]) for name in names]


def _missing(peer: str, problems: Sequence[str]) -> str | None:
    return f"{peer} not installed here ({'; '.join(problems)}); run scripts/install-peers.sh" if problems else None


def _ssp_users() -> tuple[SspUser, ...]:
    from sso_harness.apps.peers import SspUser

    return (SspUser("alice", secrets.token_urlsafe(12), {
        "uid": ("alice",), "mail": ("alice@peers.example",), "eduPersonAffiliation": ("member", "staff"),
        "cn": ("Alice Peer",)}),)


@contextlib.contextmanager
def _ssp(work: Path, users: tuple[SspUser, ...], cookie_prefix: str) -> Iterator[tuple[SimpleSamlPhp, MockPartners]]:
    """SimpleSAMLphp (IdP and SP) federated with the mock partners, as the e2e fixtures start it."""
    from sso_harness.apps.peers import MockPartners, SimpleSamlPhp, SspRemoteSp, SspSettings

    with MockPartners(work) as mocks:
        settings = SspSettings(users=users,
                               remote_sps=(SspRemoteSp(mocks.sp_entity),), remote_idps=(mocks.idp_entity,),
                               cookie_prefix=cookie_prefix)
        with SimpleSamlPhp(settings, work / "ssp") as ssp:
            mocks.federate(ssp)
            yield ssp, mocks


def run_simplesamlphp_sp(n: int, work: Path) -> list[PeerRows]:
    from playwright.sync_api import sync_playwright

    from sso_harness.apps.peers import missing_simplesamlphp
    from sso_harness.apps.security.battery_loop import ControlFailed
    from sso_harness.apps.security.driver_browser import BrowserDriver
    from sso_harness.apps.security.peer_subjects import simplesamlphp_sp_subject
    from sso_harness.apps.security.saml_battery import SamlBattery
    from sso_harness.browser.launch import launch_args
    from sso_harness.mocks.attack_lab import serve_attacker_site

    rows = PeerRows("simplesamlphp-sp")
    rows.skipped = _missing("SimpleSAMLphp", missing_simplesamlphp())
    if rows.skipped:
        return [rows]
    with _ssp(work / "simplesamlphp-sp", _ssp_users(), "sspattack") as (ssp, mocks), \
            serve_attacker_site() as site, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_args(proxy_url=None, spki_pin=None, base={"headless": True}))
        subject = simplesamlphp_sp_subject(ssp, mocks, cookie_prefix="sspattack")
        try:
            for i in range(n):
                print(f"[simplesamlphp-sp] run {i + 1}/{n}", file=sys.stderr, flush=True)
                context = browser.new_context()
                driver = BrowserDriver(context, new_context=browser.new_context)
                try:
                    run = SamlBattery(subject, driver, site).run()
                    rows.runs.append(_verdicts(
                        [(r.attack_id, r.verdict.value, r.control, f"{r.code}: {r.reason}" if r.code else r.reason)
                         for r in run.results]
                        + [(na.attack_id, NOT_APPLICABLE, False, f"{na.code}: {na.reason}") for na in run.not_applicable], ()))
                except ControlFailed as exc:
                    rows.runs.append(RunVerdicts(error=str(exc)[:300]))
                finally:
                    driver.close()
                    context.close()
        finally:
            browser.close()
    return [rows]


def _target_runs(peer: str, n: int, env: Mapping[str, str], hidden: Sequence[str]) -> PeerRows:
    mountable, left_out = _signer_free_attacks()
    rows = PeerRows(peer, left_out=tuple(left_out))
    for i in range(n):
        print(f"[{peer}] run {i + 1}/{n}", file=sys.stderr, flush=True)
        got = _cli_runs(["--target", peer, "--config", str(APACHE_TARGETS), "--only", ",".join(mountable)], env, hidden)
        rows.runs.append(got.get("") or got.get("mellon") or RunVerdicts(error=f"no matrix for SP mellon: {sorted(got)}"))
    return rows


def run_mellon_simplesamlphp(n: int, work: Path) -> list[PeerRows]:
    from sso_harness.apps.peers import SspRemoteSp, missing_apache, missing_simplesamlphp
    from sso_harness.apps.peers.mellon_peer import MellonSp

    skipped = _missing("mod_auth_mellon and SimpleSAMLphp", missing_simplesamlphp() + missing_apache("auth_mellon"))
    if skipped:
        return [PeerRows("mellon-simplesamlphp", skipped=skipped)]
    users = _ssp_users()
    alice = users[0]
    with _ssp(work / "mellon-ssp", users, "sspmellon") as (ssp, _), MellonSp(work / "mellon", ssp.idp_metadata_xml) as sp:
        assert ssp.endpoints is not None
        ssp.add_remote_sp(SspRemoteSp(sp.entity()))  # NameID: the mail attribute, emailAddress format
        env = {"PEER_SSP_URL": ssp.endpoints.base_url, "PEER_MELLON_URL": sp.base_url, "PEER_ALICE_PASSWORD": alice.password,
               "PEER_MELLON_LAUNCH": ssp.endpoints.idp_initiated(sp.entity_id, sp.protected_url)}
        return [_target_runs("mellon-simplesamlphp", n, env, (alice.password,))]


def run_mellon_entra(n: int, work: Path) -> list[PeerRows]:
    from sso_harness.apps.peers import missing_apache
    from sso_harness.apps.peers.entra_app import register_saml_app
    from sso_harness.apps.peers.mellon_peer import MellonSp
    from sso_harness.mocks.fleet import MockFleet

    skipped = _missing("mod_auth_mellon", missing_apache("auth_mellon"))
    if skipped:
        return [PeerRows("mellon-entra", skipped=skipped)]
    with MockFleet() as fleet:
        sp = MellonSp(work / "mellon-entra")
        try:
            register_saml_app(fleet.entra, fleet.tenant_id, sp.entity(), app_id=MELLON_ENTRA_APP,
                              display_name="Apache mod_auth_mellon", certificate_key="peer-mellon-app")
            url = fleet.entra.federation_metadata_url(fleet.tenant_id, MELLON_ENTRA_APP)
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=10) as r:
                sp.idp_metadata_xml = r.read().decode("utf-8")
            sp.start()
            user = fleet.entra.tenant(fleet.tenant_id).users[0]
            env = {
                "PEER_ENTRA_TENANT": fleet.tenant_id,
                "PEER_ENTRA_METADATA": fleet.entra.federation_metadata_url(fleet.tenant_id),
                "PEER_ENTRA_APP_METADATA": url,
                "PEER_MELLON_ENTRA_URL": sp.base_url,
                "PEER_ENTRA_USER": user.upn,
                "PEER_ENTRA_MAIL": user.mail,
                "PEER_ENTRA_PASSWORD": user.password,
            }
            return [_target_runs("mellon-entra", n, env, (user.password,))]
        finally:
            sp.stop()


def run_openidc_rp(n: int, work: Path) -> list[PeerRows]:
    from sso_harness.apps.peers import missing_apache
    from sso_harness.apps.peers.stack import PeerStack

    skipped = _missing("mod_auth_openidc", missing_apache("auth_openidc"))
    if skipped:
        return [PeerRows("openidc-rp", skipped=skipped)]
    with PeerStack(work / "openidc-rp", ["openidc-rp"]) as stack:
        env = stack.env
        hidden = tuple(v for k, v in env.items() if k.endswith(("_PASSWORD", "_SECRET")))
        rows = PeerRows("openidc-rp")
        for i in range(n):
            print(f"[openidc-rp] run {i + 1}/{n}", file=sys.stderr, flush=True)
            got = _cli_runs(["--target", "openidc-rp", "--config", str(APACHE_TARGETS)], env, hidden)
            rows.runs.append(got.get("") or got.get("openidc") or RunVerdicts(error=f"no matrix for RP openidc: {sorted(got)}"))
        return [rows]


RUNNERS: dict[str, Callable[[int, Path], list[PeerRows]]] = {
    "mocks": lambda n, _work: run_mocks(n),
    "simplesamlphp-sp": run_simplesamlphp_sp,
    "mellon-simplesamlphp": run_mellon_simplesamlphp,
    "mellon-entra": run_mellon_entra,
    "openidc-rp": run_openidc_rp,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="battery runs per peer (default 5)")
    parser.add_argument("--peer", action="append", choices=PEERS, help="only this peer (repeatable; default: all)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the verdicts as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    all_rows: list[PeerRows] = []
    with tempfile.TemporaryDirectory(prefix="stable-verdicts-") as tmp:
        for peer in args.peer or PEERS:
            try:
                all_rows += RUNNERS[peer](args.runs, Path(tmp))
            except Exception as exc:  # a peer that cannot start is a failed row, the others still run
                all_rows.append(PeerRows(peer, [RunVerdicts(error=f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}")]))
    sys.stdout.write(render(all_rows))
    if args.json is not None:
        args.json.write_text(json.dumps([{
            "peer": r.peer, "skipped": r.skipped, "left_out": list(r.left_out),
            "runs": [{"verdicts": dict(v.verdicts), "error": v.error, "reasons": dict(v.reasons)} for v in r.runs],
            "agree": not differing(r.runs) if r.skipped is None else None,
        } for r in all_rows], indent=2) + "\n", encoding="utf-8")
    return 0 if all(peer_ok(r) for r in all_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
