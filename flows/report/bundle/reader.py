"""Reading a bundle back: its metadata, its files, and a loopback server for its pages.

``sso-harness open`` serves the zip's members straight from the archive on
127.0.0.1 (nothing is extracted), so the timeline's links to ``trace.json``
and the screenshots work as they do in the zip.
"""

from __future__ import annotations

import json
import mimetypes
import threading
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sso_harness.report.bundle.metadata import BUNDLE_SCHEMA

__all__ = ["BundleError", "BundleInfo", "read_bundle", "BundleServer"]


class BundleError(ValueError):
    """Not a readable sso-harness bundle; the message says why."""


@dataclass(frozen=True)
class BundleInfo:
    path: Path
    metadata: dict[str, Any]
    names: tuple[str, ...]

    @property
    def redacted(self) -> bool:
        return bool(self.metadata.get("redaction", {}).get("enabled", True))


def read_bundle(path: Path) -> BundleInfo:
    try:
        with zipfile.ZipFile(path) as z:
            names = tuple(z.namelist())
            if "index.html" not in names:
                raise BundleError(f"{path}: no index.html in the zip; is this an sso-harness bundle?")
            meta = json.loads(z.read("bundle.json")) if "bundle.json" in names else {}
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{path}: cannot read the zip ({exc})") from None
    except ValueError as exc:
        raise BundleError(f"{path}: bundle.json is not JSON ({exc})") from None
    if meta and meta.get("schema") != BUNDLE_SCHEMA:
        raise BundleError(f"{path}: bundle.json has schema {meta.get('schema')!r}, not {BUNDLE_SCHEMA!r}")
    return BundleInfo(Path(path), meta, names)


class BundleServer:
    """Serve a bundle's members on ``http://127.0.0.1:<port>/``; use as a context manager."""

    def __init__(self, path: Path, port: int = 0) -> None:
        self.info = read_bundle(path)
        zf = zipfile.ZipFile(path)
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                name = unquote(urlsplit(self.path).path).lstrip("/") or "index.html"
                try:
                    with lock:
                        body = zf.read(name)
                except KeyError:
                    self.send_error(404, "not in this bundle")
                    return
                ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
                if name.endswith((".json", ".har")):
                    ctype = "application/json"
                if ctype.startswith("text/") or ctype == "application/json":
                    ctype += "; charset=utf-8"
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._zip = zf
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="bundle-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def start(self) -> "BundleServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._zip.close()

    def __enter__(self) -> "BundleServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
