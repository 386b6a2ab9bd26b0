"""``-n auto`` for a target's flows: as many workers as the machine can feed, and why.

pytest-xdist's ``auto`` means one worker per core. That suits unit tests,
not browser flows: each worker drives its own Chromium, capture proxy and
mock fleet, and one flow in flight keeps about two cores busy (Chromium's
processes take nine tenths of a flow's CPU; see ``sso-harness bench``, where
``-n 2`` measured below ``-n 1`` on 2 cores). So a session that plays a
target's flows (an explicit ``--sso-target``) gets one worker per :data:`CORES_PER_WORKER`
usable cores, at least one, and the choice is printed with its reason. Flows
at once inside one worker are ``--sso-concurrency``'s job. Any other session
keeps xdist's own choice.
"""

from __future__ import annotations

import os
import sys

import pytest

__all__ = ["CORES_PER_WORKER", "choose", "plays_a_target", "auto_workers", "usable_cores"]

CORES_PER_WORKER = 2


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which a container's CPU set narrows), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity call on this platform
        return max(1, os.cpu_count() or 1)


def choose(cores: int) -> tuple[int, str]:
    """Workers for ``cores`` usable cores, and the one-line reason."""
    workers = max(1, cores // CORES_PER_WORKER)
    why = (f"-n auto: {workers} worker{'s' if workers != 1 else ''} for {cores} core{'s' if cores != 1 else ''}, "
           f"one per {CORES_PER_WORKER}: each worker runs its own browser, proxy and mock fleet, and a flow keeps "
           f"about {CORES_PER_WORKER} cores busy, so more workers would only queue for the CPU"
           + ("; for flows at once in one worker, use --sso-concurrency N" if workers == 1 else ""))
    return workers, why


def plays_a_target(args: tuple[str, ...] | list[str]) -> bool:
    """Whether the command line names a target (``--sso-target``, as ``sso-harness run`` does): the option's
    default (the mocks) applies to every session, so only an explicit one says "this session plays flows"."""
    return any(a == "--sso-target" or a.startswith("--sso-target=") for a in args)


def auto_workers(config: pytest.Config) -> int | None:
    """The ``pytest_xdist_auto_num_workers`` answer: a count for a target's flows, None (xdist decides) otherwise."""
    if not plays_a_target(config.invocation_params.args):
        return None
    workers, why = choose(usable_cores())
    # Printed here because xdist asks before the terminal reporter exists; the controller alone asks.
    sys.stdout.write(f"sso-harness: {why}\n")
    sys.stdout.flush()
    return workers
