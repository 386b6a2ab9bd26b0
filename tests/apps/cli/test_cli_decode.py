"""``sso-harness decode``: JSON keys, summary, exit codes, no tracebacks."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sso_harness.apps.cli import decode

REPO = Path(__file__).resolve().parents[3]
REQUIRED_KEYS = {
    "kind", "id", "issuer", "destination", "in_response_to", "status", "name_id", "audiences", "recipient",
    "not_before", "not_on_or_after", "attributes", "encrypted", "trusted", "signatures", "errors",
}  # fmt: skip


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sso-harness")
    commands = parser.add_subparsers(dest="cmd")
    decode.add_parser(commands)
    return decode.run(parser.parse_args(["decode", *argv]))


def test_json_output_on_a_sample(samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        [
            str(samples_dir / "onelogin_crewjam_2016.xml.b64"),
            "--idp-cert",
            str(samples_dir / "certs" / "onelogin_crewjam_2016.idp-cert.pem"),
            "--at",
            "2016-01-05T17:53:12Z",
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    view = json.loads(out)
    assert view.keys() >= REQUIRED_KEYS
    assert view["kind"] == "saml.response" and view["trusted"] is True and view["errors"] == []
    assert view["name_id"]["value"] == "ross@kndr.org"
    assert view["status"]["code"] == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert view["signatures"][0]["covers"] == "Response" and view["signatures"][0]["valid"] is True
    assert set(view["signatures"][0]) >= {
        "covers",
        "covers_id",
        "valid",
        "algorithm",
        "digest_algorithm",
        "reason",
        "certificate_sha256",
    }
    assert view["not_on_or_after"] == "2016-01-05T17:56:11Z"


def test_summary_output_and_multiple_certs_per_file(
    samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(
        (samples_dir / "certs" / "entra_2021_netsaml2_issue49.idp-cert.pem").read_bytes()
        + (samples_dir / "certs" / "onelogin_crewjam_2016.idp-cert.pem").read_bytes()
    )
    status = run_cli(
        [str(samples_dir / "onelogin_crewjam_2016.xml.b64"), "--idp-cert", str(bundle), "--at", "2024-01-01T00:00:00Z"]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    assert "trusted:" in out and out.rstrip().splitlines()[-1] != "trusted:         no"
    assert "name id:" in out and "ross@kndr.org" in out
    assert "VALID" in out and "errors:" in out and "is before the evaluation time" in out


def test_encrypted_sample_says_so(samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        [
            str(samples_dir / "okta_signed_response_encrypted_assertion.xml.b64"),
            "--sp-key",
            str(samples_dir / "keys" / "okta_signed_response_encrypted_assertion.sp-key.pem"),
            "--at",
            "2020-03-03T19:24:28Z",
        ]
    )
    out, _ = capsys.readouterr()
    assert status == 0
    assert "encrypted, decrypted with a supplied SP key" in out and "testuser@testrsc.com" in out


def test_encrypted_sample_without_a_key_says_how_to_decrypt(samples_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli([str(samples_dir / "okta_signed_response_encrypted_assertion.xml.b64"), "--at", "2020-03-03T19:24:28Z"])
    out, _ = capsys.readouterr()
    assert status == 0 and "not decrypted (pass the SP private key with --sp-key)" in out


@pytest.mark.parametrize(
    ("content", "extra", "needle"),
    [
        (b"this is not saml at all \x00\xff", [], "sso-harness decode: "),
        (b"<a><b></a>", [], "malformed XML"),
        (b"<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>", ["--at", "not-a-date"], "--at"),
        (
            b"<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>",
            ["--idp-cert", "/nonexistent.pem"],
            "--idp-cert",
        ),
    ],
)
def test_failures_exit_2_with_one_line(
    content: bytes, extra: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "input.txt"
    target.write_bytes(content)
    status = run_cli([str(target), *extra])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("sso-harness decode: ") and err.count("\n") == 1 and needle in err
    assert "Traceback" not in err


def test_missing_input_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["/nonexistent/input.xml"]) == 2
    assert (
        capsys.readouterr().err == "sso-harness decode: cannot read /nonexistent/input.xml: No such file or directory\n"
    )


def test_stdin_garbage_in_a_real_process() -> None:
    code = (
        "import argparse; from sso_harness.apps.cli import decode; p=argparse.ArgumentParser(); "
        "s=p.add_subparsers(dest='cmd'); decode.add_parser(s); raise SystemExit(decode.run(p.parse_args(['decode','-'])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=b"%%% garbage %%%\n", capture_output=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sso-harness decode: ")


def test_stdin_sample_in_a_real_process(sample_raw: Callable[[str], bytes]) -> None:
    code = (
        "import argparse; from sso_harness.apps.cli import decode; p=argparse.ArgumentParser(); "
        "s=p.add_subparsers(dest='cmd'); decode.add_parser(s); "
        "raise SystemExit(decode.run(p.parse_args(['decode','-','--json','--at','2008-05-27T07:50:00Z'])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=sample_raw("simplesamlphp_feide_openidp_2008.xml"),
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["trusted"] is False and view["signatures"][0]["reason"] == "digest mismatch"


def _signed_token(tmp_path: Path) -> tuple[str, Path]:
    import json as _json

    from cryptography.hazmat.primitives.asymmetric import ec

    from sso_harness.protocols.jose import jwks_from_keys, sign_jwt

    key = ec.generate_private_key(ec.SECP256R1())
    token = sign_jwt({"iss": "https://issuer.test", "aud": "client-1", "sub": "u", "exp": 1_900_000_000, "iat": 1_700_000_000, "nonce": "n1"}, key, "ES256", "k1")
    jwks = tmp_path / "jwks.json"
    jwks.write_text(_json.dumps(jwks_from_keys([(key.public_key(), "k1", "ES256")])))
    return token, jwks


def test_a_jwt_is_verified_against_a_jwks_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token, jwks = _signed_token(tmp_path)
    src = tmp_path / "token.txt"
    src.write_text(token)
    status = run_cli([str(src), "--jwks", str(jwks), "--client-id", "client-1", "--nonce", "n1", "--at", "2027-01-01T00:00:00Z", "--json"])
    view = json.loads(capsys.readouterr().out)
    assert status == 0 and view["kind"] == "jose.jwt" and view["trusted"] is True and view["claims"]["sub"] == "u"
    status = run_cli([str(src), "--jwks", str(jwks), "--client-id", "other", "--at", "2027-01-01T00:00:00Z", "--json"])
    view = json.loads(capsys.readouterr().out)
    assert status == 0 and view["trusted"] is False and any("aud" in e for e in view["errors"])


def test_an_entra_error_callback_carries_its_catalogue_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "cb.txt"
    src.write_text("https://app.example/cb?error=invalid_client&error_description=AADSTS7000215%3A+Invalid+client+secret&state=s")
    assert run_cli([str(src)]) == 0
    out = capsys.readouterr().out
    assert "oauth.authorize_response" in out and "7000215" in out and "secret's ID" in out


def test_a_wsfed_signin_url_is_decoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "wsfed.txt"
    src.write_text("https://login.example/tenant/wsfed?wa=wsignin1.0&wtrealm=urn%3Afederation%3AMicrosoftOnline&wctx=abc&whr=contoso.com")
    assert run_cli([str(src), "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["kind"] == "wsfed.signin_request" and view["wtrealm"] == "urn:federation:MicrosoftOnline" and view["whr"] == "contoso.com"


def test_a_wsfed_signin_url_is_summarised_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "wsfed.txt"
    src.write_text("https://login.example/tenant/wsfed?wa=wsignin1.0&wtrealm=urn%3Afederation%3AMicrosoftOnline&wctx=abc&whr=contoso.com")
    assert run_cli([str(src)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["kind:", "wsfed.signin_request"]
    assert "urn:federation:MicrosoftOnline" in out and "contoso.com" in out and "evaluated at:" in out
