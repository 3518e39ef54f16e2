"""Demo data for `make dev`.

Placeholder: a later task fills `seed_demo_data` with the BankID test persons (and their sandbox bank
accounts) that the local OIDC provider signs in. It must stay idempotent, because `make dev` calls it on
every start against a database that persists between runs.
"""

from __future__ import annotations


def seed_demo_data(conninfo: str) -> None:
    """Insert the demo users if they are missing; a no-op until the BankID simulator lands."""
    del conninfo
