"""The status check against the sandbox: each finding flips from FAIL to PASS as the account is
fixed, and back; an empty account; a user with direct admin rights; read-only calls; speed.

The root user's findings need the sandbox's console actions: they are in test_status_root.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pyotp
import pytest

from helpers.status import Report, check_account

PASSWORD = "Tutorial-Passw0rd-2024!"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
POWER_USER_ARN = "arn:aws:iam::aws:policy/PowerUserAccess"
READ_ONLY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
SUPPORT_ARN = "arn:aws:iam::aws:policy/AWSSupportAccess"
CLOUDSHELL_ARN = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


# ----- small builders, shared with test_status_root.py and test_status_views.py -----


def two_codes(seed: bytes | str) -> tuple[str, str]:
    """Two consecutive TOTP codes of a device's Base32StringSeed (steps t and t+1)."""
    totp = pyotp.TOTP(seed.decode() if isinstance(seed, bytes) else seed)
    step = int(time.time() // 30)
    return totp.at(step * 30), totp.at((step + 1) * 30)


def add_user_mfa(iam: Any, user: str) -> str:
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=user)["VirtualMFADevice"]
    code1, code2 = two_codes(device["Base32StringSeed"])
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    return device["SerialNumber"]


def add_console_user(iam: Any, user: str = "alice") -> None:
    iam.create_user(UserName=user)
    iam.create_login_profile(UserName=user, Password=PASSWORD)


def set_cis_password_policy(iam: Any, **overrides: Any) -> None:
    settings = dict(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )
    settings.update(overrides)
    iam.update_account_password_policy(**settings)


def create_trusting_role(iam: Any, name: str) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))


def statuses(iam: Any, *finding_ids: str) -> list[str]:
    report = check_account(iam)
    return [report.status_of(finding_id) for finding_id in finding_ids]


# ----- flips: arrange (FAIL), fix (PASS), break again (FAIL) -----

Step = Callable[[Any, dict], Any]


def _user_with_keys(count: int) -> Step:
    def arrange(iam: Any, ctx: dict) -> None:
        add_console_user(iam)
        ctx["keys"] = [
            iam.create_access_key(UserName="alice")["AccessKey"]["AccessKeyId"]
            for _ in range(count)
        ]

    return arrange


def _set_key(index: int, status: str) -> Step:
    def step(iam: Any, ctx: dict) -> None:
        iam.update_access_key(UserName="alice", AccessKeyId=ctx["keys"][index], Status=status)

    return step


FLIPS: dict[str, tuple[tuple[str, ...], Step, Step, Step]] = {
    "a user": (
        ("console.iam_users",),
        lambda iam, ctx: None,
        lambda iam, ctx: iam.create_user(UserName="alice"),
        lambda iam, ctx: iam.delete_user(UserName="alice"),
    ),
    "a group with a policy and a member": (
        ("console.groups",),
        lambda iam, ctx: (
            iam.create_user(UserName="alice"),
            iam.create_group(GroupName="Developers"),
            iam.attach_group_policy(GroupName="Developers", PolicyArn=POWER_USER_ARN),
        ),
        lambda iam, ctx: iam.add_user_to_group(GroupName="Developers", UserName="alice"),
        lambda iam, ctx: iam.detach_group_policy(GroupName="Developers", PolicyArn=POWER_USER_ARN),
    ),
    "password policy set and removed": (
        ("console.password_policy",),
        lambda iam, ctx: None,
        lambda iam, ctx: iam.update_account_password_policy(MinimumPasswordLength=8),
        lambda iam, ctx: iam.delete_account_password_policy(),
    ),
    "1.7 length 13 vs 14": (
        ("cis.1.7",),
        lambda iam, ctx: set_cis_password_policy(iam, MinimumPasswordLength=13),
        lambda iam, ctx: set_cis_password_policy(iam, MinimumPasswordLength=14),
        lambda iam, ctx: set_cis_password_policy(iam, MinimumPasswordLength=13),
    ),
    "1.8 reuse 23 vs 24": (
        ("cis.1.8",),
        lambda iam, ctx: set_cis_password_policy(iam, PasswordReusePrevention=23),
        lambda iam, ctx: set_cis_password_policy(iam, PasswordReusePrevention=24),
        lambda iam, ctx: set_cis_password_policy(iam, PasswordReusePrevention=23),
    ),
    "1.9 password without and with MFA": (
        ("cis.1.9",),
        lambda iam, ctx: add_console_user(iam),
        lambda iam, ctx: ctx.update(serial=add_user_mfa(iam, "alice")),
        lambda iam, ctx: iam.deactivate_mfa_device(UserName="alice", SerialNumber=ctx["serial"]),
    ),
    "1.10 password and a never used key": (
        ("cis.1.10",),
        _user_with_keys(1),
        _set_key(0, "Inactive"),
        _set_key(0, "Active"),
    ),
    "1.12 two active keys": (
        ("cis.1.12",),
        _user_with_keys(2),
        _set_key(1, "Inactive"),
        _set_key(1, "Active"),
    ),
    "1.14 a policy attached to a user": (
        ("cis.1.14",),
        lambda iam, ctx: (
            iam.create_user(UserName="alice"),
            iam.attach_user_policy(UserName="alice", PolicyArn=READ_ONLY_ARN),
        ),
        lambda iam, ctx: iam.detach_user_policy(UserName="alice", PolicyArn=READ_ONLY_ARN),
        lambda iam, ctx: iam.put_user_policy(
            UserName="alice", PolicyName="inline", PolicyDocument=json.dumps(EVERYTHING)
        ),
    ),
    "1.15 AdministratorAccess on a user, then on a group": (
        ("cis.1.15",),
        lambda iam, ctx: (
            iam.create_user(UserName="alice"),
            iam.create_group(GroupName="Admins"),
            iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN_ARN),
        ),
        lambda iam, ctx: iam.detach_user_policy(UserName="alice", PolicyArn=ADMIN_ARN),
        # Prowler fails any attached *:* policy, AWS managed AdministratorAccess included,
        # whether it is attached to a user, a group or a role.
        lambda iam, ctx: iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN_ARN),
    ),
    "1.15 a customer managed *:* policy": (
        ("cis.1.15",),
        lambda iam, ctx: (
            iam.create_group(GroupName="Admins"),
            ctx.update(
                arn=iam.create_policy(
                    PolicyName="Everything", PolicyDocument=json.dumps(EVERYTHING)
                )["Policy"]["Arn"]
            ),
            iam.attach_group_policy(GroupName="Admins", PolicyArn=ctx["arn"]),
        ),
        lambda iam, ctx: iam.detach_group_policy(GroupName="Admins", PolicyArn=ctx["arn"]),
        lambda iam, ctx: iam.attach_group_policy(GroupName="Admins", PolicyArn=ctx["arn"]),
    ),
    "1.16 a support role": (
        ("cis.1.16",),
        lambda iam, ctx: create_trusting_role(iam, "support"),
        lambda iam, ctx: iam.attach_role_policy(RoleName="support", PolicyArn=SUPPORT_ARN),
        lambda iam, ctx: iam.detach_role_policy(RoleName="support", PolicyArn=SUPPORT_ARN),
    ),
    "1.21 AWSCloudShellFullAccess attached": (
        ("cis.1.21",),
        lambda iam, ctx: (
            iam.create_group(GroupName="Shell"),
            iam.attach_group_policy(GroupName="Shell", PolicyArn=CLOUDSHELL_ARN),
        ),
        lambda iam, ctx: iam.detach_group_policy(GroupName="Shell", PolicyArn=CLOUDSHELL_ARN),
        lambda iam, ctx: iam.attach_group_policy(GroupName="Shell", PolicyArn=CLOUDSHELL_ARN),
    ),
}


@pytest.mark.parametrize("case", list(FLIPS))
def test_finding_flips_as_the_account_is_fixed_and_back(iam: Any, case: str) -> None:
    finding_ids, arrange, fix, unfix = FLIPS[case]
    ctx: dict = {}
    arrange(iam, ctx)
    assert statuses(iam, *finding_ids) == ["FAIL"] * len(finding_ids)
    fix(iam, ctx)
    assert statuses(iam, *finding_ids) == ["PASS"] * len(finding_ids)
    unfix(iam, ctx)
    assert statuses(iam, *finding_ids) == ["FAIL"] * len(finding_ids)


# ----- whole accounts -----


def test_an_empty_account_shows_1_of_5(iam: Any) -> None:
    report = check_account(iam)
    assert report.console_summary() == "Security status 1/5"
    assert [f.status for f in report.console] == ["PASS", "FAIL", "FAIL", "FAIL", "FAIL"]
    assert report.console[0].id == "console.root_access_keys"
    assert not report.console_ok
    assert len(report.cis) == 21
    assert [f.cis for f in report.cis] == [f"1.{n}" for n in range(1, 22)]


def test_a_user_with_direct_admin_rights(iam: Any) -> None:
    """The article's step 3-2: ticks "individual users" but fails CIS 1.14 (and 1.15)."""
    add_console_user(iam)
    iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN_ARN)
    report = check_account(iam)
    assert report.status_of("console.iam_users") == "PASS"
    assert report.status_of("console.groups") == "FAIL"
    assert report.status_of("cis.1.14") == "FAIL"
    assert "alice (AdministratorAccess)" in report.find("cis.1.14").reason
    assert report.status_of("cis.1.15") == "FAIL"
    assert "user alice" in report.find("cis.1.15").reason


def populate(iam: Any) -> None:
    """A busy account: three users, two groups, keys, MFA, a support role, policies."""
    for name in ("alice", "bob", "carol"):
        add_console_user(iam, name)
        iam.create_access_key(UserName=name)
    add_user_mfa(iam, "alice")
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN_ARN)
    iam.add_user_to_group(GroupName="Admins", UserName="alice")
    iam.create_group(GroupName="Developers")
    iam.attach_group_policy(GroupName="Developers", PolicyArn=POWER_USER_ARN)
    iam.put_group_policy(
        GroupName="Developers", PolicyName="extra", PolicyDocument=json.dumps(EVERYTHING)
    )
    iam.add_user_to_group(GroupName="Developers", UserName="bob")
    iam.attach_user_policy(UserName="carol", PolicyArn=READ_ONLY_ARN)
    create_trusting_role(iam, "support")
    iam.attach_role_policy(RoleName="support", PolicyArn=SUPPORT_ARN)
    set_cis_password_policy(iam)


READ_ONLY_PREFIXES = ("Get", "List", "Generate")


def test_the_check_makes_only_read_only_iam_calls(iam: Any) -> None:
    populate(iam)
    calls: list[str] = []

    def record(model: Any, **kwargs: Any) -> None:
        calls.append(model.name)

    iam.meta.events.register("before-call.iam.*", record)
    try:
        report = check_account(iam)
    finally:
        iam.meta.events.unregister("before-call.iam.*", record)
    assert report.status_of("cis.1.16") == "PASS"  # so ListEntitiesForPolicy ran too
    assert calls, "no call was recorded"
    writes = [name for name in calls if not name.startswith(READ_ONLY_PREFIXES)]
    assert writes == []
    # GenerateCredentialReport only builds the report GetCredentialReport downloads.
    assert {name for name in calls if name.startswith("Generate")} == {"GenerateCredentialReport"}
    for expected in (
        "GetAccountSummary",
        "GetCredentialReport",
        "GetAccountPasswordPolicy",
        "ListUsers",
        "ListGroups",
        "GetGroup",
        "ListAttachedUserPolicies",
        "ListUserPolicies",
        "ListAttachedGroupPolicies",
        "ListPolicies",
        "GetPolicyVersion",
        "ListEntitiesForPolicy",
    ):
        assert expected in calls


def test_the_check_caches_nothing(iam: Any) -> None:
    # How long the check takes is measured by benchmarks/bench_sandbox.py, not asserted here.
    populate(iam)
    first = check_account(iam)
    assert first.status_of("cis.1.14") == "FAIL"  # carol's ReadOnlyAccess
    iam.detach_user_policy(UserName="carol", PolicyArn=READ_ONLY_ARN)
    second: Report = check_account(iam)
    assert second.status_of("cis.1.14") == "PASS"
