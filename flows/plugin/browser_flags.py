"""pytest-playwright's browser flags, honoured or refused in one line (registered by :mod:`sso_harness.plugin.hooks`).

The harness drives Chromium-based browsers only: Playwright's patched
Firefox and WebKit builds are downloaded from Playwright's CDN, which this
harness never reaches, and a stock Firefox or Safari does not speak
Playwright's protocol. So, before anything starts:

* ``--browser chromium`` (or no ``--browser``) is Debian's Chromium;
* ``--browser firefox`` / ``--browser webkit`` is a usage error naming that reason;
* ``--browser-channel chrome|msedge`` (and their -beta/-dev channels) runs
  that installed browser through Playwright's channel launch, and is a usage
  error when it is not installed (the path looked at is named);
* any other channel is a usage error listing the known ones.

:func:`selected_channel` is what ``browser_type_launch_args`` passes on.
"""

from __future__ import annotations

import pytest

from sso_harness.browser.launch import CHANNEL_EXECUTABLES, channel_executable

__all__ = ["BrowserFlagError", "check_flags", "pytest_configure", "selected_channel"]

_ENGINES_REFUSED = {
    "firefox": "Firefox",
    "webkit": "WebKit",
}


class BrowserFlagError(ValueError):
    """A browser flag the harness cannot honour; ``code`` says which kind, the message says why in one line."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_flags(browsers: list[str], channel: str | None) -> None:
    """Raise :class:`BrowserFlagError` for the first flag that cannot be honoured here."""
    for name in browsers:
        if name in _ENGINES_REFUSED:
            raise BrowserFlagError(
                "browser.engine_unavailable",
                f"--browser {name}: not available: Playwright's patched {_ENGINES_REFUSED[name]} build cannot be "
                "downloaded here; the harness drives Chromium only (Debian's, or --browser-channel chrome|msedge)",
            )
        if name != "chromium":
            raise BrowserFlagError("browser.engine_unknown", f"--browser {name}: unknown browser; use chromium")
    if channel is None:
        return
    if channel not in CHANNEL_EXECUTABLES:
        raise BrowserFlagError("browser.channel_unknown",
                               f"--browser-channel {channel}: unknown channel; known: {', '.join(CHANNEL_EXECUTABLES)}")
    if channel_executable(channel) is None:
        raise BrowserFlagError(
            "browser.channel_missing",
            f"--browser-channel {channel}: not installed (no {CHANNEL_EXECUTABLES[channel]}); "
            "install it, or leave the flag out to use Debian's Chromium",
        )


def selected_channel(config: pytest.Config) -> str | None:
    """The ``--browser-channel`` given (already checked), or None for Debian's Chromium."""
    channel = config.getoption("--browser-channel", None)
    return str(channel) if channel else None


def pytest_configure(config: pytest.Config) -> None:
    try:
        check_flags(list(config.getoption("--browser", None) or []), selected_channel(config))
    except BrowserFlagError as exc:
        raise pytest.UsageError(str(exc)) from None
