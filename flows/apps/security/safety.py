"""Who may be attacked: loopback, or a target its owner marked ``attack_allowed: true``.

The battery sends forged logins, XXE probes and replayed assertions. That
is only acceptable against systems the user owns and has said so about.
Everything the battery would send traffic to is checked: a target whose
URLs are all on loopback (the mock fleet, local peers) is always allowed;
anything else needs ``attack_allowed: true`` in the targets file. Entity
IDs are names, not addresses, and are not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from sso_harness.capture.scope import is_loopback_host
from sso_harness.targets import Target

__all__ = ["AttackRefused", "check_attack_allowed", "target_urls", "remote_hosts"]


class AttackRefused(PermissionError):
    """The battery will not run against this target; the message says why and how to allow it."""


def target_urls(target: Target) -> list[str]:
    """Every URL of ``target`` the battery (or its normal login) would contact."""
    urls = [target.idp.metadata_url, target.idp.launch_url, target.idp.issuer]
    for sp in target.sps:
        urls += [sp.acs, sp.sign_on_url, sp.landing_url, sp.launch_url, sp.idp_metadata_url, sp.logout_url]
    return [u for u in urls if u]


def remote_hosts(urls: Iterable[str]) -> list[str]:
    """Hosts among ``urls`` that are not loopback, in first-seen order."""
    found: list[str] = []
    for url in urls:
        host = urlsplit(url).hostname or ""
        if not is_loopback_host(host) and host not in found:
            found.append(host or url)
    return found


def check_attack_allowed(name: str, urls: Iterable[str], attack_allowed: bool) -> None:
    """Raise :class:`AttackRefused` unless every URL is loopback or the target allows attacks."""
    remote = remote_hosts(urls)
    if remote and not attack_allowed:
        raise AttackRefused(
            f"refusing to attack target {name!r}: {', '.join(remote)} "
            f"{'is' if len(remote) == 1 else 'are'} not on loopback and the target is not marked "
            f"'attack_allowed: true' (set targets.{name}.attack_allowed in the targets file, "
            "only for systems you own)"
        )
