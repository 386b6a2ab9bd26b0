"""pytest-playwright's browser flags: an installed channel is launched, anything else refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sso_harness.browser.launch import launch_args
from sso_harness.plugin.browser_flags import BrowserFlagError, check_flags

LAUNCH_ARGS_TEST = """
def test_launch_args(browser_type_launch_args):
    assert browser_type_launch_args["channel"] == "chrome"
    assert "executable_path" not in browser_type_launch_args
    assert browser_type_launch_args["proxy"]["server"].startswith("http://127.0.0.1:")
"""

# Stands in for Google Chrome's .deb install, which this machine does not have.
FAKE_CHROME = """
from sso_harness.browser import launch

launch.CHANNEL_EXECUTABLES["chrome"] = {path!r}
"""


@pytest.mark.parametrize(("flags", "line"), [
    (["--browser", "firefox"], "ERROR: --browser firefox: not available: Playwright's patched Firefox build cannot be "
                               "downloaded here; *"),
    (["--browser", "chromium", "--browser", "webkit"], "ERROR: --browser webkit: not available: Playwright's patched "
                                                       "WebKit build cannot be downloaded here*"),
    (["--browser-channel", "msedge"], "ERROR: --browser-channel msedge: not installed (no /opt/microsoft/msedge/msedge); *"),
])
def test_a_flag_that_cannot_be_honoured_is_a_one_line_usage_error(pytester: pytest.Pytester, flags: list[str],
                                                                   line: str) -> None:
    pytester.makepyfile(test_never="def test_never():\n    raise AssertionError('must not run')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *flags)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [text for text in result.stderr.lines if text.startswith("ERROR")]
    assert len(errors) == 1, result.stderr.lines
    result.stderr.fnmatch_lines([line])
    assert "Traceback" not in result.stderr.str()


def test_an_installed_channel_is_launched_by_playwright_instead_of_debian_chromium(pytester: pytest.Pytester,
                                                                                  tmp_path: Path) -> None:
    chrome = tmp_path / "chrome"
    chrome.write_text("")
    pytester.makeconftest(FAKE_CHROME.format(path=str(chrome)))
    pytester.makepyfile(test_launch=LAUNCH_ARGS_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--browser-channel", "chrome")
    result.assert_outcomes(passed=1)


def test_flags_decided_without_a_browser() -> None:
    check_flags([], None)
    check_flags(["chromium"], None)
    for browsers, channel, code in ((["firefox"], None, "browser.engine_unavailable"), (["opera"], None, "browser.engine_unknown"),
                                    ([], "brave", "browser.channel_unknown"), ([], "chrome", "browser.channel_missing")):
        with pytest.raises(BrowserFlagError) as failure:
            check_flags(browsers, channel)
        assert failure.value.code == code and "\n" not in str(failure.value)


def test_a_channel_launch_names_no_executable() -> None:
    args = launch_args(proxy_url=None, spki_pin="pin", channel="msedge")
    assert args["channel"] == "msedge" and "executable_path" not in args
    assert "--ignore-certificate-errors-spki-list=pin" in args["args"]
