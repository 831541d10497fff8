"""``check_account(iam)``: read the account once and judge it in both views."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from helpers.status.cis import check_cis_section1
from helpers.status.console_items import check_console_items
from helpers.status.gather import AccountData, gather_account
from helpers.status.model import Report


def evaluate(data: AccountData, now: datetime | None = None, duration_s: float = 0.0) -> Report:
    """Judge already gathered account data (no calls): the five items and CIS v5.0 §1."""
    now = now or datetime.now(UTC)
    return Report(
        console=check_console_items(data),
        cis=check_cis_section1(data, now),
        checked_at=now,
        account_id=data.account_id,
        credential_report_at=data.credential_report_at,
        duration_s=duration_s,
        errors=dict(data.errors),
        data=data,
    )


def check_account(iam: Any) -> Report:
    """Check the account behind this IAM client with read-only calls; nothing is cached.

    Works the same against the sandbox and a real account (it needs only Get/List rights,
    e.g. the AWS managed policy SecurityAudit).
    """
    started = time.perf_counter()
    data = gather_account(iam)
    return evaluate(data, duration_s=time.perf_counter() - started)
