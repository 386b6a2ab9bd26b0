"""Plain-HTTP helpers for the mock tests: a cookie-keeping client that shows
each redirect, and an HTML form reader."""

from __future__ import annotations

import datetime as dt
import html
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urljoin

KEYS_DIR = Path(__file__).parent / "keys"
GOLDEN_DIR = Path(__file__).parent / "golden"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Page:
    url: str
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str | None:
        loc = self.headers.get("location")
        return urljoin(self.url, loc) if loc else None

    def forms(self) -> list["Form"]:
        parser = _FormParser(self.url)
        parser.feed(self.text)
        return parser.forms

    def form(self, index: int = 0) -> "Form":
        return self.forms()[index]


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    submits: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, value)


class _FormParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(urljoin(self.base, a.get("action") or self.base), (a.get("method") or "get").upper()))
        elif tag == "input" and self.forms:
            kind = a.get("type", "text")
            if kind == "submit":
                self.forms[-1].submits.append((a.get("id", ""), a.get("name", ""), a.get("value", "")))
            elif kind not in ("button", "checkbox") and a.get("name"):
                self.forms[-1].fields[a["name"]] = a.get("value", "")


class Walker:
    """A browser stand-in: keeps cookies, never follows redirects by itself."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def send(self, url: str, data: Mapping[str, str] | bytes | None = None, headers: Mapping[str, str] | None = None, method: str | None = None) -> Page:
        body = urlencode(data).encode() if isinstance(data, Mapping) else data
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
        try:
            r = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as err:
            r = err
        return Page(url, r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace"))

    def get(self, url: str) -> Page:
        return self.send(url)

    def follow(self, page: Page, limit: int = 10) -> Page:
        """Follow 3xx redirects (GET) until a page that is not one."""
        for _ in range(limit):
            if page.status not in (301, 302, 303, 307) or not page.location:
                return page
            page = self.get(page.location)
        raise AssertionError("too many redirects")

    def submit(self, form: Form, **values: str) -> Page:
        fields = {**form.fields, **values}
        if form.method == "GET":
            return self.get(form.action + ("&" if "?" in form.action else "?") + urlencode(fields))
        return self.send(form.action, fields)

    def auto_post(self, page: Page) -> Page:
        """What a browser does with a self-submitting form (SAML POST binding, form_post)."""
        return self.submit(page.form())


def entra_sign_in(w: Walker, page: Page, username: str, password: str, *, kmsi: str = "Yes", otc: str | None = None) -> Page:
    """Drive the Entra-like pages from the username page to the page after "Stay signed in?"."""
    assert "loginfmt" in page.text, page.text[:500]
    page = w.submit(page.form(), loginfmt=username)
    if page.status in (301, 302):
        return page  # federated domain: off to the federated IdP
    assert 'name="passwd"' in page.text, page.text[:800]
    page = w.submit(page.form(), passwd=password)
    if 'name="otc"' in page.text:
        assert otc is not None, "this user needs a verification code"
        page = w.submit(page.form(), otc=otc)
    if "KmsiDescription" in page.text:
        page = w.submit(page.form(), LoginOptions=kmsi)
    return page


def hidden_fields(page: Page) -> dict[str, str]:
    return {html.unescape(k): html.unescape(v) for k, v in page.form().fields.items()}




FIXED_NOW = dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.timezone.utc)
