"""Path routing for the mocks: method plus a path pattern with named parts.

Patterns are written like ``/{tenant}/oauth2/v2.0/token``; a ``{name}``
matches one path segment. Entra treats some paths case-insensitively (the
federation metadata URL is published in both casings), so a route can ask
for that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sso_harness.mocks.web.http import Request, Response

__all__ = ["Router", "RouteHandler"]

RouteHandler = Callable[[Request, Mapping[str, str]], Response]


@dataclass(frozen=True)
class _Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    handler: RouteHandler


def _compile(template: str, ignore_case: bool) -> re.Pattern[str]:
    parts = re.split(r"(\{[a-z_]+\})", template)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$", re.IGNORECASE if ignore_case else 0)


class Router:
    """First matching route wins; :meth:`dispatch` returns None when none matches."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def add(self, methods: str, template: str, handler: RouteHandler, *, ignore_case: bool = False) -> None:
        """``methods`` is a space-separated list, e.g. ``"GET POST"``."""
        self._routes.append(_Route(frozenset(methods.split()), _compile(template, ignore_case), handler))

    def dispatch(self, request: Request) -> Response | None:
        method = "GET" if request.method == "HEAD" else request.method
        for route in self._routes:
            match = route.pattern.match(request.path)
            if match and method in route.methods:
                return route.handler(request, match.groupdict())
        return None
