"""The attack matrix: one row per attack, with verdict, evidence and reference.

Three renderings of the same rows: a terminal table (:func:`matrix_text`),
JSON (:func:`matrix_json`) and an HTML table (:func:`matrix_html`, used for
the Allure attachment and callable from an HTML summary). Attacks that do
not apply to a target are listed under its table, with the coded reason.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sso_harness.apps.security.verdicts import NOT_APPLICABLE, AttackResult, BatteryRun, Evidence, NotApplicable, Verdict

__all__ = ["matrix_text", "matrix_json", "matrix_html", "runs_from_json", "exit_status"]

_COLOURS = {Verdict.REJECTED: "#1a7f37", Verdict.ACCEPTED: "#cf222e", Verdict.INCONCLUSIVE: "#9a6700"}


def _verdict_label(result: AttackResult) -> str:
    return f"{result.verdict.value} (control)" if result.control else result.verdict.value


def _evidence(result: AttackResult) -> str:
    ev = result.evidence
    parts = [result.reason]
    if ev.failed_checks:
        parts.append("refused by: " + ", ".join(dict.fromkeys(ev.failed_checks)))
    parts.extend(ev.observations)
    return "; ".join(parts)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def matrix_text(runs: Sequence[BatteryRun], *, width: int = 200) -> str:
    """A plain-text table per target, and a closing tally."""
    lines: list[str] = []
    for run in runs:
        lines.append(f"{run.target} ({run.protocol.upper()})")
        id_w = max([len("attack")] + [len(r.attack_id) for r in run.results])
        ver_w = max([len("verdict")] + [len(_verdict_label(r)) for r in run.results])
        rest = max(40, width - id_w - ver_w - 6)
        lines.append(f"  {'attack':<{id_w}}  {'verdict':<{ver_w}}  evidence / reference")
        for r in run.results:
            lines.append(f"  {r.attack_id:<{id_w}}  {_verdict_label(r):<{ver_w}}  {_clip(_evidence(r), rest)}")
            lines.append(f"  {'':<{id_w}}  {'':<{ver_w}}  ↳ {_clip(r.reference, rest - 2)}")
        for na in run.not_applicable:
            lines.append(f"  {na.attack_id:<{id_w}}  {'n/a':<{ver_w}}  {_clip(f'{na.reason} ({na.code})', rest)}")
        lines.append("")
    lines.append(_tally(r for run in runs for r in run.results))
    return "\n".join(lines) + "\n"


def _tally(results: Iterable[AttackResult]) -> str:
    counts = {v: 0 for v in Verdict}
    for r in results:
        if not r.control:
            counts[r.verdict] += 1
    return ", ".join(f"{n} {v.value}" for v, n in counts.items())


def matrix_json(runs: Sequence[BatteryRun]) -> dict[str, object]:
    return {
        "targets": [
            {
                "target": run.target,
                "protocol": run.protocol,
                "results": [r.to_json() for r in run.results],
                "not_applicable": [na.to_json() for na in run.not_applicable],
            }
            for run in runs
        ],
        "vulnerable": [f"{r.target}:{r.attack_id}" for run in runs for r in run.vulnerable],
    }


def _rows(items: Sequence[AttackResult | BatteryRun]) -> tuple[list[AttackResult], list[tuple[str, NotApplicable]]]:
    results: list[AttackResult] = []
    skipped: list[tuple[str, NotApplicable]] = []
    for item in items:
        if isinstance(item, BatteryRun):
            results.extend(item.results)
            skipped.extend((item.target, na) for na in item.not_applicable)
        else:
            results.append(item)
    return results, skipped


def matrix_html(results: Sequence[AttackResult | BatteryRun], *, title: str = "Attack matrix", standalone: bool = True) -> str:
    """The matrix as an HTML table (rows: target, attack, verdict, evidence, reference); all text escaped.

    ``standalone``: a whole document (the Allure attachment); otherwise a
    ``<section class='attack-matrix'>`` fragment for a page of its own (the HTML run summary).
    """
    rows, skipped = _rows(results)
    e = html.escape
    body = []
    for r in rows:
        colour = _COLOURS[r.verdict]
        ev = r.evidence
        details = "".join(f"<li>{e(o)}</li>" for o in ev.observations)
        landing = f"<div>landing: <code>{e(ev.landing_url or '')}</code> {e(str(ev.landing_status or ''))}</div>" if ev.landing_url else ""
        who = f"<div>signed in as: <b>{e(ev.signed_in_as)}</b></div>" if ev.signed_in_as else "<div>signed in as: nobody</div>"
        checks = f"<div>refused by: {e(', '.join(dict.fromkeys(ev.failed_checks)))}</div>" if ev.failed_checks else ""
        cookies = f"<div>session cookies: {e(', '.join(ev.session_cookies))}</div>" if ev.session_cookies else ""
        body.append(
            f"<tr data-verdict='{r.verdict.value}' data-attack='{e(r.attack_id)}'>"
            f"<td>{e(r.target)}</td><td><code>{e(r.attack_id)}</code><br>{e(r.title)}</td>"
            f"<td style='color:{colour};font-weight:bold'>{e(_verdict_label(r))}</td>"
            f"<td>{e(r.reason)}{who}{landing}{checks}{cookies}<ul>{details}</ul></td><td>{e(r.reference)}</td></tr>"
        )
    for target, na in skipped:
        body.append(f"<tr data-verdict='n/a' data-attack='{e(na.attack_id)}' data-code='{e(na.code)}'><td>{e(target)}</td>"
                    f"<td><code>{e(na.attack_id)}</code></td><td>n/a</td><td>{e(na.reason)}</td><td></td></tr>")
    tally = e(_tally(rows))
    section = (
        f"<section class='attack-matrix'><h2>{e(title)}</h2><p>{tally}</p><table><thead><tr><th>target</th><th>attack</th>"
        f"<th>verdict</th><th>evidence</th><th>spec / CVE</th></tr></thead><tbody>{''.join(body)}</tbody></table></section>"
    )
    if not standalone:
        return section
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title>"
        "<style>table{border-collapse:collapse;font:13px sans-serif}td,th{border:1px solid #d0d7de;padding:4px 6px;"
        f"vertical-align:top}}ul{{margin:2px 0;padding-left:16px}}</style></head><body>{section}</body></html>"
    )


def runs_from_json(data: Mapping[str, Any]) -> list[BatteryRun]:
    """Rebuild the runs from :func:`matrix_json` output (e.g. the JSON attachment a summary reads back)."""
    runs: list[BatteryRun] = []
    for target in data.get("targets", []):
        results = []
        for r in target.get("results", []):
            ev = r.get("evidence", {})
            evidence = Evidence(
                landing_url=ev.get("landing_url"), landing_status=ev.get("landing_status"), landing_title=ev.get("landing_title"),
                failed_checks=tuple(ev.get("failed_checks", ())), signed_in_as=ev.get("signed_in_as"),
                session_cookies=tuple(ev.get("session_cookies", ())), observations=tuple(ev.get("observations", ())),
                signed_in=ev.get("signed_in"),
            )
            results.append(AttackResult(r["id"], r.get("title", ""), Verdict(r["verdict"]), r.get("reason", ""), r.get("reference", ""),
                                        r.get("target", target["target"]), evidence, bool(r.get("control")), float(r.get("seconds", 0)),
                                        r.get("code")))
        skipped = tuple(NotApplicable(n["id"], n.get("reason", ""), n.get("code", NOT_APPLICABLE))
                        for n in target.get("not_applicable", []))
        runs.append(BatteryRun(target["target"], target["protocol"], tuple(results), skipped))
    return runs


def exit_status(runs: Sequence[BatteryRun]) -> int:
    """0: every attack REJECTED; 1: at least one ACCEPTED; 3: none ACCEPTED but some INCONCLUSIVE
    (or a control that failed, which leaves every other verdict without meaning)."""
    results = [r for run in runs for r in run.results]
    if any(r.vulnerable for r in results):
        return 1
    if any(r.verdict is Verdict.INCONCLUSIVE or (r.control and r.verdict is not Verdict.ACCEPTED) for r in results):
        return 3
    return 0
