"""IBAN checks (ISO 13616) for the recipient countries Drop pays out to.

Only the five corridors are known here: an IBAN from anywhere else is not a valid recipient account.
The BBAN shapes come from the SWIFT IBAN registry, so a number with the right checksum but an impossible
layout (letters in a Serbian account, say) is refused before a payment ever tries it.
"""

from __future__ import annotations

import re

# Country → (total IBAN length, BBAN pattern).
_FORMATS: dict[str, tuple[int, re.Pattern[str]]] = {
    "RS": (22, re.compile(r"[0-9]{18}")),
    "BA": (20, re.compile(r"[0-9]{16}")),
    "PL": (28, re.compile(r"[0-9]{24}")),
    "PK": (24, re.compile(r"[A-Z]{4}[0-9A-Z]{16}")),
    "TR": (26, re.compile(r"[0-9]{5}[0-9][0-9A-Z]{16}")),
}
IBAN_LENGTHS: dict[str, int] = {country: length for country, (length, _) in _FORMATS.items()}

_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]+")


class InvalidIban(ValueError):
    """The account is not an IBAN of the expected country; the message says why."""


def normalise_iban(value: str) -> str:
    """People paste IBANs in groups of four; the stored and checked form has no spaces, upper case."""
    return "".join(value.split()).upper()


def mod97(iban: str) -> int:
    """ISO 7064 MOD 97-10 over the rearranged IBAN (letters A=10 … Z=35); 1 means the checksum holds."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def validate_iban(value: str, country: str) -> str:
    """The normalised IBAN when it is a well-formed IBAN of `country`, else InvalidIban."""
    iban = normalise_iban(value)
    expected = _FORMATS.get(country)
    if expected is None:
        raise InvalidIban(f"IBANs of {country!r} are not supported")
    length, bban = expected
    if not _SHAPE.fullmatch(iban):
        raise InvalidIban("must be an IBAN: country code, two check digits, then letters and digits")
    if iban[:2] != country:
        raise InvalidIban(f"must be an IBAN of {country} (starting with {country})")
    if len(iban) != length:
        raise InvalidIban(f"an IBAN of {country} has {length} characters, got {len(iban)}")
    if not bban.fullmatch(iban[4:]):
        raise InvalidIban(f"the account part does not have the format of a {country} IBAN")
    if mod97(iban) != 1:
        raise InvalidIban("IBAN checksum is wrong (check for a typo)")
    return iban


def mask_account(account: str) -> str:
    """`*****5678`: only the last four characters ever leave the server (DESIGN §8)."""
    return "*****" + account[-4:]
