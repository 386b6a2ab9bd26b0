"""``--sso-browser-endpoint``: which endpoint is which, and how pytest-playwright's fixtures are steered (no browser)."""

from __future__ import annotations

import pytest

from sso_harness.plugin.remote_browser import RemoteBrowserError, endpoint_kind, remote_context_args


@pytest.mark.parametrize(("url", "kind"), [
    ("ws://127.0.0.1:3000/8f2a", "playwright"),
    ("wss://grid.example:443/playwright", "playwright"),
    ("ws://127.0.0.1:9222/devtools/browser/5c1d", "cdp"),
    ("http://127.0.0.1:9222", "cdp"),
    ("https://chrome.example:9222/", "cdp"),
])
def test_the_endpoint_kind_comes_from_scheme_and_path(url: str, kind: str) -> None:
    assert endpoint_kind(url) == kind


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://127.0.0.1:3000/", "browser.endpoint_scheme"),
    ("127.0.0.1:3000", "browser.endpoint_scheme"),
    ("ws:///8f2a", "browser.endpoint_invalid"),
])
def test_an_unusable_endpoint_has_a_code(url: str, code: str) -> None:
    with pytest.raises(RemoteBrowserError) as caught:
        endpoint_kind(url)
    assert caught.value.code == code


def test_a_context_gets_the_proxy_and_ignores_certificate_errors_only_when_untrusted() -> None:
    assert remote_context_args("http://127.0.0.1:8080", trusted=True) == {"proxy": {"server": "http://127.0.0.1:8080"}}
    assert remote_context_args("http://127.0.0.1:8080", trusted=False) == {
        "proxy": {"server": "http://127.0.0.1:8080"}, "ignore_https_errors": True}


def test_an_unusable_endpoint_is_a_one_line_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_never="def test_never():\n    raise AssertionError('must not run')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sso-browser-endpoint", "ftp://127.0.0.1:1/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [text for text in result.stderr.lines if text.startswith("ERROR")]
    assert errors == ["ERROR: --sso-browser-endpoint ftp://127.0.0.1:1/: use ws:// or wss:// (Playwright server, "
                      "DevTools) or http:// (DevTools)"], result.stderr.lines


# A BrowserType that records what it was asked, so no browser starts.
FAKE_BROWSER_TYPE = """
import pytest


class FakeBrowserType:
    def __init__(self):
        self.calls = []

    def connect_over_cdp(self, endpoint):
        self.calls.append(("connect_over_cdp", endpoint))
        return "cdp-browser"

    def launch(self, **options):
        self.calls.append(("launch", sorted(options)))
        return "local-browser"


@pytest.fixture(scope="session")
def browser_type():
    return FakeBrowserType()
"""

STEERING = """
def test_steering(connect_options, launch_browser, browser_type, browser_type_launch_args, pytestconfig):
    endpoint = pytestconfig.getoption("--sso-browser-endpoint")
    if endpoint is None:
        assert connect_options is None and launch_browser() == "local-browser"
        assert browser_type.calls[0][0] == "launch"
    elif endpoint.startswith("ws://127.0.0.1:3000/"):
        assert connect_options == {"endpoint": endpoint}
        # The launch options travel to the server: no path of this machine's Chromium among them.
        assert "executable_path" not in browser_type_launch_args
    else:
        assert connect_options is None and launch_browser() == "cdp-browser"
        assert browser_type.calls == [("connect_over_cdp", endpoint)]
"""


@pytest.mark.parametrize("flags", [[], ["--sso-browser-endpoint", "ws://127.0.0.1:3000/8f2a"],
                                   ["--sso-browser-endpoint", "http://127.0.0.1:9222"]])
def test_the_endpoint_steers_pytest_playwrights_own_fixtures(pytester: pytest.Pytester, flags: list[str]) -> None:
    pytester.makeconftest(FAKE_BROWSER_TYPE)
    pytester.makepyfile(test_steering=STEERING)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", *flags)
    result.assert_outcomes(passed=1)


def test_without_an_endpoint_the_context_arguments_are_pytest_playwrights(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_args="def test_args(browser_context_args):\n    assert 'proxy' not in browser_context_args\n")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)

