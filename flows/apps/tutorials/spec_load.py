"""Read a tutorial spec (YAML) into :class:`~sso_harness.apps.tutorials.spec.TutorialSpec`.

Every key is checked: unknown keys, missing ones, an unknown probe or
operator, a check naming a flow that does not exist. Each mistake is a
:class:`~sso_harness.apps.tutorials.errors.SpecError` naming the file and the key
path (``my-guide.yaml: checks[2].probe: ...``), so a spec author never has to
read this code. The format is described in ``docs/tutorial-spec.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sso_harness.apps.tutorials.errors import SpecError
from sso_harness.apps.tutorials.probes import PROBES
from sso_harness.apps.tutorials.spec import (
    OPERATORS,
    STEP_ACTIONS,
    Binding,
    CheckSpec,
    DriftSpec,
    FlowSpec,
    HintCondition,
    LoginSection,
    Step,
    TutorialSpec,
    UserRole,
)

__all__ = ["load_spec", "parse_spec"]

_TOP = {"name", "title", "summary", "guide", "sp", "idp", "trust", "users", "setup", "flows", "checks", "drifts", "signed_in"}
_SIGNED_IN = {"url", "selector", "text", "cookie", "probe_url", "probe_status", "probe_text"}
_LOGIN = {"driver", "username_selector", "password_selector", "submit_selector", "stay_signed_in", "federated", "ready", "error"}
_FLOW = {"id", "title", "kind", "start", "url", "click", "until", "sign_in", "user", "setup", "on_target", "method", "form", "timeout",
         "emulation_only", "redeem"}
_CHECK_PARAMS = {"to", "which", "name", "selector", "attribute", "hook", "with"}
_CHECK = {"claim", "flow", "probe", "hint", "hint_when", "emulation_only", *_CHECK_PARAMS, *OPERATORS}
_HINT_WHEN = {"probe", *_CHECK_PARAMS, *OPERATORS}
_STEP_KEYS = {
    "call": {"call", "args", "with"},
    "fault": {"fault", "app", "once", "set"},
    "admin": {"admin", "method", "path", "json", "body", "body_from"},
    "hook": {"hook", "with"},
}


def load_spec(path: str | Path) -> TutorialSpec:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return parse_spec(text, source=p.name)


def parse_spec(text: str, *, source: str = "spec") -> TutorialSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from None
    return _Reader(source).spec(data)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, what: str) -> SpecError:
        return SpecError(f"{self.source}: {where}: {what}")

    def mapping(self, value: Any, where: str, allowed: set[str] | None = None) -> Mapping[str, Any]:
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        if allowed is not None:
            unknown = sorted(set(value) - allowed)
            if unknown:
                raise self.fail(f"{where}.{unknown[0]}" if where else unknown[0], f"unknown key; known: {', '.join(sorted(allowed))}")
        return value

    def text(self, value: Any, where: str, *, required: bool = False) -> str:
        if value is None:
            if required:
                raise self.fail(where, "required")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(where, f"expected a string, got {type(value).__name__}")
        return str(value)

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, "expected a list")
        return value

    # -- sections ------------------------------------------------------------------------
    def spec(self, data: Any) -> TutorialSpec:
        top = self.mapping(data, "", _TOP)
        name = self.text(top.get("name"), "name", required=True)
        sp_raw = dict(self.mapping(top.get("sp"), "sp"))
        sp_name = self.text(sp_raw.pop("name", None), "sp.name", required=True)
        idp_raw = dict(self.mapping(top.get("idp"), "idp"))
        login = self.login(idp_raw.pop("login", None), "idp.login")
        flows = tuple(self.flow(f, f"flows[{i}]") for i, f in enumerate(self.items(top.get("flows"), "flows")))
        if not flows:
            raise self.fail("flows", "a spec needs at least one flow")
        ids = [f.id for f in flows]
        for i, flow_id in enumerate(ids):
            if ids.index(flow_id) != i:
                raise self.fail(f"flows[{i}].id", f"{flow_id!r} is used twice")
        users = {role: self.user(role, u, f"users.{role}") for role, u in self.mapping(top.get("users"), "users").items()}
        for i, f in enumerate(flows):
            if f.kind == "browser" and f.sign_in and f.user not in users:
                raise self.fail(f"flows[{i}].user", f"no user role {f.user!r} under users")
        checks = tuple(self.check(c, f"checks[{i}]", ids) for i, c in enumerate(self.items(top.get("checks"), "checks")))
        drifts = tuple(self.drift(d, f"drifts[{i}]", ids) for i, d in enumerate(self.items(top.get("drifts"), "drifts")))
        return TutorialSpec(
            name=name,
            title=self.text(top.get("title"), "title", required=True),
            summary=self.text(top.get("summary"), "summary"),
            guide=self.text(top.get("guide"), "guide"),
            sp_name=sp_name,
            sp={k: self.binding(v, f"sp.{k}") for k, v in sp_raw.items()},
            idp={k: self.binding(v, f"idp.{k}") for k, v in idp_raw.items()},
            login=login,
            users=users,
            flows=flows,
            checks=checks,
            trust=tuple(self.text(t, f"trust[{i}]") for i, t in enumerate(self.items(top.get("trust"), "trust"))),
            setup=self.steps(top.get("setup"), "setup"),
            drifts=drifts,
            signed_in={k: self.text(v, f"signed_in.{k}") for k, v in self.mapping(top.get("signed_in"), "signed_in", _SIGNED_IN).items()},
            source=self.source,
        )

    def binding(self, value: Any, where: str) -> Binding:
        if isinstance(value, Mapping):
            m = self.mapping(value, where, {"emulation", "target"})
            emulation, target = m.get("emulation"), m.get("target")
            return Binding(self.text(emulation, f"{where}.emulation") if emulation is not None else None,
                           self.text(target, f"{where}.target") if target is not None else None)
        return Binding(self.text(value, where, required=True))

    def login(self, value: Any, where: str) -> LoginSection:
        m = self.mapping(value, where, _LOGIN)
        federated = m.get("federated")
        opt = {k: (self.text(m[k], f"{where}.{k}") if m.get(k) is not None else None)
               for k in ("username_selector", "password_selector", "submit_selector", "ready", "error")}
        return LoginSection(
            driver=self.text(m.get("driver", "form"), f"{where}.driver"),
            stay_signed_in=bool(m.get("stay_signed_in", False)),
            federated=self.login(federated, f"{where}.federated") if federated is not None else None,
            **opt,
        )

    def user(self, role: str, value: Any, where: str) -> UserRole:
        m = self.mapping(value, where)
        attrs = {k: self.text(v, f"{where}.{k}") for k, v in m.items() if k not in ("username", "password")}
        return UserRole(role, self.text(m.get("username"), f"{where}.username", required=True),
                        self.text(m.get("password"), f"{where}.password"), attrs)

    def steps(self, value: Any, where: str) -> tuple[Step, ...]:
        return tuple(self.step(s, f"{where}[{i}]") for i, s in enumerate(self.items(value, where)))

    def step(self, value: Any, where: str) -> Step:
        m = self.mapping(value, where)
        actions = [a for a in STEP_ACTIONS if a in m]
        if len(actions) != 1:
            raise self.fail(where, f"a step has exactly one of: {', '.join(STEP_ACTIONS)}")
        action = actions[0]
        self.mapping(m, where, _STEP_KEYS[action])
        target = self.text(m[action], f"{where}.{action}", required=True)
        if action == "call":
            if "." not in target:
                raise self.fail(f"{where}.call", "write mock.method, e.g. idp.configure_app")
            return Step("call", target, tuple(self.items(m.get("args"), f"{where}.args")), dict(self.mapping(m.get("with"), f"{where}.with")))
        if action == "fault":
            opts = {"app": m.get("app"), "once": bool(m.get("once", False))}
            return Step("fault", target, kwargs=dict(self.mapping(m.get("set"), f"{where}.set")), options=opts)
        if action == "admin":
            if not str(m.get("path", "")).startswith("/"):
                raise self.fail(f"{where}.path", "an admin path such as /_admin/idp")
            opts = {k: m[k] for k in ("method", "path", "json", "body", "body_from") if k in m}
            return Step("admin", target, options=opts)
        if ":" not in target:
            raise self.fail(f"{where}.hook", "write module:function, e.g. my_guide:prepare_tenant")
        return Step("hook", target, kwargs=dict(self.mapping(m.get("with"), f"{where}.with")))

    def flow(self, value: Any, where: str) -> FlowSpec:
        m = self.mapping(value, where, _FLOW)
        kind = m.get("kind", "browser")
        if kind not in ("browser", "fetch"):
            raise self.fail(f"{where}.kind", "browser or fetch")
        start = m.get("url") if kind == "fetch" else m.get("start")
        on_target = m.get("on_target")
        if on_target not in (None, "run", "skip"):
            raise self.fail(f"{where}.on_target", "run or skip")
        form = {k: self.text(v, f"{where}.form.{k}") for k, v in self.mapping(m.get("form"), f"{where}.form").items()}
        return FlowSpec(
            id=self.text(m.get("id"), f"{where}.id", required=True),
            title=self.text(m.get("title"), f"{where}.title"),
            kind=kind,
            start=self.text(start, f"{where}.{'url' if kind == 'fetch' else 'start'}", required=True),
            click=self.text(m["click"], f"{where}.click") if m.get("click") else None,
            until=self.text(m["until"], f"{where}.until") if m.get("until") else None,
            sign_in=bool(m.get("sign_in", kind == "browser")),
            user=self.text(m.get("user", "main"), f"{where}.user"),
            setup=self.steps(m.get("setup"), f"{where}.setup"),
            on_target=on_target,
            emulation_only=self.reason(m.get("emulation_only"), f"{where}.emulation_only", flag=False),
            redeem=self.text(m["redeem"], f"{where}.redeem") if m.get("redeem") else None,
            method=self.text(m.get("method", "GET"), f"{where}.method").upper(),
            form=form,
            timeout_s=float(m.get("timeout", 15)),
        )

    def check(self, value: Any, where: str, flows: list[str]) -> CheckSpec:
        m = self.mapping(value, where, _CHECK)
        flow = self.text(m.get("flow"), f"{where}.flow", required=True)
        if flow not in flows:
            raise self.fail(f"{where}.flow", f"no flow {flow!r}; flows: {', '.join(flows)}")
        probe = self.text(m.get("probe"), f"{where}.probe", required=True)
        if probe not in PROBES:
            raise self.fail(f"{where}.probe", f"unknown probe {probe!r}; see docs/tutorial-spec.md for the list")
        ops = [o for o in OPERATORS if o in m]
        if len(ops) != 1:
            raise self.fail(where, f"a check has exactly one operator: {', '.join(OPERATORS)}")
        self.probe_params(probe, m, where)
        return CheckSpec(
            claim=self.text(m.get("claim"), f"{where}.claim", required=True),
            flow=flow,
            probe=probe,
            op=ops[0],
            expected=m[ops[0]],
            params={k: m[k] for k in _CHECK_PARAMS if k in m},
            hint=" ".join(self.text(m.get("hint"), f"{where}.hint").split()),
            emulation_only=bool(m.get("emulation_only", False)),
            by_design=self.reason(m.get("emulation_only"), f"{where}.emulation_only", flag=True),
            hint_when=self.hint_conditions(m.get("hint_when"), f"{where}.hint_when"),
        )

    def reason(self, value: Any, where: str, *, flag: bool) -> str:
        """``emulation_only``: a sentence saying why a real tenant can never show it (by design); on a
        check also ``true``, for one that reads the emulation's own pages or state."""
        if value is None or (flag and isinstance(value, bool)):
            return ""
        if not isinstance(value, str) or not value.strip():
            allowed = "true or a sentence saying why" if flag else "a sentence saying why"
            raise self.fail(where, f"expected {allowed} a real tenant can never show it")
        return " ".join(value.split())

    def probe_params(self, probe: str, m: Mapping[str, Any], where: str) -> None:
        missing = [p for p in PROBES[probe].needs if p not in m]
        if missing:
            raise self.fail(f"{where}.{missing[0]}", f"the probe {probe} needs {missing[0]}")

    def hint_conditions(self, value: Any, where: str) -> tuple[HintCondition, ...]:
        """``hint_when``: one condition, or a list of them (the hint applies when any holds)."""
        if value is None:
            return ()
        if isinstance(value, list):
            if not value:
                raise self.fail(where, "an empty list; leave hint_when out for a hint that always applies")
            return tuple(self.hint_when(v, f"{where}[{i}]") for i, v in enumerate(value))
        return (self.hint_when(value, where),)

    def hint_when(self, value: Any, where: str) -> HintCondition:
        m = self.mapping(value, where, _HINT_WHEN)
        probe = self.text(m.get("probe"), f"{where}.probe", required=True)
        if probe not in PROBES:
            raise self.fail(f"{where}.probe", f"unknown probe {probe!r}; see docs/tutorial-spec.md for the list")
        ops = [o for o in OPERATORS if o in m]
        if len(ops) != 1:
            raise self.fail(where, f"a condition has exactly one operator: {', '.join(OPERATORS)}")
        self.probe_params(probe, m, where)
        return HintCondition(probe, ops[0], m[ops[0]], {k: m[k] for k in _CHECK_PARAMS if k in m})

    def drift(self, value: Any, where: str, flows: list[str]) -> DriftSpec:
        m = self.mapping(value, where, {"name", "warning", "flows", "setup"})
        names = tuple(self.text(f, f"{where}.flows[{i}]") for i, f in enumerate(self.items(m.get("flows"), f"{where}.flows")))
        for i, f in enumerate(names):
            if f not in flows:
                raise self.fail(f"{where}.flows[{i}]", f"no flow {f!r}")
        return DriftSpec(
            name=self.text(m.get("name"), f"{where}.name", required=True),
            warning=" ".join(self.text(m.get("warning"), f"{where}.warning").split()),
            flows=names or tuple(flows),
            setup=self.steps(m.get("setup"), f"{where}.setup"),
        )
