"""The fleet's configuration file (``sso-harness mocks serve --config FILE``).

JSON (``.json``), TOML (``.toml``) or YAML (``.yaml``/``.yml``, read
with PyYAML's ``safe_load``). Every key is optional;
without a file the fleet is the seed scenario of :mod:`sso_harness.mocks.scenario`
on ephemeral ports. Unknown keys are errors, so a typo cannot pass silently.

Keys::

    host             listen address (default "127.0.0.1"; the mocks are for loopback)
    ports            {mock: port}; mocks: entra, jumpcloud, atlassian, alibaba, mitel,
                     jira, idp, sp (the generic pair). 0 or absent = ephemeral
    mocks            list of mocks to start (default: all of them)
    outbound_proxy   "http://127.0.0.1:PORT": the mocks' own back-channel calls
                     (Jira's token request) go through it, e.g. a capture proxy
    keys_dir         folder for signing keys; existing key files are reused, so
                     certificates survive restarts (default: fresh keys per start)
    tenant           {tenant_id, display_name, domains: [..]} of the main tenant
    users            [{upn, password, display_name, given_name, surname, mail,
                     object_id, groups: [..], totp_secret, immutable_id,
                     screens: [..]}] added to (or, same UPN, replacing users of)
                     the main tenant. ``screens`` scripts the user's sign-in
                     screens (as ``POST /_admin/screens`` does, but kept across
                     resets), e.g. [password, method_choice, totp, kmsi]; names
                     are those of sso_harness.mocks.entra.flow.SCREEN_STEPS
    apps             {atlassian|alibaba|mitel: {<EnterpriseApp field>: value}}:
                     name_id_source, name_id_format, signing ("assertion" |
                     "response" | "both"), signing_algorithm ("sha256" | "sha1"),
                     assignment_required, sign_on_url, relay_state, logout_url,
                     reply_urls, identifiers, group_claims, verification_certificates
                     (key names whose certificates must sign AuthnRequests)
    registrations    {jira: {<AppRegistration field>: value}}: admin_consent,
                     multi_tenant, assignment_required, api_permissions,
                     id_tokens_enabled, group_claims (ID tokens carry groups,
                     or the overage claims beyond 200)
    jira             {scopes: "imap-pop" | "imap-pop-gcc" | "graph" | [..],
                     endpoints: "common" | "tenant", client_secret: "value" |
                     "secret-id" (the guide's known mistake) | "<literal>"}
    alibaba          {sso_enabled: true, upload_idp_metadata: true}
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sso_harness.mocks.entra.flow import ScriptError, check_script

__all__ = ["FleetConfig", "ConfigError", "load_config", "MOCK_NAMES"]

MOCK_NAMES = ("entra", "jumpcloud", "atlassian", "alibaba", "mitel", "jira", "idp", "sp")
_TOP = {"host", "ports", "mocks", "outbound_proxy", "keys_dir", "tenant", "users", "apps", "registrations", "jira", "alibaba"}
_TENANT = {"tenant_id", "display_name", "domains"}
_USER = {"upn", "password", "display_name", "given_name", "surname", "mail", "object_id", "groups", "totp_secret", "immutable_id", "screens"}
_APPS = {"atlassian", "alibaba", "mitel"}
_APP_FIELDS = {
    "name_id_source", "name_id_format", "signing", "signing_algorithm", "assignment_required", "sign_on_url",
    "relay_state", "logout_url", "reply_urls", "identifiers", "group_claims", "display_name", "verification_certificates",
}
_REGISTRATION_FIELDS = {"admin_consent", "multi_tenant", "assignment_required", "api_permissions", "display_name", "id_tokens_enabled", "group_claims"}
_JIRA = {"scopes", "endpoints", "client_secret"}
_ALIBABA = {"sso_enabled", "upload_idp_metadata"}


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the key.

    ``code`` is what code matches on: ``mocks.config`` for a malformed file or
    key, ``entra.script`` for a user's ``screens`` list that names no real screen.
    """

    def __init__(self, message: str, code: str = "mocks.config") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FleetConfig:
    host: str = "127.0.0.1"
    ports: Mapping[str, int] = field(default_factory=dict)
    mocks: tuple[str, ...] = MOCK_NAMES
    outbound_proxy: str | None = None
    keys_dir: str | None = None
    tenant: Mapping[str, Any] = field(default_factory=dict)
    users: tuple[Mapping[str, Any], ...] = ()
    apps: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    registrations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    jira: Mapping[str, Any] = field(default_factory=dict)
    alibaba: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "FleetConfig":
        if not isinstance(data, Mapping):
            raise ConfigError("the configuration must be a mapping of keys")
        _only(data, _TOP, "")
        ports = _mapping(data.get("ports", {}), "ports")
        for name, port in ports.items():
            if name not in MOCK_NAMES:
                raise ConfigError(f"ports.{name}: unknown mock; known: {', '.join(MOCK_NAMES)}")
            if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
                raise ConfigError(f"ports.{name}: a port number 0-65535")
        mocks = tuple(data.get("mocks", MOCK_NAMES))
        for name in mocks:
            if name not in MOCK_NAMES:
                raise ConfigError(f"mocks: unknown mock {name!r}")
        if "entra" not in mocks and any(m in mocks for m in ("atlassian", "alibaba", "mitel", "jira")):
            raise ConfigError("mocks: the SP emulations are wired to the Entra-like IdP; keep 'entra'")
        proxy = data.get("outbound_proxy")
        if proxy is not None and not (isinstance(proxy, str) and proxy.startswith("http://")):
            raise ConfigError("outbound_proxy: an http:// URL such as http://127.0.0.1:8080")
        tenant = _mapping(data.get("tenant", {}), "tenant")
        _only(tenant, _TENANT, "tenant.")
        users = data.get("users", [])
        if not isinstance(users, list):
            raise ConfigError("users: a list of users")
        for i, user in enumerate(users):
            _only(_mapping(user, f"users[{i}]"), _USER, f"users[{i}].")
            if "upn" not in user:
                raise ConfigError(f"users[{i}]: upn is required")
            if "screens" in user:
                _check_screens(user["screens"], f"users[{i}].screens")
        apps = _mapping(data.get("apps", {}), "apps")
        for key, value in apps.items():
            if key not in _APPS:
                raise ConfigError(f"apps.{key}: unknown app; known: {', '.join(sorted(_APPS))}")
            _only(_mapping(value, f"apps.{key}"), _APP_FIELDS, f"apps.{key}.")
        regs = _mapping(data.get("registrations", {}), "registrations")
        for key, value in regs.items():
            if key != "jira":
                raise ConfigError(f"registrations.{key}: unknown registration; known: jira")
            _only(_mapping(value, f"registrations.{key}"), _REGISTRATION_FIELDS, f"registrations.{key}.")
        jira = _mapping(data.get("jira", {}), "jira")
        _only(jira, _JIRA, "jira.")
        alibaba = _mapping(data.get("alibaba", {}), "alibaba")
        _only(alibaba, _ALIBABA, "alibaba.")
        return cls(
            host=str(data.get("host", "127.0.0.1")),
            ports=dict(ports),
            mocks=mocks,
            outbound_proxy=proxy,
            keys_dir=str(data["keys_dir"]) if data.get("keys_dir") else None,
            tenant=dict(tenant),
            users=tuple(dict(u) for u in users),
            apps={k: dict(v) for k, v in apps.items()},
            registrations={k: dict(v) for k, v in regs.items()},
            jira=dict(jira),
            alibaba=dict(alibaba),
        )


def _check_screens(screens: Any, where: str) -> None:
    try:
        check_script(screens)
    except ScriptError as exc:
        raise ConfigError(f"{where}: {exc}", code=ScriptError.code) from None


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping")
    return value


def _only(data: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{prefix}{unknown[0]}: unknown key; known: {', '.join(sorted(allowed))}")


def load_config(path: str | Path) -> FleetConfig:
    """Read a JSON, TOML or YAML configuration file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: {exc.strerror or exc}") from None
    suffix = p.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = json.loads(text or "{}")
    except Exception as exc:  # each parser raises its own error types
        raise ConfigError(f"{p}: not valid {suffix.lstrip('.') or 'JSON'}: {exc}") from None
    return FleetConfig.from_mapping(data)
