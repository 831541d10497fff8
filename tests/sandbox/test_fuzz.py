"""Fuzzing the sandbox with botocore's own model: it never breaks, and it refuses as AWS does.

For every IAM and STS operation of botocore's model, each constrained member gets values that
break one constraint (too long, too short, outside the pattern or the enum, out of range, the
wrong type), sent by a client that skips botocore's own checks. Each must be AWS's
``ValidationError`` (400) naming that member (AWS's wording, e.g.
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html#API_CreateUser_Errors),
never an HTML page or a 500; the account must be exactly as it was afterwards; and the sandbox
must still answer. (Calls with no parameters at all: ``test_failures.py``.)
"""

from __future__ import annotations

import json

import botocore.session
import pytest
from botocore.exceptions import ClientError

from tests.conftest import make_client
from tests.sandbox.model_values import InvalidCase, invalid_cases


def operations(service: str) -> list[str]:
    return list(botocore.session.get_session().get_service_model(service).operation_names)


def cases(service: str) -> list[InvalidCase]:
    return [case for operation in operations(service) for case in invalid_cases(service, operation)]


def raw_values_client(service: str, endpoint: str):
    """A client without botocore's checks whose next call also sends ``client.raw`` as is."""
    client = make_client(service, endpoint, validate=False)
    client.raw = {}

    def set_raw(params: dict, **kwargs) -> None:
        params["body"].update(client.raw)

    client.meta.events.register(f"before-call.{service}", set_raw)
    return client


def furnish(iam, sts) -> None:
    """Something of every kind the lessons make, for the snapshot to compare."""
    iam.create_user(UserName="alice")
    iam.create_access_key(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    iam.attach_group_policy(
        GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    iam.create_policy(
        PolicyName="reads",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}],
            }
        ),
    )
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
             "Principal": {"AWS": sts.get_caller_identity()["Account"]}}]}  # fmt: skip
    iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=json.dumps(trust))
    iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")
    iam.create_account_alias(AccountAlias="fuzzed-shop")
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True)


def snapshot(iam) -> dict:
    """What the account holds, as the lessons look at it."""
    users = iam.list_users()["Users"]
    try:
        password_policy = iam.get_account_password_policy()["PasswordPolicy"]
    except ClientError:
        password_policy = None
    return {
        "users": [(u["UserName"], u["Path"], u["UserId"]) for u in users],
        "keys": {
            u["UserName"]: [
                (k["AccessKeyId"], k["Status"])
                for k in iam.list_access_keys(UserName=u["UserName"])["AccessKeyMetadata"]
            ]
            for u in users
        },
        "login profiles": {
            u["UserName"]: iam.get_login_profile(UserName=u["UserName"])["LoginProfile"]
            for u in users
        },
        "groups": {
            g["GroupName"]: (
                [u["UserName"] for u in iam.get_group(GroupName=g["GroupName"])["Users"]],
                iam.list_attached_group_policies(GroupName=g["GroupName"])["AttachedPolicies"],
            )
            for g in iam.list_groups()["Groups"]
        },
        "roles": [(r["RoleName"], r["RoleId"]) for r in iam.list_roles()["Roles"]],
        "policies": [
            (p["PolicyName"], p["DefaultVersionId"], p["AttachmentCount"])
            for p in iam.list_policies(Scope="Local")["Policies"]
        ],
        "devices": [
            (d["SerialNumber"], "User" in d)
            for d in iam.list_virtual_mfa_devices()["VirtualMFADevices"]
        ],
        "alias": iam.list_account_aliases()["AccountAliases"],
        "password policy": password_policy,
    }


@pytest.mark.parametrize("service", ["iam", "sts"])
def test_every_broken_constraint_is_a_validation_error_naming_the_member(
    sandbox, service: str
) -> None:
    iam = make_client("iam", sandbox.endpoint)
    furnish(iam, make_client("sts", sandbox.endpoint))
    before = snapshot(iam)
    client = raw_values_client(service, sandbox.endpoint)
    all_cases = cases(service)
    assert len(all_cases) > (500 if service == "iam" else 20)
    wrong = []
    for case in all_cases:
        client.raw = case.raw
        try:
            getattr(client, botocore.xform_name(case.action))(**case.params)
            wrong.append((case.action, case.label, case.broken, "accepted"))
            continue
        except ClientError as error:
            response = error.response
        code = response["Error"]["Code"]
        status = response["ResponseMetadata"]["HTTPStatusCode"]
        message = response["Error"]["Message"]
        if (code, status) != ("ValidationError", 400) or f"at '{case.label}'" not in message:
            wrong.append((case.action, case.label, case.broken, code, status, message[:200]))
    client.raw = {}
    assert wrong == []
    assert snapshot(iam) == before
    # The sandbox still answers, as the same account.
    assert make_client("sts", sandbox.endpoint).get_caller_identity()["Account"]
    assert iam.get_user(UserName="alice")["User"]["UserName"] == "alice"
