"""GDPR rights: data export (Art. 20) and erasure (Art. 17) under the 5-year AML retention (DESIGN §6.13)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drop.clock import utcnow
from drop.db import get_db
from drop.errors import Unauthorized
from drop.ids import new_id
from drop.models.privacy import DataExport
from drop.repositories import consents, sessions, user_settings
from drop.repositories import notifications as notifications_repo
from drop.repositories import privacy as privacy_repo
from drop.services.cards import cancel_all_for_user as cancel_all_cards
from drop.services.settings import DEFAULTS as SETTINGS_DEFAULTS

ERASURE_MESSAGE = "Account scheduled for deletion"
RETENTION_NOTE = "Data retained for 5 years per AML requirements"


@dataclass(frozen=True)
class ExportResult:
    export: DataExport
    exported_at: datetime


def export_user_data(user_id: str) -> ExportResult:
    """One snapshot of everything held about the user, logged as a completed export request."""
    with get_db().transaction() as cur:
        privacy_repo.begin_consistent_read(cur)
        profile = privacy_repo.profile(cur, user_id)
        if profile is None:
            raise Unauthorized("Session is no longer valid")
        export = DataExport(
            user=profile,
            transactions=privacy_repo.export_rows(cur, "transactions", user_id),
            recipients=privacy_repo.export_rows(cur, "recipients", user_id),
            bank_accounts=privacy_repo.export_rows(cur, "bank_accounts", user_id),
            # Reading must not create: settings never stored are shown as the defaults they would be.
            settings=user_settings.for_user(cur, user_id) or {**SETTINGS_DEFAULTS, "updated_at": None},
            consents=privacy_repo.export_rows(cur, "consents", user_id),
            notifications=privacy_repo.export_rows(cur, "notifications", user_id),
            complaints=privacy_repo.export_rows(cur, "complaints", user_id),
            merchant=privacy_repo.merchant(cur, user_id),
        )
        privacy_repo.record_request(cur, request_id=new_id("dar"), user_id=user_id, type="export")
    return ExportResult(export=export, exported_at=utcnow())


def erase_account(user_id: str, *, ip_address: str) -> None:
    """Soft delete, sign out everywhere and pseudonymise, all or nothing.

    Kept for AML (hvitvaskingsloven, 5 years): names, birth date, transactions, bank accounts,
    recipients, merchant data and complaints. Gone now: contact details, credentials, the BankID key
    (hashed), preferences, notifications, consents (withdrawn), usable cards and PIN hashes.
    """
    with get_db().transaction() as cur:
        if not privacy_repo.erase_user(cur, user_id):
            raise Unauthorized("Session is no longer valid")
        sessions.revoke_all(cur, user_id)
        privacy_repo.retire_auth_codes(cur, user_id)
        user_settings.delete(cur, user_id)
        notifications_repo.delete_all_for_user(cur, user_id)
        consents.withdraw_all(cur, user_id, ip_address)
        privacy_repo.record_request(cur, request_id=new_id("dar"), user_id=user_id, type="erasure")
        # Last: it tells the card issuer, and an issuer failure must roll all of the above back.
        cancel_all_cards(cur, user_id)
