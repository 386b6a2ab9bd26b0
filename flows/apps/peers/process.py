"""A peer as a child process: started in its own session, ready on a printed line, stopped as a group.

Both peers announce readiness on their own output: PHP's built-in server
prints ``Development Server (http://127.0.0.1:PORT) started`` once its socket
is listening, and the oidc-provider script prints a JSON line with its
issuer once ``listen()`` has called back. Waiting for that line is waiting
for an event (a blocking pipe read in a thread, signalled through
:class:`threading.Event`), so start-up needs neither sleeps nor a polling
loop, and the kernel picks the port (``:0``), so parallel workers never
collide on a port chosen in advance.

The child is started with ``start_new_session=True`` (``setsid``): PHP's
server forks workers (``PHP_CLI_SERVER_WORKERS``) that would outlive a
signal sent to the parent alone, so :meth:`PeerProcess.stop` signals the
whole process group, first SIGTERM, then SIGKILL for anything left.
"""

from __future__ import annotations

import atexit
import collections
import os
import re
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

__all__ = ["PeerProcess", "PeerStartError"]

_TAIL_LINES = 60


class PeerStartError(RuntimeError):
    """The peer exited or stayed silent before it was ready; the message quotes its output."""


class PeerProcess:
    """One child process whose output is drained into ``log_path`` and watched for a ready line."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        name: str,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.argv = list(argv)
        self.name = name
        self.log_path = log_path
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self._proc: subprocess.Popen[bytes] | None = None
        self._tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
        self._pattern: re.Pattern[str] | None = None
        self._match: re.Match[str] | None = None
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._eof = False

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self, ready: re.Pattern[str], *, timeout: float) -> re.Match[str]:
        """Start the child and block until a line matches ``ready``; return the match.

        Raises :class:`PeerStartError` when the child exits first or prints
        no such line within ``timeout`` seconds (the child is then stopped).
        """
        self._pattern = ready
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._proc = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        atexit.register(self.stop)  # a crashed test session must not leave a server behind
        assert self._proc.stdout is not None
        self._reader = threading.Thread(target=self._drain, args=(self._proc.stdout,), name=f"{self.name}-output", daemon=True)
        self._reader.start()
        self._event.wait(timeout)
        with self._lock:
            match = self._match
        if match is not None:
            return match
        code = self._proc.poll()
        if code is None and self._eof:
            # Its output ended: the child is exiting; collect its status for the message.
            try:
                code = self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
        self.stop()
        why = f"exited with status {code}" if code is not None else f"printed no ready line within {timeout:g} s"
        raise PeerStartError(f"{self.name} {why} (command: {' '.join(self.argv)}); last output:\n{self.output_tail()}")

    def output_tail(self) -> str:
        with self._lock:
            return "".join(self._tail) or "(no output)"

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM to the process group, SIGKILL after ``grace`` seconds or for stragglers."""
        proc = self._proc
        if proc is None:
            return
        try:
            atexit.unregister(self.stop)
            if proc.poll() is None:
                _signal_group(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    _signal_group(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=grace)
            # Forked workers may survive their parent; they are still in its group.
            _signal_group(proc.pid, signal.SIGKILL)
        finally:
            if self._reader is not None:
                self._reader.join(timeout=grace)
            if proc.stdout is not None:
                proc.stdout.close()
            self._proc = None

    def _drain(self, stream: IO[bytes]) -> None:
        with open(self.log_path, "ab") as log:
            for raw in iter(stream.readline, b""):
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace")
                with self._lock:
                    self._tail.append(line)
                    if self._match is None and self._pattern is not None:
                        self._match = self._pattern.search(line)
                        if self._match is not None:
                            self._event.set()
        with self._lock:
            self._eof = True
        self._event.set()  # end of output: the child exited; start() reports it


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # the group is gone already
