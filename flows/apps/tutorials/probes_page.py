"""Probes of where a flow ended: the final page, the flow's fate, a fetched document, a hook.

``final.*`` reads the browser's last page; ``page.*`` reads elements of it
by CSS selector (evaluated while the page is still open, right after the
flow); ``flow.*`` says whether the flow got through and which IdP error
codes it met; ``document.*`` reads what a fetch flow fetched (SAML metadata
facts, status, text); ``hook`` asks a Python function (see
:mod:`sso_harness.apps.tutorials.hook`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from sso_harness.protocols import DecodeError
from sso_harness.apps.tutorials.error_codes import error_codes
from sso_harness.apps.tutorials.errors import NotObserved
from sso_harness.apps.tutorials.hook import HookContext, resolve_hook
from sso_harness.apps.tutorials.metadata_doc import metadata_facts
from sso_harness.apps.tutorials.observe import Observation, Probe, ProbeInput, param
from sso_harness.apps.tutorials.outcome import FetchedDocument

__all__ = ["PAGE_PROBES"]


def _final(read: Callable[[ProbeInput], Any]) -> Callable[[ProbeInput], Observation]:
    def probe(inp: ProbeInput) -> Observation:
        if inp.outcome.final_url is None:
            raise NotObserved("the flow has no final page" + (f": {inp.outcome.error}" if inp.outcome.error else ""))
        return Observation(read(inp), inp.outcome.final_hop)

    return probe


def _element(read: Callable[[Any], Any]) -> Callable[[ProbeInput], Observation]:
    def probe(inp: ProbeInput) -> Observation:
        page = inp.outcome.page
        if page is None:
            raise NotObserved("the flow has no page to look at")
        locator = page.locator(str(param(inp, "selector")))
        try:
            value = read(locator) if locator.count() else read(None)
        except PlaywrightError as exc:
            raise NotObserved(f"the page could not be read: {exc}") from None
        return Observation(value, f"{inp.outcome.final_hop} [{param(inp, 'selector')}]")

    return probe


def _flow(read: Callable[[ProbeInput], Any]) -> Callable[[ProbeInput], Observation]:
    return lambda inp: Observation(read(inp), inp.outcome.final_hop)


def _codes(inp: ProbeInput) -> Observation:
    seen = error_codes(inp.outcome)
    return Observation([s.code for s in seen], seen[0].where if seen else inp.outcome.final_hop)


def _document(read: Callable[[FetchedDocument], Any]) -> Callable[[ProbeInput], Observation]:
    def probe(inp: ProbeInput) -> Observation:
        doc = inp.outcome.document
        if doc is None:
            raise NotObserved("this flow fetched no document (document.* probes need a fetch flow)")
        return Observation(read(doc), doc.hop)

    return probe


def _facts(field: str) -> Callable[[FetchedDocument], Any]:
    def read(doc: FetchedDocument) -> Any:
        try:
            return getattr(metadata_facts(doc.text), field)
        except DecodeError as exc:
            raise NotObserved(f"the document from {doc.url} is not SAML metadata: {exc}") from None

    return read


def _hook(inp: ProbeInput) -> Observation:
    fn = resolve_hook(str(param(inp, "hook")))
    found = fn(HookContext(inp.outcome.fleet, inp.values, dict(param(inp, "with", {}) or {}), inp.outcome))
    if not isinstance(found, Observation):
        raise NotObserved(f"hook {param(inp, 'hook')} returned {type(found).__name__}, not an Observation")
    return found


def _text(locator: Any) -> str | None:
    return None if locator is None else locator.first.inner_text(timeout=2_000).strip()


def _attribute_of(name: str) -> Callable[[Any], Any]:
    return lambda locator: None if locator is None else locator.first.get_attribute(name, timeout=2_000)


def _page_attribute(inp: ProbeInput) -> Observation:
    return _element(_attribute_of(str(param(inp, "attribute"))))(inp)


PAGE_PROBES: dict[str, Probe] = {
    p.name: p
    for p in (
        Probe("final.url", _final(lambda i: i.outcome.final_url), "the URL of the page where the flow ended"),
        Probe("final.status", _final(lambda i: i.outcome.final_status), "the HTTP status of that page"),
        Probe("page.text", _element(_text), "the text of the first element matching `selector` (null if none)", ("selector",)),
        Probe("page.count", _element(lambda loc: 0 if loc is None else loc.count()), "how many elements match `selector`", ("selector",)),
        Probe("page.attribute", _page_attribute, "attribute `attribute` of the first element matching `selector`", ("selector", "attribute")),
        Probe("flow.completed", _flow(lambda i: i.outcome.completed), "true when the browser got through without an IdP error page"),
        Probe("flow.refusal", _flow(lambda i: i.outcome.refusal), "the text of the IdP error page that stopped the sign-in (null if none)"),
        Probe("flow.error_codes", _codes, "IdP error codes seen anywhere in the flow (a list of numbers)"),
        Probe("document.status", _document(lambda d: d.status), "the HTTP status of the fetch"),
        Probe("document.text", _document(lambda d: d.text), "the fetched body as text"),
        Probe("document.entity_id", _document(_facts("entity_id")), "SAML metadata: the entityID"),
        Probe("document.acs", _document(_facts("acs")), "SAML metadata: the (HTTP-POST) AssertionConsumerService location"),
        Probe("document.sso_url", _document(_facts("sso_url")), "SAML metadata: the first SingleSignOnService location"),
        Probe("document.certificates", _document(_facts("certificates")), "SAML metadata: how many X509Certificate elements"),
        Probe("hook", _hook, "what a hook function observes (`hook: module:function`, optional `with:`)", ("hook",)),
    )
}
