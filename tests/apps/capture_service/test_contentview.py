"""The ``SSO`` content view, driven with mitmproxy's own test flows and addon context."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from mitmproxy import contentviews, http
from mitmproxy.test import taddons, tflow, tutils

from sso_harness.apps.capture_service.contentview import SsoContentView, SsoView

from ...capture.intake import shapes

SCRIPT = Path(__file__).resolve().parents[3] / "flows" / "apps" / "capture_service" / "contentview.py"


@pytest.fixture
def view() -> Iterator[SsoView]:
    addon = SsoContentView()
    with taddons.context(addon):  # mitmproxy calls load(): the view is registered
        assert contentviews.get("SSO") is addon.view
        yield addon.view
        addon.done()
    assert contentviews.get("SSO") is None


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[shapes.Step]:
    return shapes.failing_flow(tmp_path_factory.mktemp("keys"))


def _show(message: http.Message, flow: http.HTTPFlow) -> tuple[str, list[str]]:
    description, lines, error = contentviews.get_message_content_view("auto", message, flow)
    assert error is None
    return description, ["".join(str(text) for _, text in line) for line in lines]


def test_a_posted_saml_response_is_decoded_in_auto_mode(view: SsoView, steps: list[shapes.Step]) -> None:
    acs = steps[3]
    f = tflow.tflow(req=tutils.treq(method=b"POST", content=acs.request_body,
                                    headers=http.Headers(content_type="application/x-www-form-urlencoded")))
    description, lines = _show(f.request, f)
    assert description == "SSO: SAML saml.response"
    assert any(shapes.WRONG_AUDIENCE in line for line in lines)
    assert any(line.startswith("<samlp:Response") or "<samlp:Response" in line for line in lines)


def test_a_redirect_binding_request_and_its_302_are_decoded(view: SsoView, steps: list[shapes.Step]) -> None:
    f = tflow.tflow(resp=tutils.tresp(status_code=302, content=b"",
                                      headers=http.Headers(location=steps[0].resp_headers[0][1])))
    assert _show(f.response, f)[0] == "SSO: SAML saml.authn_request"  # type: ignore[arg-type]
    f.request.url = steps[1].url
    f.request.content = b""
    assert _show(f.request, f)[0] == "SSO: SAML saml.authn_request"


def test_a_token_response_and_a_bare_jwt(view: SsoView) -> None:
    claims = base64.urlsafe_b64encode(json.dumps({"iss": "https://op.example", "sub": "u1", "aud": "c1"}).encode()).rstrip(b"=")
    jwt = b"eyJhbGciOiJSUzI1NiJ9." + claims + b".c2ln"
    f = tflow.tflow(resp=tutils.tresp(content=jwt, headers=http.Headers(content_type="application/jwt")))
    description, lines = _show(f.response, f)  # type: ignore[arg-type]
    assert "SSO" in description and any("https://op.example" in line for line in lines)


def test_ordinary_content_is_left_to_mitmproxy_s_views(view: SsoView) -> None:
    f = tflow.tflow(resp=tutils.tresp(content=b'{"hello": "world"}', headers=http.Headers(content_type="application/json")))
    assert view.render_priority(b'{"hello": "world"}', http_message=f.response, flow=f) == 0.0
    assert _show(f.response, f)[0] != "SSO"  # type: ignore[arg-type]
    assert view(b"plain text", flow=f, http_message=f.response) is None


def test_the_file_loads_as_a_mitmproxy_script() -> None:
    with taddons.context() as tctx:
        module = tctx.script(str(SCRIPT))  # mitmproxy loads the file and walks its `addons` list
        assert [type(a).__name__ for a in module.addons] == ["SsoContentView"]
        module.addons[0].done()  # what mitmproxy calls on exit
    assert contentviews.get("SSO") is None


def test_a_ws_federation_sign_in_request_is_decoded(view: SsoView) -> None:
    f = tflow.tflow()
    f.request.url = "https://idp.example/wsfed?wa=wsignin1.0&wtrealm=urn%3Aapp&wctx=rm%3D0"
    description, lines = _show(f.request, f)
    assert description.startswith("SSO: WS-Fed") and any("urn:app" in line for line in lines)
