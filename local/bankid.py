"""A local BankID stand-in: a small OpenID Connect provider with test persons (DESIGN §5).

Discovery, JWKS, authorize and token, with RS256 ID tokens carrying the claims BankID sends
(`bankid_altsub`, names, birthdate, nonce). The app's OIDC client talks to it exactly as to real BankID.

Scripts sign in without a browser: open the API's `redirectUrl` with `&login_hint=<person id>` appended
and the provider answers at once with a 302 to the callback (code and state). Without a login_hint it
shows a page listing the test persons; `login_hint=cancel` plays a user who cancels.

    python -m local.bankid --port 8900      # run it alone; prints the BANKID_* variables

Tests also use the `sabotage_next_token(kind)` hook to make the next ID token bad in one specific way.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from drop.adapters import sandbox_persons as altsubs


@dataclass(frozen=True)
class BankIdPerson:
    id: str  # the login_hint
    altsub: str
    given_name: str
    family_name: str
    birthdate: str
    summary: str


TEST_PERSONS: list[BankIdPerson] = [
    BankIdPerson(
        "approved",
        altsubs.APPROVED,
        "Amir",
        "Bašić",
        "1988-04-12",
        "KYC approved; DNB 1234.56.78901 45230.00 NOK (primary) + SpareBank 1 4321.65.10987 12800.00 NOK",
    ),
    BankIdPerson(
        "pending", altsubs.PENDING, "Sara", "Nilsen", "1992-09-30", "KYC pending; Nordea 2000.00 NOK"
    ),
    BankIdPerson(
        "rejected",
        altsubs.REJECTED,
        "Ivan",
        "Petrović",
        "1979-01-05",
        "KYC rejected; Handelsbanken 150.00 NOK",
    ),
    BankIdPerson(
        "noaccount", altsubs.NO_ACCOUNT, "Kari", "Hansen", "2000-06-15", "KYC approved; no bank account"
    ),
    BankIdPerson(
        "approved2", altsubs.APPROVED_2, "Lejla", "Hodžić", "1995-11-23", "KYC approved; DNB 1500.00 NOK"
    ),
]
PERSONS = {person.id: person for person in TEST_PERSONS}

CODE_TTL = 60
ID_TOKEN_TTL = 300
SABOTAGE_KINDS = (
    "bad_nonce",  # nonce of another login
    "foreign_key",  # signed by another key under the real kid
    "unknown_kid",  # signed by another key whose kid is not in the JWKS
    "expired",  # exp in the past
    "wrong_audience",  # aud is another client
    "wrong_issuer",  # iss is another provider
    "alg_none",  # unsigned
    "hs256",  # HMAC-signed with the client secret (algorithm confusion)
    "no_altsub",  # bankid_altsub missing
    "token_error",  # the token endpoint answers 500
)


@dataclass
class _Grant:
    person: BankIdPerson
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    expires: float


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class BankIdProvider:
    def __init__(self, host: str, port: int, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._foreign_key: rsa.RSAPrivateKey | None = None
        self.kid = "bankid-local-" + secrets.token_hex(4)
        self._grants: dict[str, _Grant] = {}
        self._sabotage: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self.issuer = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="bankid", daemon=True)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> BankIdProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def sabotage_next_token(self, kind: str) -> None:
        """Make the next /token answer bad in the way `kind` names (see SABOTAGE_KINDS)."""
        if kind not in SABOTAGE_KINDS:
            raise ValueError(f"unknown sabotage {kind!r}; one of {SABOTAGE_KINDS}")
        with self._lock:
            self._sabotage.append(kind)

    # --- documents -------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "iss", "aud", "sub", "exp", "iat", "nonce", "bankid_altsub",
                "given_name", "family_name", "name", "birthdate",
            ],
        }  # fmt: skip

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        return {"keys": [jwk]}

    # --- authorize -------------------------------------------------------------------------------

    def authorize(self, query: dict[str, str], self_url: str) -> tuple[int, dict[str, str], str]:
        """(status, headers, html body) for GET /authorize."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id:
            return 400, {}, _page("Unknown client_id.")
        if urllib.parse.urlsplit(redirect_uri).scheme not in ("http", "https"):
            return 400, {}, _page("redirect_uri must be an absolute http(s) URL.")
        state = query.get("state", "")

        def back(**params: str) -> tuple[int, dict[str, str], str]:
            return 302, {"Location": _with_query(redirect_uri, **params, state=state)}, ""

        if query.get("response_type") != "code":
            return back(error="unsupported_response_type")
        if "openid" not in query.get("scope", "").split():
            return back(error="invalid_scope")
        if not query.get("code_challenge") or query.get("code_challenge_method") != "S256":
            return back(error="invalid_request", error_description="PKCE with S256 is required")
        hint = query.get("login_hint")
        if hint == "cancel":
            return back(error="access_denied", error_description="The user cancelled")
        person = PERSONS.get(hint or "")
        if person is None:
            note = f"Unknown test person {hint!r}." if hint else ""
            return (400 if hint else 200), {}, _person_list(self_url, query, note)
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            for stale in [c for c, g in self._grants.items() if g.expires < now]:
                del self._grants[stale]
            self._grants[code] = _Grant(
                person, self.client_id, redirect_uri, query["code_challenge"], query.get("nonce"),
                time.time() + CODE_TTL,
            )  # fmt: skip
        return back(code=code)

    # --- token -----------------------------------------------------------------------------------

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        client_id, client_secret = _client_credentials(form, authorization)
        if client_id != self.client_id or not hmac.compare_digest(client_secret or "", self.client_secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once, even when it fails
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri does not match"}
        verifier = form.get("code_verifier", "")
        if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        with self._lock:
            sabotage = self._sabotage.pop(0) if self._sabotage else None
        if sabotage == "token_error":
            return 500, {"error": "server_error"}
        return 200, {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_TTL,
            "scope": "openid profile",
            "id_token": self._id_token(grant, sabotage),
        }

    def _id_token(self, grant: _Grant, sabotage: str | None) -> str:
        now = int(time.time())
        person = grant.person
        claims: dict[str, Any] = {
            "iss": "https://other-provider.example" if sabotage == "wrong_issuer" else self.issuer,
            "aud": "someone-else" if sabotage == "wrong_audience" else grant.client_id,
            # BankID's sub is pairwise (per client); bankid_altsub is the stable person key.
            "sub": str(hashlib.sha256(f"{grant.client_id}:{person.altsub}".encode()).hexdigest()[:32]),
            "bankid_altsub": person.altsub,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "name": f"{person.given_name} {person.family_name}",
            "birthdate": person.birthdate,
            "iat": now - 600 if sabotage == "expired" else now,
            "exp": now - 300 if sabotage == "expired" else now + ID_TOKEN_TTL,
            "auth_time": now,
            "amr": ["BID"],
        }
        if grant.nonce is not None:
            claims["nonce"] = secrets.token_urlsafe(16) if sabotage == "bad_nonce" else grant.nonce
        if sabotage == "no_altsub":
            del claims["bankid_altsub"]
        if sabotage == "alg_none":
            header = {"alg": "none", "typ": "JWT", "kid": self.kid}
            return ".".join(_b64url(json.dumps(part).encode()) for part in (header, claims)) + "."
        if sabotage == "hs256":
            return jwt.encode(claims, self.client_secret, algorithm="HS256", headers={"kid": self.kid})
        key, kid = self._key, self.kid
        if sabotage in ("foreign_key", "unknown_kid"):
            key = self._foreign()
            kid = self.kid if sabotage == "foreign_key" else "not-in-jwks"
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    def _foreign(self) -> rsa.RSAPrivateKey:
        if self._foreign_key is None:
            self._foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self._foreign_key


def start_bankid_provider(
    host: str = "127.0.0.1", port: int = 0, client_id: str = "drop-local", client_secret: str | None = None
) -> BankIdProvider:
    """Start the stand-in on a thread (port 0 picks a free port); `.stop()` ends it."""
    return BankIdProvider(host, port, client_id, client_secret or secrets.token_urlsafe(24)).start()


def bankid_env(provider: BankIdProvider, api_base_url: str) -> dict[str, str]:
    """The API's environment for signing in through this provider."""
    return {
        "BANKID_ISSUER": provider.issuer,
        "BANKID_CLIENT_ID": provider.client_id,
        "BANKID_CLIENT_SECRET": provider.client_secret,
        "BANKID_REDIRECT_URI": api_base_url.rstrip("/") + "/api/auth/bankid/callback",
        "MOBILE_REDIRECT_URI": "drop://auth/callback",
    }


# --- HTTP plumbing -------------------------------------------------------------------------------------


def _handler_for(provider: BankIdProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "BankIdStandIn/1.0"

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif parts.path == "/jwks":
                self._json(200, provider.jwks())
            elif parts.path == "/authorize":
                query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
                status, headers, body = provider.authorize(query, provider.issuer + "/authorize")
                self._send(status, body.encode(), "text/html; charset=utf-8", headers)
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            if urllib.parse.urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(errors="replace")))
            status, body = provider.token(form, self.headers.get("Authorization"))
            self._json(status, body)

        def _json(self, status: int, body: dict[str, Any]) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", {"Cache-Control": "no-store"})

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in {"Content-Type": content_type, **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the API's own request log is enough

    return Handler


def _client_credentials(form: dict[str, str], authorization: str | None) -> tuple[str | None, str | None]:
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return None, None
        return urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(password)
    return form.get("client_id"), form.get("client_secret")


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params)) if q)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _page(message: str, content: str = "") -> str:
    return (
        "<!doctype html><meta charset='utf-8'><title>BankID (local)</title>"
        f"<h1>BankID (local stand-in)</h1><p>{html.escape(message)}</p>{content}"
    )


def _person_list(self_url: str, query: dict[str, str], note: str) -> str:
    def link(hint: str) -> str:
        return html.escape(f"{self_url}?{urllib.parse.urlencode({**query, 'login_hint': hint})}")

    items = "".join(
        f"<li><a href='{link(p.id)}'>{html.escape(p.given_name)} {html.escape(p.family_name)}</a>"
        f" <code>{html.escape(p.id)}</code> - {html.escape(p.summary)}</li>"
        for p in TEST_PERSONS
    )
    return _page(
        note or "Choose a test person to sign in as.",
        f"<ul>{items}</ul><a href='{link('cancel')}'>Cancel</a>",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.bankid", description="Local BankID stand-in.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument(
        "--api", default="http://127.0.0.1:3000", help="the API base URL (for the redirect URI)"
    )
    args = parser.parse_args(argv)
    provider = start_bankid_provider(args.host, args.port)
    for name, value in bankid_env(provider, args.api).items():
        print(f"export {name}={value}")
    print("# Ctrl-C stops the provider", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
