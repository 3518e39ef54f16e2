"""Identifiers: `<prefix>_<16 lowercase hex>` everywhere (DESIGN §6.10)."""

from __future__ import annotations

import re
import secrets

ID_PATTERN = re.compile(r"^[a-z]+(?:_[a-z]+)*_[a-f0-9]{16}$")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def looks_like_id(value: str, prefix: str) -> bool:
    """Cheap shape check so garbage path parameters never reach SQL as a lookup."""
    return value.startswith(prefix + "_") and ID_PATTERN.match(value) is not None
