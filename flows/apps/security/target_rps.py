"""Relying parties of a targets-file target, described for the OIDC battery, with the harness as their provider.

The ID-token attacks need the provider's signing key, so the battery plays
the relying party's OpenID provider itself: the RP is registered (by its
owner, once) with a provider at the target's ``idp.issuer``, a loopback
URL with a port, and :func:`serve_target_rp` serves the harness's
:class:`~sso_harness.mocks.attack_lab.oidc_provider.LoopbackProvider` there
for the battery, with the RP's client (``client_id``, ``client_secret``,
``redirect_uri``) registered. The RP's login URL (``sign_on_url``) starts
every flow; the provider signs in whoever the attack says, with no login
page, so the test users' passwords are never used.

Whether an attempt signed the browser in is decided by the SP's declared
``signed_in`` rule at its ``landing_url`` (without one, by the landing page
naming a person). As whom: the first element of that page whose own text
mentions the ``sub`` or ``email`` of the attacker's account (the target's
first user) or of the victim (its second user, else an invented one).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

from sso_harness.apps.security.driver import IdentityProbe
from sso_harness.apps.security.subjects import OidcPersona, OidcRpUnderAttack, ProviderHandle
from sso_harness.apps.security.target_subjects import names_xpath, sign_in_rule_of
from sso_harness.capture.scope import is_loopback_host
from sso_harness.mocks.attack_lab import IdTokenKey, LoopbackProvider, ProviderClient
from sso_harness.mocks.web.servers import serve_app
from sso_harness.targets import SpSpec, Target, TestUser

__all__ = ["PROVIDER_NOT_SERVABLE", "ProviderNotServable", "attackable_rp", "target_rps", "serve_target_rp", "rp_personas"]

PROVIDER_NOT_SERVABLE: Final = "security.provider_not_servable"
DEFAULT_VICTIM = OidcPersona("sso-harness-victim", "victim@sso-harness.invalid", "sso-harness-victim", "Victim")


class ProviderNotServable(ValueError):
    """Code ``security.provider_not_servable``: the harness cannot serve the RP's provider at ``idp.issuer``
    (not a loopback URL with a port, or the address is taken)."""

    code = PROVIDER_NOT_SERVABLE

    def __init__(self, target: str, what: str) -> None:
        super().__init__(f"{self.code}: target {target}: {what}; the OIDC battery serves the relying party's provider "
                         "itself at idp.issuer (register the RP with that issuer, and leave its address free)")


def attackable_rp(sp: SpSpec) -> bool:
    """An OIDC relying party the battery can sign in to: an ``oidc`` flow, its login URL, client and redirect URI."""
    return bool("oidc" in sp.flows and sp.sign_on_url and sp.client_id and sp.redirect_uri)


def target_rps(target: Target) -> tuple[SpSpec, ...]:
    """The attackable relying parties of ``target`` (none without an ``idp.issuer`` or a test user)."""
    if not target.idp.issuer or not target.users:
        return ()
    return tuple(sp for sp in target.sps if attackable_rp(sp))


def _persona(user: TestUser, sp: SpSpec) -> OidcPersona:
    subs = sp.expect.id_token.get("sub") or []
    sub = (user.fill(subs[0]) if subs else None) or user.username
    email = user.attributes.get("email") or f"{user.username}@sso-harness.invalid"
    return OidcPersona(sub=sub, email=email, shown=sub, name=user.attributes.get("name", ""))


def rp_personas(target: Target, sp: SpSpec) -> tuple[OidcPersona, OidcPersona]:
    """(the attacker's own account, the victim): the target's first and second users; ``sub`` is the SP's
    expected ``id_token.sub`` filled for the user, else the username."""
    me = _persona(target.users[0], sp)
    victim = _persona(target.users[1], sp) if len(target.users) > 1 else DEFAULT_VICTIM
    return me, victim


def _bind_port(target: Target) -> int:
    issuer = target.idp.issuer or ""
    parts = urlsplit(issuer)
    if parts.scheme != "http" or not is_loopback_host(parts.hostname or "") or parts.port is None:
        raise ProviderNotServable(target.name, f"idp.issuer {issuer or '(none)'} is not an http loopback URL with a port")
    return parts.port


@contextlib.contextmanager
def serve_target_rp(target: Target, sp: SpSpec) -> Iterator[OidcRpUnderAttack]:
    """Serve the harness's provider at ``target.idp.issuer`` with ``sp``'s client, for the ``with`` block,
    and yield ``sp`` as the battery's subject. Raises :class:`ProviderNotServable`."""
    assert sp.sign_on_url and sp.client_id and sp.redirect_uri and target.idp.issuer  # attackable_rp / target_rps say so
    port, issuer = _bind_port(target), target.idp.issuer
    host = urlsplit(issuer).hostname or "127.0.0.1"

    def build(_bound_url: str) -> LoopbackProvider:
        # The issuer as the RP knows it (the bound URL may spell the host differently).
        provider = LoopbackProvider(issuer, name=target.name)
        # A key id of its own: an RP that cached an earlier run's JWKS must fetch this key, not reuse that one.
        provider.signing = IdTokenKey(provider.signing.key, f"{target.name}-{secrets.token_hex(4)}")
        return provider

    with contextlib.ExitStack() as stack:
        try:
            provider = stack.enter_context(serve_app(build, name=f"rp-provider-{sp.name}",
                                                     host="127.0.0.1" if host == "localhost" else host, port=port))
        except OSError as exc:
            raise ProviderNotServable(target.name, f"cannot listen at {issuer}: {exc.strerror or exc}") from None
        provider.register(ProviderClient(sp.client_id, sp.client_secret or "", (sp.redirect_uri,)))
        me, victim = rp_personas(target, sp)
        rule = sign_in_rule_of(sp)
        names = (victim.email, victim.sub, me.email, me.sub)
        login = sp.sign_on_url
        yield OidcRpUnderAttack(
            name=sp.name, login_url=lambda _provider: login, callback_url=sp.redirect_uri,
            probe=IdentityProbe(sp.landing_url or login, names_xpath(*names), names=names),
            providers=(ProviderHandle(target.name, provider, sp.client_id),), user=me, victim=victim,
            session_cookies=(rule.cookie,) if rule is not None and rule.cookie else (),
            detect_sign_in=rule is not None, sign_in_rule=rule,
        )
