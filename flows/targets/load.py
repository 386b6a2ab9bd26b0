"""Read a targets YAML file into :class:`~sso_harness.targets.target.Target` values.

Secrets come only from the environment: a ``password``, ``client_secret``
or ``totp_secret`` must be written as ``${VAR}``; a literal value is refused,
so a targets file can be committed safely. ``${VAR}`` works in any string;
an unset variable is an error naming it and where it is used.
Every error says the file, the key path and what was wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sso_harness.targets.target import (
    DRIVERS,
    FLOW_KINDS,
    Expectations,
    IdpSpec,
    LoginSpec,
    SpSpec,
    Target,
    TestUser,
)

__all__ = ["TargetError", "load_targets", "parse_targets", "SECRET_KEYS"]

SECRET_KEYS = frozenset({"password", "client_secret", "totp_secret"})
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class TargetError(ValueError):
    """A targets file problem, e.g. ``targets.yaml: targets.staging.users[0].password: ...``."""


def load_targets(path: str | Path, *, env: Mapping[str, str] | None = None) -> dict[str, Target]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise TargetError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return parse_targets(text, source=str(p), env=env)


def parse_targets(text: str, *, source: str = "targets", env: Mapping[str, str] | None = None) -> dict[str, Target]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TargetError(f"{source}: not valid YAML: {exc}") from None
    reader = _Reader(source, os.environ if env is None else env)
    targets = reader.mapping(data, "", required=True).get("targets")
    targets = reader.mapping(targets, "targets", required=True)
    return {name: reader.target(name, body) for name, body in targets.items()}


class _Reader:
    def __init__(self, source: str, env: Mapping[str, str]) -> None:
        self.source, self.env = source, env

    def fail(self, where: str, what: str) -> TargetError:
        return TargetError(f"{self.source}: {where}: {what}")

    def mapping(self, value: Any, where: str, *, required: bool = False) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(where or "top level", f"expected a mapping, got {type(value).__name__}")
        return value

    def string(self, value: Any, where: str, *, secret: bool = False) -> str | None:
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(where, f"expected a string, got {type(value).__name__}")
        text = str(value)
        if secret and not _VAR.fullmatch(text.strip()):
            raise self.fail(where, "secrets must come from the environment: write ${VARIABLE}, not the value")

        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in self.env:
                raise self.fail(where, f"environment variable {m.group(1)} is not set")
            return self.env[m.group(1)]

        return _VAR.sub(sub, text)

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(where, "expected a list of strings")
        return tuple(self.string(v, f"{where}[{i}]") or "" for i, v in enumerate(value))

    def login(self, value: Any, where: str) -> LoginSpec:
        m = self.mapping(value, where)
        driver = self.string(m.get("driver", "form"), f"{where}.driver") or "form"
        if driver not in DRIVERS:
            raise self.fail(f"{where}.driver", f"unknown driver {driver!r}; known: {', '.join(DRIVERS)}")
        return LoginSpec(
            driver=driver,
            username_selector=self.string(m.get("username_selector"), f"{where}.username_selector"),
            password_selector=self.string(m.get("password_selector"), f"{where}.password_selector"),
            submit_selector=self.string(m.get("submit_selector"), f"{where}.submit_selector"),
            totp_secret=self.string(m.get("totp_secret"), f"{where}.totp_secret", secret=True),
            federated=self.login(m["federated"], f"{where}.federated") if m.get("federated") else None,
            stay_signed_in=bool(m.get("stay_signed_in", False)),
        )

    def expectations(self, value: Any, where: str) -> Expectations:
        m = self.mapping(value, where)
        claims_raw = self.mapping(m.get("claims"), f"{where}.claims")
        claims = {k: list(self.strings(v, f"{where}.claims.{k}")) for k, v in claims_raw.items()}
        signature = m.get("signature", "trusted")
        if signature not in ("trusted", "any"):
            raise self.fail(f"{where}.signature", "expected 'trusted' or 'any'")
        return Expectations(
            name_id=self.string(m.get("name_id"), f"{where}.name_id"),
            name_id_format=self.string(m.get("name_id_format"), f"{where}.name_id_format"),
            claims=claims,
            relay_state=self.string(m.get("relay_state"), f"{where}.relay_state"),
            landing_url=self.string(m.get("landing_url"), f"{where}.landing_url"),
            signature=signature,
            cert_expiry_days=int(m.get("cert_expiry_days", 30)),
        )

    def sp(self, name: str, value: Any, where: str) -> SpSpec:
        m = self.mapping(value, where)
        flows = self.strings(m.get("flows", ["sp_initiated"]), f"{where}.flows")
        for i, flow in enumerate(flows):
            if flow not in FLOW_KINDS:
                raise self.fail(f"{where}.flows[{i}]", f"unknown flow {flow!r}; known: {', '.join(FLOW_KINDS)}")
        return SpSpec(
            name=name,
            entity_id=self.string(m.get("entity_id"), f"{where}.entity_id"),
            acs=self.string(m.get("acs"), f"{where}.acs"),
            sign_on_url=self.string(m.get("sign_on_url"), f"{where}.sign_on_url"),
            landing_url=self.string(m.get("landing_url"), f"{where}.landing_url"),
            launch_url=self.string(m.get("launch_url"), f"{where}.launch_url"),
            idp_metadata_url=self.string(m.get("idp_metadata_url"), f"{where}.idp_metadata_url"),
            logout_url=self.string(m.get("logout_url"), f"{where}.logout_url"),
            flows=flows,
            expect=self.expectations(m.get("expect"), f"{where}.expect"),
            client_id=self.string(m.get("client_id"), f"{where}.client_id"),
            client_secret=self.string(m.get("client_secret"), f"{where}.client_secret", secret=True),
            scopes=self.strings(m.get("scopes"), f"{where}.scopes"),
        )

    def user(self, value: Any, where: str) -> TestUser:
        m = self.mapping(value, where)
        if "username" not in m or "password" not in m:
            raise self.fail(where, "a test user needs username and password (password as ${VARIABLE})")
        extra = {k: self.string(v, f"{where}.{k}") or "" for k, v in m.items() if k not in ("username", "password")}
        for key in SECRET_KEYS & set(extra):
            raise self.fail(f"{where}.{key}", "secrets belong in password only")
        return TestUser(
            username=self.string(m["username"], f"{where}.username") or "",
            password=self.string(m["password"], f"{where}.password", secret=True) or "",
            attributes=extra,
        )

    def target(self, name: str, value: Any) -> Target:
        where = f"targets.{name}"
        m = self.mapping(value, where, required=True)
        idp_m = self.mapping(m.get("idp"), f"{where}.idp", required=True)
        idp = IdpSpec(
            kind=self.string(idp_m.get("kind", "generic"), f"{where}.idp.kind") or "generic",
            login=self.login(idp_m.get("login"), f"{where}.idp.login"),
            tenant=self.string(idp_m.get("tenant"), f"{where}.idp.tenant"),
            metadata_url=self.string(idp_m.get("metadata_url"), f"{where}.idp.metadata_url"),
            signing_certs=self.strings(idp_m.get("signing_certs"), f"{where}.idp.signing_certs"),
            launch_url=self.string(idp_m.get("launch_url"), f"{where}.idp.launch_url"),
            issuer=self.string(idp_m.get("issuer"), f"{where}.idp.issuer"),
        )
        sps_m = self.mapping(m.get("sps"), f"{where}.sps")
        users = m.get("users") or []
        if not isinstance(users, list):
            raise self.fail(f"{where}.users", "expected a list")
        return Target(
            name=name,
            idp=idp,
            sps=tuple(self.sp(n, v, f"{where}.sps.{n}") for n, v in sps_m.items()),
            users=tuple(self.user(u, f"{where}.users[{i}]") for i, u in enumerate(users)),
            attack_allowed=bool(m.get("attack_allowed", False)),
            allow_egress=bool(m.get("allow_egress", True)),
            description=self.string(m.get("description", ""), f"{where}.description") or "",
        )
