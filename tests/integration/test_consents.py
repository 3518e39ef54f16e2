"""GET and POST /api/consents: grant and withdraw with timestamps and the client IP (API.md §9.6)."""

from __future__ import annotations

from typing import Any

import privacy_handler
import pytest

from drop.db import get_db
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

RECORDED_IP = "198.51.100.10"  # the recorded events' API Gateway sourceIp


def post_consent(
    headers: dict[str, str], body: Any = None, *, raw_body: str | None = None, source_ip: str | None = None
) -> ApiResponse:
    event = load_event(
        "privacy", "consents-post-ok", headers=headers, body=body, raw_body=raw_body, source_ip=source_ip
    )
    return invoke(privacy_handler, event)


def list_consents(headers: dict[str, str]) -> ApiResponse:
    return invoke(privacy_handler, load_event("privacy", "consents-list-ok", headers=headers))


def consent_events(consent_id: str) -> list[dict[str, Any]]:
    return get_db().fetch_all(
        "SELECT granted, ip_address FROM consent_events WHERE consent_id = %s ORDER BY id", (consent_id,)
    )


def test_a_new_consent_is_201_then_updates_are_200_with_timestamps_and_ip() -> None:
    user = make_user()

    # When I grant marketing consent for the first time
    granted = post_consent(user.cookie, {"consentType": "marketing", "granted": True})

    # Then it is created, granted, with my IP from the request context
    assert granted.status == 201
    consent = granted.data
    assert consent["id"].startswith("con_")
    assert consent["user_id"] == user.id
    assert consent["consent_type"] == "marketing"
    assert consent["granted"] is True
    assert '"granted":true' in granted.raw_body  # a JSON boolean, never 1
    assert consent["granted_at"].endswith("Z")
    assert consent["withdrawn_at"] is None
    assert consent["ip_address"] == RECORDED_IP

    # When I withdraw it from another network
    withdrawn = post_consent(
        user.cookie, {"consentType": "marketing", "granted": False}, source_ip="203.0.113.9"
    )

    # Then the same consent is updated: withdrawn now, the grant time kept, the new IP recorded
    assert withdrawn.status == 200
    assert withdrawn.data["id"] == consent["id"]
    assert withdrawn.data["granted"] is False
    assert withdrawn.data["withdrawn_at"].endswith("Z")
    assert withdrawn.data["granted_at"] == consent["granted_at"]
    assert withdrawn.data["ip_address"] == "203.0.113.9"

    # When I grant it again, the withdrawal is cleared
    regranted = post_consent(user.cookie, {"consentType": "marketing", "granted": True})
    assert regranted.status == 200
    assert regranted.data["granted"] is True
    assert regranted.data["withdrawn_at"] is None
    assert regranted.data["granted_at"] >= consent["granted_at"]

    # And every action left an audit event with its IP
    assert consent_events(consent["id"]) == [
        {"granted": True, "ip_address": RECORDED_IP},
        {"granted": False, "ip_address": "203.0.113.9"},
        {"granted": True, "ip_address": RECORDED_IP},
    ]


def test_withdrawing_a_consent_never_given_creates_it_withdrawn() -> None:
    response = post_consent(make_user().cookie, {"consentType": "cookies_analytics", "granted": False})
    assert response.status == 201
    assert response.data["granted"] is False
    assert response.data["granted_at"] is None
    assert response.data["withdrawn_at"].endswith("Z")


def test_the_forwarded_for_header_does_not_set_the_recorded_ip() -> None:
    headers = {**make_user().cookie, "X-Forwarded-For": "10.6.6.6"}
    response = post_consent(headers, {"consentType": "terms", "granted": True})
    assert response.data["ip_address"] == RECORDED_IP


def test_the_list_shows_only_my_consents_in_the_same_shape() -> None:
    user, other = make_user(), make_user()
    for consent_type in ("terms", "privacy", "cookies_marketing"):
        assert post_consent(user.cookie, {"consentType": consent_type, "granted": True}).status == 201
    post_consent(other.cookie, {"consentType": "marketing", "granted": True})

    response = list_consents(user.cookie)

    assert response.status == 200
    assert sorted(item["consent_type"] for item in response.data) == ["cookies_marketing", "privacy", "terms"]
    for item in response.data:
        assert set(item) == {
            "id",
            "user_id",
            "consent_type",
            "granted",
            "granted_at",
            "withdrawn_at",
            "ip_address",
        }
        assert item["user_id"] == user.id
        assert item["granted"] is True


def test_a_user_without_consents_gets_an_empty_list() -> None:
    response = list_consents(make_user().cookie)
    assert (response.status, response.json) == (200, {"data": []})


INVALID: list[tuple[dict[str, Any], str]] = [
    ({"consentType": "newsletter", "granted": True}, "consentType"),
    ({"consentType": "MARKETING", "granted": True}, "consentType"),
    ({"granted": True}, "consentType"),
    ({"consentType": "terms"}, "granted"),
    ({"consentType": "terms", "granted": "true"}, "granted"),
    ({"consentType": "terms", "granted": 1}, "granted"),
    ({"consentType": "terms", "granted": None}, "granted"),
    ({"consent_type": "terms", "granted": True}, "consent_type"),
    ({"consentType": "terms", "granted": True, "ipAddress": "1.2.3.4"}, "ipAddress"),
]


def test_invalid_consent_type_or_missing_fields_are_422_and_store_nothing() -> None:
    user = make_user()
    for body, field in INVALID:
        response = post_consent(user.cookie, body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert field in [detail["field"] for detail in response.json["details"]], body
    for raw in ("{", "[true]", ""):
        assert post_consent(user.cookie, raw_body=raw).status == 400, raw
    assert list_consents(user.cookie).data == []


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer x.y.z"}])
def test_both_routes_need_a_signed_in_user(headers: dict[str, str]) -> None:
    assert list_consents(headers).status == 401
    response = post_consent(headers, {"consentType": "terms", "granted": True})
    assert response.status == 401
    assert response.json["error"] == "unauthorized"
