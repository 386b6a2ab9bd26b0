"""Templates and operators: the small pieces every check goes through."""

from __future__ import annotations

import pytest

from sso_harness.apps.tutorials.errors import ValueMissing
from sso_harness.apps.tutorials.predicates import describe, holds, show
from sso_harness.apps.tutorials.template import fill, fill_any, resolve_bindings


def test_fill_replaces_whole_dotted_names() -> None:
    values = {"sp.origin": "http://a:1", "endpoints.idp.sso.url": "http://i/sso"}
    assert fill("{sp.origin}/x?y={endpoints.idp.sso.url}", values) == "http://a:1/x?y=http://i/sso"


def test_a_missing_name_is_reported_by_name() -> None:
    with pytest.raises(ValueMissing) as caught:
        fill("{sp.origin}/{user.email}", {"sp.origin": "o"})
    assert caught.value.name == "user.email" and "{user.email}" in str(caught.value)


def test_regular_expression_braces_are_not_placeholders() -> None:
    assert fill(r"[0-9a-f]{8}-\d{4}", {}) == r"[0-9a-f]{8}-\d{4}"


def test_fill_any_fills_nested_values_and_makes_lists_tuples() -> None:
    out = fill_any({"certs": ["{a}", "b"], "n": 3, "none": None}, {"a": "A"})
    assert out == {"certs": ("A", "b"), "n": 3, "none": None}


def test_bindings_resolve_in_dependency_order_and_cycles_stay_missing() -> None:
    values = resolve_bindings({"sp.landing": "{sp.portal}/home", "sp.portal": "{urls.sp}/p", "x": "{y}", "y": "{x}"}, {"urls.sp": "http://s"})
    assert values["sp.landing"] == "http://s/p/home" and "x" not in values and "y" not in values


@pytest.mark.parametrize(
    ("op", "value", "expected", "result"),
    [
        ("equals", "a", "a", True), ("equals", [7000215], ["7000215"], True), ("equals", True, "true", False),
        ("not_equals", "a", "b", True), ("one_of", "u@x", ["u@x", "v@x"], True), ("one_of", "w@x", ("u@x",), False),
        ("contains", [500011, 65001], 65001, True), ("contains", [500011], "500011", True), ("contains", "abc", "b", True),
        ("contains", None, "b", False), ("not_contains", ["a"], "b", True),
        ("starts_with", "http://a/b", "http://a/", True), ("starts_with", None, "x", False), ("not_starts_with", "http://b", "http://a", True),
        ("matches", "http://h/common/oauth2/v2.0/authorize", r".*/oauth2/v2\.0/authorize", True), ("matches", 5, "5", False),
        ("present", "x", True, True), ("present", [], True, False), ("present", None, False, True), ("present", False, False, True),
        ("at_least", 403, 400, True), ("at_least", None, 400, False), ("at_most", "2", 3, True), ("at_least", True, 0, False),
        ("bogus", 1, 1, False),
    ],
)
def test_operators(op: str, value: object, expected: object, result: bool) -> None:
    assert holds(op, value, expected) is result


def test_operators_and_values_read_as_a_spec_author_wrote_them() -> None:
    assert describe("equals", True) == "equal to true"
    assert describe("contains", 7000215) == "to contain 7000215"
    assert describe("one_of", ("a", "b")) == "one of ['a', 'b']"
    assert describe("matches", "x.*") == "to match /x.*/"
    assert describe("present", False) == "no value"
    assert show(None) == "null" and show((1, "a")) == "[1, 'a']"
