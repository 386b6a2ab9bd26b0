"""Check a targets file without starting anything: every problem, coded and located, in one pass.

:func:`check_file` never raises for what is in the file: a file that cannot
be read, is not YAML, or breaks any rule comes back as a :class:`CheckResult`
holding every :class:`~sso_harness.targets.load.TargetProblem` (code, file,
line, key path). With ``target``, only that target is checked (and the file's
shape): problems of the other targets, their unset variables among them, are
not this target's problems. ``sso-harness check`` prints the result, and
``sso-harness run`` refuses to start when its target's result is not clean.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sso_harness.targets.load import UNREADABLE, TargetError, TargetProblem, parse_targets
from sso_harness.targets.target import Target

__all__ = ["CheckResult", "check_file", "check_text"]


@dataclass(frozen=True)
class CheckResult:
    """What checking one file found: its valid targets by name, or every problem."""

    source: str
    problems: tuple[TargetProblem, ...]
    targets: Mapping[str, Target]

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        """The lines ``sso-harness check`` prints: a verdict, then one line per problem."""
        if self.problems:
            count = len(self.problems)
            head = f"{self.source}: {count} problem{'s' if count > 1 else ''}"
            return "\n  ".join([head, *(str(p) for p in self.problems)]) + "\n"
        described = ", ".join(f"{name} ({_describe(t)})" for name, t in self.targets.items())
        return f"{self.source}: OK, {described or 'no targets'}\n"


def _describe(target: Target) -> str:
    flows = sum(len(sp.flows) for sp in target.sps)
    return (f"{len(target.sps)} SP{'s' if len(target.sps) != 1 else ''}, {flows} flow{'s' if flows != 1 else ''}, "
            f"{len(target.users)} user{'s' if len(target.users) != 1 else ''}")


def check_text(text: str, *, source: str, target: str | None = None, env: Mapping[str, str] | None = None) -> CheckResult:
    """Check ``text`` (named ``source`` in problems); ``env`` replaces ``os.environ`` for ``${VAR}``."""
    try:
        targets = parse_targets(text, source=source, env=os.environ if env is None else env, only=target)
    except TargetError as exc:
        return CheckResult(source, exc.problems, {})
    return CheckResult(source, (), targets)


def check_file(path: str | Path, *, target: str | None = None, env: Mapping[str, str] | None = None) -> CheckResult:
    """Check the file at ``path``; one that cannot be read is a ``targets.unreadable`` problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return CheckResult(str(p), (TargetProblem(UNREADABLE, str(p), "file", f"cannot read: {reason}"),), {})
    return check_text(text, source=str(p), target=target, env=env)
