"""Which TCP sockets are listening, and for whom: read from ``/proc`` (Linux).

``listeners()`` lists the listening TCP sockets (IPv4 and IPv6) of this
process and of every process descended from it, with their address and
port; ``listeners_on(port)`` lists every listening socket on a port,
whoever owns it (for servers a peer daemonises away from our process tree).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_LISTEN = "0A"
_PROC = Path("/proc")


@dataclass(frozen=True)
class Listener:
    """One listening TCP socket."""

    address: str
    port: int
    inode: int

    @property
    def loopback_only(self) -> bool:
        """Bound to 127.0.0.1 exactly (the harness promises IPv4 loopback, not ::1 or a wildcard)."""
        return self.address == "127.0.0.1"


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    # /proc/net/tcp* prints each 32-bit word in host (little-endian) order
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words))


def _table() -> list[Listener]:
    found: list[Listener] = []
    for name in ("tcp", "tcp6"):
        path = _PROC / "net" / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != _LISTEN:
                continue
            address, port = fields[1].split(":")
            found.append(Listener(_address(address), int(port, 16), int(fields[9])))
    return found


def descendants(pid: int) -> set[int]:
    """``pid`` and every process whose parent chain leads to it."""
    parents: dict[int, int] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may contain spaces and parentheses: split after the last ")"
        parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    return family


def _socket_inodes(pid: int) -> set[int]:
    inodes: set[int] = set()
    try:
        fds = os.listdir(_PROC / str(pid) / "fd")
    except OSError:
        return inodes
    for fd in fds:
        try:
            target = os.readlink(_PROC / str(pid) / "fd" / fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def listeners(pid: int | None = None) -> list[Listener]:
    """Listening sockets of ``pid`` (default: this process) and its descendants."""
    owned: set[int] = set()
    for member in descendants(os.getpid() if pid is None else pid):
        owned |= _socket_inodes(member)
    return [listener for listener in _table() if listener.inode in owned]


def listeners_on(port: int) -> list[Listener]:
    """Every listening socket on ``port``, whoever owns it."""
    return [listener for listener in _table() if listener.port == port]


def not_loopback(found: list[Listener]) -> list[Listener]:
    return [listener for listener in found if not listener.loopback_only]


def loopback_problems(urls: dict[str, str], *, owner: int | None = None) -> list[str]:
    """What breaks "every server listens on 127.0.0.1 only" for these base URLs
    (empty when nothing does): a URL host other than 127.0.0.1, a port that
    ``owner``'s process tree (default: this one) is not listening on at
    127.0.0.1, any other listener on the same port, or any listener of the
    process tree off loopback."""
    problems: list[str] = []
    mine = listeners(owner)
    for name, url in sorted(urls.items()):
        parts = urlsplit(url)
        if parts.hostname != "127.0.0.1" or parts.port is None:
            problems.append(f"{name}: {url} is not on 127.0.0.1")
            continue
        if not any(l.port == parts.port and l.loopback_only for l in mine):
            problems.append(f"{name}: nothing of ours listens on 127.0.0.1:{parts.port}")
        problems += [f"{name}: also listening on {l.address}:{l.port}" for l in not_loopback(listeners_on(parts.port))]
    problems += [f"process tree listens on {l.address}:{l.port}" for l in not_loopback(mine)]
    return problems
