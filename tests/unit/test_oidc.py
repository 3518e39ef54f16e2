"""The OIDC client against a fake transport: discovery, authorize URL, token exchange, ID token checks."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from drop.auth.oidc import (
    HttpResult,
    OidcClient,
    OidcConfig,
    OidcError,
    UrllibTransport,
    new_pkce_pair,
    pkce_challenge,
    reset_oidc_cache,
)

ISSUER = "https://bankid.example"
CLIENT = "drop"
SECRET = "s3cret/+="
NONCE = "nonce-1"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY, OTHER_KEY = _key(), _key()


def _jwk(key: rsa.RSAPrivateKey, kid: str, **extra: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, **extra}


class FakeProvider:
    """Answers like a provider would; records what the client sent."""

    def __init__(self) -> None:
        self.discovery: dict[str, Any] = {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize?ui_locales=nb",
            "token_endpoint": f"{ISSUER}/token",
            "jwks_uri": f"{ISSUER}/jwks",
        }
        self.keys = [_jwk(KEY, "k1")]
        self.token_reply = HttpResult(200, b"{}")
        self.gets: list[str] = []
        self.posts: list[tuple[str, dict[str, str], dict[str, str]]] = []

    def get(self, url: str) -> HttpResult:
        self.gets.append(url)
        if url.endswith("/.well-known/openid-configuration"):
            return HttpResult(200, json.dumps(self.discovery).encode())
        if url.endswith("/jwks"):
            return HttpResult(200, json.dumps({"keys": self.keys}).encode())
        return HttpResult(404, b"{}")

    def post_form(self, url: str, form: dict[str, str], headers: dict[str, str]) -> HttpResult:
        self.posts.append((url, form, headers))
        return self.token_reply


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    reset_oidc_cache()
    yield
    reset_oidc_cache()


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def client(provider: FakeProvider) -> OidcClient:
    return OidcClient(OidcConfig(ISSUER, CLIENT, SECRET), transport=provider)


def id_token(key: rsa.RSAPrivateKey = KEY, kid: str = "k1", **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": CLIENT, "sub": "s", "iat": now, "exp": now + 300, "nonce": NONCE}
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def test_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    assert (
        pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    verifier, challenge = new_pkce_pair()
    assert 43 <= len(verifier) <= 128 and challenge == pkce_challenge(verifier)


def test_authorization_url_keeps_the_endpoints_own_query_and_adds_every_parameter(client: OidcClient) -> None:
    url = client.authorization_url(state="st", nonce="no", code_challenge="ch", redirect_uri="https://api/cb")
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{ISSUER}/authorize"
    assert dict(urllib.parse.parse_qsl(parts.query)) == {
        "ui_locales": "nb",
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": "https://api/cb",
        "scope": "openid profile",
        "state": "st",
        "nonce": "no",
        "code_challenge": "ch",
        "code_challenge_method": "S256",
    }


def test_discovery_is_cached_per_container(client: OidcClient, provider: FakeProvider) -> None:
    client.metadata()
    OidcClient(client.config, transport=provider).metadata()
    assert provider.gets == [f"{ISSUER}/.well-known/openid-configuration"]


@pytest.mark.parametrize(
    "change",
    [
        {"issuer": "https://evil.example"},
        {"token_endpoint": None},
        {"jwks_uri": "http://bankid.example/jwks"},  # plain HTTP off this machine
        {"token_endpoint_auth_methods_supported": "client_secret_basic"},
    ],
)
def test_a_bad_discovery_document_is_an_oidc_error(
    client: OidcClient, provider: FakeProvider, change: dict[str, Any]
) -> None:
    provider.discovery.update(change)
    provider.discovery = {k: v for k, v in provider.discovery.items() if v is not None}
    with pytest.raises(OidcError):
        client.metadata()


def test_an_http_issuer_is_refused_unless_it_is_on_this_machine() -> None:
    with pytest.raises(OidcError):
        UrllibTransport().get("http://bankid.example/.well-known/openid-configuration")


def test_an_unreachable_provider_is_an_oidc_error() -> None:
    with pytest.raises(OidcError):
        UrllibTransport(timeout=2).get("http://127.0.0.1:9/.well-known/openid-configuration")


def test_token_exchange_uses_client_secret_basic_with_form_encoded_credentials(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.token_reply = HttpResult(200, json.dumps({"id_token": "the-token"}).encode())

    assert client.exchange_code(code="c", code_verifier="v", redirect_uri="https://api/cb") == "the-token"

    url, form, headers = provider.posts[0]
    assert url == f"{ISSUER}/token"
    assert form == {
        "grant_type": "authorization_code",
        "code": "c",
        "redirect_uri": "https://api/cb",
        "code_verifier": "v",
    }
    user, _, password = (
        base64.b64decode(headers["Authorization"].removeprefix("Basic ")).decode().partition(":")
    )
    assert (user, password) == (CLIENT, urllib.parse.quote_plus(SECRET))


def test_token_exchange_falls_back_to_client_secret_post(client: OidcClient, provider: FakeProvider) -> None:
    provider.discovery["token_endpoint_auth_methods_supported"] = ["client_secret_post"]
    provider.token_reply = HttpResult(200, json.dumps({"id_token": "t"}).encode())
    client.exchange_code(code="c", code_verifier="v", redirect_uri="https://api/cb")
    _, form, headers = provider.posts[0]
    assert form["client_id"] == CLIENT and form["client_secret"] == SECRET and "Authorization" not in headers


@pytest.mark.parametrize(
    "reply",
    [
        HttpResult(400, b'{"error": "invalid_grant"}'),
        HttpResult(500, b"<html>oops</html>"),
        HttpResult(200, b'{"access_token": "a"}'),
        HttpResult(200, b"[]"),
    ],
)
def test_a_failed_token_exchange_is_an_oidc_error(
    client: OidcClient, provider: FakeProvider, reply: HttpResult
) -> None:
    provider.token_reply = reply
    with pytest.raises(OidcError):
        client.exchange_code(code="c", code_verifier="v", redirect_uri="https://api/cb")


def test_a_good_id_token_gives_its_claims(client: OidcClient) -> None:
    claims = client.verify_id_token(id_token(bankid_altsub="9578"), nonce=NONCE)
    assert claims["bankid_altsub"] == "9578"


def test_an_audience_list_needs_azp_to_be_this_client(client: OidcClient) -> None:
    assert client.verify_id_token(id_token(aud=[CLIENT, "x"], azp=CLIENT), nonce=NONCE)
    with pytest.raises(OidcError):
        client.verify_id_token(id_token(aud=[CLIENT, "x"]), nonce=NONCE)


def _unsigned(claims: dict[str, Any]) -> str:
    def b64(d: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'kid': 'k1'})}.{b64(claims)}."


@pytest.mark.parametrize(
    "token",
    [
        lambda: id_token(nonce="another"),
        lambda: id_token(nonce=None),
        lambda: id_token(iss="https://evil.example"),
        lambda: id_token(aud="someone-else"),
        lambda: id_token(exp=int(time.time()) - 120),
        lambda: id_token(iat=int(time.time()) + 3600),
        lambda: id_token(iat=None),
        lambda: id_token(key=OTHER_KEY),
        lambda: id_token(key=OTHER_KEY, kid="k9"),
        lambda: jwt.encode({"iss": ISSUER, "aud": CLIENT}, "h" * 32, "HS256", headers={"kid": "k1"}),
        lambda: _unsigned({"iss": ISSUER, "aud": CLIENT, "nonce": NONCE, "exp": int(time.time()) + 60}),
        lambda: id_token()[:-4] + "AAAA",
        lambda: "not.a.jwt",
        lambda: jwt.encode({"nonce": NONCE}, KEY, algorithm="RS256"),  # no kid
    ],
    ids=[
        "wrong-nonce", "no-nonce", "wrong-iss", "wrong-aud", "expired", "issued-in-future", "no-iat",
        "foreign-key-same-kid", "unknown-kid", "hs256", "alg-none", "bad-signature", "garbage", "no-kid",
    ],
)  # fmt: skip
def test_a_bad_id_token_is_an_oidc_error(client: OidcClient, token: Any) -> None:
    with pytest.raises(OidcError):
        client.verify_id_token(token(), nonce=NONCE)


def test_an_unknown_kid_refetches_the_jwks_once_so_a_rotated_key_works(
    client: OidcClient, provider: FakeProvider
) -> None:
    client.verify_id_token(id_token(), nonce=NONCE)
    provider.keys.append(_jwk(OTHER_KEY, "k2"))  # the provider rotates

    assert client.verify_id_token(id_token(key=OTHER_KEY, kid="k2"), nonce=NONCE)
    assert client.verify_id_token(id_token(key=OTHER_KEY, kid="k2"), nonce=NONCE)  # now cached
    assert provider.gets.count(f"{ISSUER}/jwks") == 2


def test_keys_that_are_not_rsa_signing_keys_are_ignored(client: OidcClient, provider: FakeProvider) -> None:
    provider.keys = [_jwk(KEY, "k1", use="enc"), {"kty": "oct", "kid": "k1", "k": "AAAA"}]
    with pytest.raises(OidcError):
        client.verify_id_token(id_token(), nonce=NONCE)


def test_missing_configuration_is_an_oidc_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from drop.settings import reset_settings

    for name in ("BANKID_ISSUER", "BANKID_CLIENT_ID", "BANKID_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    try:
        with pytest.raises(OidcError):
            OidcConfig.from_settings()
    finally:
        reset_settings()
