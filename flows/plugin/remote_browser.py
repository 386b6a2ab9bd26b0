"""``--sso-browser-endpoint``: drive a browser that runs elsewhere instead of launching one (registered by :mod:`sso_harness.plugin.hooks`).

Two kinds of endpoint (:func:`endpoint_kind`):

* a Playwright browser server, ``ws://host:port/path`` (``launchServer`` of
  the ``playwright`` npm packages, or ``npx playwright run-server``): handed
  to pytest-playwright as its ``connect_options``, so its own ``browser``
  fixture connects instead of launching. The server's Playwright must speak
  the protocol of this Python package's driver (same minor version);
* a Chrome DevTools endpoint, ``http://host:9222`` or
  ``ws://host:9222/devtools/browser/<id>`` (any Chromium started with
  ``--remote-debugging-port``): connected with ``connect_over_cdp``.

The capture proxy is given to every context of the remote browser
(Playwright's context-level ``proxy``; Playwright sends loopback through it
too). The remote browser must reach the proxy's URL, which listens on this
machine's loopback: run the browser on this host (or in a container sharing
its network), or forward the port.

Trust: a local launch trusts this run's proxy CA through its SPKI pin. A
remote browser was launched by someone else, usually without that pin (a
``run-server`` started with ``--unsafe`` does take the pin from the launch
options pytest-playwright sends). :func:`trusts_proxy_ca` asks the browser
once per session; if it trusts the CA, TLS stays verified. Otherwise its
contexts get ``ignore_https_errors`` and the run says so once: the browser
then accepts the proxy's certificates unchecked, while the proxy still
verifies every upstream server's certificate itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserType

    from sso_harness.capture import CaptureProxy

__all__ = [
    "OPTION",
    "RemoteBrowserError",
    "RemoteTrustWarning",
    "add_options",
    "browser_context_args",
    "connect_options",
    "endpoint_kind",
    "launch_browser",
    "pytest_configure",
    "remote_context_args",
    "trusts_proxy_ca",
]

OPTION = "--sso-browser-endpoint"

EndpointKind = Literal["playwright", "cdp"]

#: Never resolved: the browser sends the name to the proxy, which answers it itself (blocked
#: egress) or fails upstream; either way the TLS handshake with the browser has happened.
PROBE_HOST = "sso-harness-trust-probe.invalid"

_PROBE_SCRIPT = "url => fetch(url, {mode: 'no-cors', cache: 'no-store'}).then(() => true, () => false)"


class RemoteBrowserError(ValueError):
    """A browser endpoint the harness cannot use; ``code`` says which kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RemoteTrustWarning(pytest.PytestWarning):
    """The remote browser does not trust the run's proxy CA, so its certificate errors are ignored."""


def add_options(group: pytest.OptionGroup) -> None:
    """Add ``--sso-browser-endpoint`` to the plugin's option group."""
    group.addoption(
        OPTION,
        default=None,
        metavar="URL",
        help="drive a running browser instead of launching one: ws://HOST:PORT/PATH (a Playwright browser "
        "server, launchServer or run-server) or http://HOST:PORT (a Chromium DevTools endpoint)",
    )


def endpoint_kind(url: str) -> EndpointKind:
    """``playwright`` or ``cdp`` for ``url``; :class:`RemoteBrowserError` when it is neither."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        raise RemoteBrowserError("browser.endpoint_scheme",
                                 f"{OPTION} {url}: use ws:// or wss:// (Playwright server, DevTools) or http:// (DevTools)")
    if not parts.hostname:
        raise RemoteBrowserError("browser.endpoint_invalid", f"{OPTION} {url}: no host in the URL")
    # Chromium's own DevTools socket is ws://.../devtools/browser/<id>; any other ws:// is a Playwright server.
    return "cdp" if parts.scheme in ("http", "https") or parts.path.startswith("/devtools/") else "playwright"


def _endpoint(config: pytest.Config) -> str | None:
    value = config.getoption(OPTION, None)
    return str(value) if value else None


def pytest_configure(config: pytest.Config) -> None:
    endpoint = _endpoint(config)
    if endpoint is None:
        return
    try:
        endpoint_kind(endpoint)
    except RemoteBrowserError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config) -> dict[str, Any] | None:
    """pytest-playwright's: where its ``browser`` fixture connects; None launches locally (the default)."""
    endpoint = _endpoint(pytestconfig)
    if endpoint is None or endpoint_kind(endpoint) != "playwright":
        return None
    return {"endpoint": endpoint}  # BrowserType.connect's first parameter


@pytest.fixture(scope="session")
def launch_browser(launch_browser: Callable[..., Browser], browser_type: BrowserType,
                   pytestconfig: pytest.Config) -> Callable[..., Browser]:
    """pytest-playwright's (launch, or connect by ``connect_options``), or ``connect_over_cdp`` for a DevTools endpoint."""
    endpoint = _endpoint(pytestconfig)
    if endpoint is None or endpoint_kind(endpoint) != "cdp":
        return launch_browser

    def connect(**_launch_options: Any) -> Browser:
        # Launch options cannot reach a browser that is already running.
        return browser_type.connect_over_cdp(endpoint)

    return connect


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], pytestconfig: pytest.Config,
                         request: pytest.FixtureRequest) -> dict[str, Any]:
    """pytest-playwright's context arguments, plus the capture proxy (and trust) for a remote browser."""
    if _endpoint(pytestconfig) is None:
        return browser_context_args
    proxy: CaptureProxy = request.getfixturevalue("sso_proxy")
    browser: Browser = request.getfixturevalue("browser")
    trusted = trusts_proxy_ca(browser, proxy)
    if not trusted:
        warnings.warn(RemoteTrustWarning(
            f"{OPTION}: the remote browser does not trust this run's proxy CA, so its contexts ignore certificate "
            "errors (the proxy still verifies upstream servers); to keep its checks, use a server that launches the "
            "browser with the run's CA pin: `playwright run-server --unsafe` takes it from the launch options"))
    return {**browser_context_args, **remote_context_args(proxy.url, trusted=trusted)}


def remote_context_args(proxy_url: str, *, trusted: bool) -> dict[str, Any]:
    """The context options that put a remote browser's context behind the capture proxy."""
    args: dict[str, Any] = {"proxy": {"server": proxy_url}}
    if not trusted:
        args["ignore_https_errors"] = True
    return args


def trusts_proxy_ca(browser: Browser, proxy: CaptureProxy) -> bool:
    """Whether ``browser`` accepts certificates issued by this run's proxy CA.

    One fetch from a throw-away context, through the proxy, to
    :data:`PROBE_HOST`: it completes only if the TLS handshake was accepted.
    The probe's blocked request is taken back out of the recorder's count.
    """
    context = browser.new_context(proxy={"server": proxy.url})
    try:
        page = context.new_page()
        return bool(page.evaluate(_PROBE_SCRIPT, f"https://{PROBE_HOST}/"))
    finally:
        context.close()
        proxy.recorder.blocked.pop(PROBE_HOST, None)
