"""Hostile input on every HTTP route: never a 500, always a documented body, never a half-written row.

For every recorded event under events/<group>/ (settlement is SQS, not HTTP) the group's handler gets many
mutated requests from a signed-in user with every feature flag on: bodies with each field replaced by junk,
missing or extra fields, bodies that are not objects or nest 5000 deep; junk query strings, path ids and
currencies; junk cookies, Bearer tokens (alg:none among them) and Idempotency-Keys. The recorded ids are
swapped for real rows of the user's (recipient, card, transaction, merchant, notification), so the junk
gets past "not found" into validation and the services. Each group draws its sample from its own seeded
Random, so a run is the same every time; a failure names the event and the case.
"""

from __future__ import annotations

import base64
import importlib
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

import bcrypt
import jwt
import pytest

from drop.auth.keys import current_key
from drop.db import get_db
from drop.http.json import dumps, loads
from drop.repositories import notifications
from drop.services import cards, legacy_auth
from tests.support.bankid import BankIdDriver, bankid_driver
from tests.support.events import EVENTS_DIR, load_event
from tests.support.flags import FakeFlagStore
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.merchants import TestMerchant as Merchant
from tests.support.merchants import add_qr_payment, make_merchant, valid_account_number, valid_org_number
from tests.support.money import TransactionsApi, make_recipient
from tests.support.users import TestUser as User
from tests.support.users import make_user

GROUPS = sorted(p.name for p in EVENTS_DIR.iterdir() if p.is_dir() and p.name != "settlement")
assert len(GROUPS) >= 10, GROUPS  # every HTTP route group has recorded events
FLAGS = ("cards", "physicalCards", "cardPin", "spendingLimits", "notifications", "legacyPasswordAuth")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
WATCHED_TABLES = ("transactions", "recipients", "cards", "complaints", "consents", "merchants")
# These end the caller's session (or account), so each of their cases gets a freshly signed-in user.
SESSION_ENDING = {("auth", "logout-ok"), ("auth", "refresh-ok"), ("privacy", "delete-account-ok")}
# Documented non-envelope 200 bodies: {"message": …} (API.md logout, account deletion).
MESSAGE_BODIES = {("auth", "logout-ok"), ("privacy", "delete-account-ok")}
REDIRECTS = {("auth", "callback-ok")}  # the BankID callback answers a browser with a 302

# Per event, how many of the (many) query and header cases are drawn; body and path cases all run.
QUERY_SAMPLE, HEADER_SAMPLE = 24, 14

LONG = "x" * 10_000
DEEP_ARRAY = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000
UNBALANCED = "[" * 5000
TOO_BIG = "1e9999999999999999999999"  # valid JSON, but its exponent does not fit a Decimal
TOO_LONG_INT = "1" * 5000  # more digits than int() converts
# JSON that cannot be read: wherever it appears, a body route answers 400 bad_request.
UNREADABLE = {DEEP_ARRAY, DEEP_OBJECT, UNBALANCED, TOO_BIG, TOO_LONG_INT}

# Raw JSON texts put in place of one field's value.
JUNK_VALUES = (
    "null",
    "true",
    "false",
    "0",
    "-1",
    "-0",
    "1e308",
    "-1e308",
    "1e-308",
    "1E+999999999999999999",
    TOO_BIG,
    "123456789012345678901234567890.123456789",
    "99999999999999999999999999999999999999",
    TOO_LONG_INT,
    "0.001",
    '""',
    '"   "',
    json.dumps(LONG),
    "[]",
    "{}",
    "[null]",
    '{"a": {"b": {"c": [1, {"d": null}]}}}',
    DEEP_ARRAY,
    UNBALANCED,
    '"\\u0000"',
    '"a\\u0000b"',
    '"\\ud800"',  # a lone surrogate: valid JSON, not encodable as UTF-8
    '"\\u202e\\u00e9\\ud83d\\ude00 \\t\\n"',
    json.dumps("' OR '1'='1'; DROP TABLE users; --"),
    json.dumps("<script>alert(1)</script><img src=x onerror=alert(1)>"),
    json.dumps("1e308"),
    json.dumps("NaN"),
    json.dumps("-1"),
)
# Appended to a valid string value, so the rest of it passes and the junk meets the deeper checks.
JUNK_SUFFIXES = ("\x00", "\ud800", "\x1b[0m", "<script>x</script>", "' OR 1=1--", " ", "ć🙂", LONG)
# Whole bodies that are not a JSON object, or not one a route can take.
JUNK_BODIES = (
    "[]",
    "[{}]",
    '"a string"',
    "42",
    "-1e308",
    "null",
    "true",
    "{}",
    DEEP_ARRAY,
    DEEP_OBJECT,
    UNBALANCED,
    "1E+999999999999999999",
    TOO_BIG,
    TOO_LONG_INT,
    "{" + ",".join(f'"k{i}":{i}' for i in range(2000)) + "}",
    '{"a":1,"a":2}',
    '{"\\u0000":1}',
    "\ufeff{}",  # a byte-order mark
    "   ",
)
QUERY_KEYS = ("page", "limit", "type", "status", "period", "platform")
JUNK_QUERY = (
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1" * 5000,
    "1.5",
    "1e3",
    "abc",
    "",
    "  ",
    "ćevapi🙂",
    "\x00",
    "NaN",
    "' OR '1'='1",
    "<script>x</script>",
    LONG,
    "remittance,qr_payment",
)
JUNK_IDS = (
    "x" * 300,
    "ćevapčići",
    "../../etc/passwd",
    "..",
    "%2e%2e%2f",
    "usr_0123456789abcdef",
    "tx_qr_0123456789abcdef",
    "card_ffffffffffffffff",
    "rcp_ffffffffffffffff",
    "tx_rem_ffffffffffffffff",
    "noti_0123456789abcdef",
    "1' OR '1'='1",
    "';DROP TABLE cards;--",
    "%00",
    "null",
    "0",
    "-1",
    "summary",
)
JUNK_CURRENCIES = ("rsd", "RSDX", "R", "€", "123", "NOK", "' OR 1=1--", "x" * 300, "%00", "ÆØÅ", "eur ")
JUNK_IDEMPOTENCY_KEYS = ("", " ", "k" * 256, "k" * 10_000, "ključ-🙂", "a b", "\x00", "\t")


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def junk_tokens(user: User) -> list[tuple[str, str]]:
    """(label, token): Bearer/cookie values that must all be 401: unsigned, badly signed, malformed."""
    now = int(time.time())
    claims = {"sub": user.id, "sid": user.session_id, "jti": "j", "iat": now, "exp": now + 3600}
    return [
        ("alg none", _b64({"alg": "none", "typ": "JWT", "kid": "test-1"}) + "." + _b64(claims) + "."),
        ("alg none, two parts", _b64({"alg": "none"}) + "." + _b64(claims)),
        ("wrong key", jwt.encode(claims, "not-the-key-" * 4, algorithm="HS256", headers={"kid": "test-1"})),
        ("HS512", jwt.encode(claims, "k" * 64, algorithm="HS512", headers={"kid": "test-1"})),
        ("kid 7", _b64({"alg": "HS256", "kid": 7}) + "." + _b64(claims) + ".c2ln"),
        ("kid 5000 chars", _b64({"alg": "HS256", "kid": "x" * 5000}) + "." + _b64(claims) + ".c2ln"),
        ("a.b.c", "a.b.c"),
        ("....", "...."),
        ("10000 chars", "ey" + "A" * 10_000),
        ("unicode", "ćšđ.žć.čš"),
        ("null", "null"),
        *signed_tokens(user),
    ]


def signed_tokens(user: User) -> list[tuple[str, str]]:
    """Tokens with Drop's real key but claims it never issues (as if the key leaked): still 401, not 500."""
    key = current_key()
    now = int(time.time())
    claims = {"sub": user.id, "sid": user.session_id, "jti": "j", "iat": now, "exp": now + 3600}
    odd_claims: list[dict[str, Any]] = [
        {"exp": 10**20},  # a year datetime cannot hold
        {"exp": str(now + 3600)},
        {"iat": now + 10**9},
        {"sid": 7},
        {"sid": "\x00"},
        {"sid": "ses_" + "f" * 16},
        {"sub": "\x00"},
        {"sub": "usr_" + "f" * 16},
        {"sid": "x" * 5000},
        {"sub": "\ud800"},
    ]
    tokens = [
        (f"signed {odd}", jwt.encode({**claims, **odd}, key.key, algorithm="HS256", headers={"kid": key.kid}))
        for odd in odd_claims
    ]
    bare = jwt.encode({"sub": user.id}, key.key, algorithm="HS256", headers={"kid": key.kid})
    return [*tokens, ("signed without exp/sid", bare)]


def header_cases(user: User) -> list[Case]:
    """Junk credentials instead of the caller's; a junk Idempotency-Key beside them."""
    cases: list[Case] = []
    for label, token in junk_tokens(user):
        cases.append(Case(f"bearer {label}", headers={"Authorization": f"Bearer {token}"}))
        cases.append(Case(f"cookie {label}", headers={"Cookie": f"drop_token={token}"}))
    for value in ("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer  " + LONG, "Bearer \x00", "ćšđ"):
        cases.append(Case(f"authorization {value[:30]!r}", headers={"Authorization": value}))
    for value in ("drop_token=", 'drop_token=""', ";;;=;=", LONG, "drop_token=ć", "=drop_token", "a=b; c"):
        cases.append(Case(f"cookie {value[:30]!r}", headers={"Cookie": value}))
    for key in JUNK_IDEMPOTENCY_KEYS:
        cases.append(Case(f"idempotency-key {key[:30]!r}", extra_headers={"Idempotency-Key": key}))
    return cases


# --- the world the requests act on ------------------------------------------------------------------


@dataclass
class World:
    user: User
    merchant: Merchant
    ids: dict[str, str] = field(default_factory=dict)  # recorded id → a real row's id
    # Optional fields the recordings leave out, with valid values, so they are fuzzed too.
    optional: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    bankid: BankIdDriver | None = None  # the auth group signs in through the local BankID stand-in

    def swap(self, text: str) -> str:
        for recorded, real in self.ids.items():
            text = text.replace(recorded, real)
        return text


def build_world() -> World:
    # Enough balance that a mutation the API accepts is paid, not refused for money.
    user = make_user(balances=(Decimal("900000.00"),))
    merchant = make_merchant(business_name="Ahmetov Kebab")
    add_qr_payment(merchant, user, "129")
    recipient = make_recipient(user.id)
    api = TransactionsApi(user.cookie)
    sent = api.remittance({"recipientId": recipient, "amount": 2000})
    assert sent.status == 201, sent.raw_body
    quote = api.disclosure({"type": "remittance", "amount": 2000, "recipientId": recipient})
    assert quote.status == 200, quote.raw_body
    card = invoke(
        importlib.import_module("cards_handler"), load_event("cards", "create-virtual", headers=user.cookie)
    )
    assert card.status == 201, card.raw_body
    with get_db().transaction() as cur:
        notifications.insert(cur, user_id=user.id, type="system", title="Hello", body="Welcome to Drop")
    note = get_db().fetch_one("SELECT id FROM notifications WHERE user_id = %s LIMIT 1", (user.id,))
    assert note is not None
    ids = {
        "rcp_0123456789abcdef": recipient,
        "card_0123456789abcdef": card.data["id"],
        "tx_rem_0123456789abcdef": sent.data["id"],
        "mer_0123456789abcdef": merchant.id,
        "noti_0123456789abcdef": note["id"],
    }
    optional = {
        ("transactions", "remittance-ok"): {
            "currency": "NOK",
            "bankAccountId": user.account_ids[0],
            "quoteId": quote.data["quoteId"],
        },
        ("transactions", "disclosure-qr"): {"merchantId": merchant.id, "currency": "NOK"},
    }
    return World(user, merchant, ids, optional)


def row_counts() -> dict[str, int]:
    selects = ", ".join(f"(SELECT count(*) FROM {table}) AS {table}" for table in WATCHED_TABLES)
    row = get_db().fetch_one(f"SELECT {selects}")
    assert row is not None
    return {k: int(v) for k, v in row.items()}


# --- cases ------------------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    body: str | None = None  # raw body text; None keeps the recorded body (with real ids)
    query: dict[str, str] | None = None  # merged over the recorded query
    path_value: str | None = None  # replaces the path parameter
    headers: dict[str, str] | None = None  # replaces the signed-in user's credentials
    extra_headers: dict[str, str] | None = None  # sent beside them
    edit: Callable[[dict[str, Any]], None] | None = None  # any other change to the event
    expect: int | None = None  # the one right status, where there is one


def _object_text(body: dict[str, Any], replace: dict[str, str], drop: str | None = None) -> str:
    """The body as JSON text, with some fields' values replaced by raw JSON text and one field left out."""
    parts = [
        f"{json.dumps(key)}:{replace[key] if key in replace else dumps(value)}"
        for key, value in body.items()
        if key != drop
    ]
    return "{" + ",".join(parts) + "}"


def body_cases(body: dict[str, Any]) -> Iterator[Case]:
    for name, value in body.items():
        for raw in JUNK_VALUES:
            expect = 400 if raw in UNREADABLE else None
            yield Case(f"{name}={raw[:40]}", body=_object_text(body, {name: raw}), expect=expect)
            if isinstance(value, list):
                yield Case(f"{name}=[{raw[:40]}]", body=_object_text(body, {name: f"[{raw}]"}), expect=expect)
        if isinstance(value, list):
            many = "[" + ",".join([dumps(value[0])] * 10_000) + "]"
            yield Case(f"{name}=10000 items", body=_object_text(body, {name: many}))
        yield Case(f"without {name}", body=_object_text(body, {}, drop=name))
        yield Case(f"{name}=1 MB string", body=_object_text(body, {name: json.dumps("é" * 1_000_000)}))
        if isinstance(value, str):
            for suffix in JUNK_SUFFIXES:
                raw = json.dumps(value + suffix)  # ensure_ascii: NUL and surrogates travel as \u escapes
                yield Case(f"{name}+{raw[-20:]}", body=_object_text(body, {name: raw}))
    for extra in ('"unexpected":1', '"id":"usr_0123456789abcdef"', '"userId":"x"', '"status":"completed"'):
        yield Case(f"extra {extra}", body=_object_text(body, {}).rstrip("}") + "," + extra + "}")
    yield Case("all fields null", body=_object_text(body, dict.fromkeys(body, "null")))


def _drop_headers(event: dict[str, Any]) -> None:
    event["headers"] = None
    event["multiValueHeaders"] = None


def _drop_identity(event: dict[str, Any]) -> None:
    event["requestContext"].pop("identity", None)
    event["requestContext"].pop("path", None)


def envelope_cases() -> Iterator[Case]:
    """Events API Gateway may send without the parts a recording always has."""
    yield Case("no headers at all", edit=_drop_headers)
    yield Case("no source ip, no context path", edit=_drop_identity)
    yield Case(
        "no query at all",
        edit=lambda e: e.update(queryStringParameters=None, multiValueQueryStringParameters=None),
    )


def structure_cases(parsed: bool) -> Iterator[Case]:
    """Whole bodies; `parsed`: the route reads its body (POST/PUT/PATCH), so unreadable ones are 400."""
    unreadable = 400 if parsed else None
    yield Case("body null", edit=lambda e: e.update(body=None))
    for raw in JUNK_BODIES:
        yield Case(f"body {raw[:40]!r}", body=raw, expect=unreadable if raw in UNREADABLE else None)
    for label, raw in (
        ("base64 junk", "%%%not base64"),
        ("base64 of latin-1", base64.b64encode(b"\xff\xfe{").decode()),
    ):
        yield Case(label, body=raw, edit=lambda e: e.update(isBase64Encoded=True), expect=unreadable)


def query_cases(rng: random.Random) -> list[Case]:
    cases = [Case(f"?{key}={value[:30]!r}", query={key: value}) for key in QUERY_KEYS for value in JUNK_QUERY]
    cases.append(Case("?all junk", query={key: rng.choice(JUNK_QUERY) for key in QUERY_KEYS}))

    def repeated(event: dict[str, Any]) -> None:
        event["queryStringParameters"] = {"page": "2", "limit": "abc"}
        event["multiValueQueryStringParameters"] = {"page": ["1", "2"], "limit": ["5", "abc"]}

    cases.append(Case("repeated query keys", edit=repeated))
    return rng.sample(cases, min(QUERY_SAMPLE, len(cases)))


def _set_query(event: dict[str, Any], query: dict[str, str]) -> None:
    event["queryStringParameters"] = query
    event["multiValueQueryStringParameters"] = {key: [value] for key, value in query.items()}


def _set_header(event: dict[str, Any], name: str, value: str) -> None:
    event["headers"][name] = value
    event["multiValueHeaders"][name] = [value]


def live_callback(
    driver: BankIdDriver, *, person: str = "approved", query: dict[str, str], cookie: str | None = None
) -> Callable[[dict[str, Any]], None]:
    """A callback for a sign-in really started and answered by the stand-in, then edited."""

    def edit(event: dict[str, Any]) -> None:
        answer, state = driver.begin(person)
        _set_query(event, {**answer, **query})
        _set_header(event, "Cookie", f"bankid_state={state if cookie is None else cookie}")

    return edit


def callback_cases(driver: BankIdDriver | None) -> Iterator[Case]:
    for value in ("", LONG, "ćš", "\x00", "' OR 1=1--", "a b"):
        for key in ("code", "state", "error", "error_description"):
            yield Case(f"callback ?{key}={value[:20]!r}", query={key: value})
    yield Case("callback state cookie junk", headers={"Cookie": "bankid_state=" + LONG})
    yield Case("callback state cookie matches", headers={"Cookie": "bankid_state=recorded-state"})
    if driver is None:
        return
    # Past the state check: a live flow whose code (or other parameters) is junk.
    yield Case("live callback", edit=live_callback(driver, query={}))  # a real sign-in: 302
    yield Case("live callback cancelled", edit=live_callback(driver, person="cancel", query={}))
    for value in ("", LONG, "ćš", "\x00", "' OR 1=1--", "a b", "recorded-code"):
        yield Case(f"live callback code={value[:20]!r}", edit=live_callback(driver, query={"code": value}))
    for extra in ({"error": "access_denied"}, {"error": "ćš"}, {"iss": "https://evil.example"}):
        yield Case(f"live callback {extra}", edit=live_callback(driver, query=extra))
    for cookie in ("", "x", LONG):
        yield Case(
            f"live callback cookie {cookie[:20]!r}", edit=live_callback(driver, query={}, cookie=cookie)
        )


def path_cases(event: dict[str, Any]) -> Iterator[Case]:
    (param,) = event["pathParameters"]
    for value in JUNK_CURRENCIES if param == "currency" else JUNK_IDS:
        yield Case(f"/{param}={value[:30]!r}", path_value=value)


def cases_for(group: str, name: str, event: dict[str, Any], world: World, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    recorded_body = loads(world.swap(event["body"])) if event.get("body") else None
    if event["httpMethod"] in WRITE_METHODS:
        if isinstance(recorded_body, dict):
            cases += body_cases({**recorded_body, **world.optional.get((group, name), {})})
        cases += structure_cases(event["httpMethod"] != "DELETE")
    if event.get("pathParameters"):
        cases += path_cases(event)
    if (group, name) in REDIRECTS:
        cases += callback_cases(world.bankid)
    cases += query_cases(rng)
    cases += envelope_cases()
    headers = header_cases(world.user)
    cases += rng.sample(headers, min(HEADER_SAMPLE, len(headers)))
    return cases


# --- running them -----------------------------------------------------------------------------------


def build_event(
    group: str, name: str, case: Case, world: World, credentials: dict[str, str]
) -> dict[str, Any]:
    recorded = load_event(group, name)
    path = world.swap(recorded["path"])
    path_params = {k: world.swap(v) for k, v in (recorded.get("pathParameters") or {}).items()} or None
    if case.path_value is not None and path_params:
        ((param, real),) = path_params.items()
        path = path[: path.rindex(real)] + case.path_value + path[path.rindex(real) + len(real) :]
        path_params = {param: case.path_value}
    body = case.body if case.body is not None else world.swap(recorded["body"] or "")
    query = None
    if case.query is not None:
        query = {**(recorded.get("queryStringParameters") or {}), **case.query}
    event = load_event(
        group,
        name,
        raw_body=body,
        headers={**(credentials if case.headers is None else case.headers), **(case.extra_headers or {})},
        query=query,
        path=path,
        path_params=path_params,
    )
    if case.edit is not None:
        case.edit(event)
    return event


def problem_with(group: str, name: str, response: ApiResponse) -> str | None:
    """None when the response is one the API documents for this route, otherwise what is wrong."""
    if response.status >= 500:
        return "server error"
    if response.status == 204:
        return None if response.raw_body == "" else "204 with a body"
    if response.status == 302:
        return None if (group, name) in REDIRECTS and response.headers.get("location") else "unexpected 302"
    try:
        body = json.loads(response.raw_body)
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict):
        return "body is not a JSON object"
    if response.status >= 400:
        ok = {"error", "message", "details"} <= body.keys() and isinstance(body["details"], list)
        return None if ok else "4xx without the error envelope"
    if "data" in body or ((group, name) in MESSAGE_BODIES and "message" in body):
        return None
    return "2xx without data"


def caller(group: str, name: str, world: World, index: int) -> User:
    if (group, name) in SESSION_ENDING:
        return make_user()
    if group == "merchants" and (name != "register-ok" or index % 2):
        return world.merchant.user  # registering again as a merchant is a case of its own (409)
    return world.user


def run_case(handler: ModuleType, group: str, name: str, case: Case, user: User, world: World) -> str | None:
    event = build_event(group, name, case, world, user.cookie)
    # Every case starts with an empty limiter, so each reaches the code behind the rate limits.
    get_db().execute("DELETE FROM rate_limits")
    before = row_counts() if event["httpMethod"] in WRITE_METHODS else None
    try:
        response = invoke(handler, event)
    except Exception as exc:  # an exception escaping the handler is a finding too
        return f"{group}/{name} [{case.label}] raised {type(exc).__name__}: {str(exc)[:200]}"
    problem = problem_with(group, name, response)
    if problem is None and case.expect is not None and response.status != case.expect:
        problem = f"expected {case.expect}"
    if problem is None and before is not None and 400 <= response.status < 500:
        after = row_counts()
        if after != before:
            problem = f"partial write {before} -> {after}"
    if problem is None:
        return None
    return f"{group}/{name} [{case.label}] {problem}: {response.status} {response.raw_body[:300]}"


def event_names(group: str) -> list[str]:
    # DELETEs last: cancelling the card or removing the recipient would hide them from the other routes.
    names = sorted(path.stem for path in (EVENTS_DIR / group).glob("*.json"))
    return sorted(names, key=lambda name: load_event(group, name)["httpMethod"] == "DELETE")


@pytest.fixture
def all_features_on(flags: FakeFlagStore) -> None:
    for name in FLAGS:
        flags.set(name, True)


@pytest.fixture
def cheap_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # Passwords and PINs hash at cost 12 (~0.25 s each); hundreds of accepted cases need the cheapest cost.
    monkeypatch.setattr(cards, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(legacy_auth, "BCRYPT_COST", 4)
    dummy = bcrypt.hashpw(b"not-a-real-password-0", bcrypt.gensalt(rounds=4))
    monkeypatch.setattr(legacy_auth, "_dummy_hash", lambda: dummy)


@pytest.fixture
def bankid(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
    # The auth routes talk to the local BankID stand-in, so a start succeeds and a callback reaches it.
    yield from bankid_driver(monkeypatch)


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.usefixtures("all_features_on", "cheap_bcrypt")
def test_no_input_gives_a_server_error_or_a_partial_write(group: str, request: pytest.FixtureRequest) -> None:
    # Given every feature on, a signed-in user with real rows behind the recorded ids
    world = build_world()
    if group == "auth":
        world.bankid = request.getfixturevalue("bankid")
    handler = importlib.import_module(f"{group}_handler")
    rng = random.Random(f"drop-fuzz-{group}")

    # When every recorded event of the group is sent with each mutation
    failures = []
    for name in event_names(group):
        recorded = load_event(group, name)
        for index, case in enumerate(cases_for(group, name, recorded, world, rng)):
            failure = run_case(handler, group, name, case, caller(group, name, world, index), world)
            if failure:
                failures.append(failure)

    # Then none was a 500, an escaped exception, an undocumented body or a half-written request
    assert not failures, f"{len(failures)} bad responses:\n" + "\n".join(failures[:60])


# --- what the fuzzing found, one readable case each ----------------------------------------------------


def _send(group: str, name: str, raw_body: str, headers: dict[str, str]) -> ApiResponse:
    return invoke(
        importlib.import_module(f"{group}_handler"),
        load_event(group, name, raw_body=raw_body, headers=headers),
    )


def test_a_number_whose_exponent_does_not_fit_a_decimal_is_400_not_500() -> None:
    user = make_user()
    raw = '{"recipientId": "rcp_0123456789abcdef", "amount": 1e9999999999999999999}'
    response = _send("transactions", "remittance-ok", raw, user.cookie)
    assert response.status == 400, response.raw_body
    assert response.json["error"] == "bad_request"


@pytest.mark.parametrize(
    ("name", "body", "field_name"),
    [
        ("remittance-ok", {"recipientId": "rcp_\x00", "amount": 100}, "recipientId"),
        (
            "remittance-ok",
            {"recipientId": "rcp_0123456789abcdef", "amount": 100, "quoteId": "q\x00"},
            "quoteId",
        ),
        (
            "remittance-ok",
            {"recipientId": "rcp_1", "amount": 100, "bankAccountId": "\ud800"},
            "bankAccountId",
        ),
        ("qr-payment-ok", {"merchantId": "mer\x00", "amount": 100}, "merchantId"),
        (
            "disclosure-remittance",
            {"type": "remittance", "amount": 100, "recipientId": "a\x00b"},
            "recipientId",
        ),
    ],
)
def test_an_id_postgres_cannot_hold_is_a_422_field_error(
    name: str, body: dict[str, Any], field_name: str
) -> None:
    user = make_user()
    response = _send("transactions", name, json.dumps(body), user.cookie)
    assert response.status == 422, response.raw_body
    assert [detail["field"] for detail in response.json["details"]] == [field_name]


@pytest.mark.usefixtures("all_features_on", "cheap_bcrypt")
def test_a_login_email_with_nul_is_an_unknown_email() -> None:
    response = _send(
        "auth", "login-ok", json.dumps({"email": "a\x00@example.com", "password": "secret123"}), {}
    )
    assert response.status == 401, response.raw_body
    assert response.json["message"] == legacy_auth.INVALID_CREDENTIALS


def test_a_lone_surrogate_in_free_text_is_stripped_not_a_500() -> None:
    user = make_user()
    recipient = {
        "name": "Mama Jasmina",
        "country": "RS",
        "currency": "RSD",
        "bankAccount": "RS35 2600 0560 1001 6113 79",
        "bankName": "Banca Intesa\ud800",
    }
    created = _send("recipients", "create-ok", json.dumps(recipient), user.cookie)
    assert created.status == 201, created.raw_body
    assert created.data["bankName"] == "Banca Intesa"

    merchant = {
        "businessName": "Ahmetov Kebab",
        "orgNumber": valid_org_number(),
        "bankAccount": valid_account_number(),
        "address": "\ud800Storgata 1, 0155 Oslo",
    }
    registered = _send("merchants", "register-ok", json.dumps(merchant), user.cookie)
    assert registered.status == 201, registered.raw_body
    assert registered.data["address"] == "Storgata 1, 0155 Oslo"


@pytest.mark.parametrize("odd", [{"exp": 10**20}, {"sid": "\x00"}, {"sub": "\x00"}, {"sub": "\ud800"}])
def test_a_validly_signed_token_with_claims_drop_never_issues_is_401(odd: dict[str, Any]) -> None:
    user = make_user()
    key = current_key()
    now = int(time.time())
    claims = {"sub": user.id, "sid": user.session_id, "jti": "j", "iat": now, "exp": now + 3600, **odd}
    token = jwt.encode(claims, key.key, algorithm="HS256", headers={"kid": key.kid})
    response = invoke(
        importlib.import_module("auth_handler"),
        load_event("auth", "me-ok", headers={"Authorization": f"Bearer {token}"}),
    )
    assert response.status == 401, response.raw_body
    assert response.json["error"] == "unauthorized"
