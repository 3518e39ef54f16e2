"""Merchants (API §11.8): registration, and the merchant-only dashboard, QR and payment list."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import merchants_handler

from drop.clock import OSLO
from drop.db import get_db
from drop.errors import Conflict
from drop.models.merchants import RegisterMerchantIn
from drop.services.merchants import register_merchant
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.merchants import add_qr_payment, make_merchant, valid_account_number, valid_org_number
from tests.support.users import make_user

if TYPE_CHECKING:  # by name only for typing: pytest would try to collect a Test* class
    from tests.support.users import TestUser

REGISTER = {
    "businessName": "Ahmetov Kebab",
    "orgNumber": "923609016",
    "address": "Storgata 1, 0155 Oslo",
    "bankAccount": "1234.56.78903",
}


def register(user: TestUser | None, body: Any = None, **kwargs: Any) -> ApiResponse:
    headers = user.cookie if user else {}
    body = REGISTER if body is None else body
    return invoke(
        merchants_handler, load_event("merchants", "register-ok", body=body, headers=headers, **kwargs)
    )


def read(route: str, user: TestUser | None, query: dict[str, str] | None = None) -> ApiResponse:
    headers = user.cookie if user else {}
    return invoke(merchants_handler, load_event("merchants", f"{route}-ok", headers=headers, query=query))


def role_of(user_id: str) -> str:
    row = get_db().fetch_one("SELECT role FROM users WHERE id = %s", (user_id,))
    assert row is not None
    return str(row["role"])


def merchant_count() -> int:
    row = get_db().fetch_one("SELECT count(*) AS n FROM merchants")
    assert row is not None
    return int(row["n"])


# --- POST /api/merchants/register ----------------------------------------------------------------


def test_registering_creates_the_merchant_and_makes_the_user_a_merchant_at_once() -> None:
    # Given a signed-in ordinary user (their token was issued with role "user")
    user = make_user()
    # When they register their business
    response = register(user)
    # Then 201 with the merchant and its QR URI
    assert response.status == 201
    data = response.data
    assert data["merchantId"].startswith("mer_") and len(data["merchantId"]) == 20
    assert data == {
        "merchantId": data["merchantId"],
        "businessName": "Ahmetov Kebab",
        "orgNumber": "923609016",
        "address": "Storgata 1, 0155 Oslo",
        "qrValue": f"drop://pay/{data['merchantId']}",
        "createdAt": data["createdAt"],
    }
    assert data["createdAt"].endswith("Z")
    assert "78903" not in response.raw_body  # the payout account is not echoed
    # And the role changed in the database, so the same token opens the merchant routes right away
    assert role_of(user.id) == "merchant"
    qr = read("qr", user)
    assert qr.status == 200
    assert qr.data == {
        "merchantId": data["merchantId"],
        "businessName": "Ahmetov Kebab",
        "qrValue": data["qrValue"],
        "address": "Storgata 1, 0155 Oslo",
    }
    assert read("dashboard", user).status == 200


def test_account_number_with_spaces_is_stored_normalised_and_address_is_optional() -> None:
    user = make_user()
    body = {"businessName": "  Bakeriet <i>AS</i> ", "orgNumber": "974760673", "bankAccount": "1234 56 78903"}
    response = register(user, body)
    assert response.status == 201
    assert response.data["businessName"] == "Bakeriet AS"
    assert response.data["address"] is None
    row = get_db().fetch_one("SELECT bank_account, address FROM merchants WHERE user_id = %s", (user.id,))
    assert row == {"bank_account": "1234.56.78903", "address": None}


def test_address_is_sanitised_to_200_characters() -> None:
    response = register(make_user(), {**REGISTER, "address": "<b>Storgata</b> 1\n" + "y" * 500})
    assert response.status == 201
    assert response.data["address"].startswith("Storgata 1 yyy")
    assert len(response.data["address"]) == 200


def test_an_org_number_already_registered_is_409_and_changes_nothing() -> None:
    assert register(make_user()).status == 201
    second = make_user()
    response = register(second, {**REGISTER, "businessName": "Copycat"})
    assert response.status == 409
    assert response.json["error"] == "conflict"
    assert role_of(second.id) == "user"
    assert merchant_count() == 1


def test_a_user_who_is_already_a_merchant_gets_409() -> None:
    user = make_user()
    assert register(user).status == 201
    response = register(user, {**REGISTER, "orgNumber": valid_org_number()})
    assert response.status == 409
    assert response.json["error"] == "conflict"
    assert merchant_count() == 1


def test_concurrent_registrations_of_one_org_number_give_one_merchant_and_409s() -> None:
    # Given five users racing to register the same organisation number
    users = [make_user() for _ in range(5)]
    body = RegisterMerchantIn.model_validate(REGISTER)

    def attempt(user: TestUser) -> str:
        try:
            register_merchant(user.id, body)
        except Conflict:
            return "409"
        return "201"

    # When they all register at once (each thread has its own connection)
    with ThreadPoolExecutor(max_workers=5) as pool:
        outcomes = sorted(pool.map(attempt, users))
    # Then exactly one wins, the rest are conflicts, and only the winner became a merchant
    assert outcomes == ["201", "409", "409", "409", "409"]
    assert merchant_count() == 1
    assert sorted(role_of(user.id) for user in users) == ["merchant", "user", "user", "user", "user"]


def test_invalid_registrations_are_422_with_details_and_write_nothing() -> None:
    user = make_user()
    cases: list[tuple[dict[str, Any], str]] = [
        ({**REGISTER, "orgNumber": "923609017"}, "orgNumber"),  # mod-11 check digit wrong
        ({**REGISTER, "orgNumber": "92360901"}, "orgNumber"),
        ({**REGISTER, "orgNumber": "9236090160"}, "orgNumber"),
        ({**REGISTER, "orgNumber": "92360901X"}, "orgNumber"),
        ({**REGISTER, "orgNumber": 923609016}, "orgNumber"),  # a number, not a string
        ({**REGISTER, "bankAccount": "1234.56.78904"}, "bankAccount"),  # mod-11 check digit wrong
        ({**REGISTER, "bankAccount": "1234.56.7890"}, "bankAccount"),
        ({**REGISTER, "bankAccount": "RS35260005601001611379"}, "bankAccount"),
        ({**REGISTER, "bankAccount": 12345678903}, "bankAccount"),
        ({**REGISTER, "businessName": ""}, "businessName"),
        ({**REGISTER, "businessName": "<b></b>"}, "businessName"),
        ({**REGISTER, "businessName": "B" * 201}, "businessName"),
        ({**REGISTER, "businessName": None}, "businessName"),
        ({**REGISTER, "address": 17}, "address"),
        ({**REGISTER, "role": "merchant"}, "role"),  # unknown fields are refused
        ({k: v for k, v in REGISTER.items() if k != "orgNumber"}, "orgNumber"),
        ({k: v for k, v in REGISTER.items() if k != "bankAccount"}, "bankAccount"),
        ({k: v for k, v in REGISTER.items() if k != "businessName"}, "businessName"),
    ]
    for body, field in cases:
        response = register(user, body)
        assert response.status == 422, (body, response.json)
        assert response.json["error"] == "validation_error"
        assert field in {detail["field"] for detail in response.json["details"]}, (body, response.json)
    assert merchant_count() == 0
    assert role_of(user.id) == "user"


def test_malformed_json_is_400() -> None:
    response = register(make_user(), raw_body="{oops")
    assert response.status == 400
    assert response.json["error"] == "bad_request"


# --- who may read --------------------------------------------------------------------------------


def test_every_route_needs_a_signed_in_user() -> None:
    for response in (register(None), read("dashboard", None), read("qr", None), read("transactions", None)):
        assert response.status == 401
        assert response.json["error"] == "unauthorized"
    assert merchant_count() == 0


def test_merchant_reads_are_403_for_non_merchants() -> None:
    # An ordinary user, a user whose role says merchant but who never registered, and a merchant
    # whose role was taken back in the database (the token still says merchant)
    ordinary = make_user()
    role_only = make_user(role="merchant")
    revoked = make_merchant().user
    get_db().execute("UPDATE users SET role = 'user' WHERE id = %s", (revoked.id,))
    for user in (ordinary, role_only, revoked):
        for route in ("dashboard", "qr", "transactions"):
            response = read(route, user)
            assert response.status == 403, (route, user.role)
            assert response.json["error"] == "forbidden"


# --- GET /api/merchants/dashboard ----------------------------------------------------------------


def test_dashboard_sums_completed_payments_and_nets_out_the_fees() -> None:
    # Given a merchant paid 129.00 and 250.50 today, a failed payment, and a payment to someone else
    merchant, other = make_merchant(), make_merchant()
    customer = make_user(first_name="Amir", last_name="Bašić")
    add_qr_payment(merchant, customer, "129.00")
    add_qr_payment(merchant, customer, "250.50")  # fee 2.505 → 2.51 (half up)
    add_qr_payment(merchant, customer, "1000.00", status="failed")
    add_qr_payment(other, customer, "77.00")
    # When the merchant opens today's dashboard (the default period)
    response = read("dashboard", merchant.user, query={})
    # Then revenue, fees and net revenue are exact Decimals
    assert response.status == 200
    data = response.data
    assert data["revenue"] == Decimal("379.50")
    assert data["transactionCount"] == 2
    assert data["fees"] == Decimal("3.80")
    assert data["netRevenue"] == Decimal("375.70")
    assert '"revenue":379.50' in response.raw_body  # a JSON number, never a string or a float
    assert data["payoutTime"] == "06:00"
    payout = date.fromisoformat(data["nextPayout"])
    assert payout.weekday() < 5
    assert datetime.now(OSLO).date() <= payout <= datetime.now(OSLO).date() + timedelta(days=7)


def test_a_merchant_without_payments_sees_zeros() -> None:
    response = read("dashboard", make_merchant().user, query={"period": "month"})
    assert response.status == 200
    assert response.data["revenue"] == 0
    assert response.data["fees"] == 0
    assert response.data["netRevenue"] == 0
    assert response.data["transactionCount"] == 0


def test_periods_start_at_midnight_in_oslo() -> None:
    # Given, per period, one payment exactly at its Oslo start and one a microsecond before
    customer = make_user()
    today = datetime.now(OSLO).date()
    starts = {
        "today": today,
        "week": today - timedelta(days=today.weekday()),
        "month": today.replace(day=1),
    }
    for period, first_day in starts.items():
        start = datetime.combine(first_day, time(0), tzinfo=OSLO)
        merchant = make_merchant()
        add_qr_payment(merchant, customer, "100.00", created_at=start)
        add_qr_payment(merchant, customer, "55.00", created_at=start - timedelta(microseconds=1))
        # When that merchant asks for the period
        response = read("dashboard", merchant.user, query={"period": period})
        # Then only the payment from the start on counts
        assert response.status == 200
        assert response.data["transactionCount"] == 1, period
        assert response.data["revenue"] == Decimal("100.00"), period
        assert response.data["fees"] == Decimal("1.00"), period


def test_month_includes_earlier_days_of_the_month_that_today_leaves_out() -> None:
    customer, merchant = make_user(), make_merchant()
    start_of_today = datetime.combine(datetime.now(OSLO).date(), time(0), tzinfo=OSLO)
    add_qr_payment(merchant, customer, "10.00")
    add_qr_payment(merchant, customer, "20.00", created_at=start_of_today - timedelta(days=40))
    assert read("dashboard", merchant.user, {"period": "today"}).data["revenue"] == Decimal("10.00")
    assert read("dashboard", merchant.user, {"period": "month"}).data["revenue"] == Decimal("10.00")


def test_unknown_period_is_422() -> None:
    user = make_merchant().user
    for period in ("year", "TODAY", "", "week "):
        response = read("dashboard", user, {"period": period})
        assert response.status == 422, period
        assert response.json["error"] == "validation_error"


# --- GET /api/merchants/transactions -------------------------------------------------------------


def test_payment_list_is_newest_first_with_anonymised_customers() -> None:
    merchant, other = make_merchant(), make_merchant()
    amir = make_user(first_name="Amir", last_name="Bašić")
    lejla = make_user(first_name="Lejla", last_name="øvrebø")
    now = datetime.now(OSLO)
    older = add_qr_payment(merchant, amir, "129.00", created_at=now - timedelta(hours=2))
    newer = add_qr_payment(merchant, lejla, "250.50", created_at=now - timedelta(hours=1))
    add_qr_payment(other, amir, "99.00")
    response = read("transactions", merchant.user)
    assert response.status == 200
    assert [item["id"] for item in response.data] == [newer, older]
    first = response.data[0]
    assert first == {
        "id": newer,
        "amount": Decimal("250.50"),
        "fee": Decimal("2.51"),
        "netAmount": Decimal("247.99"),
        "currency": "NOK",
        "status": "completed",
        "customerName": "Lejla Ø.",
        "createdAt": first["createdAt"],
    }
    assert response.data[1]["customerName"] == "Amir B."
    assert "Bašić" not in response.raw_body
    assert response.json["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}


def test_payment_list_pages_and_validates_its_query() -> None:
    merchant, customer = make_merchant(), make_user()
    now = datetime.now(OSLO)
    ids = [
        add_qr_payment(merchant, customer, "10.00", created_at=now - timedelta(minutes=n)) for n in range(5)
    ]
    page_two = read("transactions", merchant.user, {"page": "2", "limit": "2"})
    assert page_two.status == 200
    assert [item["id"] for item in page_two.data] == ids[2:4]
    assert page_two.json["pagination"] == {"page": 2, "limit": 2, "total": 5, "totalPages": 3}
    for query in ({"limit": "51"}, {"limit": "0"}, {"page": "0"}, {"page": "x"}):
        response = read("transactions", merchant.user, query)
        assert response.status == 422, query
        assert response.json["error"] == "validation_error"


def test_helpers_make_valid_norwegian_numbers() -> None:
    # The support helpers feed the routes; a helper number must pass the same checks a client's does
    user = make_user()
    response = register(
        user, {**REGISTER, "orgNumber": valid_org_number(), "bankAccount": valid_account_number()}
    )
    assert response.status == 201
