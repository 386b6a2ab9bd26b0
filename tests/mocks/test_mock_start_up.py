"""Start-up helpers: keys made ahead of time (KeyPool), keys known by file, a background start."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from sso_harness.mocks.base.key_pool import KeyPool
from sso_harness.mocks.base.keys import KeyRing, key_for_file, make_keypair
from sso_harness.mocks.saml.crypto import _private_key
from sso_harness.mocks.web.background import BackgroundStart
from sso_harness.mocks.web.servers import LoopbackService


def test_a_pool_hands_out_each_key_once_and_removes_its_file(tmp_path: Path) -> None:
    pool = KeyPool(tmp_path / "pool", size=3)
    assert pool.take() is None  # no folder yet: the caller generates
    assert pool.fill() == 3 and pool.count() == 3
    assert stat.S_IMODE((tmp_path / "pool").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (tmp_path / "pool").iterdir())
    keys = [pool.take() for _ in range(3)]
    assert all(isinstance(k, rsa.RSAPrivateKey) and k.key_size == 2048 for k in keys)
    numbers = {k.private_numbers().p for k in keys if k is not None}
    assert len(numbers) == 3
    assert pool.count() == 0 and pool.take() is None
    assert list((tmp_path / "pool").iterdir()) == []


def test_a_damaged_key_file_is_dropped_and_the_next_one_given(tmp_path: Path) -> None:
    pool = KeyPool(tmp_path, size=1)
    pool.fill()
    (tmp_path / "0000-damaged.key.pem").write_text("not a key")  # sorts first
    assert isinstance(pool.take(), rsa.RSAPrivateKey)
    assert pool.count() == 0


def test_two_takers_at_once_never_share_a_key(tmp_path: Path) -> None:
    pool = KeyPool(tmp_path, size=4)
    pool.fill()
    got: list[rsa.RSAPrivateKey | None] = []
    workers = [threading.Thread(target=lambda: got.extend(pool.take() for _ in range(3))) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    keys = [k for k in got if k is not None]
    assert len(keys) == 4 and len({k.private_numbers().p for k in keys}) == 4


def test_a_ring_takes_from_its_pool_and_puts_back_as_many(tmp_path: Path) -> None:
    pool = KeyPool(tmp_path / "pool", size=5)
    pool.fill(2)
    ring = KeyRing(tmp_path / "ring", pool=pool)
    pairs = [ring.get(name) for name in ("a", "b", "c")]  # two from the pool, one generated
    assert pool.count() == 0 and ring.made == 3
    assert len({p.cert.serial_number for p in pairs}) == 3
    assert ring.refill_pool() == 3 and pool.count() == 3
    assert ring.refill_pool() == 0  # already given back


def test_a_written_key_is_known_by_its_file_so_signing_does_not_parse_it_again(tmp_path: Path) -> None:
    pair = make_keypair("known", tmp_path)
    assert key_for_file(pair.key_file) is pair.key
    assert _private_key(str(pair.key_file)) is pair.key
    assert key_for_file(tmp_path / "other.key.pem") is None


class _Service(LoopbackService):
    def __init__(self, fail: bool = False) -> None:
        self.fail, self.started, self.stopped = fail, False, 0

    def _start(self) -> None:
        if self.fail:
            raise OSError("port taken")
        self.started = True

    def stop(self) -> None:
        self.stopped += 1


def test_a_background_start_builds_once_and_hands_back_the_running_service() -> None:
    built: list[_Service] = []

    def build() -> _Service:
        built.append(_Service())
        return built[-1].start()

    start = BackgroundStart(build)
    assert not start.begun
    start.begin()
    start.begin()
    service = start.result()
    assert start.result() is service and built == [service] and service.started
    start.stop()
    assert service.stopped == 1
    start.stop()  # nothing left to stop
    assert service.stopped == 1


def test_a_failed_background_start_raises_its_error_where_the_result_is_asked() -> None:
    failing = _Service(fail=True)
    start = BackgroundStart(failing.start)
    start.begin()
    with pytest.raises(OSError) as first:
        start.result()
    with pytest.raises(OSError) as again:
        start.result()
    assert again.value is first.value
    assert failing.stopped == 1  # LoopbackService undoes a partial start
    start.stop()


def test_stopping_a_start_never_begun_does_nothing() -> None:
    BackgroundStart(_Service().start).stop()


# Each case runs in a new interpreter: the cache acts only on the first import of saml2.xml.schema.
_SCHEMA_CHILD = """
import sys
from pathlib import Path
from sso_harness.mocks.saml.schema_cache import import_pysaml2_schema
how = import_pysaml2_schema(Path(sys.argv[1]))
import xmlschema
import saml2.xml.schema as schema
assert schema._XMLSchema is xmlschema.XMLSchema and xmlschema.XMLSchema.__name__ == "XMLSchema10"
ok = '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="2.0" IssueInstant="2024-01-01T00:00:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>'
schema.validate(ok)
try:
    schema.validate(ok.replace(' Version="2.0"', ''))
except schema.XMLSchemaError:
    print(how)
"""


def _schema_child(cache: Path) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _SCHEMA_CHILD, str(cache)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_pysaml2_schema_is_built_once_then_read_from_the_cache_and_validates_the_same(tmp_path: Path) -> None:
    assert _schema_child(tmp_path) == "built, cached"
    (cached,) = tmp_path.iterdir()
    assert cached.suffix == ".pickle" and stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert _schema_child(tmp_path) == "from cache"


def test_a_damaged_schema_cache_is_rebuilt(tmp_path: Path) -> None:
    from sso_harness.mocks.saml.schema_cache import cache_file

    cache_file(tmp_path).write_bytes(b"not a pickle")
    assert _schema_child(tmp_path) == "built, cached"
    assert _schema_child(tmp_path) == "from cache"


def test_the_schema_cache_does_nothing_once_pysaml2_has_imported_it(tmp_path: Path) -> None:
    import saml2.xml.schema  # noqa: F401

    from sso_harness.mocks.saml.schema_cache import import_pysaml2_schema

    assert import_pysaml2_schema(tmp_path) == "imported before"
    assert list(tmp_path.iterdir()) == []


def test_a_key_file_rewritten_since_is_not_answered_from_memory(tmp_path: Path) -> None:
    import os

    pair = make_keypair("rewritten", tmp_path)
    other = make_keypair("other", tmp_path / "o")
    pair.key_file.write_bytes(other.key_file.read_bytes())
    os.utime(pair.key_file, ns=(1, 1))
    assert key_for_file(pair.key_file) is None
