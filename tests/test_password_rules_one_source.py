"""The password policy's rules have one source (helpers/rules/passwords.py): the forms, the
checklist and the lessons read the same bounds and thresholds, and checks return rule ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers import defaults
from helpers.forms import policy_form
from helpers.forms.password_form import password_checklist
from helpers.rules import passwords
from helpers.status.cis import check_password_length, check_password_reuse
from helpers.status.console_items import check_password_policy
from helpers.status.gather import AccountData


def test_the_forms_bounds_are_aws_bounds() -> None:
    assert policy_form.BOUNDS is passwords.POLICY_BOUNDS


def test_the_cis_preset_meets_the_cis_thresholds() -> None:
    policy = defaults.CIS_PASSWORD_POLICY
    assert policy["MinimumPasswordLength"] == passwords.CIS_MIN_LENGTH
    assert policy["PasswordReusePrevention"] == passwords.CIS_REUSE
    assert all(kept for _, kept in passwords.cis_checks(policy))


@pytest.mark.parametrize("threshold", [12, 16])
def test_the_checklist_follows_the_rules_thresholds(monkeypatch, threshold: int) -> None:
    monkeypatch.setattr(passwords, "CIS_MIN_LENGTH", threshold)
    data = AccountData(password_policy={"MinimumPasswordLength": 14}, password_policy_read=True)
    expected = "PASS" if 14 >= threshold else "FAIL"
    assert check_password_length(data, datetime.now(UTC)).status == expected


def test_reuse_must_be_the_cis_number() -> None:
    now = datetime.now(UTC)
    for reuse, status in ((24, "PASS"), (23, "FAIL"), (None, "FAIL")):
        data = AccountData(
            password_policy={"PasswordReusePrevention": reuse}, password_policy_read=True
        )
        assert check_password_reuse(data, now).status == status


def test_checks_return_rule_ids_and_the_checklist_uses_them() -> None:
    policy = {"MinimumPasswordLength": 14, "RequireSymbols": True}
    assert passwords.broken_rules("short", policy, "alice") == [
        passwords.MIN_LENGTH_RULE,
        "RequireSymbols",
    ]
    assert passwords.broken_rules("x" * 129 + "!", None) == [
        passwords.MAX_LENGTH_RULE,
        passwords.THREE_KINDS_RULE,
    ]
    items = password_checklist("short", policy, "alice")
    assert items == [  # a custom policy has no name rule (AWS's default policy only)
        ("At least 14 characters (this one has 5).", False),
        (f"At least one symbol ({passwords.SYMBOLS}).", False),
    ]
    assert password_checklist("alice", None, "alice") == [
        ("At least 8 characters (this one has 5).", False),
        (
            "At least three of: upper-case letters, lower-case letters, digits, symbols "
            "(this one has 1).",
            False,
        ),
        ("Not the same as the user name.", False),
    ]


def test_the_summary_line_is_shared_by_the_checklist() -> None:
    policy = defaults.CIS_PASSWORD_POLICY
    line = passwords.summary_line(policy)
    assert line == ("14+ characters · A-Z · a-z · 0-9 · symbols · no reuse of the last 24")
    data = AccountData(password_policy=policy, password_policy_read=True)
    assert line in check_password_policy(data).reason
