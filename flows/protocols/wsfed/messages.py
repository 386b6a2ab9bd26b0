"""Decoded WS-Federation passive-requestor messages (WS-Federation 1.2 §13).

Three kinds travel through the browser: the sign-in request
(``wa=wsignin1.0``, §13.2.1), the sign-in response carrying a WS-Trust
``RequestSecurityTokenResponse`` in ``wresult`` (§13.2.2), and the sign-out
request or cleanup (``wa=wsignout1.0`` / ``wsignoutcleanup1.0``, §13.2.3–4).
The token is a SAML 1.1 assertion (:class:`Saml11Assertion`) or a SAML 2.0
one (:class:`sso_harness.protocols.saml.Assertion`).  Like the SAML models, these
are reports: untrusted content is shown, and ``trusted`` says whether a
valid signature by a supplied certificate covers the very token reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from sso_harness.protocols.certinfo import CertificateInfo
from sso_harness.protocols.problems import HasProblems, Problem
from sso_harness.protocols.saml.messages import Assertion, NameID
from sso_harness.protocols.xml.dsig.verify import SignatureCheck

__all__ = [
    "Saml11Assertion",
    "WsFedMessage",
    "WsFedSignInRequest",
    "WsFedSignInResponse",
    "WsFedSignOutRequest",
]


@dataclass(frozen=True)
class Saml11Assertion:
    """A SAML 1.1 ``saml:Assertion`` (SAML 1.1 core §2.3.2), flattened like
    the SAML 2.0 :class:`~sso_harness.protocols.saml.Assertion`.

    ``issuer`` is the ``Issuer`` *attribute*; ``name_id`` the first
    statement Subject's ``NameIdentifier``; ``attributes`` maps the claim URI
    ``AttributeNamespace + "/" + AttributeName`` (the ADFS convention) to its
    values; ``authn_method`` is AuthenticationStatement@AuthenticationMethod.
    """

    saml_version: ClassVar[str] = "1.1"

    id: str | None
    issue_instant: datetime | None
    issuer: str | None
    name_id: NameID | None
    not_before: datetime | None
    not_on_or_after: datetime | None
    audiences: tuple[str, ...]
    attributes: dict[str, tuple[str, ...]]
    authn_instant: datetime | None
    authn_method: str | None
    signed: bool


@dataclass(frozen=True)
class WsFedSignInRequest(HasProblems):
    """``wa=wsignin1.0`` without ``wresult`` (§13.2.1): the RP asks the STS
    to sign the user in for realm ``wtrealm``."""

    kind: ClassVar[str] = "wsfed.signin_request"

    wa: str
    wtrealm: str | None
    wreply: str | None
    wctx: str | None
    whr: str | None
    wct: str | None
    wfresh: str | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class WsFedSignOutRequest:
    """``wa=wsignout1.0`` or ``wa=wsignoutcleanup1.0`` (§13.2.3, §13.2.4)."""

    kind: ClassVar[str] = "wsfed.signout_request"

    wa: str
    wtrealm: str | None
    wreply: str | None
    wctx: str | None
    cleanup: bool


@dataclass(frozen=True)
class WsFedSignInResponse(HasProblems):
    """``wa=wsignin1.0`` with ``wresult`` (§13.2.2): the STS's RSTR.

    ``trust_version`` is ``"1.2"`` (``…/ws/2005/02/trust``) or ``"1.3"``
    (``…/ws-sx/ws-trust/200512``).  ``applies_to`` is
    ``wsp:AppliesTo/wsa:EndpointReference/wsa:Address``; ``created`` /
    ``expires`` come from ``t:Lifetime``.  ``token`` is the assertion in
    ``t:RequestedSecurityToken`` (decrypted with an SP key when it came
    encrypted); ``trusted`` requires a valid trusted signature over that
    very element.
    """

    kind: ClassVar[str] = "wsfed.signin_response"

    wa: str
    wctx: str | None
    wresult: bytes
    trust_version: Literal["1.2", "1.3"]
    applies_to: str | None
    created: datetime | None
    expires: datetime | None
    token_type: str | None
    token: Assertion | Saml11Assertion | None
    encrypted: bool
    decrypted: bool
    signatures: tuple[SignatureCheck, ...]
    trusted: bool
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    certificates: tuple[CertificateInfo, ...] = ()


WsFedMessage = WsFedSignInRequest | WsFedSignOutRequest | WsFedSignInResponse
