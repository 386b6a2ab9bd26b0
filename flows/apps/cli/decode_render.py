"""Human-readable text for decoded OAuth / OIDC / JWT and WS-Federation messages.

The JSON view is the single source of what is shown (secrets already
reduced there to presence and a fingerprint); this lays it out as aligned
``key: value`` lines with nested objects indented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sso_harness.protocols.oauth import to_json
from sso_harness.protocols.oauth.jsonview import OAuthView
from sso_harness.protocols.wsfed import WsFedMessage, wsfed_to_json

__all__ = ["render_oauth", "render_wsfed", "render_view"]

FIRST = ("kind", "trusted", "endpoint", "client_id", "issuer", "errors", "warnings")
WSFED_FIRST = ("kind", "trusted", "wtrealm", "wreply", "wctx", "whr", "errors", "warnings")


def render_oauth(message: OAuthView, *, evaluated_at: str | None = None) -> str:
    # Claims are shown on the terminal of the person who pasted the token;
    # written reports keep them hidden (see sso_harness.report).
    return render_view(to_json(message, reveal_claims=True), first=FIRST, evaluated_at=evaluated_at)


def render_wsfed(message: WsFedMessage, *, evaluated_at: str | None = None) -> str:
    return render_view(wsfed_to_json(message), first=WSFED_FIRST, evaluated_at=evaluated_at)


def render_view(view: Mapping[str, Any], *, first: Sequence[str] = FIRST, evaluated_at: str | None = None) -> str:
    """A JSON view as ``key: value`` lines, the keys in ``first`` leading; ends with a newline.

    Empty values and absent secrets are left out.
    """
    keys = [k for k in first if k in view] + [k for k in view if k not in first]
    lines: list[str] = []
    for key in keys:
        _emit(lines, key, view[key], 0)
    if evaluated_at:
        lines.append(f"{'evaluated at:':<22}{evaluated_at}")
    return "\n".join(lines) + "\n"


def _emit(lines: list[str], key: str, value: Any, depth: int) -> None:
    pad = "  " * depth
    label = f"{pad}{key.replace('_', ' ')}:"
    if value is None or value == [] or value == {}:
        return
    if isinstance(value, dict) and value.get("present") is False:
        return  # an absent secret: nothing to say
    if isinstance(value, dict) and value.get("present") is True and "sha256_8" in value:
        lines.append(f"{label:<22}present ({value.get('length')} chars, sha256 {value['sha256_8']}...)")
        return
    if isinstance(value, dict):
        lines.append(label)
        for k, v in value.items():
            _emit(lines, str(k), v, depth + 1)
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        lines.append(label)
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    _emit(lines, ("- " if first else "  ") + str(k), v, depth + 1)
                    first = False
            else:
                lines.append(f"{pad}  - {item}")
    elif isinstance(value, list):
        lines.append(f"{label:<22}{', '.join(str(v) for v in value)}")
    elif isinstance(value, bool):
        lines.append(f"{label:<22}{'yes' if value else 'no'}")
    else:
        lines.append(f"{label:<22}{value}")
