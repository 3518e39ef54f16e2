"""GET and PATCH /api/notifications: the user's own, newest first, behind the `notifications` flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import notifications_handler
import pytest

from drop.db import get_db
from drop.repositories import counters
from drop.repositories import notifications as notifications_repo
from tests.support.events import load_event
from tests.support.flags import FakeFlagStore
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import TestUser as SignedInUser
from tests.support.users import make_user

BASE = datetime(2026, 2, 23, 12, 0, tzinfo=UTC)


def add_notification(user: SignedInUser, title: str, *, at: datetime = BASE, read: bool = False) -> str:
    with get_db().transaction() as cur:
        notification_id = notifications_repo.insert(
            cur, user_id=user.id, type="transaction", title=title, body=f"{title} body"
        )
        cur.execute(
            "UPDATE notifications SET created_at = %s, read = %s WHERE id = %s", (at, read, notification_id)
        )
    return notification_id


def list_notifications(headers: dict[str, str], query: dict[str, str] | None = None) -> ApiResponse:
    return invoke(notifications_handler, load_event("notifications", "list-ok", headers=headers, query=query))


def mark_read(headers: dict[str, str], body: Any = None, raw_body: str | None = None) -> ApiResponse:
    event = load_event("notifications", "mark-read-ok", headers=headers, body=body, raw_body=raw_body)
    return invoke(notifications_handler, event)


def is_read(notification_id: str) -> bool:
    row = get_db().fetch_one("SELECT read FROM notifications WHERE id = %s", (notification_id,))
    assert row is not None
    return bool(row["read"])


# --- listing --------------------------------------------------------------------------------------


def test_lists_the_users_notifications_newest_first_with_read_state() -> None:
    # Given two notifications of mine and one of someone else's
    user, other = make_user(), make_user()
    older = add_notification(user, "Older", at=BASE, read=True)
    newer = add_notification(user, "Newer", at=BASE + timedelta(minutes=5))
    add_notification(other, "Not yours", at=BASE + timedelta(minutes=10))

    # When I list them
    response = list_notifications(user.cookie)

    # Then I see only mine, newest first, in the documented item shape
    assert response.status == 200
    assert [item["id"] for item in response.data] == [newer, older]
    assert response.data[0] == {
        "id": newer,
        "type": "transaction",
        "title": "Newer",
        "body": "Newer body",
        "read": False,
        "createdAt": "2026-02-23T12:05:00.000Z",
    }
    assert response.data[1]["read"] is True
    assert response.json["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    assert "Not yours" not in response.raw_body


def test_pages_are_stable_when_timestamps_tie() -> None:
    user = make_user()
    ids = [add_notification(user, f"n{index}", at=BASE) for index in range(5)]

    first = list_notifications(user.bearer, {"page": "1", "limit": "2"})
    second = list_notifications(user.bearer, {"page": "2", "limit": "2"})
    third = list_notifications(user.bearer, {"page": "3", "limit": "2"})

    seen = [item["id"] for response in (first, second, third) for item in response.data]
    assert seen == sorted(ids, reverse=True)
    assert third.json["pagination"] == {"page": 3, "limit": 2, "total": 5, "totalPages": 3}


def test_the_total_comes_from_the_maintained_counter() -> None:
    user = make_user()
    add_notification(user, "one")
    assert counters.read(user.id, "notifications") == 1
    assert list_notifications(user.cookie).json["pagination"]["total"] == 1


def test_a_user_without_notifications_gets_an_empty_page() -> None:
    response = list_notifications(make_user().cookie)
    assert response.status == 200
    assert response.data == []
    assert response.json["pagination"]["total"] == 0


def test_bad_pagination_is_422() -> None:
    user = make_user()
    for query in ({"limit": "51"}, {"limit": "0"}, {"page": "0"}, {"page": "x"}):
        response = list_notifications(user.cookie, query)
        assert response.status == 422, query
        assert response.json["error"] == "validation_error"
        assert response.json["details"]


# --- marking read ---------------------------------------------------------------------------------


def test_marks_only_the_callers_notifications_and_ignores_others_silently() -> None:
    # Given one unread notification of mine, one already read, and one of another user
    user, other = make_user(), make_user()
    mine = add_notification(user, "mine")
    already = add_notification(user, "already", read=True)
    theirs = add_notification(other, "theirs")
    unknown = "noti_0123456789abcdef"

    # When I mark all four (one does not exist at all)
    response = mark_read(user.cookie, {"notificationIds": [mine, already, theirs, unknown]})

    # Then only my unread one changed, and the answer is the same as for an ID that does not exist
    assert response.status == 200
    assert response.data == {"updated": 1}
    assert is_read(mine)
    assert not is_read(theirs)
    assert theirs not in response.raw_body


def test_someone_elses_id_answers_like_an_unknown_id() -> None:
    user, other = make_user(), make_user()
    theirs = add_notification(other, "theirs")
    existing = mark_read(user.cookie, {"notificationIds": [theirs]})
    missing = mark_read(user.cookie, {"notificationIds": ["noti_ffffffffffffffff"]})
    assert (
        (existing.status, existing.json) == (missing.status, missing.json) == (200, {"data": {"updated": 0}})
    )


def test_marking_twice_counts_once_and_duplicates_count_once() -> None:
    user = make_user()
    notification_id = add_notification(user, "dup")
    first = mark_read(user.cookie, {"notificationIds": [notification_id, notification_id]})
    again = mark_read(user.cookie, {"notificationIds": [notification_id]})
    assert first.data == {"updated": 1}
    assert again.data == {"updated": 0}
    listed = list_notifications(user.cookie)
    assert listed.data[0]["read"] is True


def test_one_hundred_ids_are_accepted_and_101_are_422() -> None:
    user = make_user()
    ids = [f"noti_{index:016x}" for index in range(101)]
    assert mark_read(user.cookie, {"notificationIds": ids[:100]}).status == 200
    response = mark_read(user.cookie, {"notificationIds": ids})
    assert response.status == 422
    assert response.json["error"] == "validation_error"
    assert response.json["details"][0]["field"] == "notificationIds"


MALFORMED_IDS: list[Any] = [
    "noti_0123456789ABCDEF",  # upper-case hex
    "noti_0123456789abcde",  # 15 hex digits
    "noti_0123456789abcdef0",  # 17 hex digits
    "0123456789abcdef",  # no prefix
    "noti_0123456789abcdef\n",  # trailing newline
    "noti_0123456789abcdeg",  # not hex
    "' OR 1=1 --",
    123,
    None,
]


def test_a_malformed_id_is_422_with_details_and_nothing_is_marked() -> None:
    user = make_user()
    mine = add_notification(user, "stay unread")
    for bad_id in MALFORMED_IDS:
        response = mark_read(user.cookie, {"notificationIds": [mine, bad_id]})
        assert response.status == 422, bad_id
        assert response.json["error"] == "validation_error"
        assert response.json["details"][0]["field"] == "notificationIds.1"
    assert not is_read(mine)  # nothing is written when any ID is bad


def test_bad_bodies_are_422() -> None:
    user = make_user()
    bodies: list[dict[str, Any]] = [
        {"notificationIds": []},
        {},
        {"notificationIds": "noti_0123456789abcdef"},
        {"notificationIds": ["noti_0123456789abcdef"], "read": False},
        {"notification_ids": ["noti_0123456789abcdef"]},
    ]
    for body in bodies:
        response = mark_read(user.cookie, body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert response.json["details"]


def test_malformed_or_missing_json_is_400() -> None:
    user = make_user()
    for raw in ("{not json", "[]", ""):
        response = mark_read(user.cookie, raw_body=raw)
        assert response.status == 400, raw
        assert response.json["error"] == "bad_request"


# --- auth and flag --------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"}])
def test_both_routes_need_a_signed_in_user(headers: dict[str, str]) -> None:
    assert list_notifications(headers).status == 401
    response = mark_read(headers, {"notificationIds": ["noti_0123456789abcdef"]})
    assert response.status == 401
    assert response.json["error"] == "unauthorized"


def test_flag_off_makes_both_routes_404_even_without_auth(flags: FakeFlagStore) -> None:
    user = make_user()
    mine = add_notification(user, "hidden")
    flags.set("notifications", False)

    for headers in ({}, user.cookie):
        listed = list_notifications(headers)
        marked = mark_read(headers, {"notificationIds": [mine]})
        assert (listed.status, marked.status) == (404, 404)
        assert listed.json["error"] == marked.json["error"] == "not_found"
    assert not is_read(mine)

    # Turning the flag back on brings the routes back without anything else changing
    flags.set("notifications", True)
    assert list_notifications(user.cookie).status == 200
    assert mark_read(user.cookie, {"notificationIds": [mine]}).data == {"updated": 1}
