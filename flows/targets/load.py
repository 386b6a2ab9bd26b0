"""Read a targets YAML file into :class:`~sso_harness.targets.target.Target` values.

Secrets come only from the environment: a ``password``, ``client_secret``
or ``totp_secret`` must be written as ``${VAR}``; a literal value is refused,
so a targets file can be committed safely. ``${VAR}`` works in any string.
In a target with ``embedded_mocks: true`` a secret may instead be a
``{mock.NAME}`` template, filled from the running mock fleet.

The whole file is checked before anything runs, and every problem found is
reported at once (:class:`TargetError` carries them all). Each problem has a
stable code (``targets.unknown_key``, ``targets.bad_value``...), the file, the
line and the key path, e.g. ``targets.unknown_key at targets.yaml:5:
targets.corp.sps.wiki.flwos: unknown key 'flwos' (did you mean 'flows'?)``.
Loading one target (``only=NAME``) looks at that target alone (and at the
file's shape): another target's problems, an unset ``${VAR}`` among them, do
not stop it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import yaml

from sso_harness.protocols.secrets import remember_secret
from sso_harness.targets.lines import key_lines, line_of
from sso_harness.targets.target import (
    DRIVERS,
    FLOW_KINDS,
    RESPONSE_MODES,
    STEP_KINDS,
    TOKEN_AUTH_METHODS,
    Expectations,
    FlowOverride,
    IdpSpec,
    JourneyStep,
    LoginSpec,
    SignedInSpec,
    SpSpec,
    Steps,
    Target,
    TestUser,
)

__all__ = [
    "TargetError", "TargetProblem", "load_targets", "load_target", "parse_targets", "SECRET_KEYS",
    "UNREADABLE", "NOT_YAML", "UNKNOWN_KEY", "MISSING_KEY", "BAD_VALUE", "BAD_URL", "LITERAL_SECRET", "ENV_UNSET",
    "UNKNOWN_TARGET", "IDP_KINDS",
]

SECRET_KEYS = frozenset({"password", "client_secret", "totp_secret"})
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MOCK = re.compile(r"\{mock\.[A-Za-z0-9_.@-]+\}")

UNREADABLE: Final = "targets.unreadable"
NOT_YAML: Final = "targets.not_yaml"
UNKNOWN_KEY: Final = "targets.unknown_key"
MISSING_KEY: Final = "targets.missing_key"
BAD_VALUE: Final = "targets.bad_value"
LITERAL_SECRET: Final = "targets.literal_secret"
ENV_UNSET: Final = "targets.env_unset"
UNKNOWN_TARGET: Final = "targets.unknown_target"
BAD_URL: Final = "targets.bad_url"

#: What ``idp.kind`` may say: it picks the reports' wording and the checks that know that IdP.
IDP_KINDS: tuple[str, ...] = ("entra", "jumpcloud", "okta", "simplesamlphp", "oidc-provider", "generic", "mock")
#: Keys whose value is an absolute http(s) URL (once ``${VAR}`` is filled; templates are checked when filled).
_URL_KEYS = frozenset({
    "acs", "sign_on_url", "landing_url", "launch_url", "idp_metadata_url", "logout_url", "redirect_uri", "metadata_url",
    "issuer", "sign_in_url", "wsfed_passive_url", "wsfed_active_url", "authorize_url", "token_url", "jwks_uri",
    "discovery_url", "probe_url",
})
_TEMPLATE = re.compile(r"\{(user|mock)\.[^}]*\}")

_TARGET_KEYS = ("description", "idp", "sps", "users", "attack_allowed", "allow_egress", "embedded_mocks")
_IDP_KEYS = ("kind", "login", *(f.name for f in fields(IdpSpec) if f.name not in ("kind", "login")))
_LOGIN_KEYS = tuple(f.name for f in fields(LoginSpec))
_SP_KEYS = ("entity_id", "acs", "sign_on_url", "landing_url", "launch_url", "idp_metadata_url", "logout_url", "flows",
            "expect", "client_id", "client_secret", "scopes", "redirect_uri", "pkce", "response_mode", "token_auth",
            "signed_in", "force_authn", "steps")
_EXPECT_KEYS = tuple(f.name for f in fields(Expectations))
_SIGNED_IN_KEYS = tuple(f.name for f in fields(SignedInSpec))
_PHASES = ("before_sign_in", "after_sign_in")
_STEP_FIELDS = {"fill": ("selector", "value", "env", "user"), "select": ("selector", "value"), "assert_text": ("selector", "text")}

@dataclass(frozen=True)
class TargetProblem:
    """One thing wrong in a targets file: a stable ``code``, the file, the key path, and what."""

    code: str
    source: str
    where: str
    what: str
    target: str | None = None  # the target it belongs to, None for the file as a whole
    line: int | None = None  # 1-based line in the file, when the YAML gives one

    def __str__(self) -> str:
        at = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{self.code} at {at}: {self.where}: {self.what}"


class TargetError(ValueError):
    """Every problem of a targets file; ``problems`` holds them, ``code`` is the first one's code."""

    def __init__(self, problems: Iterable[TargetProblem]) -> None:
        self.problems = tuple(problems)
        self.code = self.problems[0].code if self.problems else BAD_VALUE
        lines = [str(p) for p in self.problems]
        head = f"{len(lines)} problems in the targets file:\n  " if len(lines) > 1 else ""
        super().__init__(head + "\n  ".join(lines))


def load_targets(path: str | Path, *, env: Mapping[str, str] | None = None, only: str | None = None) -> dict[str, Target]:
    """The file's targets by name (with ``only``, just that one, which must exist)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise TargetError([TargetProblem(UNREADABLE, str(p), "file", f"cannot read: {exc.strerror or exc}")]) from None
    return parse_targets(text, source=str(p), env=env, only=only)


def load_target(path: str | Path, name: str, *, env: Mapping[str, str] | None = None) -> Target:
    """One target of the file; other targets' unset variables do not matter."""
    return load_targets(path, env=env, only=name)[name]


def parse_targets(text: str, *, source: str = "targets", env: Mapping[str, str] | None = None,
                  only: str | None = None) -> dict[str, Target]:
    """Every target of ``text`` (``source`` names it in problems); raises :class:`TargetError` with all problems.

    ``env`` replaces ``os.environ`` for ``${VAR}``. With ``only``, just that
    target is returned, and unset variables elsewhere are not problems.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise TargetError([TargetProblem(NOT_YAML, source, "file", f"not valid YAML: {exc}", line=line)]) from None
    reader = _Reader(source, os.environ if env is None else env)
    top = reader.mapping(data, "top level", required=True)
    reader.known(top, "", ("targets",))
    # An empty file is already reported as "expected a mapping"; say nothing more about it.
    body = reader.mapping(top.get("targets"), "targets", required=True) if data is not None else {}
    if only is not None and only not in body:
        reader.problem(UNKNOWN_TARGET, "targets", f"no target named {only!r} (the file has: {', '.join(sorted(body)) or 'none'})")
    out: dict[str, Target] = {}
    for name, value in body.items():
        reader.current = str(name)
        out[str(name)] = reader.target(str(name), value)
    problems = [p for p in reader.problems if only is None or p.target in (None, only)]
    if problems:
        raise TargetError(locate(problems, text))
    return {only: out[only]} if only is not None else out


def locate(problems: Iterable[TargetProblem], text: str) -> list[TargetProblem]:
    """``problems`` with their lines filled from ``text`` (those with a line keep it), in file order.

    The sort is stable: problems of one line keep the order they were found in,
    and those of the file as a whole (no line) come first.
    """
    lines = key_lines(text)
    located = [p if p.line is not None else replace(p, line=line_of(lines, p.where)) for p in problems]
    return sorted(located, key=lambda p: p.line or 0)


def _claim_text(value: Any) -> Any:
    """A claim value as written: YAML's true/false become the JSON words, so ``email_verified: true`` reads as "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_claim_text(v) for v in value]
    return value


class _Reader:
    """Reads values leniently, collecting every problem; returns a usable default where a value is wrong."""

    def __init__(self, source: str, env: Mapping[str, str]) -> None:
        self.source, self.env = source, env
        self.problems: list[TargetProblem] = []
        self.current: str | None = None
        self.embedded = False

    def problem(self, code: str, where: str, what: str) -> None:
        self.problems.append(TargetProblem(code, self.source, where or "top level", what, self.current))

    def known(self, m: Mapping[str, Any], where: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in m:
            if str(key) not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(allowed)}"
                self.problem(UNKNOWN_KEY, f"{where}.{key}" if where else str(key), f"unknown key {key!r}{hint}")

    def mapping(self, value: Any, where: str, *, required: bool = False) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.problem(MISSING_KEY if value is None else BAD_VALUE, where,
                         "expected a mapping, got nothing" if value is None else f"expected a mapping, got {type(value).__name__}")
            return {}
        return value

    def string(self, value: Any, where: str, *, secret: bool = False) -> str | None:
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(BAD_VALUE, where, f"expected a string, got {type(value).__name__}")
            return None
        text = str(value)
        if _MOCK.search(text) and not self.embedded:
            self.problem(BAD_VALUE, where, "{mock.*} templates are only filled in a target with embedded_mocks: true")
        if secret and not (_VAR.fullmatch(text.strip()) or (self.embedded and _MOCK.fullmatch(text.strip()))):
            self.problem(LITERAL_SECRET, where, "secrets must come from the environment: write ${VARIABLE}, not the value")
            return None

        def sub(m: re.Match[str]) -> str:
            if m.group(1) not in self.env:
                self.problem(ENV_UNSET, where, f"environment variable {m.group(1)} is not set")
                # Kept as written: the value is not used (the problem stops the load), and a key that
                # names a variable is not reported missing as well.
                return m.group(0)
            return self.env[m.group(1)]

        before = len(self.problems)
        out = _VAR.sub(sub, text)
        filled = len(self.problems) == before  # every ${VAR} was set
        if secret and filled and not _MOCK.search(out):
            remember_secret(out)  # the redaction gate removes it from every artifact of this process
        if where.rsplit(".", 1)[-1] in _URL_KEYS and filled and not _TEMPLATE.search(out):
            self.url(out, where)
        return out

    def url(self, text: str, where: str) -> None:
        """An absolute http(s) URL with a host, or a ``targets.bad_url`` problem."""
        try:
            parts = urlsplit(text.strip())
            _ = parts.port  # raises on a port that is not a number
        except ValueError as exc:
            self.problem(BAD_URL, where, f"not a URL: {text!r} ({exc})")
            return
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.problem(BAD_URL, where, f"not an absolute http(s) URL: {text!r}")

    def boolean(self, value: Any, where: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(BAD_VALUE, where, f"expected true or false, got {value!r}")
            return default
        return value

    def integer(self, value: Any, where: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(BAD_VALUE, where, f"expected a whole number, got {value!r}")
            return None
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(BAD_VALUE, where, "expected a list of strings")
            return ()
        return tuple(self.string(v, f"{where}[{i}]") or "" for i, v in enumerate(value))

    def choice(self, value: Any, where: str, allowed: tuple[str, ...], what: str, default: str) -> str:
        text = self.string(value, where)
        if text is None:
            return default
        if text not in allowed:
            close = difflib.get_close_matches(text, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(BAD_VALUE, where, f"unknown {what} {text!r}{hint}; known: {', '.join(allowed)}")
            return default
        return text

    def login(self, value: Any, where: str) -> LoginSpec:
        m = self.mapping(value, where)
        self.known(m, where, _LOGIN_KEYS)
        for key in ("accept_consent", "skip_mfa_registration", "attended"):
            if m.get(key) and m.get("driver", "form") != "entra":
                self.problem(BAD_VALUE, f"{where}.{key}", "applies to driver entra only")
        return LoginSpec(
            driver=self.choice(m.get("driver", "form"), f"{where}.driver", DRIVERS, "driver", "form"),
            username_selector=self.string(m.get("username_selector"), f"{where}.username_selector"),
            password_selector=self.string(m.get("password_selector"), f"{where}.password_selector"),
            submit_selector=self.string(m.get("submit_selector"), f"{where}.submit_selector"),
            totp_secret=self.string(m.get("totp_secret"), f"{where}.totp_secret", secret=True),
            federated=self.login(m["federated"], f"{where}.federated") if m.get("federated") else None,
            stay_signed_in=self.boolean(m.get("stay_signed_in"), f"{where}.stay_signed_in", False),
            accept_consent=self.boolean(m.get("accept_consent"), f"{where}.accept_consent", False),
            skip_mfa_registration=self.boolean(m.get("skip_mfa_registration"), f"{where}.skip_mfa_registration", False),
            attended=self.boolean(m.get("attended"), f"{where}.attended", False),
        )

    def expectation_fields(self, m: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The expectation keys written in ``m``, read and checked (a key given as null stays, as None)."""
        self.known(m, where, _EXPECT_KEYS)
        out: dict[str, Any] = {}
        for key in ("name_id", "name_id_format", "relay_state", "landing_url"):
            if key in m:
                out[key] = self.string(m[key], f"{where}.{key}")
        if "claims" in m:
            claims_raw = self.mapping(m["claims"], f"{where}.claims")
            out["claims"] = {str(k): list(self.strings(v, f"{where}.claims.{k}")) for k, v in claims_raw.items()}
        if "signature" in m:
            out["signature"] = self.choice(m["signature"], f"{where}.signature", ("trusted", "any"), "signature check", "trusted")
        if "cert_expiry_days" in m:
            days = self.integer(m["cert_expiry_days"], f"{where}.cert_expiry_days")
            out["cert_expiry_days"] = 30 if days is None else days
        for key in ("id_token", "access_token", "userinfo"):
            if key in m:
                raw = self.mapping(m[key], f"{where}.{key}")
                out[key] = {str(k): list(self.strings(_claim_text(v), f"{where}.{key}.{k}")) for k, v in raw.items()}
        if "scopes" in m:
            out["scopes"] = self.strings(m["scopes"], f"{where}.scopes")
        if "refresh_token" in m:
            out["refresh_token"] = None if m["refresh_token"] is None else self.boolean(m["refresh_token"], f"{where}.refresh_token", True)
        for key in ("error", "error_description"):
            if key in m:
                out[key] = self.string(m[key], f"{where}.{key}")
        return out

    def expectations(self, value: Any, where: str) -> Expectations:
        given = self.expectation_fields(self.mapping(value, where), where)
        return Expectations(**given)

    def signed_in(self, value: Any, where: str) -> SignedInSpec | None:
        if value is None:
            return None
        m = self.mapping(value, where)
        self.known(m, where, _SIGNED_IN_KEYS)
        return SignedInSpec(
            url=self.string(m.get("url"), f"{where}.url"),
            selector=self.string(m.get("selector"), f"{where}.selector"),
            text=self.string(m.get("text"), f"{where}.text"),
            cookie=self.string(m.get("cookie"), f"{where}.cookie"),
            probe_url=self.string(m.get("probe_url"), f"{where}.probe_url"),
            probe_status=self.integer(m.get("probe_status"), f"{where}.probe_status"),
            probe_text=self.string(m.get("probe_text"), f"{where}.probe_text"),
        )

    def step(self, value: Any, where: str) -> JourneyStep | None:
        if not isinstance(value, dict) or len(value) != 1:
            self.problem(BAD_VALUE, where, f"a step is one of {', '.join(STEP_KINDS)} with its argument, e.g. {{click: 'button#next'}}")
            return None
        ((kind, arg),) = value.items()
        if kind not in STEP_KINDS:
            self.known(value, where, STEP_KINDS)
            return None
        here = f"{where}.{kind}"
        if kind in ("click", "wait_for_selector"):
            selector = self.string(arg, here)
            if not selector:
                self.problem(BAD_VALUE, here, "expected a selector")
            return JourneyStep(kind, selector=selector)
        if kind == "wait_for_url":
            url = self.string(arg, here)
            if not url:
                self.problem(BAD_VALUE, here, "expected a URL glob")
            return JourneyStep(kind, url=url)
        m = self.mapping(arg, here, required=True)
        allowed = _STEP_FIELDS[str(kind)]
        self.known(m, here, allowed)
        got = {k: self.string(m.get(k), f"{here}.{k}") for k in allowed}
        if not got["selector"]:
            self.problem(MISSING_KEY, f"{here}.selector", "a selector is needed")
        if kind == "fill" and sum(got[k] is not None for k in ("value", "env", "user")) != 1:
            self.problem(BAD_VALUE, here, "give exactly one of value, env (a variable's name) or user (a test user's field)")
        if kind == "select" and got["value"] is None:
            self.problem(MISSING_KEY, f"{here}.value", "the option's value is needed")
        if kind == "assert_text" and got["text"] is None:
            self.problem(MISSING_KEY, f"{here}.text", "the text to find is needed")
        return JourneyStep(kind, **got)

    def phase(self, value: Any, where: str) -> tuple[JourneyStep, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(BAD_VALUE, where, "expected a list of steps")
            return ()
        return tuple(s for i, v in enumerate(value) if (s := self.step(v, f"{where}[{i}]")) is not None)

    def steps(self, value: Any, where: str) -> tuple[dict[str, tuple[JourneyStep, ...]], Steps]:
        m = self.mapping(value, where)
        self.known(m, where, _PHASES)
        given = {p: self.phase(m[p], f"{where}.{p}") for p in _PHASES if p in m}
        return given, Steps(**given)

    def flow(self, value: Any, where: str) -> tuple[str | None, FlowOverride | None]:
        if isinstance(value, dict):
            self.known(value, where, ("kind", "expect", "steps", "force_authn"))
            kind = self.choice(value.get("kind"), f"{where}.kind", FLOW_KINDS, "flow", "")
            if "kind" not in value:
                self.problem(MISSING_KEY, f"{where}.kind", f"a flow needs its kind: one of {', '.join(FLOW_KINDS)}")
            expect = self.expectation_fields(self.mapping(value.get("expect"), f"{where}.expect"), f"{where}.expect")
            given, _ = self.steps(value.get("steps"), f"{where}.steps")
            force = self.boolean(value["force_authn"], f"{where}.force_authn", False) if "force_authn" in value else None
            override = FlowOverride(expect=expect, before_sign_in=given.get("before_sign_in"), after_sign_in=given.get("after_sign_in"),
                                    force_authn=force)
            return kind or None, override
        kind = self.choice(value, where, FLOW_KINDS, "flow", "")
        return kind or None, None

    def sp(self, name: str, value: Any, where: str) -> SpSpec:
        m = self.mapping(value, where)
        self.known(m, where, _SP_KEYS)
        raw_flows = m.get("flows", ["sp_initiated"])
        if isinstance(raw_flows, (str, dict)):
            raw_flows = [raw_flows]
        if not isinstance(raw_flows, list):
            self.problem(BAD_VALUE, f"{where}.flows", "expected a list of flows")
            raw_flows = []
        flows: list[str] = []
        overrides: dict[str, FlowOverride] = {}
        for i, item in enumerate(raw_flows):
            kind, override = self.flow(item, f"{where}.flows[{i}]")
            if kind is None:
                continue
            if kind in flows:
                self.problem(BAD_VALUE, f"{where}.flows[{i}]", f"flow {kind!r} is listed twice")
                continue
            flows.append(kind)
            if override is not None:
                overrides[kind] = override
        _, steps = self.steps(m.get("steps"), f"{where}.steps")
        return SpSpec(
            name=name,
            entity_id=self.string(m.get("entity_id"), f"{where}.entity_id"),
            acs=self.string(m.get("acs"), f"{where}.acs"),
            sign_on_url=self.string(m.get("sign_on_url"), f"{where}.sign_on_url"),
            landing_url=self.string(m.get("landing_url"), f"{where}.landing_url"),
            launch_url=self.string(m.get("launch_url"), f"{where}.launch_url"),
            idp_metadata_url=self.string(m.get("idp_metadata_url"), f"{where}.idp_metadata_url"),
            logout_url=self.string(m.get("logout_url"), f"{where}.logout_url"),
            flows=tuple(flows),
            expect=self.expectations(m.get("expect"), f"{where}.expect"),
            client_id=self.string(m.get("client_id"), f"{where}.client_id"),
            client_secret=self.string(m.get("client_secret"), f"{where}.client_secret", secret=True),
            scopes=self.strings(m.get("scopes"), f"{where}.scopes"),
            redirect_uri=self.string(m.get("redirect_uri"), f"{where}.redirect_uri"),
            pkce=self.boolean(m.get("pkce"), f"{where}.pkce", True),
            response_mode=(self.choice(m["response_mode"], f"{where}.response_mode", RESPONSE_MODES, "response_mode", "query")
                           if m.get("response_mode") is not None else None),
            token_auth=self.choice(m.get("token_auth", "client_secret_basic"), f"{where}.token_auth", TOKEN_AUTH_METHODS,
                                   "client authentication", "client_secret_basic"),
            signed_in=self.signed_in(m.get("signed_in"), f"{where}.signed_in"),
            force_authn=self.boolean(m.get("force_authn"), f"{where}.force_authn", False),
            steps=steps,
            flow_overrides=overrides,
        )

    def user(self, value: Any, where: str) -> TestUser:
        m = self.mapping(value, where, required=True)
        if m and ("username" not in m or "password" not in m):
            self.problem(MISSING_KEY, where, "a test user needs username and password (password as ${VARIABLE})")
        extra: dict[str, str] = {}
        for k, v in m.items():
            if k in ("username", "password"):
                continue
            if k in SECRET_KEYS:
                self.problem(LITERAL_SECRET, f"{where}.{k}", "secrets belong in password only")
                continue
            extra[str(k)] = self.string(v, f"{where}.{k}") or ""
        return TestUser(
            username=self.string(m.get("username"), f"{where}.username") or "",
            password=self.string(m.get("password"), f"{where}.password", secret=True) or "",
            attributes=extra,
        )

    def idp(self, value: Any, where: str) -> IdpSpec:
        m = self.mapping(value, where, required=True)
        self.known(m, where, _IDP_KEYS)
        urls: dict[str, Any] = {k: self.string(m.get(k), f"{where}.{k}") for k in _IDP_KEYS if k not in ("kind", "login", "signing_certs")}
        return IdpSpec(
            kind=self.choice(m.get("kind", "generic"), f"{where}.kind", IDP_KINDS, "IdP kind", "generic"),
            login=self.login(m.get("login"), f"{where}.login"),
            signing_certs=self.strings(m.get("signing_certs"), f"{where}.signing_certs"),
            **urls,
        )

    def target(self, name: str, value: Any) -> Target:
        where = f"targets.{name}"
        m = self.mapping(value, where, required=True)
        self.known(m, where, _TARGET_KEYS)
        self.embedded = self.boolean(m.get("embedded_mocks"), f"{where}.embedded_mocks", False)
        idp = self.idp(m.get("idp"), f"{where}.idp")
        sps_m = self.mapping(m.get("sps"), f"{where}.sps")
        users = m.get("users") or []
        if not isinstance(users, list):
            self.problem(BAD_VALUE, f"{where}.users", "expected a list")
            users = []
        sps = tuple(self.sp(str(n), v, f"{where}.sps.{n}") for n, v in sps_m.items())
        for sp in sps:
            if "oidc_client" in sp.flows:
                if not sp.client_id:
                    self.problem(MISSING_KEY, f"{where}.sps.{sp.name}.client_id", "the oidc_client flow needs the client_id the harness signs in as")
                if not (idp.issuer or idp.discovery_url):
                    self.problem(MISSING_KEY, f"{where}.idp.issuer", "the oidc_client flow needs idp.issuer (or idp.discovery_url) to find the provider")
        return Target(
            name=name,
            idp=idp,
            sps=sps,
            users=tuple(self.user(u, f"{where}.users[{i}]") for i, u in enumerate(users)),
            attack_allowed=self.boolean(m.get("attack_allowed"), f"{where}.attack_allowed", False),
            allow_egress=self.boolean(m.get("allow_egress"), f"{where}.allow_egress", True),
            description=self.string(m.get("description", ""), f"{where}.description") or "",
            embedded_mocks=self.embedded,
        )

