"""The account summary and the credential report describe the root user as AWS does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import make_client, refused
from tests.sandbox.test_mfa import assigned_device, new_device, two_codes

# Where the expected answers come from (see tests/conftest.py).
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetCredentialReport.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html",
)

COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
]
DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"


@pytest.fixture
def console(sandbox) -> SandboxConsole:
    return SandboxConsole(sandbox.endpoint)


def report(iam) -> list[dict[str, str]]:
    iam.generate_credential_report()
    content = iam.get_credential_report()["Content"].decode()
    reader = csv.DictReader(io.StringIO(content))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def turn_on_root_mfa(console: SandboxConsole) -> None:
    device = console.start_root_mfa()
    code1, code2 = two_codes(device["Base32StringSeed"].decode())
    console.enable_root_mfa(device["SerialNumber"], code1, code2)


def test_report_before_generation(iam) -> None:
    # GetCredentialReport's API reference: ReportNotPresent, 410; moto's wording.
    assert refused(iam.get_credential_report) == (
        "ReportNotPresent",
        410,
        "Credential report not present",
    )


def test_root_row_comes_first(iam) -> None:
    root = report(iam)[0]
    assert root["user"] == "<root_account>"
    assert root["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    # "When the user has a password, this value is TRUE. Otherwise it is FALSE." Root is no
    # longer not_supported there: FALSE only for member accounts without root credentials
    # (id_credentials_getting-report.html, since centralized root access, 2024).
    assert root["password_enabled"] == "true"
    assert root["password_last_changed"] == "not_supported"
    assert root["password_next_rotation"] == "not_supported"
    assert root["mfa_active"] == "false"
    assert root["access_key_1_active"] == root["access_key_2_active"] == "false"
    assert root["access_key_1_last_rotated"] == "N/A"
    assert root["cert_1_active"] == "false" and root["cert_1_last_rotated"] == "N/A"
    assert re.fullmatch(DATE, root["user_creation_time"])


def test_root_row_follows_root_mfa_and_keys(sandbox, iam, console: SandboxConsole) -> None:
    turn_on_root_mfa(console)
    key = console.create_root_access_key()
    root = report(iam)[0]
    assert root["mfa_active"] == "true"
    assert root["access_key_1_active"] == "true"
    assert re.fullmatch(DATE, root["access_key_1_last_rotated"])
    assert root["access_key_1_last_used_date"] == "N/A"
    assert root["access_key_1_last_used_region"] == "N/A"
    assert root["access_key_2_active"] == "false"
    make_client(
        "sts", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"]
    ).get_caller_identity()
    root = report(iam)[0]
    assert re.fullmatch(DATE, root["access_key_1_last_used_date"])
    assert (root["access_key_1_last_used_region"], root["access_key_1_last_used_service"]) == (
        "us-east-1",
        "sts",
    )


def test_root_password_last_used_is_the_sandbox_session(iam) -> None:
    """The sandbox's credentials are root's console session: root was used today."""
    used = dt.datetime.fromisoformat(report(iam)[0]["password_last_used"])
    assert dt.datetime.now(dt.UTC) - used < dt.timedelta(minutes=5)


def test_user_rows(iam) -> None:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-42")
    assigned_device(iam, "alice")
    iam.create_access_key(UserName="alice")
    iam.create_user(UserName="bob")
    rows = {row["user"]: row for row in report(iam)[1:]}
    alice, bob = rows["alice"], rows["bob"]
    assert alice["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    assert alice["password_enabled"] == "true"
    assert alice["password_last_used"] == "no_information"
    assert alice["password_next_rotation"] == "N/A"
    assert alice["mfa_active"] == "true"
    assert alice["access_key_1_active"] == "true"
    assert alice["access_key_1_last_used_region"] == "N/A"
    assert bob["password_enabled"] == "false"
    assert bob["password_last_used"] == bob["password_last_changed"] == "N/A"
    assert bob["mfa_active"] == "false"
    assert bob["access_key_1_active"] == "false"


def test_password_rotation_follows_the_policy(iam) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=90)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-42")
    alice = report(iam)[1]
    changed = dt.datetime.fromisoformat(alice["password_last_changed"])
    rotation = dt.datetime.fromisoformat(alice["password_next_rotation"])
    assert rotation - changed == dt.timedelta(days=90)


def test_summary_counts_mfa_devices(iam, console: SandboxConsole) -> None:
    iam.create_user(UserName="alice")
    assigned_device(iam, "alice")
    new_device(iam, "spare")
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["MFADevices"], summary["MFADevicesInUse"]) == (2, 1)
    assert summary["AccountMFAEnabled"] == 0
    turn_on_root_mfa(console)
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["MFADevices"], summary["MFADevicesInUse"]) == (3, 2)
    assert summary["AccountMFAEnabled"] == 1
    assert summary["AccountAccessKeysPresent"] == 0


def test_a_standalone_account_has_no_organization(iam) -> None:
    """ListOrganizationsFeatures: OrganizationNotFoundException, worded as its API reference
    describes it (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html)."""
    with pytest.raises(iam.exceptions.OrganizationNotFoundException) as caught:
        iam.list_organizations_features()
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"] == (
        "The request was rejected because no organization is associated with your account."
    )
