"""What ``sso-harness proxy`` tells the engineer: how to send a browser through it and trust its CA.

Pure text from the proxy's address, its CA (file and SPKI pin) and the
throw-away profile folders, so it is tested without a proxy. Two ways in:
a fresh browser profile that trusts this run's CA alone (nothing is added
to any trust store), or the engineer's own signed-in profile, which needs
the CA in a trust store for the length of the capture.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ProxyAddress", "firefox_prefs", "browser_instructions"]

CA_NICKNAME = "sso-harness capture CA"


@dataclass(frozen=True)
class ProxyAddress:
    """``port`` on 127.0.0.1; ``ca_file`` the PEM of this run's CA; ``spki_pin`` its SPKI SHA-256 (base64)."""

    port: int
    ca_file: Path
    spki_pin: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def chromium_flags(proxy: ProxyAddress, profile: Path) -> list[str]:
    """Flags for a fresh Chromium/Chrome/Edge profile that goes through the proxy and trusts only this CA.

    Chromium honours ``--ignore-certificate-errors-spki-list`` only together
    with ``--user-data-dir``; ``<-loopback>`` sends loopback hosts (a local
    SP or mock) through the proxy too, which Chromium would otherwise bypass.
    """
    return [
        f"--user-data-dir={profile}",
        f"--proxy-server={proxy.url}",
        "--proxy-bypass-list=<-loopback>",
        f"--ignore-certificate-errors-spki-list={proxy.spki_pin}",
        "--no-first-run",
    ]


def firefox_prefs(proxy: ProxyAddress) -> str:
    """``user.js`` for a fresh Firefox profile: every protocol through the proxy, loopback included."""
    prefs: list[tuple[str, object]] = [
        ("network.proxy.type", 1),
        ("network.proxy.http", "127.0.0.1"), ("network.proxy.http_port", proxy.port),
        ("network.proxy.ssl", "127.0.0.1"), ("network.proxy.ssl_port", proxy.port),
        ("network.proxy.no_proxies_on", ""), ("network.proxy.allow_hijacking_localhost", True),
        ("browser.shell.checkDefaultBrowser", False),
    ]
    lines = []
    for name, value in prefs:
        shown = "true" if value is True else "false" if value is False else str(value) if isinstance(value, int) else f'"{value}"'
        lines.append(f'user_pref("{name}", {shown});')
    return "\n".join(lines) + "\n"


def browser_instructions(proxy: ProxyAddress, *, chrome_profile: Path, firefox_profile: Path) -> str:
    """The text printed when the proxy is up (it ends with a newline)."""
    q = shlex.quote
    chrome = " ".join(q(f) for f in chromium_flags(proxy, chrome_profile))
    ca = q(str(proxy.ca_file))
    return f"""\
proxy: {proxy.url}
CA certificate of this run: {proxy.ca_file}
  (a new CA each run; its private key is deleted when the proxy stops)

A fresh browser profile that trusts this CA only (nothing is installed):
  Chromium / Chrome / Edge:
    chromium {chrome}
    (google-chrome or microsoft-edge take the same flags)
  Firefox (profile prepared with the proxy settings; trust the CA in it, then start it):
    certutil -A -d sql:{q(str(firefox_profile))} -n {q(CA_NICKNAME)} -t C,, -i {ca}
    firefox -no-remote -profile {q(str(firefox_profile))}
    (certutil is in libnss3-tools / nss-tools; or Settings > Privacy & Security > Certificates >
     View Certificates > Authorities > Import, and tick "Trust this CA to identify websites")

Your own, already signed-in browser (real MFA, existing sessions):
  1. trust the CA for this capture:
     Debian/Ubuntu:  sudo cp {ca} /usr/local/share/ca-certificates/sso-harness.crt && sudo update-ca-certificates
     Chrome/Chromium on Linux (NSS):  certutil -A -d sql:$HOME/.pki/nssdb -n {q(CA_NICKNAME)} -t C,, -i {ca}
     macOS:    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {ca}
     Windows:  certutil -addstore -user Root {ca}
     Firefox:  Settings > Certificates > Import (as above), or security.enterprise_roots.enabled to use the system store
  2. point the browser at the proxy: Chrome/Edge: start it with --proxy-server={proxy.url};
     Firefox: Settings > Network Settings > Manual proxy, HTTP proxy 127.0.0.1 port {proxy.port},
     "Also use this proxy for HTTPS"; system-wide: your OS's proxy settings
  3. afterwards remove the CA again (the trust entry outlives this run):
     certutil -D -d sql:$HOME/.pki/nssdb -n {q(CA_NICKNAME)}; sudo rm /usr/local/share/ca-certificates/sso-harness.crt
     && sudo update-ca-certificates --fresh; macOS: Keychain Access; Windows: certmgr.msc

Sign in as usual, then press Ctrl-C here: the redacted bundle is written on the way out.
"""
