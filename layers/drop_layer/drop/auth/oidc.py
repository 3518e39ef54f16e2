"""An OpenID Connect client for BankID, or any standard provider configured by its issuer URL.

Authorization code flow with PKCE (S256), `state` and `nonce`; the ID token is verified against the
provider's JWKS with RS256 pinned, and `iss`, `aud`, `exp`, `iat` and `nonce` checked. Discovery and
JWKS are cached per container; an unknown `kid` refetches the JWKS once (the provider rotated its key).

Every failure is an `OidcError` whose text is for the log only: callers turn it into a clean 4xx/503.
Nothing here runs at import; HTTP is plain urllib with timeouts, no redirects and a size cap.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Protocol

import jwt

from drop.settings import get_settings

ID_TOKEN_ALGORITHM = "RS256"  # noqa: S105 - an algorithm name, not a secret
SCOPE = "openid profile"
CACHE_SECONDS = 3600
CLOCK_SKEW_SECONDS = 30
HTTP_TIMEOUT_SECONDS = 5.0
MAX_RESPONSE_BYTES = 512 * 1024
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class OidcError(Exception):
    """The sign-in cannot go on. The message says why, for the log; clients get a generic error."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str

    @classmethod
    def from_settings(cls) -> OidcConfig:
        s = get_settings()
        if not (s.bankid_issuer and s.bankid_client_id and s.bankid_client_secret):
            raise OidcError("BANKID_ISSUER, BANKID_CLIENT_ID and BANKID_CLIENT_SECRET must be set")
        _require_secure(s.bankid_issuer)
        return cls(s.bankid_issuer, s.bankid_client_id, s.bankid_client_secret)


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: bytes


class HttpTransport(Protocol):
    def get(self, url: str) -> HttpResult: ...

    def post_form(self, url: str, form: dict[str, str], headers: dict[str, str]) -> HttpResult: ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A provider endpoint that redirects is misconfigured; following it could leak the client secret.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport:
    def __init__(self, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects)

    def get(self, url: str) -> HttpResult:
        return self._send(urllib.request.Request(url, headers={"Accept": "application/json"}))  # noqa: S310

    def post_form(self, url: str, form: dict[str, str], headers: dict[str, str]) -> HttpResult:
        body = urllib.parse.urlencode(form).encode()
        all_headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            **headers,
        }
        request = urllib.request.Request(url, data=body, headers=all_headers, method="POST")  # noqa: S310
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> HttpResult:
        _require_secure(request.full_url)
        try:
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    return HttpResult(response.status, response.read(MAX_RESPONSE_BYTES + 1))
            except urllib.error.HTTPError as exc:  # 4xx/5xx (and refused 3xx) carry the provider's body
                with exc:
                    return HttpResult(exc.code, exc.read(MAX_RESPONSE_BYTES + 1))
        except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, resets, bad URLs
            raise OidcError(f"{request.get_method()} {request.full_url} failed: {exc}") from exc


def _require_secure(url: str) -> None:
    """HTTPS only; plain HTTP is allowed for a provider on this machine (the local stand-in)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return
    raise OidcError(f"refusing a non-HTTPS OIDC URL: {url}")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def random_value() -> str:
    """An unguessable `state`, `nonce` or one-time code (256 bits)."""
    return secrets.token_urlsafe(32)


def pkce_challenge(verifier: str) -> str:
    return _b64url(hashlib.sha256(verifier.encode()).digest())


def new_pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    return verifier, pkce_challenge(verifier)


# Per-container caches, shared by every client object: discovery by issuer, signing keys by JWKS URL.
_lock = threading.Lock()
_discovery: dict[str, tuple[float, ProviderMetadata]] = {}
_jwks: dict[str, tuple[float, dict[str, Any]]] = {}


def reset_oidc_cache() -> None:
    with _lock:
        _discovery.clear()
        _jwks.clear()


class OidcClient:
    def __init__(self, config: OidcConfig, transport: HttpTransport | None = None) -> None:
        self.config = config
        self.transport: HttpTransport = transport or UrllibTransport()

    # --- discovery -------------------------------------------------------------------------------

    def metadata(self) -> ProviderMetadata:
        issuer = self.config.issuer
        with _lock:
            cached = _discovery.get(issuer)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        document = self._get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
        metadata = _parse_metadata(document, issuer)
        with _lock:
            _discovery[issuer] = (time.monotonic(), metadata)
        return metadata

    # --- authorization request -------------------------------------------------------------------

    def authorization_url(self, *, state: str, nonce: str, code_challenge: str, redirect_uri: str) -> str:
        endpoint = self.metadata().authorization_endpoint
        params = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPE,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        parts = urllib.parse.urlsplit(endpoint)
        query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params)) if q)
        return urllib.parse.urlunsplit(parts._replace(query=query))

    # --- token exchange --------------------------------------------------------------------------

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> str:
        """Trade the authorization code for tokens; returns the (still unverified) ID token."""
        metadata = self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        headers: dict[str, str] = {}
        if "client_secret_basic" in metadata.token_auth_methods:
            # RFC 6749 §2.3.1: both parts form-urlencoded before the Basic encoding.
            pair = f"{_form(self.config.client_id)}:{_form(self.config.client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        elif "client_secret_post" in metadata.token_auth_methods:
            form.update(client_id=self.config.client_id, client_secret=self.config.client_secret)
        else:
            raise OidcError(f"no supported client authentication in {metadata.token_auth_methods}")
        result = self.transport.post_form(metadata.token_endpoint, form, headers)
        body = _json_object(result)
        if result.status != 200:
            raise OidcError(f"token endpoint answered {result.status}: {body.get('error', 'no error code')}")
        id_token = body.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OidcError("token response has no id_token")
        return id_token

    # --- ID token --------------------------------------------------------------------------------

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        metadata = self.metadata()
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise OidcError(f"ID token is not a JWT: {exc}") from exc
        if header.get("alg") != ID_TOKEN_ALGORITHM:
            raise OidcError(f"ID token algorithm {header.get('alg')!r} is not {ID_TOKEN_ALGORITHM}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise OidcError("ID token has no kid")
        key = self._signing_key(metadata.jwks_uri, kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=[ID_TOKEN_ALGORITHM],
                audience=self.config.client_id,
                issuer=metadata.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
            )
        except jwt.PyJWTError as exc:
            raise OidcError(f"ID token rejected: {exc}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.config.client_id:
            raise OidcError("ID token has several audiences and azp is not this client")
        token_nonce = claims["nonce"]
        if not isinstance(token_nonce, str) or not hmac.compare_digest(token_nonce, nonce):
            raise OidcError("ID token nonce does not match this login")
        return claims

    def _signing_key(self, jwks_uri: str, kid: str) -> Any:
        with _lock:
            cached = _jwks.get(jwks_uri)
        fresh = cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS
        if cached and fresh and kid in cached[1]:
            return cached[1][kid]
        # Unknown kid (or stale cache): the provider may have rotated its key, so fetch once more.
        keys = _parse_jwks(self._get_json(jwks_uri))
        with _lock:
            _jwks[jwks_uri] = (time.monotonic(), keys)
        if kid not in keys:
            raise OidcError(f"ID token kid {kid!r} is not in the provider's JWKS")
        return keys[kid]

    def _get_json(self, url: str) -> dict[str, Any]:
        result = self.transport.get(url)
        if result.status != 200:
            raise OidcError(f"GET {url} answered {result.status}")
        return _json_object(result)


def _form(value: str) -> str:
    return urllib.parse.quote_plus(value)


def _json_object(result: HttpResult) -> dict[str, Any]:
    if len(result.body) > MAX_RESPONSE_BYTES:
        raise OidcError("provider response is too large")
    try:
        value = json.loads(result.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OidcError(f"provider answered {result.status} with a body that is not JSON") from exc
    if not isinstance(value, dict):
        raise OidcError("provider response is not a JSON object")
    return value


def _parse_metadata(document: dict[str, Any], issuer: str) -> ProviderMetadata:
    # OIDC Discovery §4.3: the document must name the issuer it was fetched for.
    if not isinstance(document.get("issuer"), str) or document["issuer"].rstrip("/") != issuer.rstrip("/"):
        raise OidcError(f"discovery issuer {document.get('issuer')!r} is not {issuer!r}")
    endpoints = {}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        value = document.get(name)
        if not isinstance(value, str) or not value:
            raise OidcError(f"discovery document has no {name}")
        _require_secure(value)
        endpoints[name] = value
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if not isinstance(methods, list):
        raise OidcError("token_endpoint_auth_methods_supported is not a list")
    return ProviderMetadata(
        issuer=document["issuer"],
        authorization_endpoint=endpoints["authorization_endpoint"],
        token_endpoint=endpoints["token_endpoint"],
        jwks_uri=endpoints["jwks_uri"],
        token_auth_methods=tuple(str(m) for m in methods),
    )


def _parse_jwks(document: dict[str, Any]) -> dict[str, Any]:
    """kid → public key, RSA signing keys only; keys we cannot use are skipped, not fatal."""
    keys: dict[str, Any] = {}
    for jwk in document.get("keys") or []:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", ID_TOKEN_ALGORITHM) != ID_TOKEN_ALGORITHM:
            continue
        try:
            keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm=ID_TOKEN_ALGORITHM).key
        except jwt.PyJWTError:
            continue
    return keys
