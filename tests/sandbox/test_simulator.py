"""The IAM policy simulator (``layer/simulator.py``) through plain boto3 and the AWS CLI.

Expected decisions follow the IAM User Guide's *Policy evaluation logic*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); the
answer's shape follows the API reference of SimulatePrincipalPolicy and SimulateCustomPolicy
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html).
"""

from __future__ import annotations

import json

from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import refused
from tests.sandbox.test_cli_mfa import aws

# Where the expected answers come from (see tests/conftest.py): decisions follow the
# evaluation logic page; NoSuchEntity and InvalidInput follow the simulator's API references,
# and MalformedPolicyDocument-style wordings inside InvalidInput are the sandbox's.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html",
)

POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
BOB = f"arn:aws:iam::{ACCOUNT_ID}:user/bob"

DENY_WITHOUT_MFA = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {
                "Sid": "BlockMostAccessUnlessSignedInWithMFA",
                "Effect": "Deny",
                "NotAction": ["iam:EnableMFADevice", "sts:GetSessionToken"],
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ],
    },
    indent=2,
)


def decisions(answer: dict) -> dict[str, str]:
    return {r["EvalActionName"]: r["EvalDecision"] for r in answer["EvaluationResults"]}


def test_power_user_group_member_may_use_s3_but_not_create_users(iam) -> None:
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="PowerUsers")
    iam.attach_group_policy(GroupName="PowerUsers", PolicyArn=POWER_USER)
    iam.add_user_to_group(GroupName="PowerUsers", UserName="bob")
    answer = iam.simulate_principal_policy(
        PolicySourceArn=BOB, ActionNames=["s3:CreateBucket", "iam:CreateUser"]
    )
    assert decisions(answer) == {"s3:CreateBucket": "allowed", "iam:CreateUser": "implicitDeny"}
    s3 = answer["EvaluationResults"][0]["MatchedStatements"]
    assert [(m["SourcePolicyId"], m["SourcePolicyType"]) for m in s3] == [
        ("PowerUserAccess", "aws-managed")
    ]
    assert s3[0]["StartPosition"]["Line"] >= 1
    assert answer["EvaluationResults"][1]["MatchedStatements"] == []
    assert answer["IsTruncated"] is False


def test_a_user_with_no_policy_is_implicitly_denied(iam) -> None:
    iam.create_user(UserName="bob")
    answer = iam.simulate_principal_policy(PolicySourceArn=BOB, ActionNames=["s3:ListBucket"])
    assert decisions(answer) == {"s3:ListBucket": "implicitDeny"}


def test_inline_deny_wins_and_names_its_policy(iam) -> None:
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=ADMIN)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iam:*User", "Resource": "*"}],
    }
    iam.put_user_policy(UserName="bob", PolicyName="NoUsers", PolicyDocument=json.dumps(document))
    answer = iam.simulate_principal_policy(
        PolicySourceArn=BOB, ActionNames=["iam:CreateUser", "iam:CreateGroup"]
    )
    assert decisions(answer) == {"iam:CreateUser": "explicitDeny", "iam:CreateGroup": "allowed"}
    denied = answer["EvaluationResults"][0]["MatchedStatements"]
    assert [(m["SourcePolicyId"], m["SourcePolicyType"]) for m in denied] == [("NoUsers", "user")]


def test_username_variable_is_known_for_a_user_source(iam) -> None:
    iam.create_user(UserName="bob")
    own_keys = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:CreateAccessKey",
             "Resource": "arn:aws:iam::*:user/${aws:username}"}
        ],
    }  # fmt: skip
    iam.put_user_policy(UserName="bob", PolicyName="OwnKeys", PolicyDocument=json.dumps(own_keys))
    answer = iam.simulate_principal_policy(
        PolicySourceArn=BOB,
        ActionNames=["iam:CreateAccessKey"],
        ResourceArns=[BOB, f"arn:aws:iam::{ACCOUNT_ID}:user/carol"],
    )
    assert [(r["EvalResourceName"], r["EvalDecision"]) for r in answer["EvaluationResults"]] == [
        (BOB, "allowed"),
        (f"arn:aws:iam::{ACCOUNT_ID}:user/carol", "implicitDeny"),
    ]


def test_custom_policy_with_mfa_context(iam) -> None:
    without = iam.simulate_custom_policy(
        PolicyInputList=[DENY_WITHOUT_MFA], ActionNames=["s3:ListAllMyBuckets"]
    )
    assert decisions(without) == {"s3:ListAllMyBuckets": "explicitDeny"}
    assert without["EvaluationResults"][0]["MissingContextValues"] == ["aws:MultiFactorAuthPresent"]
    assert without["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"] == (
        "PolicyInputList.1"
    )
    with_mfa = iam.simulate_custom_policy(
        PolicyInputList=[DENY_WITHOUT_MFA],
        ActionNames=["s3:ListAllMyBuckets", "iam:EnableMFADevice"],
        ContextEntries=[
            {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"],
             "ContextKeyType": "boolean"}
        ],
    )  # fmt: skip
    assert decisions(with_mfa) == {
        "s3:ListAllMyBuckets": "allowed",
        "iam:EnableMFADevice": "allowed",
    }


def test_boundary_limits_a_custom_policy(iam) -> None:
    s3_only = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }
    )
    answer = iam.simulate_custom_policy(
        PolicyInputList=[DENY_WITHOUT_MFA.replace('"Deny"', '"Allow"')],
        PermissionsBoundaryPolicyInputList=[s3_only],
        ActionNames=["s3:GetObject", "iam:CreateUser"],
    )
    assert decisions(answer) == {"s3:GetObject": "allowed", "iam:CreateUser": "implicitDeny"}


def test_pagination(iam) -> None:
    first = iam.simulate_custom_policy(
        PolicyInputList=[DENY_WITHOUT_MFA], ActionNames=["s3:A", "s3:B", "s3:C"], MaxItems=2
    )
    assert (len(first["EvaluationResults"]), first["IsTruncated"]) == (2, True)
    rest = iam.simulate_custom_policy(
        PolicyInputList=[DENY_WITHOUT_MFA], ActionNames=["s3:A", "s3:B", "s3:C"],
        MaxItems=2, Marker=first["Marker"],
    )  # fmt: skip
    assert [r["EvalActionName"] for r in rest["EvaluationResults"]] == ["s3:C"]
    assert rest["IsTruncated"] is False


def test_refusals(iam) -> None:
    code, status, message = refused(
        iam.simulate_principal_policy, PolicySourceArn=BOB, ActionNames=["s3:GetObject"]
    )
    assert (code, status, message) == (
        "NoSuchEntity",
        404,
        "The user with name bob cannot be found.",
    )
    code, status, message = refused(
        iam.simulate_custom_policy, PolicyInputList=["{not json"], ActionNames=["s3:GetObject"]
    )
    assert (code, status) == ("InvalidInput", 400)
    assert "Syntax errors in policy." in message


def test_context_keys(iam) -> None:
    answer = iam.get_context_keys_for_custom_policy(PolicyInputList=[DENY_WITHOUT_MFA])
    assert answer["ContextKeyNames"] == ["aws:MultiFactorAuthPresent"]
    iam.create_user(UserName="bob")
    iam.put_user_policy(UserName="bob", PolicyName="ForceMFA", PolicyDocument=DENY_WITHOUT_MFA)
    principal = iam.get_context_keys_for_principal_policy(PolicySourceArn=BOB)
    assert principal["ContextKeyNames"] == ["aws:MultiFactorAuthPresent"]


def test_simulate_principal_policy_through_the_cli(sandbox, iam) -> None:
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=POWER_USER)
    done = aws(
        sandbox.endpoint, "iam", "simulate-principal-policy", "--policy-source-arn", BOB,
        "--action-names", "s3:ListAllMyBuckets", "iam:CreateUser",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert decisions(json.loads(done.stdout)) == {
        "s3:ListAllMyBuckets": "allowed",
        "iam:CreateUser": "implicitDeny",
    }
    custom = aws(
        sandbox.endpoint, "iam", "simulate-custom-policy", "--policy-input-list",
        DENY_WITHOUT_MFA, "--action-names", "s3:GetObject",
    )  # fmt: skip
    assert custom.returncode == 0, custom.stderr
    assert decisions(json.loads(custom.stdout)) == {"s3:GetObject": "explicitDeny"}
