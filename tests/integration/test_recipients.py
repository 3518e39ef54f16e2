"""Recipients: list, add and remove saved payees (API §11.3), always scoped to the signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import recipients_handler

from drop.db import get_db
from drop.repositories import counters
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

if TYPE_CHECKING:  # imported by name only for typing: pytest would try to collect a Test* class
    from tests.support.users import TestUser

# The SWIFT IBAN registry's examples, one per supported country, with each country's payout currency.
IBANS = {
    "RS": ("RSD", "RS35260005601001611379"),
    "BA": ("BAM", "BA391290079401028494"),
    "PL": ("PLN", "PL61109010140000071219812874"),
    "PK": ("PKR", "PK36SCBL0000001123456702"),
    "TR": ("TRY", "TR330006100519786457841326"),
}
VALID = {
    "name": "Mama Jasmina",
    "country": "RS",
    "currency": "RSD",
    "bankAccount": "RS35 2600 0560 1001 6113 79",
    "bankName": "Banca Intesa",
}


def create(user: TestUser | None, body: Any = None, **kwargs: Any) -> ApiResponse:
    headers = user.cookie if user else {}
    event = load_event(
        "recipients", "create-ok", body=VALID if body is None else body, headers=headers, **kwargs
    )
    return invoke(recipients_handler, event)


def listing(user: TestUser | None, query: dict[str, str] | None = None) -> ApiResponse:
    headers = user.cookie if user else {}
    return invoke(recipients_handler, load_event("recipients", "list-ok", headers=headers, query=query))


def delete(user: TestUser | None, recipient_id: str) -> ApiResponse:
    event = load_event(
        "recipients",
        "delete-ok",
        headers=user.cookie if user else {},
        path=f"/api/recipients/{recipient_id}",
        path_params={"id": recipient_id},
    )
    return invoke(recipients_handler, event)


def stored(recipient_id: str) -> dict[str, Any]:
    row = get_db().fetch_one("SELECT * FROM recipients WHERE id = %s", (recipient_id,))
    assert row is not None
    return row


# --- POST /api/recipients ------------------------------------------------------------------------


def test_adding_a_recipient_returns_it_with_the_account_masked() -> None:
    # Given a signed-in user
    user = make_user()
    # When they add a Serbian recipient, IBAN typed in groups of four
    response = create(user)
    # Then 201 with the recipient, the account masked to its last four characters
    assert response.status == 201
    data = response.data
    assert data["id"].startswith("rcp_") and len(data["id"]) == 20
    assert data == {
        "id": data["id"],
        "name": "Mama Jasmina",
        "country": "RS",
        "currency": "RSD",
        "bankAccount": "*****1379",
        "bankName": "Banca Intesa",
        "createdAt": data["createdAt"],
    }
    assert data["createdAt"].endswith("Z")
    assert "RS35" not in response.raw_body
    # And the full IBAN is stored normalised (no spaces), for the payment later
    row = stored(data["id"])
    assert row["bank_account"] == "RS35260005601001611379"
    assert row["user_id"] == user.id
    assert counters.read(user.id, "recipients") == 1


def test_every_supported_country_with_its_currency_and_iban_is_accepted() -> None:
    user = make_user()
    for country, (currency, iban) in IBANS.items():
        body = {"name": "Recipient", "country": country, "currency": currency, "bankAccount": iban.lower()}
        response = create(user, body)
        assert response.status == 201, (country, response.json)
        assert response.data["bankAccount"] == "*****" + iban[-4:]
        assert response.data["bankName"] is None
        assert stored(response.data["id"])["bank_account"] == iban


def test_name_is_trimmed_and_bank_name_sanitised_to_200_characters() -> None:
    user = make_user()
    body = {**VALID, "name": "  Đorđe Petrović  ", "bankName": "<b>Komercijalna</b>  banka " + "x" * 300}
    response = create(user, body)
    assert response.status == 201
    assert response.data["name"] == "Đorđe Petrović"
    assert response.data["bankName"].startswith("Komercijalna banka x")
    assert "<" not in response.data["bankName"]
    assert len(response.data["bankName"]) == 200


def _field_errors(response: ApiResponse) -> set[str]:
    assert response.status == 422, response.json
    assert response.json["error"] == "validation_error"
    return {detail["field"] for detail in response.json["details"]}


def test_invalid_fields_are_422_with_details_naming_the_field() -> None:
    user = make_user()
    rs, ba = IBANS["RS"][1], IBANS["BA"][1]
    cases: list[tuple[dict[str, Any], str]] = [
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "name": "12345"}, "name"),
        ({**VALID, "name": "<script>alert(1)</script>"}, "name"),
        ({**VALID, "name": "A" * 101}, "name"),
        ({**VALID, "name": 42}, "name"),
        ({**VALID, "country": "NO"}, "country"),
        ({**VALID, "country": "Serbia"}, "country"),
        ({**VALID, "currency": "EUR"}, "currency"),
        ({**VALID, "currency": "BAM"}, "currency"),  # a supported currency, but not Serbia's
        ({**VALID, "bankAccount": ba}, "bankAccount"),  # a valid IBAN of another country
        ({**VALID, "bankAccount": rs[:-1] + "8"}, "bankAccount"),  # checksum
        ({**VALID, "bankAccount": rs[:-1]}, "bankAccount"),  # length
        ({**VALID, "bankAccount": "1234.56.78903"}, "bankAccount"),  # a Norwegian account
        ({**VALID, "bankAccount": 35260005601001611379}, "bankAccount"),
        ({**VALID, "bankName": 7}, "bankName"),
        ({**VALID, "userId": "usr_0000000000000000"}, "userId"),  # unknown fields are refused
        ({k: v for k, v in VALID.items() if k != "name"}, "name"),
        ({k: v for k, v in VALID.items() if k != "bankAccount"}, "bankAccount"),
        ({k: v for k, v in VALID.items() if k != "currency"}, "currency"),
    ]
    for body, field in cases:
        response = create(user, body)
        assert field in _field_errors(response), (body, response.json)
    # Nothing was written
    assert counters.read(user.id, "recipients") == 0
    assert get_db().fetch_one("SELECT count(*) AS n FROM recipients")["n"] == 0  # type: ignore[index]


def test_currency_mismatch_names_the_expected_currency() -> None:
    response = create(
        make_user(), {**VALID, "country": "PL", "currency": "RSD", "bankAccount": IBANS["PL"][1]}
    )
    assert _field_errors(response) == {"currency"}
    assert "PLN" in response.json["details"][0]["message"]


def test_malformed_or_non_object_json_is_400() -> None:
    user = make_user()
    for raw in ("{not json", "[1, 2]", '"text"'):
        response = create(user, raw_body=raw)
        assert response.status == 400, raw
        assert response.json["error"] == "bad_request"


# --- GET /api/recipients -------------------------------------------------------------------------


def test_list_is_newest_first_masked_and_only_the_users_own() -> None:
    # Given two recipients of mine and one of someone else's
    me, other = make_user(), make_user()
    first = create(me, {**VALID, "name": "First"}).data
    second = create(
        me, {"name": "Second", "country": "BA", "currency": "BAM", "bankAccount": IBANS["BA"][1]}
    ).data
    create(other, {**VALID, "name": "Not mine"})
    # When I list my recipients
    response = listing(me)
    # Then I see mine, newest first, masked, with the pagination block
    assert response.status == 200
    assert [item["id"] for item in response.data] == [second["id"], first["id"]]
    assert response.data[0] == second
    assert {item["bankAccount"] for item in response.data} == {"*****1379", "*****8494"}
    assert response.json["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}


def test_an_empty_list_has_total_zero() -> None:
    response = listing(make_user())
    assert response.status == 200
    assert response.data == []
    assert response.json["pagination"] == {"page": 1, "limit": 20, "total": 0, "totalPages": 0}


def test_pagination_pages_through_with_a_stable_order() -> None:
    user = make_user()
    ids = [create(user, {**VALID, "name": f"R{n}"}).data["id"] for n in range(5)]
    # Same created_at for two rows: the id breaks the tie
    get_db().execute(
        "UPDATE recipients SET created_at = '2026-02-23T12:00:00Z' WHERE id = ANY(%s)", (ids[:2],)
    )
    pages = [listing(user, {"page": str(p), "limit": "2"}) for p in (1, 2, 3, 4)]
    seen = [item["id"] for page in pages for item in page.data]
    assert len(seen) == 5 and set(seen) == set(ids)
    assert seen[-2:] == sorted(ids[:2], reverse=True)
    assert pages[1].json["pagination"] == {"page": 2, "limit": 2, "total": 5, "totalPages": 3}
    assert pages[3].data == []


def test_bad_pagination_is_422() -> None:
    user = make_user()
    for query in (
        {"limit": "51"},
        {"limit": "0"},
        {"page": "0"},
        {"page": "-1"},
        {"limit": "ten"},
        {"page": "1.5"},
    ):
        response = listing(user, query)
        assert response.status == 422, query
        assert response.json["error"] == "validation_error"
    assert listing(user, {"limit": "50"}).json["pagination"]["limit"] == 50


# --- DELETE /api/recipients/{id} -----------------------------------------------------------------


def test_delete_soft_deletes_and_drops_it_from_the_list() -> None:
    user = make_user()
    keep = create(user).data["id"]
    gone = create(user, {**VALID, "name": "Old"}).data["id"]
    response = delete(user, gone)
    assert response.status == 204
    assert response.raw_body == ""
    assert [item["id"] for item in listing(user).data] == [keep]
    assert listing(user).json["pagination"]["total"] == 1
    # The row stays (past transactions keep their recipient), marked deleted
    assert stored(gone)["deleted_at"] is not None
    # And a second delete finds nothing
    again = delete(user, gone)
    assert again.status == 404
    assert again.json["error"] == "not_found"
    assert counters.read(user.id, "recipients") == 1


def test_someone_elses_recipient_is_404_and_untouched() -> None:
    owner, intruder = make_user(), make_user()
    recipient_id = create(owner).data["id"]
    response = delete(intruder, recipient_id)
    assert response.status == 404
    assert response.json["error"] == "not_found"
    assert stored(recipient_id)["deleted_at"] is None
    assert listing(intruder).data == []
    assert [item["id"] for item in listing(owner).data] == [recipient_id]


def test_unknown_or_malformed_ids_are_404() -> None:
    user = make_user()
    for recipient_id in (
        "rcp_0123456789abcdef",
        "rcp_1",
        "usr_0123456789abcdef",
        "x' OR '1'='1",
        "RCP_0123456789ABCDEF",
    ):
        response = delete(user, recipient_id)
        assert response.status == 404, recipient_id
        assert response.json["error"] == "not_found"


# --- auth ----------------------------------------------------------------------------------------


def test_every_route_needs_a_signed_in_user() -> None:
    recipient_id = create(make_user()).data["id"]
    for response in (listing(None), create(None), delete(None, recipient_id)):
        assert response.status == 401
        assert response.json["error"] == "unauthorized"
    assert stored(recipient_id)["deleted_at"] is None
