"""What the battery needs to know about the SP or relying party it attacks.

A description, not a configuration of the target: where its ACS or callback
is, how an SP-initiated login starts, which page says who is signed in, and
two people, the attacker's own account (``user``, the one the legitimately
signed response is for) and the ``victim`` the attacker wants to become.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cryptography import x509
from lxml import etree

from sso_harness.apps.security.driver import Driver, IdentityProbe
from sso_harness.apps.security.saml_mint import Persona, SamlSigner, SpFacts
from sso_harness.browser.signed_in import SignInRule
from sso_harness.mocks.attack_lab.oidc_provider import LoopbackProvider

__all__ = ["CapturedLogin", "SamlSpUnderAttack", "OidcPersona", "OidcRpUnderAttack", "ProviderHandle"]


@dataclass(frozen=True)
class CapturedLogin:
    """A legitimately signed response obtained through a normal login, not yet delivered."""

    response: etree._Element = field(repr=False)
    relay_state: str | None


@dataclass(frozen=True)
class SamlSpUnderAttack:
    """A SAML SP as the battery sees it.

    ``sign_on_url`` starts an SP-initiated login (None: the SP only takes
    IdP-initiated logins); ``sp_initiated_only`` says the SP refuses
    unsolicited responses by design (the unsolicited attack applies only
    then). ``signer`` is a key the SP trusts (minting); without it,
    ``capture`` obtains a legitimately signed response through a normal
    login for each attempt, and attacks that need the IdP's key are
    reported INCONCLUSIVE.

    With ``detect_sign_in``, whether an attempt signed the browser in is
    decided by :mod:`sso_harness.browser.signed_in` at ``probe.url`` (the
    declared ``sign_in_rule``, else the SAML default), and ``probe.xpath``
    only says as whom; without it, ``probe`` alone decides (an SP page
    known to name the signed-in user, as the mocks' are).
    """

    name: str
    facts: SpFacts
    user: Persona
    victim: Persona
    probe: IdentityProbe
    sign_on_url: str | None = None
    sp_initiated_only: bool = False
    session_cookies: tuple[str, ...] = ()
    signer: SamlSigner | None = None
    idp_certificate: x509.Certificate | None = None
    capture: Callable[[Driver], CapturedLogin] | None = field(default=None, repr=False, compare=False)
    loopback: bool = True
    """The SP runs on this machine, so it can reach the attacker's out-of-band listener."""
    detect_sign_in: bool = False
    sign_in_rule: SignInRule | None = None


@dataclass(frozen=True)
class OidcPersona:
    """An end user of the provider (an :class:`~sso_harness.mocks.attack_lab.oidc_provider.EndUser`):
    ``sub`` and ``email`` go into tokens, ``shown`` is what the RP displays."""

    sub: str
    email: str
    shown: str
    name: str = ""


@dataclass(frozen=True)
class ProviderHandle:
    """One of the RP's OpenID providers: the loopback provider the harness runs, and the RP's client there."""

    name: str
    provider: LoopbackProvider
    client_id: str


@dataclass(frozen=True)
class OidcRpUnderAttack:
    """An OpenID Connect relying party whose providers are the harness's loopback providers.

    ``login_url(name)`` starts a login with provider ``name``; the first of
    ``providers`` is the one ordinary logins use. ``mix_up`` needs two.
    """

    name: str
    login_url: Callable[[str], str] = field(compare=False)
    callback_url: str
    probe: IdentityProbe
    providers: tuple[ProviderHandle, ...]
    user: OidcPersona
    victim: OidcPersona
    session_cookies: tuple[str, ...] = ()
    redirect_parameter: str = "redirect_uri"
    """The login URL parameter an attacker would try to steer the redirect URI with."""
    extra: Mapping[str, str] = field(default_factory=dict)
    detect_sign_in: bool = False
    """As for :class:`SamlSpUnderAttack`: ``sign_in_rule`` at ``probe.url`` decides "signed in", ``probe`` as whom."""
    sign_in_rule: SignInRule | None = None
