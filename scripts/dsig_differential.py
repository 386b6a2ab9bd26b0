"""Full XML-DSig differential run: our verifier against xmlsec1 (issue #15 item 5).

Judges every shared SAML sample and ``--count`` seeded mutated documents
(default 10,000; case ``n`` depends only on ``--seed`` and ``n``, so the
test subset in ``tests/protocols/xml/test_dsig_differential.py`` is the
first 250 of the same stream) and prints: documents, Signatures,
agreements, disagreements explained (per specification clause) and
unexplained ones.  The question compared and the explanations are
documented in ``tests/protocols/xml/dsig_oracle.py``.

Usage: python scripts/dsig_differential.py [--count N] [--seed S] [--jobs J]
Exit status 1 when any disagreement is unexplained.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.protocols.xml.dsig_corpus import Corpus  # noqa: E402
from tests.protocols.xml.dsig_oracle import EXPLANATIONS, Tally, Xmlsec1, judge  # noqa: E402
from tests.protocols.xml.dsig_samples import samples  # noqa: E402

DEFAULT_SEED = 20261206
BATCH = 125


def run_batch(seed: int, start: int, count: int) -> Tally:
    """Judge generated cases ``start`` .. ``start + count - 1``."""
    with tempfile.TemporaryDirectory(prefix="dsig-differential-") as workdir:
        corpus = Corpus(seed, Path(workdir) / "corpus")
        xmlsec1 = Xmlsec1(Path(workdir))
        tally = Tally()
        for case in corpus.cases(count, start=start):
            key = corpus.keys[case.trusted]
            tally.add(judge(case.name, case.document, key.cert, key.cert_file, xmlsec1, case.steps))
        return tally


def run_samples(seed: int) -> Tally:
    with tempfile.TemporaryDirectory(prefix="dsig-differential-") as workdir:
        corpus = Corpus(seed, Path(workdir) / "corpus")
        xmlsec1 = Xmlsec1(Path(workdir))
        tally = Tally()
        for sample in samples():
            fallback = corpus.keys["trusted"]
            tally.add(judge(sample.name, sample.document, sample.cert or fallback.cert,
                            sample.cert_file or fallback.cert_file, xmlsec1))
        return tally


def merge(into: Tally, other: Tally) -> None:
    into.documents += other.documents
    into.signatures += other.signatures
    into.agreements += other.agreements
    into.saml_trusted += other.saml_trusted
    into.wrapping_gap += other.wrapping_gap
    into.valid_signatures += other.valid_signatures
    for code, number in other.explained.items():
        into.explained[code] = into.explained.get(code, 0) + number
    into.unexplained += other.unexplained


def report(label: str, tally: Tally) -> None:
    print(f"{label}: {tally.documents} documents, {tally.signatures} Signatures "
          f"({tally.valid_signatures} valid), {tally.saml_trusted} Responses trusted at SAML level")
    print(f"  agreements: {tally.agreements} documents")
    print(f"  disagreements: {tally.disagreements} documents, "
          f"{sum(tally.explained.values())} verdicts explained, {len(tally.unexplained)} unexplained")
    for code, number in sorted(tally.explained.items()):
        explanation = EXPLANATIONS[code]
        print(f"    {number:6d}  {code} ({explanation.spec}): {explanation.why}")
    print(f"  xmlsec1's own question (first Signature verifies) said yes where the SAML verdict is no: "
          f"{tally.wrapping_gap} documents (signature wrapping; SAML core §5.4.2, profiles §4.1.3.5)")
    for line in tally.unexplained[:20]:
        print(f"  UNEXPLAINED {line}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--jobs", type=int, default=1)
    options = parser.parse_args(argv)
    began = time.monotonic()
    sample_tally = run_samples(options.seed)
    report("shared samples", sample_tally)
    generated = Tally()
    starts = range(0, options.count, BATCH)
    with ProcessPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        futures = [pool.submit(run_batch, options.seed, s, min(BATCH, options.count - s)) for s in starts]
        for future in futures:
            batch = future.result()
            for line in batch.unexplained:
                print(f"  UNEXPLAINED {line}", file=sys.stderr, flush=True)
            merge(generated, batch)
            print(f"  ... {generated.documents} generated documents judged: {generated.agreements} agree, "
                  f"{sum(generated.explained.values())} explained, {len(generated.unexplained)} unexplained "
                  f"({time.monotonic() - began:.0f} s)", file=sys.stderr, flush=True)
    report(f"generated (seed {options.seed})", generated)
    total = Tally()
    merge(total, sample_tally)
    merge(total, generated)
    report("total", total)
    print(f"elapsed {time.monotonic() - began:.0f} s")
    return 1 if total.unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
