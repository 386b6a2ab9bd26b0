"""Long fuzz of every public decode entry point with hostile, structured input.

Feeds the strategies of ``tests/protocols/hostile.py`` (SAML with odd
certificates and signatures, deflate bombs, bad base64, huge counts,
truncated JWTs, hostile JWK Sets, OAuth URLs and forms, WS-Federation RSTRs,
trace and SAML-tracer files) to every entry point listed in
``tests/protocols/entry_points.py``, and prints how many inputs ran and
every exception other than ``DecodeError`` (the readers' own format errors
allowed). Exit status 1 when any was found.

    .venv/bin/python scripts/fuzz_decoders.py [--examples 20000] [--seed 15] [--attributes 200]

Not timed: it reports counts only. The property test in the test command
(tests/protocols/test_total_decoders.py) runs the same strategies with few
examples, derandomized.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.protocols.entry_points import ENTRY_POINTS, run_all  # noqa: E402
from tests.protocols.hostile import hostile_bytes, samltracer_text, trace_text  # noqa: E402

_READER_NAMES = ("report.load_trace", "report.load_samltracer")
_EXPENSIVE = ("cli.decode",)  # a temporary file and two runs per input: every 10th input only


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=20000, help="inputs to generate (default 20000)")
    parser.add_argument("--seed", type=int, default=15, help="hypothesis seed (default 15)")
    parser.add_argument("--attributes", type=int, default=200, help="most SAML attributes per assertion")
    args = parser.parse_args()

    counts: collections.Counter[str] = collections.Counter()
    breaches: dict[tuple[str, str], tuple[int, str, bytes]] = {}
    cheap = tuple(n for n in ENTRY_POINTS if n not in _EXPENSIVE)
    # Eight inputs in ten go to the decoders, the rest are trace files for the readers.
    families = [hostile_bytes(attributes=args.attributes).map(lambda b: ("decoders", b))] * 8 + [
        trace_text().map(lambda t: ("readers", t.encode())),
        samltracer_text().map(lambda t: ("readers", t.encode())),
    ]
    inputs = st.integers(0, len(families) - 1).flatmap(lambda k: families[k])

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(item=inputs)
    def fuzz(item: tuple[str, bytes]) -> None:
        family, data = item
        counts["inputs"] += 1
        counts[family] += 1
        if family == "readers":
            names: tuple[str, ...] = _READER_NAMES
        else:
            names = cheap + (_EXPENSIVE if counts["inputs"] % 10 == 0 else ())
        counts["calls"] += len(names)
        for name, exc in run_all(data, names):
            key = (name, type(exc).__name__)
            counts["breaches"] += 1
            breaches.setdefault(key, (0, "".join(traceback.format_exception(exc)[-3:]), data[:300]))
            n, text, sample = breaches[key]
            breaches[key] = (n + 1, text, sample)

    started = time.process_time()
    fuzz()
    cpu = time.process_time() - started
    print(f"inputs: {counts['inputs']} ({counts['decoders']} to the decoders, {counts['readers']} trace files)  "
          f"entry-point calls: {counts['calls']}  CPU: {cpu:.0f} s")
    print(f"entry points: {len(ENTRY_POINTS) + len(_READER_NAMES)} ({', '.join([*ENTRY_POINTS, *_READER_NAMES])})")
    print(f"exceptions other than DecodeError: {counts['breaches']}")
    for (name, kind), (n, text, sample) in sorted(breaches.items()):
        print(f"\n{name}: {kind} x{n}\n  input: {sample!r}\n{text}")
    return 1 if breaches else 0


if __name__ == "__main__":
    raise SystemExit(main())
