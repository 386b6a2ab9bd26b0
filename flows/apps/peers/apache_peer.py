"""A private Apache instance on 127.0.0.1: its folder, its port, its process group.

Life of an instance:

1. ``ApacheInstance(name, log_path)`` makes a private folder under the
   system temp folder and *reserves* a port: a socket bound to
   ``127.0.0.1:0`` and kept open, so the kernel hands that port to nobody
   else while the caller renders configuration that names it (entity IDs,
   redirect URIs, registrations at the partner). Apache cannot take port 0
   itself: its ``Listen`` and its URLs need the number in advance.
2. :meth:`ApacheInstance.start` writes ``httpd.conf`` and the protected
   page, releases the reservation and runs ``apache2 -f httpd.conf
   -DFOREGROUND`` in its own session (:class:`~sso_harness.apps.peers.process.PeerProcess`).
   Ready is two events, no polling: Apache's "resuming normal operations"
   line (logged once its listener is bound), then one GET of a health path
   that proves the module's configuration loaded.
3. :meth:`ApacheInstance.stop` stops the whole process group and removes
   the folder.

Started as root, Apache runs its children as ``www-data`` (it refuses root
children), so the folder is handed to that account; the folder lives under
``/tmp`` rather than pytest's ``tmp_path`` because the latter sits in a
root-only (0700) parent the children could not traverse.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from sso_harness.apps.peers.apache_config import PROTECTED_PAGE, PROTECTED_PATH, READY_LINE, ApacheLayout, render_httpd_conf
from sso_harness.apps.peers.install import apache_binary
from sso_harness.apps.peers.process import PeerProcess, PeerStartError

__all__ = ["ApacheInstance", "CHILD_USER"]

CHILD_USER = "www-data"

_READY = re.compile(re.escape(READY_LINE))


def _child_user() -> str | None:
    """The account for Apache's children: ``www-data`` when we are root, else none (they stay us)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(CHILD_USER)
    except KeyError:
        raise PeerStartError(f"Apache started as root needs the account {CHILD_USER!r} for its children") from None
    return CHILD_USER


class ApacheInstance:
    """One private Apache. The port is reserved from construction until :meth:`start`."""

    def __init__(self, name: str, log_path: Path, *, start_timeout: float = 20.0) -> None:
        self.name = name
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.root = Path(tempfile.mkdtemp(prefix=f"sso-harness-{name}-"))
        self._reservation: socket.socket | None = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._reservation.bind(("127.0.0.1", 0))
        port = int(self._reservation.getsockname()[1])
        self.layout = ApacheLayout(root=self.root, port=port, user=_child_user())
        self._process: PeerProcess | None = None

    @property
    def base_url(self) -> str:
        return self.layout.base_url

    @property
    def protected_url(self) -> str:
        return f"{self.base_url}{PROTECTED_PATH}"

    @property
    def conf_path(self) -> Path:
        return self.root / "httpd.conf"

    def start(self, modules: Sequence[str], body: str, *, health_path: str) -> str:
        """Write the configuration, start Apache, and return the body of ``health_path``
        (which must answer 200). Raises :class:`PeerStartError` quoting Apache's output."""
        for sub in ("run", "htdocs" + PROTECTED_PATH.rstrip("/")):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "htdocs" / PROTECTED_PATH.strip("/") / "index.shtml").write_text(PROTECTED_PAGE, encoding="utf-8")
        (self.root / "htdocs" / "index.html").write_text("<!DOCTYPE html><title>peer</title>\n", encoding="utf-8")
        self.conf_path.write_text(render_httpd_conf(self.layout, modules, body), encoding="utf-8")
        if self.layout.user is not None:
            _hand_over(self.root, self.layout.user)
        argv = [apache_binary(), "-f", str(self.conf_path), "-DFOREGROUND"]
        self._process = PeerProcess(argv, name=f"Apache ({self.name})", log_path=self.log_path, cwd=self.root)
        deadline = time.monotonic() + self.start_timeout
        self._release()
        try:
            self._process.start(_READY, timeout=self.start_timeout)
            return self._health(health_path, deadline)
        except BaseException:
            self.stop()  # nothing left behind: no process group, no folder
            raise

    def _health(self, path: str, deadline: float) -> str:
        url = f"{self.base_url}{path}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # set-up, not a flow
        try:
            with opener.open(url, timeout=max(0.5, deadline - time.monotonic())) as response:
                body: bytes = response.read()
            return body.decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            raise PeerStartError(f"Apache ({self.name}) answered {err.code} for {url}\noutput:\n{self.output_tail()}") from None
        except OSError as err:
            raise PeerStartError(f"Apache ({self.name}) did not answer {url}: {err}\noutput:\n{self.output_tail()}") from None

    def output_tail(self) -> str:
        return self._process.output_tail() if self._process else "(not started)"

    def _release(self) -> None:
        if self._reservation is not None:
            self._reservation.close()
            self._reservation = None

    def stop(self) -> None:
        """Stop Apache's process group (if started) and remove the instance's folder."""
        self._release()
        if self._process is not None:
            self._process.stop()
            self._process = None
        shutil.rmtree(self.root, ignore_errors=True)


def _hand_over(root: Path, user: str) -> None:
    """Give the folder to the children's account: they read the keys and write mellon's POST store."""
    entry = pwd.getpwnam(user)
    for dirpath, dirnames, filenames in os.walk(root):
        os.chown(dirpath, entry.pw_uid, entry.pw_gid)
        for n in (*dirnames, *filenames):
            os.chown(os.path.join(dirpath, n), entry.pw_uid, entry.pw_gid, follow_symlinks=False)
