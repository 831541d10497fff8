"""The status rules on hand-made account data: dates, policy documents and edge cases that a
fresh sandbox cannot show (keys 46 days old, a hardware root MFA, refused reads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.status import AccountData, evaluate
from helpers.status.gather import AttachedPolicy, GroupInfo, UserInfo
from helpers.status.policy_docs import allows_full_admin

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
ACCOUNT = "111122223333"


def stamp(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def row(user: str = "alice", **columns: str) -> dict[str, str]:
    """A credential report row: no password, no MFA, no keys unless given."""
    arn = (
        f"arn:aws:iam::{ACCOUNT}:root"
        if user == "<root_account>"
        else (f"arn:aws:iam::{ACCOUNT}:user/{user}")
    )
    base = {
        "user": user,
        "arn": arn,
        "user_creation_time": stamp(100),
        "password_enabled": "true" if user == "<root_account>" else "false",
        "password_last_used": "no_information",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_1_last_rotated": "N/A",
        "access_key_1_last_used_date": "N/A",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "N/A",
        "access_key_2_last_used_date": "N/A",
    }
    base.update(columns)
    return base


def account(*rows: dict[str, str], **fields: object) -> AccountData:
    data = AccountData(
        summary={"AccountMFAEnabled": 0, "AccountAccessKeysPresent": 0},
        credential_report=[row("<root_account>"), *rows],
        password_policy=None,
        password_policy_read=True,
        users=[],
        groups=[],
        attached_policies=[],
        support_roles=[],
        server_certificates=[],
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return data


def status(data: AccountData, finding_id: str) -> str:
    return evaluate(data, now=NOW).status_of(finding_id)


# ----- *:* detection (Prowler lib/policy.py check_admin_access) -----


@pytest.mark.parametrize(
    ("statement", "admin"),
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": "*"}, True),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, False),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}, False),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
    ],
)
def test_full_admin_detection_follows_prowler(statement: dict, admin: bool) -> None:
    assert allows_full_admin({"Version": "2012-10-17", "Statement": [statement]}) is admin
    assert allows_full_admin({"Statement": statement}) is admin  # a lone statement, no list


def test_no_document_is_not_admin() -> None:
    assert allows_full_admin(None) is False
    assert allows_full_admin({}) is False


# ----- root (1.3 - 1.6) -----


def test_root_rows_decide_1_3_and_1_4() -> None:
    data = account()
    data.credential_report[0].update(access_key_2_active="true", mfa_active="true")
    assert status(data, "cis.1.3") == "FAIL"
    assert status(data, "cis.1.4") == "PASS"


def test_without_a_root_row_1_3_and_1_4_fall_back_to_the_summary() -> None:
    data = account(summary={"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 1})
    data.credential_report = [row("alice")]
    report = evaluate(data, now=NOW)
    assert report.status_of("cis.1.3") == "FAIL"
    assert report.status_of("cis.1.4") == "PASS"
    assert report.status_of("cis.1.6") == "MANUAL"


@pytest.mark.parametrize(
    ("devices", "expected"),
    [
        (
            [{"SerialNumber": "arn:aws:iam::1:mfa/root", "User": {"Arn": "arn:aws:iam::1:root"}}],
            "FAIL",
        ),
        (
            [{"SerialNumber": "arn:aws:iam::1:mfa/bob", "User": {"Arn": "arn:aws:iam::1:user/b"}}],
            "PASS",
        ),
        ([], "PASS"),
    ],
)
def test_hardware_root_mfa_is_decided_from_the_virtual_devices(
    devices: list, expected: str
) -> None:
    data = account(summary={"AccountMFAEnabled": 1}, virtual_mfa_devices=devices)
    assert status(data, "cis.1.5") == expected


def test_hardware_root_mfa_fails_without_any_root_mfa() -> None:
    assert status(account(), "cis.1.5") == "FAIL"


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"password_last_used": stamp(0.1)}, "FAIL"),
        ({"password_last_used": stamp(1.5)}, "FAIL"),  # Prowler: days <= 1 fails
        ({"password_last_used": stamp(2.5)}, "PASS"),
        ({}, "PASS"),
        ({"access_key_1_last_used_date": stamp(0.2)}, "FAIL"),
        # Prowler reads the password date first when there is one, even if a key was used later.
        ({"password_last_used": stamp(30), "access_key_1_last_used_date": stamp(0.2)}, "PASS"),
    ],
)
def test_root_usage_follows_prowler(columns: dict, expected: str) -> None:
    data = account()
    data.credential_report[0].update(columns)
    assert status(data, "cis.1.6") == expected


# ----- credentials (1.9 - 1.13) -----


def test_user_mfa_1_9() -> None:
    assert status(account(row(password_enabled="true")), "cis.1.9") == "FAIL"
    assert status(account(row(password_enabled="true", mfa_active="true")), "cis.1.9") == "PASS"
    # root (password_enabled true, no MFA in account()) is left to 1.4, as in Prowler
    assert status(account(row()), "cis.1.9") == "PASS"


def test_initial_access_key_1_10_needs_a_password_and_a_never_used_key() -> None:
    unused = {"access_key_1_active": "true", "access_key_1_last_rotated": stamp(1)}
    assert status(account(row(password_enabled="true", **unused)), "cis.1.10") == "FAIL"
    assert status(account(row(**unused)), "cis.1.10") == "PASS"  # no console password
    used = dict(unused, access_key_1_last_used_date=stamp(0))
    assert status(account(row(password_enabled="true", **used)), "cis.1.10") == "PASS"


@pytest.mark.parametrize(("days", "expected"), [(46, "FAIL"), (45, "PASS")])
def test_unused_access_keys_1_11(days: int, expected: str) -> None:
    key = {"access_key_2_active": "true", "access_key_2_last_used_date": stamp(days + 0.1)}
    assert status(account(row(**key)), "cis.1.11") == expected


def test_never_used_or_inactive_keys_do_not_fail_1_11() -> None:
    never = {"access_key_1_active": "true", "access_key_1_last_rotated": stamp(200)}
    inactive = {"access_key_1_active": "false", "access_key_1_last_used_date": stamp(200)}
    assert status(account(row(**never)), "cis.1.11") == "PASS"
    assert status(account(row(**inactive)), "cis.1.11") == "PASS"


def test_unused_console_password_1_11() -> None:
    old = UserInfo("alice", f"arn:aws:iam::{ACCOUNT}:user/alice", NOW - timedelta(days=60), [], [])
    data = account(row(password_enabled="true"), users=[old])
    assert status(data, "cis.1.11") == "FAIL"
    data.credential_report[1]["password_enabled"] = "false"  # password since removed
    assert status(data, "cis.1.11") == "PASS"


def test_two_active_keys_1_12() -> None:
    both = {"access_key_1_active": "true", "access_key_2_active": "true"}
    assert status(account(row(**both)), "cis.1.12") == "FAIL"
    assert status(account(row(access_key_1_active="true")), "cis.1.12") == "PASS"


@pytest.mark.parametrize(
    ("days", "active", "expected"),
    [(91, "true", "FAIL"), (90, "true", "PASS"), (400, "false", "PASS")],
)
def test_key_rotation_1_13(days: int, active: str, expected: str) -> None:
    key = {"access_key_1_active": active, "access_key_1_last_rotated": stamp(days + 0.1)}
    assert status(account(row(**key)), "cis.1.13") == expected


def test_an_unreadable_credential_report_makes_its_checks_manual() -> None:
    data = account(credential_report=None, errors={"the credential report": "AccessDenied: no"})
    report = evaluate(data, now=NOW)
    for number in ("1.6", "1.9", "1.10", "1.11", "1.12", "1.13"):
        assert report.status_of(f"cis.{number}") == "MANUAL"
        assert "AccessDenied" in report.find(f"cis.{number}").reason or number == "1.6"


# ----- policies and groups -----


ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def test_admin_policy_attached_only_to_a_role_still_fails_1_15() -> None:
    policy = AttachedPolicy(
        "arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess", 1, ADMIN
    )
    report = evaluate(account(attached_policies=[policy]), now=NOW)
    assert report.status_of("cis.1.15") == "FAIL"
    assert "AWS managed" in report.find("cis.1.15").reason


def test_expired_server_certificate_fails_1_18() -> None:
    expired = {"ServerCertificateName": "old", "Expiration": NOW - timedelta(days=3)}
    valid = {"ServerCertificateName": "new", "Expiration": NOW + timedelta(days=30)}
    assert status(account(server_certificates=[expired, valid]), "cis.1.18") == "FAIL"
    assert status(account(server_certificates=[valid]), "cis.1.18") == "PASS"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (GroupInfo("Admins", ["alice"], ["AdministratorAccess"], []), "PASS"),
        (GroupInfo("Admins", ["alice"], [], ["inline-admin"]), "PASS"),
        (GroupInfo("Admins", [], ["AdministratorAccess"], []), "FAIL"),
        (GroupInfo("Admins", ["alice"], [], []), "FAIL"),
    ],
)
def test_groups_item_needs_a_member_and_a_policy(group: GroupInfo, expected: str) -> None:
    assert status(account(groups=[group]), "console.groups") == expected


def test_refused_reads_make_console_items_manual() -> None:
    data = account(
        summary=None,
        users=None,
        groups=None,
        password_policy_read=False,
        errors={"the account summary": "AccessDenied: no"},
    )
    report = evaluate(data, now=NOW)
    assert [finding.status for finding in report.console] == ["MANUAL"] * 5
    assert "AccessDenied" in report.find("console.root_mfa").reason
