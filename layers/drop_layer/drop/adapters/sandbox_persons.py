"""The BankID test persons the sandbox adapters know, keyed by their stable `bankid_altsub`.

`local/bankid.py` signs these people in; the AISP and screening sandboxes answer for them. Anyone else a
sandbox is asked about (a real BankID test user in a deployed dev stage, say) gets the neutral answer:
no bank accounts, and a clean screening.
"""

from __future__ import annotations

APPROVED = "9578-6000-4-100001"
PENDING = "9578-6000-4-100002"
REJECTED = "9578-6000-4-100003"
NO_ACCOUNT = "9578-6000-4-100004"
APPROVED_2 = "9578-6000-4-100005"
