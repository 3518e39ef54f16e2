"""GET and POST /api/complaints: six categories, status `received`, a 15-business-day deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import privacy_handler
import pytest

from drop.db import get_db
from drop.services import complaints as complaints_service
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

COMMITMENT_NOTE = (
    "We will review and respond to your complaint within 15 business days per Finansavtaleloven §3-53"
)
VALID = {"category": "fees", "subject": "High transfer fee", "description": "The fee was higher than shown."}


def post_complaint(headers: dict[str, str], body: Any = None, *, raw_body: str | None = None) -> ApiResponse:
    event = load_event("privacy", "complaints-post-ok", headers=headers, body=body, raw_body=raw_body)
    return invoke(privacy_handler, event)


def list_complaints(headers: dict[str, str], query: dict[str, str] | None = None) -> ApiResponse:
    return invoke(privacy_handler, load_event("privacy", "complaints-list-ok", headers=headers, query=query))


def add_complaints(user_id: str, count: int, start: datetime) -> list[str]:
    """Insert complaints directly (one minute apart) with their events and counter, as the service does."""
    from drop.repositories import complaints as complaints_repo

    ids = []
    with get_db().transaction() as cur:
        for index in range(count):
            complaint_id = f"cmp_{index:016x}"
            created = start + timedelta(minutes=index)
            complaints_repo.insert(
                cur,
                complaint_id=complaint_id,
                user_id=user_id,
                category="service",
                subject=f"Complaint {index}",
                description="Details",
                created_at=created,
                due_at=created + timedelta(days=21),
            )
            ids.append(complaint_id)
    return ids


def test_a_complaint_is_received_with_its_deadline_and_commitment_note() -> None:
    user = make_user()

    response = post_complaint(user.cookie, VALID)

    assert response.status == 201
    assert response.json["commitmentNote"] == COMMITMENT_NOTE
    complaint = response.data
    assert complaint["id"].startswith("cmp_")
    assert {key: complaint[key] for key in VALID} == VALID
    assert complaint["status"] == "received"
    assert complaint["created_at"].endswith("Z")
    assert complaint["due_at"] > complaint["created_at"]
    row = get_db().fetch_one("SELECT user_id, status FROM complaints WHERE id = %s", (complaint["id"],))
    assert row == {"user_id": user.id, "status": "received"}
    events = get_db().fetch_all(
        "SELECT from_status, to_status FROM complaint_events WHERE complaint_id = %s", (complaint["id"],)
    )
    assert events == [{"from_status": None, "to_status": "received"}]


def test_a_complaint_in_easter_week_is_due_after_the_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given it is Wednesday 24 March 2027 in Oslo (Maundy Thursday, Good Friday, Easter Monday ahead)
    monkeypatch.setattr(complaints_service, "utcnow", lambda: datetime(2027, 3, 24, 9, 30, tzinfo=UTC))

    response = post_complaint(make_user().cookie, VALID)

    # Then the deadline is the end of Monday 19 April 2027, Oslo time (CEST)
    assert response.data["created_at"] == "2027-03-24T09:30:00.000Z"
    assert response.data["due_at"] == "2027-04-19T21:59:59.000Z"


def test_the_list_is_newest_first_with_default_limit_10_and_total_pages() -> None:
    user, other = make_user(), make_user()
    ids = add_complaints(user.id, 12, datetime(2026, 2, 17, 9, 0, tzinfo=UTC))
    post_complaint(other.cookie, {**VALID, "subject": "Someone else's"})

    first = list_complaints(user.cookie)
    second = list_complaints(user.cookie, {"page": "2"})

    assert first.status == second.status == 200
    assert first.json["pagination"] == {"page": 1, "limit": 10, "total": 12, "totalPages": 2}
    assert [item["id"] for item in first.data + second.data] == list(reversed(ids))
    assert second.json["pagination"]["page"] == 2
    assert "Someone else" not in first.raw_body + second.raw_body
    item = first.data[0]
    assert set(item) == {
        "id",
        "category",
        "subject",
        "description",
        "status",
        "resolution",
        "created_at",
        "resolved_at",
        "due_at",
    }
    assert item["resolution"] is None
    assert item["resolved_at"] is None


def test_limit_up_to_100_and_anything_else_is_422() -> None:
    user = make_user()
    add_complaints(user.id, 3, datetime(2026, 2, 17, 9, 0, tzinfo=UTC))
    big = list_complaints(user.cookie, {"limit": "100"})
    assert big.status == 200
    assert big.json["pagination"] == {"page": 1, "limit": 100, "total": 3, "totalPages": 1}
    for query in ({"limit": "101"}, {"limit": "0"}, {"page": "0"}, {"limit": "ten"}):
        response = list_complaints(user.cookie, query)
        assert response.status == 422, query
        assert response.json["error"] == "validation_error"


def test_the_limits_are_inclusive_and_text_is_trimmed() -> None:
    user = make_user()
    body = {"category": "other", "subject": "  " + "s" * 200 + "  ", "description": "d" * 2000}
    response = post_complaint(user.cookie, body)
    assert response.status == 201
    assert response.data["subject"] == "s" * 200
    multiline = post_complaint(user.cookie, {**VALID, "description": "Line one\nLine two"})
    assert multiline.data["description"] == "Line one\nLine two"


def test_every_category_is_accepted() -> None:
    user = make_user()
    for category in ("transaction", "service", "fees", "privacy", "technical", "other"):
        assert post_complaint(user.cookie, {**VALID, "category": category}).status == 201, category
    assert list_complaints(user.cookie).json["pagination"]["total"] == 6


INVALID: list[tuple[dict[str, Any], str]] = [
    ({**VALID, "category": "billing"}, "category"),
    ({**VALID, "category": None}, "category"),
    ({**VALID, "subject": ""}, "subject"),
    ({**VALID, "subject": "   "}, "subject"),
    ({**VALID, "subject": "s" * 201}, "subject"),
    ({**VALID, "subject": 42}, "subject"),
    ({**VALID, "description": ""}, "description"),
    ({**VALID, "description": "d" * 2001}, "description"),
    ({**VALID, "description": "bad\x00byte"}, "description"),
    ({"category": "fees", "subject": "No description"}, "description"),
    ({"category": "fees", "description": "No subject"}, "subject"),
    ({**VALID, "status": "resolved"}, "status"),
]


def test_invalid_category_or_empty_fields_are_422_and_store_nothing() -> None:
    user = make_user()
    for body, field in INVALID:
        response = post_complaint(user.cookie, body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert field in [detail["field"] for detail in response.json["details"]], body
    for raw in ("{", "[]", ""):
        assert post_complaint(user.cookie, raw_body=raw).status == 400, raw
    assert list_complaints(user.cookie).json["pagination"]["total"] == 0
    assert get_db().fetch_one("SELECT count(*) AS n FROM complaints") == {"n": 0}


@pytest.mark.parametrize("headers", [{}, {"Cookie": "drop_token=nope"}])
def test_both_routes_need_a_signed_in_user(headers: dict[str, str]) -> None:
    assert list_complaints(headers).status == 401
    response = post_complaint(headers, VALID)
    assert response.status == 401
    assert response.json["error"] == "unauthorized"
