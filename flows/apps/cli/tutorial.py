"""``sso-harness tutorial``: run an integration guide's executable spec as a checklist.

    sso-harness tutorial --list
    sso-harness tutorial NAME [--target T] [--config FILE] [--sp NAME] [--set KEY=VALUE ...]
                              [--drift NAME] [--json] [--headed]

``NAME`` is a packaged spec (see ``--list``) or a path to a spec file. The
default target, ``mocks``, runs the spec against a fresh mock fleet set up
the guide's way; ``--target T`` runs its flows against target ``T`` of the
targets file, where variants that only the emulation can set up are
reported as not checked. A target with ``embedded_mocks: true`` (the mock
fleet described as a tenant) gets a fresh fleet, and its ``{mock.*}``
templates, in the targets file and in ``--set`` values, are filled from
it. Prints one ✓/✗ line per claim with its evidence;
``--json`` prints ``{"tutorial", "checks": [{"claim", "passed", "evidence"}]}``.
Exits 0 when no claim failed, 1 when one did, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sso_harness.targets import Target
    from sso_harness.apps.tutorials import DriftSpec, TutorialResult, TutorialSession, TutorialSpec
    from sso_harness.apps.tutorials.lane import Lane

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("tutorial", help="check an integration guide's claims (a spec) against the mocks or a target")
    p.add_argument("name", nargs="?", help="tutorial name (see --list) or a path to a spec .yaml")
    p.add_argument("--list", action="store_true", help="list the packaged tutorials, one line each")
    p.add_argument("--target", default="mocks", help="target name from the targets file (default: mocks, the emulation)")
    p.add_argument("--config", default=None, metavar="FILE", help="targets YAML (default: ./targets.yaml)")
    p.add_argument("--sp", default=None, metavar="NAME", help="the target's SP to use (default: the spec's sp.name)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="give a template value, e.g. --set sp.portal_url=https://... (repeatable)")
    p.add_argument("--drift", default=None, metavar="NAME", help="set the emulation up the way the guide warns against")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--headed", action="store_true", help="show the browser")
    p.set_defaults(handler=run)


def _usage(message: str) -> int:
    sys.stderr.write(f"sso-harness tutorial: {message}\n")
    return 2


def _list() -> int:
    from sso_harness.apps.tutorials import load_named, spec_names

    names = spec_names()
    width = max((len(n) for n in names), default=0)
    for name in names:
        spec = load_named(name)
        sys.stdout.write(f"{name:<{width}}  {spec.summary or spec.title}\n")
    return 0


def _overrides(pairs: list[str]) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            return None
        out[key.strip()] = value
    return out


def run(args: argparse.Namespace) -> int:
    from sso_harness.apps.tutorials import SpecError, TargetHasNoSp, load_named

    if args.list:
        return _list()
    if not args.name:
        return _usage("name a tutorial (see --list)")
    try:
        spec = load_named(args.name)
        drift = spec.drift(args.drift) if args.drift else None
    except (SpecError, KeyError) as exc:
        return _usage(str(exc).strip("'\""))
    overrides = _overrides(args.overrides)
    if overrides is None:
        return _usage("--set takes KEY=VALUE")
    target = None
    if args.target != "mocks":
        if drift is not None:
            return _usage("--drift sets up the emulation; it cannot run against a real target")
        try:
            target = _load_target(args)
        except LookupError as exc:
            return _usage(str(exc))
    from sso_harness.targets.mock_target import MockTemplateError

    try:
        result = _execute(spec, target, args, overrides, drift)
    except TargetHasNoSp as exc:
        return _usage(str(exc))
    except MockTemplateError as exc:  # a {mock.NAME} the fleet has no value for
        return _usage(str(exc).strip("'\""))
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        from sso_harness.apps.tutorials import render_checklist

        sys.stdout.write(render_checklist(result))
    return 0 if result.ok else 1


def _load_target(args: argparse.Namespace) -> "Target":
    from sso_harness.targets import TargetError, load_target

    path = Path(args.config) if args.config else Path("targets.yaml")
    if not path.exists():
        raise LookupError(f"--target {args.target}: no targets file {path} (pass --config FILE)")
    try:
        # Only this target's ${VAR}s must be set; an unknown name is a located error listing the file's targets.
        return load_target(path, args.target)
    except TargetError as exc:
        raise LookupError(str(exc)) from None


def _execute(
    spec: "TutorialSpec", target: "Target | None", args: argparse.Namespace, overrides: dict[str, str], drift: "DriftSpec | None"
) -> "TutorialResult":
    from sso_harness.apps.tutorials import EmulationLane, TargetLane, TutorialSession, run_tutorial

    if target is not None:
        # Fail on a missing SP before starting a browser.
        TargetLane(target, args.sp or spec.sp_name, proxy_url="http://127.0.0.1:9", overrides=overrides)
    embedded = target is not None and target.embedded_mocks
    egress = bool(target.allow_egress) and not embedded if target is not None else False
    with TutorialSession(emulation=target is None or embedded, allow_egress=egress, headless=not args.headed) as session:
        lane: Lane
        if target is None:
            assert session.fleet is not None  # an emulation session starts the fleet
            lane = EmulationLane(session.fleet, proxy_url=session.proxy_url, overrides=overrides)
        else:
            if embedded:
                target, overrides = _filled(target, overrides, session)
            lane = TargetLane(target, args.sp or spec.sp_name, proxy_url=session.proxy_url, overrides=overrides, cafile=session.cafile)
        return run_tutorial(spec, lane, session.context, session.recorder, drift=drift, cafile=session.cafile)


def _filled(target: "Target", overrides: dict[str, str], session: "TutorialSession") -> "tuple[Target, dict[str, str]]":
    """An ``embedded_mocks`` target and the ``--set`` values with every ``{mock.*}`` filled from the session's fleet."""
    from sso_harness.targets.mock_target import fill_mock_templates, mock_values

    assert session.fleet is not None  # the session started the fleet for this target
    values = mock_values(session.fleet)
    return fill_mock_templates(target, values), fill_mock_templates(overrides, values)
