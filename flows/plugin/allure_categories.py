"""Allure's ``categories.json``: failed flows sorted by SSO cause, matched on failure codes.

Every failure the harness raises starts with, or lists, a stable code
(:mod:`sso_harness.expect`'s ``expect.*``, the decoders' problem codes such
as ``saml.not_trusted``, the sign-in drivers' ``entra.*`` / ``jumpcloud.*``,
Entra's own ``AADSTSnnnnn``). Each category's ``messageRegex`` names codes,
never prose, so rewording a message moves nothing. Allure matches a
category's regex against the whole message (Java ``matches``), hence the
``(?s).*`` around each alternation.

The causes, in the order Allure lists them: one category per catalogued
AADSTS code (Entra said why), other IdP errors, signature/trust,
audience/recipient, time, NameID/claims, RelayState/state, the flow's path
(a message missing, another redirect chain), and the browser or sign-in
driver. A failure whose message has no code of an SSO cause (a Playwright
timeout after a wrong audience) gets the codes its flow's trace shows
appended under :data:`TRACE_CODES_MARK` (see :mod:`sso_harness.plugin.allure_diagnosis`):
the diagnosis rules' ``diagnosis.<rule>`` codes and the protocol problem
codes; the browser cause then steps aside. A failure with no code at all
lands in Allure's default categories.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from sso_harness import expect as x
from sso_harness.browser.drivers import jumpcloud
from sso_harness.browser.entra import errors as entra
from sso_harness.protocols import problems as p
from sso_harness.protocols.catalogues import AADSTS_ENTRIES
from sso_harness.targets.runner import DISCOVERY_FAILED
from sso_harness.targets.steps import STEP_FAILED

__all__ = [
    "BROWSER_CAUSE", "CATEGORIES_FILE", "Cause", "CAUSES", "DIAGNOSIS_PREFIX", "TRACE_CODES_MARK", "categories",
    "causes_of", "diagnosis_code", "write_categories",
]

CATEGORIES_FILE: Final = "categories.json"
DIAGNOSIS_PREFIX: Final = "diagnosis."
"""A diagnosis finding's code is this prefix and its rule's name (``diagnosis.audience``)."""
TRACE_CODES_MARK: Final = "sso-harness trace codes:"
"""Leads the line of trace codes appended to an uncoded failure's message."""
BROWSER_CAUSE: Final = "Browser / sign-in driver"


def diagnosis_code(rule: str) -> str:
    """The stable code of a :class:`~sso_harness.diagnose.Finding` of ``rule``."""
    return f"{DIAGNOSIS_PREFIX}{rule}"


def _d(*rules: str) -> list[str]:
    return [diagnosis_code(r) for r in rules]
# Failed is an AssertionError (an expectation); broken is any other exception (a driver, a browser).
_STATUSES: Final = ["failed", "broken"]


class Cause:
    """One SSO cause: its category name and the codes that put a failure in it."""

    def __init__(self, name: str, codes: Sequence[str], *, also: str = "", unless: str = "") -> None:
        self.name, self.codes = name, tuple(codes)
        self.also, self.unless = also, unless

    @property
    def regex(self) -> str:
        """Java-and-Python regex over the whole message: any of the codes as a word, or ``also``;
        never when ``unless`` matches anywhere."""
        options = [rf".*\b(?:{'|'.join(re.escape(c) for c in self.codes)})\b.*"] if self.codes else []
        if self.also:
            options.append(self.also)
        guard = f"(?!{self.unless})" if self.unless else ""
        return f"(?s){guard}(?:{'|'.join(options)})"

    def category(self) -> dict[str, Any]:
        return {"name": self.name, "matchedStatuses": list(_STATUSES), "messageRegex": self.regex}


_AADSTS_KNOWN = "|".join(str(e.code) for e in AADSTS_ENTRIES)
_ANY_AADSTS = r".*\bAADSTS\d+\b.*"

_ENTRA_DRIVER = [c for c in (getattr(entra, n) for n in entra.__all__ if n.isupper()) if c != entra.AADSTS_ERROR]

CAUSES: Final[tuple[Cause, ...]] = (
    *(Cause(f"IdP error: {e.label}", [f"AADSTS{e.code}"]) for e in AADSTS_ENTRIES),
    Cause("IdP error (other)", [x.EXPECT_IDP_ERROR, entra.AADSTS_ERROR, p.OAUTH_ERROR_RESPONSE, p.OAUTH_TOKEN_ERROR,
                                p.SAML_STATUS_MISSING, *_d("aadsts", "saml-status", "oauth-error")],
          also=_ANY_AADSTS, unless=rf".*\bAADSTS(?:{_AADSTS_KNOWN})\b"),
    Cause("Signature / trust", [x.EXPECT_TRUST, p.SAML_SIGNATURE_INVALID, p.SAML_SIGNATURE_WRAPPING, p.SAML_NOT_TRUSTED,
                                p.SAML_DECRYPTION_FAILED, p.WSFED_NOT_TRUSTED, p.OIDC_HASH_MISMATCH, DISCOVERY_FAILED,
                                *_d("missed-rollover", "certificate-expired", "certificate-expiring", "unsigned")]),
    Cause("Audience / recipient", [x.EXPECT_AUDIENCE, x.EXPECT_RECIPIENT, p.OAUTH_REDIRECT_MISMATCH,
                                   p.OAUTH_REDIRECT_URI_DIFFERS, p.OAUTH_CLIENT_ID_DIFFERS, p.WSFED_WTREALM_MISSING,
                                   *_d("audience", "recipient", "destination", "acs", "redirect-uri")]),
    Cause("Time (validity window, clock)", [x.EXPECT_TIME, p.SAML_NOT_BEFORE, p.SAML_NOT_ON_OR_AFTER,
                                             p.SAML_SUBJECT_NOT_ON_OR_AFTER, *_d("clock-skew", "assertion-window")]),
    Cause("NameID / claims", [x.EXPECT_NAME_ID, x.EXPECT_CLAIMS, x.EXPECT_TOKEN, *_d("name-id")]),
    Cause("RelayState / state / correlation", [x.EXPECT_RELAY_STATE, x.EXPECT_CORRELATION, p.OAUTH_STATE_MISSING,
                                               p.OAUTH_STATE_MISMATCH, p.OIDC_NONCE_MISSING, p.OIDC_NONCE_MISMATCH,
                                               p.SAML_UNANSWERED, *_d("relay-state", "state", "pkce")]),
    Cause("Flow path (a message missing, another redirect chain)", [x.EXPECT_MISSING, x.EXPECT_CHAIN,
                                                                     p.OAUTH_NO_CALLBACK,
                                                                     p.OAUTH_RESPONSE_MODE_MISMATCH,
                                                                     *_d("redirect-loop")]),
    # A driver's own failure, or an exception from the browser layer or Playwright (its type leads the message);
    # not when the trace's codes were appended: they name the real cause.
    Cause(BROWSER_CAUSE, [*_ENTRA_DRIVER, jumpcloud.REFUSED, jumpcloud.TOTP_REQUIRED, jumpcloud.TOTP_REFUSED,
                          STEP_FAILED],
          also=r"(?:playwright\.|sso_harness\.browser\.)\S*:.*", unless=rf".*\bAADSTS\d|.*{re.escape(TRACE_CODES_MARK)}"),
)


def causes_of(message: str, causes: Iterable[Cause] = CAUSES) -> list[str]:
    """The names of the causes whose regex matches ``message`` as Allure matches it (the whole message)."""
    return [c.name for c in causes if re.fullmatch(c.regex, message)]


def categories(causes: Iterable[Cause] = CAUSES) -> list[dict[str, Any]]:
    """The ``categories.json`` document."""
    return [c.category() for c in causes]


def write_categories(results_dir: Path) -> Path:
    """Write ``categories.json`` into the Allure results folder (created if needed); its path."""
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / CATEGORIES_FILE
    path.write_text(json.dumps(categories(), indent=2) + "\n", encoding="utf-8")
    return path
