"""A Playwright trace (``trace.zip``) with every known secret value scrubbed out.

A Playwright trace records actions with their arguments (the password a
``fill`` typed), DOM snapshots (hidden form fields carrying SAML Responses
and codes, input values), the network log (cookies, Authorization headers,
form bodies) and response bodies. Its members are text (JSON lines, HTML,
JSON) or images; every text member is scrubbed with the flow's
:class:`~sso_harness.report.html.scrub.SecretValues`. Images are kept: password
fields render as dots.

The trace also teaches its own secrets, so a value nobody registered is still
removed (:func:`trace_secrets`):

- a ``fill``/``type``/``press_sequentially`` action on a password or
  one-time-code field (found by the action's target element in its DOM
  snapshot, or by a selector naming such a field): its value;
- the value a DOM snapshot records for a password or one-time-code input;
- the network log's cookie values, ``Authorization`` credentials and secret
  URL/form/JSON parameters (the protocol names of
  :mod:`sso_harness.protocols.secrets`), and the response bodies' secrets
  (hidden ``ctx``/``flowToken`` inputs, Entra's ``$Config``, token JSON).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sso_harness.protocols.secrets import SecretBook
from sso_harness.report.html.scrub import SecretValues
from sso_harness.report.redact import REDACTED

__all__ = ["ScrubbedTrace", "scrub_playwright_trace", "trace_secrets", "is_playwright_trace", "scrub_json_text"]

_IMAGE_SUFFIXES = (".jpeg", ".jpg", ".png", ".webp", ".gif", ".woff", ".woff2", ".ttf")
_TYPING_METHODS = frozenset({"fill", "type", "pressSequentially", "press_sequentially"})
# A selector naming a credential field (when the DOM snapshot does not show the target element).
_SECRET_SELECTOR = re.compile(r"passw|passwd|pwd|passcode|\botc\b|otp|totp|one-time-code|i0118|idTxtBx_SAOTCC_OTC", re.I)
_VALUE_ATTR = "__playwright_value_"
_TARGET_ATTR = "__playwright_target__"


@dataclass(frozen=True)
class ScrubbedTrace:
    data: bytes
    replaced: int
    members: int


def _is_text(name: str, data: bytes) -> bool:
    if name.lower().endswith(_IMAGE_SUFFIXES) or b"\x00" in data[:4096]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def is_playwright_trace(names: list[str]) -> bool:
    """Whether a zip holding ``names`` is a Playwright trace (``trace.trace``, or ``N-trace.trace`` chunks)."""
    return any(n.endswith(".trace") and "/" not in n for n in names)


# -- learning the trace's own secrets ----------------------------------------------------
def _is_secret_input(attrs: Mapping[str, Any]) -> bool:
    kind = str(attrs.get("type", "")).lower()
    auto = str(attrs.get("autocomplete", "")).lower()
    return kind == "password" or "one-time-code" in auto


def _elements(node: Any) -> Iterator[tuple[Mapping[str, Any], Any]]:
    """``(attributes, node)`` of every element of a snapshot's ``html`` tree ([tag, {attrs}, *children])."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and len(item) >= 2 and isinstance(item[0], str) and isinstance(item[1], dict):
            yield item[1], item
            stack.extend(item[2:])
        elif isinstance(item, list):
            stack.extend(item)


def _json_lines(text: str) -> Iterator[dict[str, Any]]:
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict):
                yield event


def trace_secrets(members: Mapping[str, bytes]) -> set[str]:
    """The secret values a Playwright trace itself shows (see the module docstring); ``members``: name → bytes."""
    return _learn(members)[0]


def _learn(members: Mapping[str, bytes]) -> tuple[set[str], set[str]]:
    """The trace's secret values, and the callIds of its actions that typed into a credential field."""
    book = SecretBook(min_length=1)
    typed: dict[str, tuple[str, str]] = {}  # callId -> (selector, value)
    secret_targets: set[str] = set()
    for name, data in members.items():
        if not name.endswith(".trace"):
            continue
        for event in _json_lines(data.decode("utf-8", "replace")):
            kind = event.get("type")
            if kind == "before" and event.get("method") in _TYPING_METHODS:
                params = event.get("params") or {}
                value = params.get("value", params.get("text"))
                if isinstance(value, str):
                    typed[str(event.get("callId"))] = (str(params.get("selector", "")), value)
            elif kind == "frame-snapshot":
                snapshot = event.get("snapshot") or {}
                for attrs, _ in _elements(snapshot.get("html")):
                    if not _is_secret_input(attrs):
                        continue
                    value = attrs.get(_VALUE_ATTR)
                    if isinstance(value, str):
                        book.add(value)
                    if _TARGET_ATTR in attrs:
                        secret_targets.add(str(snapshot.get("callId")))
    secret_calls = set()
    for call_id, (selector, value) in typed.items():
        if call_id in secret_targets or _SECRET_SELECTOR.search(selector):
            book.add(value)
            secret_calls.add(call_id)
    for name, data in members.items():
        if name.endswith(".network"):
            _learn_network(book, data.decode("utf-8", "replace"), members)
        elif name.startswith("resources/") and _is_text(name, data):
            # Response bodies: a sign-in page's hidden ctx/flowToken and $Config, a token response's JSON.
            text = data.decode("utf-8")
            if text.lstrip()[:1] in ("{", "["):
                book.learn_json(text)
            elif "<" in text:
                book.learn_html(text)
    return set(book.values()), secret_calls


def _structural(event: Any, secret_calls: set[str]) -> int:
    """Mask, in place, what a trace event shows of a credential field whatever its value; the count masked."""
    if not isinstance(event, dict):
        return 0
    n = 0
    if event.get("type") == "before" and str(event.get("callId")) in secret_calls:
        params = event.get("params") or {}
        for key in ("value", "text"):
            if isinstance(params.get(key), str) and params[key] != REDACTED:
                params[key] = REDACTED
                n += 1
    elif event.get("type") == "log" and str(event.get("callId")) in secret_calls:
        message = str(event.get("message", ""))
        masked = re.sub(r'((?:fill|type|pressSequentially)\()"(?:[^"\\]|\\.)*"', rf'\1"{REDACTED}"', message)
        if masked != message:
            event["message"] = masked
            n += 1
    elif event.get("type") == "frame-snapshot":
        for attrs, _ in _elements((event.get("snapshot") or {}).get("html")):
            if _is_secret_input(attrs) and isinstance(attrs.get(_VALUE_ATTR), str) and attrs[_VALUE_ATTR] not in ("", REDACTED):
                attrs[_VALUE_ATTR] = REDACTED  # type: ignore[index]  # snapshot attributes are a plain dict
                n += 1
    return n


def _learn_network(book: SecretBook, text: str, members: Mapping[str, bytes]) -> None:
    for event in _json_lines(text):
        snapshot = event.get("snapshot") or {}
        for side in ("request", "response"):
            part = snapshot.get(side) or {}
            headers = [(str(h.get("name", "")), str(h.get("value", ""))) for h in part.get("headers") or [] if isinstance(h, dict)]
            book.learn_headers(headers)
            for cookie in part.get("cookies") or []:
                if isinstance(cookie, dict):
                    book.add(str(cookie.get("value", "")))
            if side == "request":
                book.learn_url(str(part.get("url", "")))
                post = part.get("postData") or {}
                body = post.get("text")
                if not isinstance(body, str) and isinstance(post.get("_sha1"), str):
                    body = members.get(f"resources/{post['_sha1']}", b"").decode("utf-8", "replace")
                if isinstance(body, str):
                    ctype = next((v for k, v in headers if k.lower() == "content-type"), str(post.get("mimeType", "")))
                    book.learn_body(body.encode("utf-8"), ctype)


# -- scrubbing -----------------------------------------------------------------------------
def scrub_json_text(text: str, secrets: SecretValues, *, secret_calls: set[str] | None = None) -> tuple[str, int]:
    """``text`` (JSON, or JSON lines) with known values replaced inside strings only (numbers stay numbers);
    a line that is not JSON is scrubbed as plain text. ``secret_calls``: a Playwright trace's actions
    that typed into credential fields (their values are masked whatever they are)."""
    total = 0
    out = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError:
            data = None
        if data is None or not isinstance(data, (dict, list)):
            scrubbed, n = secrets.scrub(line)
        else:
            counter = [_structural(data, secret_calls) if secret_calls is not None and secrets.enabled else 0]
            cleaned = _scrub_json(data, secrets, counter)
            n = counter[0]
            scrubbed = line if not n else json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")) + line[len(body):]
        total += n
        out.append(scrubbed)
    return "".join(out), total


def _scrub_json(data: Any, secrets: SecretValues, counter: list[int]) -> Any:
    if isinstance(data, str):
        text, n = secrets.scrub(data)
        counter[0] += n
        return text
    if isinstance(data, list):
        return [_scrub_json(v, secrets, counter) for v in data]
    if isinstance(data, dict):
        return {_scrub_json(k, secrets, counter): _scrub_json(v, secrets, counter) for k, v in data.items()}
    return data


def scrub_playwright_trace(data: bytes, secrets: SecretValues) -> ScrubbedTrace:
    """Rewrite ``data`` (a trace zip) with secrets replaced; non-text members are copied unchanged.

    ``secrets`` plus what the trace itself shows (:func:`trace_secrets`) are
    replaced. A member that is neither valid UTF-8 text nor an image is dropped
    rather than risk carrying a secret in an encoding the scrubber cannot see.
    """
    out = io.BytesIO()
    replaced = touched = 0
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = [i for i in src.infolist() if not i.is_dir()]
        members = {i.filename: src.read(i) for i in infos}
    secret_calls: set[str] = set()
    if secrets.enabled:
        values, secret_calls = _learn(members)
        secrets = SecretValues(dict(secrets.replacements), enabled=True)
        for value in values:
            secrets.add(value)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            body = members[info.filename]
            if _is_text(info.filename, body):
                text = body.decode("utf-8")
                if info.filename.endswith((".trace", ".network", ".json", ".stacks")):
                    text, n = scrub_json_text(text, secrets, secret_calls=secret_calls)
                else:
                    text, n = secrets.scrub(text)
                if n:
                    replaced += n
                    touched += 1
                dst.writestr(info.filename, text.encode("utf-8"))
            elif info.filename.lower().endswith(_IMAGE_SUFFIXES):
                dst.writestr(info.filename, body)
    return ScrubbedTrace(out.getvalue(), replaced, touched)
