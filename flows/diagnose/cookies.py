"""``Set-Cookie`` parsed the way a diagnosis needs it (RFC 6265 §4.1, SameSite per RFC 6265bis §5.4.7)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SetCookie", "parse_set_cookie", "cookie_names"]


@dataclass(frozen=True)
class SetCookie:
    name: str
    same_site: str | None  # "none", "lax", "strict" or None when absent
    secure: bool
    domain: str | None
    path: str
    deletes: bool  # Max-Age<=0 or an empty value: the server removes the cookie

    def matches(self, host: str, path: str, set_on: str) -> bool:
        """Would the browser attach this cookie to a request to ``host``/``path``? (ports are ignored, §8.5)"""
        domain = (self.domain or set_on).lstrip(".").lower()
        host = host.lower()
        host_ok = host == domain or (self.domain is not None and host.endswith("." + domain))
        return host_ok and (path == self.path or path.startswith(self.path.rstrip("/") + "/") or self.path == "/")


def parse_set_cookie(value: str) -> SetCookie | None:
    first, *attrs = value.split(";")
    name, sep, cookie_value = first.partition("=")
    if not sep or not name.strip():
        return None
    found: dict[str, str] = {}
    for attr in attrs:
        key, _, v = attr.strip().partition("=")
        found[key.strip().lower()] = v.strip()
    max_age = found.get("max-age")
    deletes = cookie_value.strip() in ("", '""') or (max_age is not None and max_age.lstrip("-").isdigit() and int(max_age) <= 0)
    same_site = found.get("samesite")
    return SetCookie(
        name=name.strip(),
        same_site=same_site.lower() if same_site else None,
        secure="secure" in found,
        domain=found.get("domain") or None,
        path=found.get("path") or "/",
        deletes=deletes,
    )


def cookie_names(header: str | None) -> set[str]:
    """Names in a ``Cookie`` request header."""
    if not header:
        return set()
    return {part.split("=", 1)[0].strip() for part in header.split(";") if "=" in part}
