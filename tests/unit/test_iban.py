"""IBAN rules for the five payout countries (ISO 13616 length, BBAN shape and mod-97 checksum)."""

from __future__ import annotations

import secrets

import pytest

from drop.iban import IBAN_LENGTHS, InvalidIban, mask_account, mod97, normalise_iban, validate_iban

# Published examples from the SWIFT IBAN registry, one per supported country.
REGISTRY_EXAMPLES = {
    "RS": "RS35260005601001611379",
    "BA": "BA391290079401028494",
    "PL": "PL61109010140000071219812874",
    "PK": "PK36SCBL0000001123456702",
    "TR": "TR330006100519786457841326",
}


def with_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits computed from scratch: 98 - (BBAN + country + "00" as digits) mod 97."""
    digits = "".join(str(ord(ch) - 55) if ch.isalpha() else ch for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def random_bban(country: str) -> str:
    length = IBAN_LENGTHS[country] - 4
    digits = "".join(secrets.choice("0123456789") for _ in range(length))
    if country == "PK":  # four letters of bank code first
        return "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + digits[4:]
    return digits


@pytest.mark.parametrize(("country", "iban"), REGISTRY_EXAMPLES.items())
def test_registry_examples_are_valid(country: str, iban: str) -> None:
    assert validate_iban(iban, country) == iban
    assert mod97(iban) == 1


@pytest.mark.parametrize("country", sorted(IBAN_LENGTHS))
def test_generated_ibans_are_valid_and_have_the_country_length(country: str) -> None:
    for _ in range(20):
        iban = with_check_digits(country, random_bban(country))
        assert len(iban) == IBAN_LENGTHS[country]
        assert validate_iban(iban, country) == iban


def test_the_generator_agrees_with_the_registry() -> None:
    for country, iban in REGISTRY_EXAMPLES.items():
        assert with_check_digits(country, iban[4:]) == iban


def test_lengths_per_country() -> None:
    assert IBAN_LENGTHS == {"RS": 22, "BA": 20, "PL": 28, "PK": 24, "TR": 26}


def test_spaces_and_lower_case_are_accepted_and_normalised() -> None:
    assert validate_iban("rs35 2600 0560 1001 6113 79", "RS") == "RS35260005601001611379"
    assert validate_iban(" PL61 1090 1014 0000 0712 1981 2874 ", "PL") == REGISTRY_EXAMPLES["PL"]
    assert normalise_iban("pk36 scbl 0000 0011 2345 6702") == REGISTRY_EXAMPLES["PK"]


@pytest.mark.parametrize(("country", "iban"), REGISTRY_EXAMPLES.items())
def test_any_single_digit_typo_breaks_the_checksum(country: str, iban: str) -> None:
    for position in range(4, len(iban)):
        if not iban[position].isdigit():
            continue
        typo = iban[:position] + str((int(iban[position]) + 1) % 10) + iban[position + 1 :]
        with pytest.raises(InvalidIban, match="checksum"):
            validate_iban(typo, country)


def test_swapped_neighbours_break_the_checksum() -> None:
    iban = REGISTRY_EXAMPLES["RS"]
    for position in range(4, len(iban) - 1):
        if iban[position] == iban[position + 1]:
            continue
        swapped = iban[:position] + iban[position + 1] + iban[position] + iban[position + 2 :]
        with pytest.raises(InvalidIban):
            validate_iban(swapped, "RS")


def test_wrong_check_digits_are_refused() -> None:
    with pytest.raises(InvalidIban, match="checksum"):
        validate_iban("RS36260005601001611379", "RS")


def test_an_iban_of_another_country_is_refused() -> None:
    with pytest.raises(InvalidIban, match="of RS"):
        validate_iban(REGISTRY_EXAMPLES["BA"], "RS")
    with pytest.raises(InvalidIban, match="of TR"):
        validate_iban(REGISTRY_EXAMPLES["PL"], "TR")


def test_unsupported_country_is_refused_even_with_a_valid_iban() -> None:
    norway = "NO9386011117947"  # the registry's Norwegian example: valid, but not a payout country
    assert mod97(norway) == 1
    with pytest.raises(InvalidIban, match="not supported"):
        validate_iban(norway, "NO")
    with pytest.raises(InvalidIban):
        validate_iban(norway, "RS")


@pytest.mark.parametrize("country", sorted(IBAN_LENGTHS))
def test_wrong_length_is_refused_even_with_a_correct_checksum(country: str) -> None:
    bban = random_bban(country)
    too_short = with_check_digits(country, bban[:-1])
    too_long = with_check_digits(country, bban + "1")
    for iban in (too_short, too_long):
        assert mod97(iban) == 1
        with pytest.raises(InvalidIban, match="characters"):
            validate_iban(iban, country)


def test_letters_where_the_country_has_digits_are_refused_even_with_a_correct_checksum() -> None:
    iban = with_check_digits("RS", "26000560100161137A")
    assert mod97(iban) == 1
    with pytest.raises(InvalidIban, match="format"):
        validate_iban(iban, "RS")
    pk_digits_for_bank = with_check_digits("PK", "1234" + "0000001123456702")
    with pytest.raises(InvalidIban, match="format"):
        validate_iban(pk_digits_for_bank, "PK")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "RS",
        "RS35",
        "RS35-2600-0560-1001-6113-79",
        "RS3526000560100161137\uff19",
        "ЯS35260005601001611379",
    ],
)
def test_garbage_is_refused(value: str) -> None:
    with pytest.raises(InvalidIban):
        validate_iban(value, "RS")


def test_mask_shows_only_the_last_four_characters() -> None:
    assert mask_account("RS35260005601001611379") == "*****1379"
    assert mask_account("PK36SCBL0000001123456702") == "*****6702"
