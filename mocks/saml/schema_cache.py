"""pysaml2's schema validator, built once per installation rather than at every import.

Importing ``saml2.xml.schema`` (anything that signs or verifies through
pysaml2 does) builds an ``xmlschema`` validator for the SAML protocol schema
and its imports: about 0.6 CPU-seconds, the largest single part of a fleet's
start. The built validator pickles (about 700 KB) and loads in under a tenth
of that.

:func:`import_pysaml2_schema` imports the module with the validator read from
a cache file, or built as pysaml2 builds it and then written there. How:
during that one import, ``xmlschema.XMLSchema`` is a function that answers
pysaml2's own call (source: its bundled protocol schema) with the cached
validator and passes any other call to the real class; afterwards both
``xmlschema.XMLSchema`` and pysaml2's alias of it are the real class again.
If the module is already imported this does nothing; if anything about the
cache fails, the import is pysaml2's own.

The cache file is named after the pysaml2, xmlschema and Python versions
(an upgrade builds afresh), mode 0600, in the tools folder
(:mod:`sso_harness.tools_dir`). Unpickling runs code from that file, so it
is only ever read from there: a folder with the same owner and trust as the
virtualenv.
"""

from __future__ import annotations

import os
import pickle
import secrets
import sys
import threading
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from sso_harness.tools_dir import tool_dir

__all__ = ["CACHE_TOOL", "cache_file", "import_pysaml2_schema"]

CACHE_TOOL = "pysaml2-schema"
_MODULE = "saml2.xml.schema"
_lock = threading.Lock()


def cache_file(directory: Path | None = None) -> Path:
    """Where this installation's pysaml2 / xmlschema / Python keep the built validator."""
    versions = f"pysaml2-{metadata.version('pysaml2')}_xmlschema-{metadata.version('xmlschema')}_py{sys.version_info[0]}{sys.version_info[1]}"
    return (directory or tool_dir(CACHE_TOOL)) / f"{versions}.pickle"


def _protocol_schema() -> str:
    import saml2.data.schemas as schemas  # data only: importing it builds nothing

    return str(resources.files(schemas).joinpath("saml-schema-protocol-2.0.xsd"))


def import_pysaml2_schema(directory: Path | None = None) -> str:
    """Import ``saml2.xml.schema`` using the cache; says how: ``"imported before"``, ``"from cache"``,
    ``"built, cached"`` or ``"built"`` (the cache could not be read or written)."""
    with _lock:
        if _MODULE in sys.modules:
            return "imported before"
        import xmlschema

        real = xmlschema.XMLSchema
        try:
            path = cache_file(directory)
            protocol = _protocol_schema()
        except Exception:  # no metadata, no package data: leave it all to pysaml2
            import saml2.xml.schema  # noqa: F401  # the plain import, building as pysaml2 does

            return "built"
        cached = _read(path, real)
        built: list[Any] = []
        xmlschema.XMLSchema = _answering(real, protocol, cached, built)  # type: ignore[assignment]  # the one-import hook, see the module docstring
        try:
            import saml2.xml.schema as module
        finally:
            xmlschema.XMLSchema = real  # restored: the hook lives for this import only
        module._XMLSchema = real  # later calls in pysaml2 build with the real class
        if cached is not None:
            return "from cache"
        return "built, cached" if built and _write(path, built[0]) else "built"


def _answering(real: type, protocol: str, cached: object | None, built: list[Any]) -> Callable[..., Any]:
    def schema(source: object = None, *args: Any, **kwargs: Any) -> Any:
        if source != protocol:
            return real(source, *args, **kwargs)
        if cached is not None:
            return cached
        validator = real(source, *args, **kwargs)
        built.append(validator)
        return validator

    return schema


def _read(path: Path, real: type) -> object | None:
    try:
        with path.open("rb") as fh:
            validator = pickle.load(fh)  # our own file in our own folder: see the module docstring
    except Exception:  # missing, truncated, from an incompatible build: build afresh
        return None
    return validator if isinstance(validator, real) else None


def _write(path: Path, validator: object) -> bool:
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            pickle.dump(validator, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)  # whole or not at all, for a reader in another worker
        return True
    except Exception:  # a read-only or full disk, a validator that does not pickle: the next start builds again
        partial.unlink(missing_ok=True)
        return False
