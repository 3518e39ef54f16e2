"""Shared input rules from the spec: `validateName()` and sanitising free text to a length cap."""

from __future__ import annotations

import re
import unicodedata

_TAG_OR_SCRIPT = re.compile(r"<[^>]*>|javascript:|on\w+\s*=", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Lone surrogates: valid as JSON escapes ("\\ud800") but not Unicode text, so not storable as UTF-8.
# pydantic refuses them in a plain `str` field, but lets them through a `str | None` one.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def validate_name(value: str) -> str:
    """1 to 100 characters, at least one letter, no HTML or script. Returns the trimmed name."""
    name = unicodedata.normalize("NFC", value).strip()
    if not 1 <= len(name) <= 100:
        raise ValueError("must be 1-100 characters")
    if not any(ch.isalpha() for ch in name):
        raise ValueError("must contain at least one letter")
    if _TAG_OR_SCRIPT.search(name) or "<" in name or ">" in name or _CONTROL.search(name):
        raise ValueError("must not contain HTML, script or control characters")
    if _SURROGATE.search(name):
        raise ValueError("must be valid Unicode text")
    return name


def sanitize_text(value: str, max_length: int) -> str:
    """Strip tags, control characters and lone surrogates, collapse whitespace, cap the length."""
    text = _TAG_OR_SCRIPT.sub("", unicodedata.normalize("NFC", _SURROGATE.sub("", value)))
    text = _CONTROL.sub(" ", text).replace("<", "").replace(">", "")
    return " ".join(text.split())[:max_length]
