"""Users' permissions boundaries (``layer/boundaries.py``), through plain boto3.

AWS: PutUserPermissionsBoundary, DeleteUserPermissionsBoundary, CreateUser's PermissionsBoundary
and GetUser's ``PermissionsBoundary`` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html). The boundary's effect on
decisions follows *Permissions boundaries for IAM entities*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html): the user
may do only what both the identity policies and the boundary allow. The refusal's wording for
an unknown policy is the sandbox's own (AttachUserPolicy's message).
"""

from __future__ import annotations

from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import refused

# Where the expected answers come from (see tests/conftest.py): "cannot be found" is IAM's
# sentence; the unknown policy's wording is AttachUserPolicy's, not checked against AWS.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPermissionsBoundary.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
)

S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
BOB = f"arn:aws:iam::{ACCOUNT_ID}:user/bob"


def decisions(iam, *actions: str) -> dict[str, str]:
    answer = iam.simulate_principal_policy(PolicySourceArn=BOB, ActionNames=list(actions))
    return {r["EvalActionName"]: r["EvalDecision"] for r in answer["EvaluationResults"]}


def test_put_get_and_delete_a_boundary(iam) -> None:
    iam.create_user(UserName="bob")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]
    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=S3_FULL)
    assert iam.get_user(UserName="bob")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": S3_FULL,
    }
    iam.delete_user_permissions_boundary(UserName="bob")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]


def test_the_boundary_limits_what_admin_access_allows(iam) -> None:
    iam.create_user(UserName="bob", PermissionsBoundary=S3_FULL)
    assert iam.get_user(UserName="bob")["User"]["PermissionsBoundary"][
        "PermissionsBoundaryArn"
    ] == (S3_FULL)
    iam.attach_user_policy(UserName="bob", PolicyArn=ADMIN)
    assert decisions(iam, "s3:PutObject", "iam:CreateUser") == {
        "s3:PutObject": "allowed",
        "iam:CreateUser": "implicitDeny",
    }
    iam.delete_user_permissions_boundary(UserName="bob")
    assert decisions(iam, "iam:CreateUser") == {"iam:CreateUser": "allowed"}


def test_refusals_leave_nothing_behind(iam) -> None:
    missing = f"arn:aws:iam::{ACCOUNT_ID}:policy/Nope"
    assert refused(iam.create_user, UserName="bob", PermissionsBoundary=missing) == (
        "NoSuchEntity",
        404,
        f"Policy {missing} does not exist or is not attachable.",
    )
    assert [u["UserName"] for u in iam.list_users()["Users"]] == []
    assert refused(
        iam.put_user_permissions_boundary, UserName="carol", PermissionsBoundary=S3_FULL
    ) == ("NoSuchEntity", 404, "The user with name carol cannot be found.")
    iam.create_user(UserName="bob")
    # AttachUserPolicy's wording (the sandbox's choice; not checked against AWS).
    assert refused(
        iam.put_user_permissions_boundary, UserName="bob", PermissionsBoundary=missing
    ) == ("NoSuchEntity", 404, f"Policy {missing} does not exist or is not attachable.")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]


def test_a_deleted_user_forgets_its_boundary(iam) -> None:
    iam.create_user(UserName="bob", PermissionsBoundary=S3_FULL)
    iam.delete_user(UserName="bob")
    iam.create_user(UserName="bob")
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]


def test_a_renamed_user_keeps_its_boundary(iam) -> None:
    iam.create_user(UserName="bob", PermissionsBoundary=S3_FULL)
    iam.update_user(UserName="bob", NewUserName="robert")
    boundary = iam.get_user(UserName="robert")["User"]["PermissionsBoundary"]
    assert boundary["PermissionsBoundaryArn"] == S3_FULL
