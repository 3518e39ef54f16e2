"""Shared input rules from the spec: `validateName()` and sanitising free text to a length cap."""

from __future__ import annotations

import re
import unicodedata

_TAG_OR_SCRIPT = re.compile(r"<[^>]*>|javascript:|on\w+\s*=", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def validate_name(value: str) -> str:
    """1 to 100 characters, at least one letter, no HTML or script. Returns the trimmed name."""
    name = unicodedata.normalize("NFC", value).strip()
    if not 1 <= len(name) <= 100:
        raise ValueError("must be 1-100 characters")
    if not any(ch.isalpha() for ch in name):
        raise ValueError("must contain at least one letter")
    if _TAG_OR_SCRIPT.search(name) or "<" in name or ">" in name or _CONTROL.search(name):
        raise ValueError("must not contain HTML, script or control characters")
    return name


def sanitize_text(value: str, max_length: int) -> str:
    """Strip tags and control characters, collapse whitespace, cap the length."""
    text = _TAG_OR_SCRIPT.sub("", unicodedata.normalize("NFC", value))
    text = _CONTROL.sub(" ", text).replace("<", "").replace(">", "")
    return " ".join(text.split())[:max_length]
