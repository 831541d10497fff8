"""Read everything the checks need from an account, once, with read-only IAM calls only.

Every call here is a Get, List or GenerateCredentialReport (which only builds the report that
GetCredentialReport downloads); nothing writes. A refused read (say ``AccessDenied`` on a real
account) is logged and recorded in ``AccountData.errors``; the checks that need it say so.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from botocore.exceptions import ClientError

from helpers.i18n import N_

logger = logging.getLogger(__name__)

T = TypeVar("T")

ROOT_ROW = "<root_account>"
SUPPORT_POLICY_NAME = "AWSSupportAccess"
CREDENTIAL_REPORT_TIMEOUT_S = 60.0


@dataclass
class GroupInfo:
    name: str
    members: list[str]
    attached_policies: list[str]
    inline_policies: list[str]

    @property
    def has_policy(self) -> bool:
        return bool(self.attached_policies or self.inline_policies)


@dataclass
class UserInfo:
    name: str
    arn: str
    password_last_used: datetime | None
    attached_policies: list[str]
    inline_policies: list[str]


@dataclass
class AttachedPolicy:
    """A managed policy attached to at least one user, group or role."""

    arn: str
    name: str
    attachment_count: int
    document: dict | None

    @property
    def aws_managed(self) -> bool:
        return ":iam::aws:policy/" in self.arn


@dataclass
class AccountData:
    """What one check read from the account. None means "could not be read" (see errors)."""

    summary: dict[str, int] | None = None
    credential_report: list[dict[str, str]] | None = None
    credential_report_at: datetime | None = None
    password_policy: dict[str, Any] | None = None
    password_policy_read: bool = False
    users: list[UserInfo] | None = None
    groups: list[GroupInfo] | None = None
    attached_policies: list[AttachedPolicy] | None = None
    virtual_mfa_devices: list[dict] | None = None
    support_roles: list[str] | None = None
    server_certificates: list[dict] | None = None
    aliases: list[str] | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def root_row(self) -> dict[str, str] | None:
        """The credential report's ``<root_account>`` row, when the report has one."""
        for row in self.credential_report or []:
            if row.get("user") == ROOT_ROW:
                return row
        return None

    @property
    def account_id(self) -> str | None:
        arns = [row.get("arn", "") for row in self.credential_report or []]
        arns += [user.arn for user in self.users or []]
        for arn in arns:
            parts = arn.split(":")
            if len(parts) > 4 and parts[4]:
                return parts[4]
        return None


def _pages(iam: Any, operation: str, key: str, **params: Any) -> list:
    items: list = []
    for page in iam.get_paginator(operation).paginate(**params):
        items.extend(page[key])
    return items


def get_account_summary(iam: Any) -> dict[str, int]:
    """IAM's account summary: AccountMFAEnabled and AccountAccessKeysPresent describe root."""
    return iam.get_account_summary()["SummaryMap"]


def get_credential_report(
    iam: Any, timeout_s: float = CREDENTIAL_REPORT_TIMEOUT_S
) -> tuple[list[dict[str, str]], datetime | None]:
    """Generate the credential report until COMPLETE, download it and parse its CSV rows.

    AWS hands back a report generated in the last four hours instead of a new one, so on a
    real account these rows can be up to four hours old (Prowler reads the same report).
    """
    deadline = time.monotonic() + timeout_s
    pause = 0.0
    while iam.generate_credential_report()["State"] != "COMPLETE":
        if time.monotonic() > deadline:
            raise TimeoutError(f"The credential report was not ready after {timeout_s:.0f} s.")
        time.sleep(pause)
        pause = min(max(pause * 2, 0.1), 2.0)
    answer = iam.get_credential_report()
    content = answer["Content"]
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    rows = list(csv.DictReader(text.splitlines()))
    return rows, answer.get("GeneratedTime")


def get_password_policy(iam: Any) -> dict[str, Any] | None:
    """The account password policy, or None when the account has none (NoSuchEntity)."""
    try:
        return iam.get_account_password_policy()["PasswordPolicy"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchEntity":
            return None
        raise


def list_users_with_policies(iam: Any) -> list[UserInfo]:
    """Every IAM user with the policies attached to it directly (managed and inline)."""
    users = []
    for user in _pages(iam, "list_users", "Users"):
        name = user["UserName"]
        try:
            attached = _pages(iam, "list_attached_user_policies", "AttachedPolicies", UserName=name)
            inline = _pages(iam, "list_user_policies", "PolicyNames", UserName=name)
        except ClientError as error:
            if _gone(error):  # deleted while we looked
                continue
            raise
        users.append(
            UserInfo(
                name=name,
                arn=user["Arn"],
                password_last_used=user.get("PasswordLastUsed"),
                attached_policies=[policy["PolicyName"] for policy in attached],
                inline_policies=list(inline),
            )
        )
    return users


def list_groups_with_members(iam: Any) -> list[GroupInfo]:
    """Every group with its members and its policies (managed and inline)."""
    groups = []
    for group in _pages(iam, "list_groups", "Groups"):
        name = group["GroupName"]
        try:
            members = _pages(iam, "get_group", "Users", GroupName=name)
            attached = _pages(
                iam, "list_attached_group_policies", "AttachedPolicies", GroupName=name
            )
            inline = _pages(iam, "list_group_policies", "PolicyNames", GroupName=name)
        except ClientError as error:
            if _gone(error):
                continue
            raise
        groups.append(
            GroupInfo(
                name=name,
                members=[member["UserName"] for member in members],
                attached_policies=[policy["PolicyName"] for policy in attached],
                inline_policies=list(inline),
            )
        )
    return groups


def list_attached_policies(iam: Any) -> list[AttachedPolicy]:
    """Managed policies (AWS's and the account's own) attached to anything, with documents."""
    policies = []
    for policy in _pages(iam, "list_policies", "Policies", Scope="All", OnlyAttached=True):
        try:
            version = iam.get_policy_version(
                PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"]
            )["PolicyVersion"]
        except ClientError as error:
            if _gone(error):
                continue
            raise
        policies.append(
            AttachedPolicy(
                arn=policy["Arn"],
                name=policy["PolicyName"],
                attachment_count=policy.get("AttachmentCount", 0),
                document=_document(version.get("Document")),
            )
        )
    return policies


def list_virtual_mfa_devices(iam: Any) -> list[dict]:
    return _pages(iam, "list_virtual_mfa_devices", "VirtualMFADevices")


def list_roles_with_policy(iam: Any, policy_arn: str) -> list[str]:
    """Names of the roles this managed policy is attached to."""
    roles = _pages(
        iam, "list_entities_for_policy", "PolicyRoles", PolicyArn=policy_arn, EntityFilter="Role"
    )
    return [role["RoleName"] for role in roles]


def list_server_certificates(iam: Any) -> list[dict]:
    return _pages(iam, "list_server_certificates", "ServerCertificateMetadataList")


def _gone(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "NoSuchEntity"


def _document(document: Any) -> dict | None:
    if isinstance(document, str):
        try:
            return json.loads(unquote(document))
        except ValueError:
            return None
    return document if isinstance(document, dict) else None


def _try(what: str, read: Callable[[], T]) -> tuple[T | None, str | None]:
    """``read()``, or None and why it was refused (logged)."""
    try:
        return read(), None
    except (ClientError, TimeoutError) as error:
        if isinstance(error, ClientError):
            message = f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
        else:
            message = str(error)
        logger.warning("Could not read %s: %s", what, message)
        return None, message


def _read(data: AccountData, what: str, read: Callable[[], T]) -> T | None:
    answer, message = _try(what, read)
    if message is not None:
        data.errors[what] = message
    return answer


def gather_account(iam: Any) -> AccountData:
    """Read the account once: summary, credential report, password policy, users, groups,
    attached policies, virtual MFA devices, the alias, and what 1.16 and 1.18 need. Read-only
    calls only. The independent reads run side by side (boto3's clients are thread-safe), so
    a check takes about as long as its longest chain of calls, not their sum."""
    data = AccountData()
    reads: dict[str, tuple[str, Callable[[], Any]]] = {
        "summary": (N_("the account summary"), lambda: get_account_summary(iam)),
        "report": (N_("the credential report"), lambda: get_credential_report(iam)),
        # Wrapped in a tuple: None inside it means "no policy", None for it "unreadable".
        "policy": (N_("the password policy"), lambda: (get_password_policy(iam),)),
        "users": (N_("the IAM users"), lambda: list_users_with_policies(iam)),
        "groups": (N_("the IAM groups"), lambda: list_groups_with_members(iam)),
        "attached": (N_("the attached policies"), lambda: list_attached_policies(iam)),
        # CIS 1.5 looks at them only when root has MFA (as Prowler); the account diagram too.
        "devices": (N_("the virtual MFA devices"), lambda: list_virtual_mfa_devices(iam)),
        "certificates": (N_("the server certificates"), lambda: list_server_certificates(iam)),
        "aliases": (N_("the account alias"), lambda: iam.list_account_aliases()["AccountAliases"]),
    }
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        futures = {key: pool.submit(_try, what, read) for key, (what, read) in reads.items()}
    answers: dict[str, Any] = {}
    for key, (what, _) in reads.items():  # errors recorded in a fixed order
        answer, message = futures[key].result()
        if message is not None:
            data.errors[what] = message
        answers[key] = answer
    data.summary = answers["summary"]
    if answers["report"] is not None:
        data.credential_report, data.credential_report_at = answers["report"]
    if answers["policy"] is not None:
        data.password_policy, data.password_policy_read = answers["policy"][0], True
    data.users, data.groups = answers["users"], answers["groups"]
    data.attached_policies = answers["attached"]
    data.virtual_mfa_devices = answers["devices"]
    data.server_certificates, data.aliases = answers["certificates"], answers["aliases"]
    if data.attached_policies is not None:
        support = [
            attached
            for attached in data.attached_policies
            if attached.aws_managed and attached.name == SUPPORT_POLICY_NAME
        ]
        if support:
            data.support_roles = _read(
                data,
                N_("the roles with AWSSupportAccess"),
                lambda: list_roles_with_policy(iam, support[0].arn),
            )
        else:
            data.support_roles = []
    return data
