"""The account's own view of its root user: account summary and credential report.

- GetAccountSummary (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html):
  ``AccountMFAEnabled`` is 1 when the root user has MFA, ``AccountAccessKeysPresent`` is 1 when
  the root user has access keys. moto always says 0; the root's device counts in
  ``MFADevices`` and ``MFADevicesInUse`` too.
- GetCredentialReport (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html):
  the first row is the root user, ``<root_account>``, with ``not_supported`` where a column does
  not apply to root; fields that do not apply to a user are ``N/A``. ``password_enabled`` is
  ``true`` for root too: since root credentials can be removed (centralized root access, 2024)
  the page gives it TRUE or FALSE like any user's (FALSE only for member accounts without root
  credentials), and the sandbox's root has a password.
- ListOrganizationsFeatures (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html):
  the sandbox account is a standalone account, in no organization, so AWS's
  ``OrganizationNotFoundException`` (its message is the API reference's description of it).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from typing import Any

from helpers.sandbox.constants import REGION
from helpers.sandbox.layer import moto_state, passwords
from helpers.sandbox.layer.identity import ROOT, ROOT_ARN, ROOT_REPORT_NAME
from helpers.sandbox.layer.registry import Call, after, before
from helpers.sandbox.layer.wire import AwsError, Response

REPORT_COLUMNS = (
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
)
NA = "N/A"
NOT_SUPPORTED = "not_supported"


def _when(moment: dt.datetime | None) -> str:
    """The report's date format, ``2014-09-01T22:28:48+00:00`` (naive datetimes are UTC)."""
    if moment is None:
        return NA
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _key_columns(keys: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for index in range(2):
        key = keys[index] if index < len(keys) else None
        if key is None:
            columns += ["false", NA, NA, NA, NA]
            continue
        used = key.get("last_used")
        columns += [
            _flag(key["active"]),
            _when(key["created"]),
            _when(used),
            (key.get("region") or NA) if used else NA,
            (key.get("service") or NA) if used else NA,
        ]
    return columns


def root_row() -> list[str]:
    keys = [
        {
            "active": k.status == "Active",
            "created": k.created_at,
            "last_used": k.last_used,
            "region": REGION if k.last_used else None,
            "service": k.last_used_service,
        }
        for k in ROOT.access_keys
    ]
    return [
        ROOT_REPORT_NAME,
        ROOT_ARN,
        _when(ROOT.created_at),
        "true",  # password_enabled: the sandbox's root always has its password
        _when(ROOT.last_active or ROOT.created_at),
        NOT_SUPPORTED,
        NOT_SUPPORTED,
        _flag(ROOT.mfa_enabled),
        *_key_columns(keys),
        "false",
        NA,
        "false",
        NA,
    ]


def user_row(facts: dict[str, Any], max_age_days: int | None) -> list[str]:
    if facts["password"]:
        last_used = facts["password_last_used"]
        # Passwords set before the sandbox's rules saw them count from the user's creation.
        changed = passwords.password_last_changed(facts["name"]) or facts["created"]
        password = [
            "true",
            _when(last_used) if last_used else "no_information",
            _when(changed),
            _when(changed + dt.timedelta(days=max_age_days)) if max_age_days else NA,
        ]
    else:
        password = ["false", NA, NA, NA]
    certificates = facts["certificates"]
    return [
        facts["name"],
        facts["arn"],
        _when(facts["created"]),
        *password,
        _flag(facts["mfa"]),
        *_key_columns(facts["access_keys"]),
        _flag(len(certificates) > 0 and certificates[0]),
        NA,
        _flag(len(certificates) > 1 and certificates[1]),
        NA,
    ]


def credential_report() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerow(root_row())
    max_age = moto_state.max_password_age()
    for found in moto_state.users():
        writer.writerow(user_row(moto_state.credential_facts(found), max_age))
    return buffer.getvalue()


_CONTENT = re.compile(r"<Content>[^<]*</Content>")
_GENERATED = re.compile(r"<GeneratedTime>[^<]*</GeneratedTime>")


@after("iam", "GetCredentialReport")
def report_with_root(call: Call, response: Response) -> Response:
    content = base64.b64encode(credential_report().encode()).decode()
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = _CONTENT.sub(f"<Content>{content}</Content>", response.text, count=1)
    text = _GENERATED.sub(f"<GeneratedTime>{generated}</GeneratedTime>", text, count=1)
    return response.with_text(text)


def _set_entry(text: str, key: str, value: int) -> str:
    pattern = re.compile(rf"(<entry><key>{key}</key><value>)[^<]*(</value></entry>)")
    if pattern.search(text):
        return pattern.sub(rf"\g<1>{value}\g<2>", text, count=1)
    entry = f"<entry><key>{key}</key><value>{value}</value></entry>"
    return text.replace("</SummaryMap>", entry + "</SummaryMap>", 1)


@after("iam", "GetAccountSummary")
def summary_with_root(call: Call, response: Response) -> Response:
    root_devices = len(ROOT.mfa_devices)
    in_use = sum(len(moto_state.user_mfa_serials(u)) for u in moto_state.users())
    text = response.text
    text = _set_entry(text, "AccountMFAEnabled", 1 if ROOT.mfa_enabled else 0)
    text = _set_entry(text, "AccountAccessKeysPresent", 1 if ROOT.access_keys else 0)
    text = _set_entry(text, "MFADevices", len(moto_state.virtual_mfa_devices()) + root_devices)
    text = _set_entry(text, "MFADevicesInUse", in_use + root_devices)
    return response.with_text(text)


@before("iam", "ListOrganizationsFeatures")
def list_organizations_features(call: Call) -> None:
    raise AwsError(
        "OrganizationNotFoundException",
        "The request was rejected because no organization is associated with your account.",
        400,
    )
