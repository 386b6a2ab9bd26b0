"""Are the real peers installed? What is missing, in words that say how to fix it.

``scripts/install-peers.sh`` installs everything listed here; this module
only looks (files on disk, ``php -m``), it never installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = [
    "INSTALL_HINT",
    "SIMPLESAMLPHP_ROOT",
    "OIDC_PROVIDER_DIR",
    "PeersNotInstalled",
    "missing_simplesamlphp",
    "missing_oidc_provider",
    "simplesamlphp_root",
    "php_binary",
    "node_binary",
    "when_missing",
]

INSTALL_HINT = "run scripts/install-peers.sh (as root or with sudo)"
SIMPLESAMLPHP_ROOT = Path("/usr/share/simplesamlphp")
OIDC_PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
# SimpleSAMLphp 1.19 needs DOM/libxml (php-xml), mbstring, and OpenSSL (built into Debian's PHP).
PHP_EXTENSIONS = ("dom", "libxml", "mbstring", "openssl", "session", "zlib")


class PeersNotInstalled(RuntimeError):
    """A peer's binaries or packages are missing; the message lists them and says how to install."""


def simplesamlphp_root() -> Path:
    """``$SSO_HARNESS_SIMPLESAMLPHP`` or Debian's ``/usr/share/simplesamlphp``."""
    return Path(os.environ.get("SSO_HARNESS_SIMPLESAMLPHP") or SIMPLESAMLPHP_ROOT)


def php_binary() -> str | None:
    return os.environ.get("SSO_HARNESS_PHP") or shutil.which("php")


def node_binary() -> str | None:
    return os.environ.get("SSO_HARNESS_NODE") or shutil.which("node")


def _php_modules(php: str) -> set[str]:
    try:
        out = subprocess.run([php, "-m"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip().lower() for line in out.splitlines() if line.strip() and not line.startswith("[")}


def missing_simplesamlphp() -> list[str]:
    """What SimpleSAMLphp-as-a-peer lacks here (empty when it can run)."""
    problems = []
    root = simplesamlphp_root()
    if not (root / "www" / "_include.php").is_file():
        problems.append(f"SimpleSAMLphp is not at {root} (Debian package simplesamlphp)")
    php = php_binary()
    if php is None:
        problems.append("no php binary on PATH (Debian package php-cli)")
    else:
        have = _php_modules(php)
        lacking = [m for m in PHP_EXTENSIONS if m not in have]
        if lacking:
            problems.append(f"PHP lacks the extensions {', '.join(lacking)} (Debian packages php-xml, php-mbstring)")
    return problems


def missing_oidc_provider() -> list[str]:
    """What the oidc-provider peer lacks here (empty when it can run)."""
    problems = []
    if node_binary() is None:
        problems.append("no node binary on PATH (Debian package nodejs)")
    if not (OIDC_PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        problems.append(f"oidc-provider is not installed in {OIDC_PROVIDER_DIR / 'node_modules'} (npm ci)")
    return problems


def when_missing(peer: str, problems: Sequence[str], environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """What a test run does about a missing peer: None when nothing is missing, else
    ``("fail", message)`` under CI (``CI`` set and not empty: a green run must mean the
    peers really ran) or ``("skip", message)`` elsewhere. The message says how to install."""
    if not problems:
        return None
    env = os.environ if environ is None else environ
    message = f"{peer} is not installed ({'; '.join(problems)}): {INSTALL_HINT}"
    return ("fail" if env.get("CI") else "skip"), message
