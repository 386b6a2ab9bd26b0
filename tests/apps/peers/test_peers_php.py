"""PHP literals: what we write is what PHP reads back, and no value can become code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sso_harness.apps.peers.php import PhpExpr, php_file, php_literal


def _php_eval(php: str, tmp_path: Path, source: str, variable: str = "config") -> object:
    path = tmp_path / "probe.php"
    path.write_text(source, encoding="utf-8")
    code = f"include {php_literal(str(path))}; echo json_encode(${variable});"
    out = subprocess.run([php, "-r", code], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(out.stdout)


def test_scalars_are_written_as_php_reads_them() -> None:
    assert php_literal(None) == "null"
    assert php_literal(True) == "true" and php_literal(False) == "false"
    assert php_literal(180) == "180"
    assert php_literal("it's a \\ path") == "'it\\'s a \\\\ path'"
    assert php_literal(PhpExpr("SimpleSAML\\Logger::INFO")) == "SimpleSAML\\Logger::INFO"
    assert php_literal([]) == "[]" and php_literal({}) == "[]"


def test_values_the_harness_did_not_mean_to_write_are_refused() -> None:
    with pytest.raises(TypeError, match="set"):
        php_literal({1, 2})
    with pytest.raises(TypeError, match="keys"):
        php_literal({(1, 2): "x"})
    with pytest.raises(TypeError, match="keys"):
        php_literal({True: "x"})


def test_metadata_files_assign_each_entity_by_key() -> None:
    text = php_file("metadata", {"https://sp.example/": {"NameIDFormat": "x"}})
    assert text.startswith("<?php\n")
    assert "$metadata['https://sp.example/'] = [" in text


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**31, 2**31) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd", "Po", "Zs")), min_size=1, max_size=10).filter(lambda k: not k.isdigit()), inner, max_size=4),
    max_leaves=12,
)


def _as_php_sees(value: object) -> object:
    """PHP has one array type: an empty mapping reads back as an empty list."""
    if isinstance(value, dict):
        return {k: _as_php_sees(v) for k, v in value.items()} if value else []
    if isinstance(value, list):
        return [_as_php_sees(v) for v in value]
    return value


@settings(max_examples=25, deadline=None)
@given(value=st.dictionaries(st.text(st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=8), _VALUES, max_size=5))
def test_php_reads_back_exactly_what_was_written(php: str, tmp_path_factory: pytest.TempPathFactory, value: dict) -> None:
    # Quotes, backslashes, "?>", "$var" and "{$x}" in values stay text: single-quoted strings interpolate nothing.
    seen = _php_eval(php, tmp_path_factory.mktemp("php"), php_file("config", value))
    assert seen == _as_php_sees(value)


def test_hostile_text_stays_text(php: str, tmp_path: Path) -> None:
    hostile = {"a": "'; system('id'); $x = '", "b": "\\'; phpinfo(); //", "c": "?><?php echo 1; ?>", "d": "${x}{$y}\\\\"}
    assert _php_eval(php, tmp_path, php_file("config", hostile)) == hostile
