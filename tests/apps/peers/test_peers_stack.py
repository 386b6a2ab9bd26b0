"""The packaged peers targets file and what `sso-harness peers up` needs to start for it (nothing is started here)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from sso_harness.apps.cli.peers import write_env_file
from sso_harness.apps.peers.stack import PEERS_TARGETS, TARGET_PEERS, UNKNOWN_TARGET, PeerStack
from sso_harness.targets.load import load_targets


class _Placeholders(Mapping[str, str]):
    def __getitem__(self, key: str) -> str:
        return f"http://placeholder.invalid/{key}"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return True


def test_every_target_of_the_file_names_the_peers_it_needs() -> None:
    targets = load_targets(PEERS_TARGETS, env=_Placeholders())
    assert set(targets) == set(TARGET_PEERS)
    assert all(t.sps and t.users for t in targets.values())


def test_the_file_reads_only_peer_values_and_its_secrets_from_the_environment() -> None:
    names = set(re.findall(r"\$\{([A-Z_]+)\}", PEERS_TARGETS.read_text(encoding="utf-8")))
    assert names and all(n.startswith("PEER_") for n in names)


def test_an_unknown_target_is_refused_with_its_code(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match=UNKNOWN_TARGET):
        PeerStack(tmp_path, ["no-such-peer"])
    assert PeerStack(tmp_path, ["mellon-simplesamlphp"]).peers == {"simplesamlphp", "mellon"}
    assert PeerStack(tmp_path).peers == {p for ps in TARGET_PEERS.values() for p in ps}


def test_the_env_file_is_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "peers.env"
    write_env_file(path, {"PEER_B": "2", "PEER_A_PASSWORD": "x"})
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8").splitlines()[1:] == ["PEER_A_PASSWORD=x", "PEER_B=2"]
