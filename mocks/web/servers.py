"""Loopback servers started and stopped as one group: the one server lifecycle of the mocks.

Ports are bound first, because an app's URLs (entity IDs, redirect URIs,
issuers) contain its port and other apps are configured with them; the apps
are built next; then every server starts with its app. :class:`ServerGroup`
is that sequence, :class:`LoopbackService` the start/stop/context-manager
shell around it (a failed start stops what did start), and :func:`serve_app`
a group of one.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Self, TypeVar

from sso_harness.mocks.web.http import Handler, MockServer

__all__ = ["ServerGroup", "LoopbackService", "serve_app"]

H = TypeVar("H", bound=Handler)


class ServerGroup:
    """Named servers on ``host``: :meth:`bind` each, then :meth:`start` them with their apps, :meth:`stop` all."""

    def __init__(self, *, host: str = "127.0.0.1", prefix: str = "mock") -> None:
        self.host = host
        self.prefix = prefix
        self._servers: dict[str, MockServer] = {}

    def bind(self, name: str, port: int = 0) -> str:
        """Bind ``name``'s port now (0: ephemeral) and return its base URL; it serves from :meth:`start` on."""
        if name in self._servers:
            raise ValueError(f"a server named {name!r} is already bound")
        server = self._servers[name] = MockServer(port=port, name=f"{self.prefix}-{name}", host=self.host)
        return server.base_url

    def __contains__(self, name: object) -> bool:
        return name in self._servers

    def urls(self) -> dict[str, str]:
        """Base URL of every bound server, by name."""
        return {name: server.base_url for name, server in self._servers.items()}

    def start(self, apps: Mapping[str, Handler]) -> None:
        """Serve every bound server's app; ``KeyError`` when a bound server has none."""
        missing = [name for name in self._servers if name not in apps]
        if missing:
            raise KeyError(f"no app for the bound server(s) {', '.join(missing)}")
        for name, server in self._servers.items():
            server.handler = apps[name]
            server.start()

    def stop(self) -> None:
        """Stop every server, started or only bound, and forget them all."""
        # In parallel: each stop waits for its server's poll loop to notice.
        threads = [threading.Thread(target=_stop_quietly, args=(s,)) for s in self._servers.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self._servers = {}


def _stop_quietly(server: MockServer) -> None:
    try:
        server.stop()
    except Exception:  # one server failing to stop must not keep the others running
        pass


class LoopbackService(abc.ABC):
    """Something that serves on loopback: :meth:`start` (or ``with``) runs :meth:`_start`, and a
    start that fails part-way is undone by :meth:`stop` before the error propagates."""

    def start(self) -> Self:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    @abc.abstractmethod
    def _start(self) -> None:
        """Bind, build and serve; may leave a partial state that :meth:`stop` cleans up."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Release everything; safe after a partial or no start."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


@contextmanager
def serve_app(build: Callable[[str], H], *, name: str, host: str = "127.0.0.1", port: int = 0) -> Iterator[H]:
    """Serve the app ``build(base_url)`` alone, for the ``with`` block."""
    group = ServerGroup(host=host)
    try:
        app = build(group.bind(name, port))
        group.start({name: app})
        yield app
    finally:
        group.stop()
