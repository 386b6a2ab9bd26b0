"""Are the real peers installed? What is missing, in words that say how to fix it.

``scripts/install-peers.sh`` installs everything listed here; this module
only looks (files on disk, ``php -m``), it never installs. oidc-provider is
an npm package: it lives in the tools folder (:mod:`sso_harness.tools_dir`),
next to a copy of the checked-in ``oidc_provider/server.mjs`` that Node runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from sso_harness.tools_dir import current_script, tool_dir

__all__ = [
    "INSTALL_HINT",
    "SIMPLESAMLPHP_ROOT",
    "OIDC_PROVIDER_SOURCE",
    "OIDC_PROVIDER_TOOL",
    "oidc_provider_dir",
    "oidc_provider_script",
    "PeersNotInstalled",
    "missing_simplesamlphp",
    "missing_oidc_provider",
    "simplesamlphp_root",
    "php_binary",
    "node_binary",
    "when_missing",
    "APACHE_MODULES",
    "apache_binary",
    "missing_apache",
]

INSTALL_HINT = "run scripts/install-peers.sh (as root or with sudo)"
SIMPLESAMLPHP_ROOT = Path("/usr/share/simplesamlphp")
# The checked-in server.mjs, package.json and package-lock.json (package data; never run from here).
OIDC_PROVIDER_SOURCE = Path(__file__).resolve().parent / "oidc_provider"
# Its folder's name in the tools folder; scripts/install-peers.sh installs under the same name.
OIDC_PROVIDER_TOOL = "oidc-provider"
# SimpleSAMLphp 1.19 needs DOM/libxml (php-xml), mbstring, and OpenSSL (built into Debian's PHP).
PHP_EXTENSIONS = ("dom", "libxml", "mbstring", "openssl", "session", "zlib")


# Debian's apache2-bin keeps every module here; a private instance's ServerRoot points at it.
APACHE_MODULE_DIR = Path("/usr/lib/apache2/modules")
APACHE_MODULES = {"auth_mellon": "libapache2-mod-auth-mellon", "auth_openidc": "libapache2-mod-auth-openidc"}


class PeersNotInstalled(RuntimeError):
    """A peer's binaries or packages are missing; the message lists them and says how to install."""


def simplesamlphp_root() -> Path:
    """``$SSO_HARNESS_SIMPLESAMLPHP`` or Debian's ``/usr/share/simplesamlphp``."""
    return Path(os.environ.get("SSO_HARNESS_SIMPLESAMLPHP") or SIMPLESAMLPHP_ROOT)


def php_binary() -> str | None:
    return os.environ.get("SSO_HARNESS_PHP") or shutil.which("php")


def node_binary() -> str | None:
    return os.environ.get("SSO_HARNESS_NODE") or shutil.which("node")


def apache_binary() -> str:
    """``$SSO_HARNESS_APACHE``, else ``apache2`` on PATH, else Debian's ``/usr/sbin/apache2``
    (``/usr/sbin`` is often not on a non-root PATH)."""
    return os.environ.get("SSO_HARNESS_APACHE") or shutil.which("apache2") or "/usr/sbin/apache2"


def oidc_provider_dir() -> Path:
    """Where oidc-provider is installed: its node_modules and the server.mjs Node runs."""
    return tool_dir(OIDC_PROVIDER_TOOL)


def oidc_provider_script() -> Path:
    """The server.mjs to run: the copy next to node_modules, refreshed from the checked-in one."""
    return current_script(OIDC_PROVIDER_TOOL, OIDC_PROVIDER_SOURCE / "server.mjs")


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
    modules = oidc_provider_dir() / "node_modules"
    if not (modules / "oidc-provider" / "package.json").is_file():
        problems.append(f"oidc-provider is not installed in {modules} (npm ci)")
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


def missing_apache(module: str) -> list[str]:
    """What a private Apache with ``module`` (``auth_mellon`` or ``auth_openidc``) lacks (empty when it can run)."""
    problems = []
    binary = apache_binary()
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        problems.append(f"no Apache binary at {binary} (Debian package apache2)")
    for name in ("mpm_event", "include", module):
        if not (APACHE_MODULE_DIR / f"mod_{name}.so").is_file():
            package = APACHE_MODULES.get(name, "apache2-bin")
            problems.append(f"Apache module mod_{name}.so is not in {APACHE_MODULE_DIR} (Debian package {package})")
    return problems
