"""Peer processes: ready on a printed line, failures quoted, the whole process group stopped.

The children are small Python scripts, so these tests need neither PHP nor Node.
"""

from __future__ import annotations

import os
import re
import select
import sys
from pathlib import Path

import pytest

from sso_harness.apps.peers.process import PeerProcess, PeerStartError

READY = re.compile(r"listening on (?P<port>\d+)")


def _script(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "child.py"
    path.write_text(body, encoding="utf-8")
    return [sys.executable, "-u", str(path)]


def _exits(pid: int, timeout: float = 5.0) -> bool:
    """Block until ``pid`` has exited (a pidfd turns readable then), at most ``timeout`` seconds.

    A signal is delivered asynchronously, so "killed" is an event to wait for, not a state to read.
    """
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    return not _exits(pid, timeout=0)


def test_start_returns_the_ready_line_and_keeps_the_output(tmp_path: Path) -> None:
    argv = _script(tmp_path, "import signal\nprint('warming up')\nprint('listening on 4242')\nsignal.pause()\n")
    proc = PeerProcess(argv, name="child", log_path=tmp_path / "child.log")
    match = proc.start(READY, timeout=20)
    try:
        assert match["port"] == "4242"
        assert proc.running()
        assert "warming up" in proc.output_tail()
    finally:
        proc.stop()
    assert not proc.running()
    assert "listening on 4242" in (tmp_path / "child.log").read_text()


def test_a_child_that_exits_before_it_is_ready_is_reported_with_its_output(tmp_path: Path) -> None:
    argv = _script(tmp_path, "import sys\nprint('config.php: syntax error, unexpected end of file')\nsys.exit(3)\n")
    proc = PeerProcess(argv, name="broken peer", log_path=tmp_path / "broken.log")
    with pytest.raises(PeerStartError) as err:
        proc.start(READY, timeout=20)
    message = str(err.value)
    assert "broken peer exited with status 3" in message
    assert "syntax error, unexpected end of file" in message


def test_a_silent_child_is_stopped_after_the_timeout(tmp_path: Path) -> None:
    argv = _script(tmp_path, "import signal\nprint('still thinking')\nsignal.pause()\n")
    proc = PeerProcess(argv, name="silent", log_path=tmp_path / "silent.log")
    with pytest.raises(PeerStartError, match="printed no ready line within 0.3 s"):
        proc.start(READY, timeout=0.3)
    assert not proc.running()


def test_stop_ends_the_whole_process_group_including_forked_workers(tmp_path: Path) -> None:
    # Like php -S with PHP_CLI_SERVER_WORKERS: forked workers; these even ignore SIGTERM.
    body = (
        "import os, signal, sys, time\n"
        "kids = []\n"
        "for _ in range(2):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "        signal.pause()\n"
        "        os._exit(0)\n"
        "    kids.append(pid)\n"
        "print('workers', *kids, flush=True)\n"
        "print('listening on 1', flush=True)\n"
        "signal.pause()\n"
    )
    proc = PeerProcess(_script(tmp_path, body), name="forking", log_path=tmp_path / "forking.log")
    proc.start(READY, timeout=20)
    leader = proc.pid
    assert leader is not None and os.getpgid(leader) == leader  # its own session and group (setsid)
    workers = [int(p) for p in re.search(r"workers (\d+) (\d+)", proc.output_tail()).groups()]  # type: ignore[union-attr]
    assert all(_alive(w) for w in workers)

    proc.stop(grace=2)

    assert _exits(leader) and all(_exits(w) for w in workers)


def test_stop_is_safe_to_call_twice_and_before_start(tmp_path: Path) -> None:
    proc = PeerProcess([sys.executable, "-c", "pass"], name="never", log_path=tmp_path / "never.log")
    proc.stop()
    proc.stop()
    assert not proc.running()
