"""User settings: defaults on first read, whitelisted changes (API.md §9.5)."""

from __future__ import annotations

from typing import Any

from drop.models.settings import SettingsOut, SettingsPatch
from drop.repositories import user_settings

# What the table's column defaults give; the export shows these without creating a row.
DEFAULTS: dict[str, Any] = {"currency": "NOK", "language": "nb", "push_enabled": True, "email_enabled": True}


def get_settings(user_id: str) -> SettingsOut:
    return SettingsOut.model_validate(user_settings.get_or_create(user_id))


def update_settings(user_id: str, patch: SettingsPatch) -> SettingsOut:
    return SettingsOut.model_validate(user_settings.update(user_id, patch.changes()))
