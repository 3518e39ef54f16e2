"""Pure auth rules: what a BankID identity must carry, and the OLD register field rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from drop.adapters.aisp import SandboxAisp
from drop.adapters.sandbox_persons import APPROVED, NO_ACCOUNT
from drop.adapters.screening import SandboxScreening, ScreeningSubject
from drop.errors import Unauthorized
from drop.models.auth import check_date_of_birth, check_email, check_password, check_phone
from drop.services.auth import erased_altsub, identity_from_claims

CLAIMS = {
    "bankid_altsub": "9578-6000-4-1",
    "given_name": "Amir",
    "family_name": "Bašić",
    "birthdate": "1988-04-12",
}


def test_an_identity_comes_from_altsub_names_and_birthdate() -> None:
    identity = identity_from_claims({**CLAIMS, "sub": "pairwise-and-ignored", "given_name": "  Amir "})
    assert identity.altsub == "9578-6000-4-1"
    assert (identity.first_name, identity.last_name, identity.birthdate) == (
        "Amir",
        "Bašić",
        date(1988, 4, 12),
    )


def test_birthdate_is_optional() -> None:
    assert identity_from_claims({k: v for k, v in CLAIMS.items() if k != "birthdate"}).birthdate is None


@pytest.mark.parametrize(
    "change",
    [
        {"bankid_altsub": None},
        {"bankid_altsub": ""},
        {"bankid_altsub": 42},
        {"given_name": None},
        {"given_name": "<script>x</script>"},
        {"family_name": "123"},
        {"family_name": "x" * 101},
        {"birthdate": "12.04.1988"},
        {"birthdate": "2999-01-01"},
        {"birthdate": "1988-02-30"},
    ],
)
def test_an_unusable_identity_is_401(change: dict[str, Any]) -> None:
    claims = {k: v for k, v in {**CLAIMS, **change}.items() if v is not None}
    with pytest.raises(Unauthorized):
        identity_from_claims(claims)


def test_the_erased_key_is_a_hash_not_the_identifier() -> None:
    key = erased_altsub(APPROVED)
    assert key.startswith("erased:") and APPROVED not in key and key == erased_altsub(APPROVED)


def test_the_sandboxes_know_the_test_persons_and_treat_others_neutrally() -> None:
    accounts = SandboxAisp().accounts_for(APPROVED)
    assert sum(a.balance for a in accounts) == 58030 and [a.is_primary for a in accounts] == [True, False]
    assert SandboxAisp().accounts_for(NO_ACCOUNT) == [] and SandboxAisp().accounts_for("someone") == []
    assert SandboxScreening().screen(ScreeningSubject("someone", "A", "B", None)) == "approved"


@pytest.mark.parametrize("email", ["amir@example.com", "a.b+tag@sub.example.no", "  x@y.io  "])
def test_valid_emails(email: str) -> None:
    assert check_email(email) == email.strip()


@pytest.mark.parametrize(
    "email",
    [
        "plain",
        "a@b",
        "a@@b.com",
        ".a@b.com",
        "a..b@c.com",
        "a@-b.com",
        "a b@c.com",
        "a@b.c",
        "x" * 250 + "@a.io",
    ],
)
def test_invalid_emails(email: str) -> None:
    with pytest.raises(PydanticCustomError):
        check_email(email)


@pytest.mark.parametrize("password", ["secret12", "Pässwörd1", "a1" * 36])
def test_valid_passwords(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize(
    "password", ["abc123", "abcdefgh", "12345678", "a1" * 36 + "x", "æ1" * 25, "abcd\x001234"]
)
def test_invalid_passwords(password: str) -> None:
    with pytest.raises(PydanticCustomError):
        check_password(password)


@pytest.mark.parametrize("phone", ["+4791234567", "+38761123456", "+123456789012345"])
def test_valid_phones(phone: str) -> None:
    assert check_phone(phone) == phone


@pytest.mark.parametrize(
    "phone", ["91234567", "+0123456789", "+1234567", "+1234567890123456", "+47 912 34 567"]
)
def test_invalid_phones(phone: str) -> None:
    with pytest.raises(PydanticCustomError):
        check_phone(phone)


def test_date_of_birth_must_be_an_iso_date_in_the_past() -> None:
    assert check_date_of_birth("1990-05-17") == date(1990, 5, 17)
    for bad in ("1990-5-17", "17.05.1990", "1990-13-01", (date.today() + timedelta(days=2)).isoformat()):
        with pytest.raises(PydanticCustomError):
            check_date_of_birth(bad)
