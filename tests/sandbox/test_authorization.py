"""Authorization: policies × requests, each with the decision AWS documents, through plain boto3
(and a few through the AWS CLI). Each case names the IAM User Guide page its expectation comes
from; messages follow *Troubleshoot access denied error messages*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html)."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from helpers.iam.policies import FORCE_MFA_POLICY
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import make_client, refused
from tests.sandbox.test_cli_mfa import aws as aws_cli
from tests.sandbox.test_mfa import assigned_device, code_at, seed_of

# Where the expectations come from (tests/conftest.py): every message below is AWS's wording
# from these pages, except InvalidClientTokenId for an IAM call with a session without MFA
# (AWS's answer, which the comparison page states but does not word).
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html",
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_examples_aws_my-sec-creds-self-manage.html",
)
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess"
BOB = f"arn:aws:iam::{ACCOUNT_ID}:user/bob"
USERS = f"arn:aws:iam::{ACCOUNT_ID}:user/"  # what IAM's list calls are decided on


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: object) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def no_allow(action: str, resource: str | None = None, kind: str = "identity-based policy") -> str:
    where = f" on resource: {resource}" if resource else ""
    return (
        f"User: {BOB} is not authorized to perform: {action}{where} because no {kind} allows "
        f"the {action} action"
    )


def explicit(
    action: str, resource: str | None = None, kind: str = "an identity-based policy"
) -> str:
    where = f" on resource: {resource}" if resource else ""
    return (
        f"User: {BOB} is not authorized to perform: {action}{where} with an explicit deny in {kind}"
    )


@pytest.fixture
def bob(iam, sandbox) -> dict:
    """An IAM user with an access key and no policy at all, and his clients."""
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    keys = (key["AccessKeyId"], key["SecretAccessKey"])
    return {
        "keys": keys,
        "iam": make_client("iam", sandbox.endpoint, *keys),
        "sts": make_client("sts", sandbox.endpoint, *keys),
        "s3": make_client("s3", sandbox.endpoint, *keys),
        "dynamodb": make_client("dynamodb", sandbox.endpoint, *keys),
    }


def give(iam, document: str, name: str = "p") -> None:
    iam.put_user_policy(UserName="bob", PolicyName=name, PolicyDocument=document)


# --- implicit deny, allow, explicit deny (Policy evaluation logic) ---


def test_no_policy_allows_nothing(bob: dict) -> None:
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, no_allow("iam:ListUsers", USERS))
    assert refused(bob["iam"].create_user, UserName="carol") == (
        "AccessDenied",
        403,
        no_allow("iam:CreateUser", f"arn:aws:iam::{ACCOUNT_ID}:user/carol"),
    )


def test_every_service_is_decided(bob: dict) -> None:
    """S3 names the resource in quotes; JSON services answer AccessDeniedException."""
    code, status, message = refused(bob["s3"].list_buckets)
    assert (code, status, message) == ("AccessDenied", 403, no_allow("s3:ListAllMyBuckets"))
    code, status, message = refused(bob["s3"].create_bucket, Bucket="bobs-bucket")
    assert (code, status) == ("AccessDenied", 403)
    assert message == no_allow("s3:CreateBucket", '"arn:aws:s3:::bobs-bucket"')
    assert refused(bob["dynamodb"].list_tables) == (
        "AccessDeniedException",
        400,
        no_allow("dynamodb:ListTables", f"arn:aws:dynamodb:us-east-1:{ACCOUNT_ID}:"),
    )


def test_caller_identity_and_session_tokens_need_no_permission(iam, bob: dict) -> None:
    """GetCallerIdentity and GetSessionToken: no policy can allow or deny them (their API
    references; Permissions for GetSessionToken)."""
    give(iam, policy(deny("*")))
    assert bob["sts"].get_caller_identity()["Arn"] == BOB
    assert bob["sts"].get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_a_group_policy_allows(iam, bob: dict) -> None:
    iam.create_group(GroupName="Admins")
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN)
    iam.add_user_to_group(GroupName="Admins", UserName="bob")
    assert "Users" in bob["iam"].list_users()
    iam.remove_user_from_group(GroupName="Admins", UserName="bob")
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, no_allow("iam:ListUsers", USERS))


def test_power_users_use_s3_but_not_iam(iam, bob: dict) -> None:
    """The article's PowerUserAccess group: everything but IAM, Organizations and Account."""
    iam.create_group(GroupName="PowerUsers")
    iam.attach_group_policy(GroupName="PowerUsers", PolicyArn=POWER_USER)
    iam.add_user_to_group(GroupName="PowerUsers", UserName="bob")
    bob["s3"].create_bucket(Bucket="bobs-bucket")
    bob["s3"].put_object(Bucket="bobs-bucket", Key="notes.txt", Body=b"hello")
    assert [b["Name"] for b in bob["s3"].list_buckets()["Buckets"]] == ["bobs-bucket"]
    assert refused(bob["iam"].create_user, UserName="carol") == (
        "AccessDenied",
        403,
        no_allow("iam:CreateUser", f"arn:aws:iam::{ACCOUNT_ID}:user/carol"),
    )


def test_an_explicit_deny_wins_over_an_allow(iam, bob: dict) -> None:
    give(iam, policy(allow("*"), deny("iam:DeleteUser")))
    iam.create_user(UserName="carol")
    assert refused(bob["iam"].delete_user, UserName="carol") == (
        "AccessDenied",
        403,
        explicit("iam:DeleteUser", f"arn:aws:iam::{ACCOUNT_ID}:user/carol"),
    )
    assert bob["iam"].get_user(UserName="carol")["User"]["UserName"] == "carol"


def test_actions_match_wildcards_case_insensitively(iam, bob: dict) -> None:
    give(iam, policy(allow("IAM:list*")))
    assert "Users" in bob["iam"].list_users()
    assert refused(bob["iam"].get_account_summary) == (
        "AccessDenied",
        403,
        no_allow("iam:GetAccountSummary", f"arn:aws:iam::{ACCOUNT_ID}:"),
    )


def test_actions_without_a_resource_type_match_a_service_wide_resource(iam, bob: dict) -> None:
    """s3:ListAllMyBuckets has no resource type: "arn:aws:s3:::*" allows it, a named bucket
    does not (AWS's SDK example "create a user and assume a role" relies on the first)."""
    give(iam, policy(allow("s3:ListAllMyBuckets", "arn:aws:s3:::some-bucket")))
    assert refused(bob["s3"].list_buckets)[2] == no_allow("s3:ListAllMyBuckets")
    give(iam, policy(allow("s3:ListAllMyBuckets", "arn:aws:s3:::*")))
    assert "Buckets" in bob["s3"].list_buckets()
    give(iam, policy(allow("iam:ListUsers", "arn:aws:iam::*:user/*")))
    assert "Users" in bob["iam"].list_users()
    give(iam, policy(allow("iam:ListUsers", "arn:aws:iam::*:user/admins/*")))
    assert "Users" in bob["iam"].list_users(PathPrefix="/admins/")
    assert refused(bob["iam"].list_users)[2] == no_allow("iam:ListUsers", USERS)


def test_not_action_allows_everything_else(iam, bob: dict) -> None:
    give(iam, policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}))
    assert "Buckets" in bob["s3"].list_buckets()
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, no_allow("iam:ListUsers", USERS))


def test_policy_variables_scope_a_user_to_their_own_keys(iam, bob: dict) -> None:
    """${aws:username} in Resource (Policy variables; "IAM: Allows IAM users to rotate their own
    credentials programmatically")."""
    give(iam, policy(allow("iam:*AccessKey*", "arn:aws:iam::*:user/${aws:username}")))
    iam.create_user(UserName="carol")
    assert len(bob["iam"].list_access_keys()["AccessKeyMetadata"]) == 1
    assert len(bob["iam"].list_access_keys(UserName="bob")["AccessKeyMetadata"]) == 1
    assert refused(bob["iam"].list_access_keys, UserName="carol") == (
        "AccessDenied",
        403,
        no_allow("iam:ListAccessKeys", f"arn:aws:iam::{ACCOUNT_ID}:user/carol"),
    )


def test_s3_object_resources(iam, bob: dict) -> None:
    root_s3 = make_client("s3", bob["s3"].meta.endpoint_url)
    root_s3.create_bucket(Bucket="team-bucket")
    root_s3.put_object(Bucket="team-bucket", Key="public/a.txt", Body=b"a")
    root_s3.put_object(Bucket="team-bucket", Key="private/b.txt", Body=b"b")
    give(iam, policy(allow("s3:GetObject", "arn:aws:s3:::team-bucket/public/*")))
    assert bob["s3"].get_object(Bucket="team-bucket", Key="public/a.txt")["Body"].read() == b"a"
    code, status, message = refused(bob["s3"].get_object, Bucket="team-bucket", Key="private/b.txt")
    assert (code, status) == ("AccessDenied", 403)
    assert message == no_allow("s3:GetObject", '"arn:aws:s3:::team-bucket/private/b.txt"')


def test_a_boundary_must_also_allow(iam, bob: dict) -> None:
    """Permissions boundaries for IAM entities: the intersection."""
    give(iam, policy(allow("*")))
    iam.create_policy(PolicyName="S3Only", PolicyDocument=policy(allow("s3:*")))
    iam.put_user_permissions_boundary(
        UserName="bob", PermissionsBoundary=f"arn:aws:iam::{ACCOUNT_ID}:policy/S3Only"
    )
    assert "Buckets" in bob["s3"].list_buckets()
    assert refused(bob["iam"].list_users) == (
        "AccessDenied",
        403,
        no_allow("iam:ListUsers", USERS, kind="permissions boundary"),
    )


def test_conditions_decide(iam, bob: dict) -> None:
    """A condition the request's context fails does not apply (Condition operators)."""
    give(
        iam, policy(allow("iam:ListUsers", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    )
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, no_allow("iam:ListUsers", USERS))
    give(
        iam,
        policy(allow("iam:ListUsers", Condition={"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}})),
    )
    assert "Users" in bob["iam"].list_users()


def test_change_own_password_through_the_password_policy(iam, bob: dict) -> None:
    """AllowUsersToChangePassword lets every user change their own password with no policy
    (Let IAM users change their own password)."""
    iam.create_login_profile(UserName="bob", Password="First-password-42")
    change = {"OldPassword": "First-password-42", "NewPassword": "Second-password-42"}
    assert refused(bob["iam"].change_password, **change) == (
        "AccessDenied",
        403,
        no_allow("iam:ChangePassword", BOB),
    )
    iam.update_account_password_policy(MinimumPasswordLength=8, AllowUsersToChangePassword=True)
    bob["iam"].change_password(**change)
    assert bob["iam"].get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 8


# --- MFA (Configuring MFA-protected API access; AWS global condition context keys) ---


@pytest.fixture
def bob_with_mfa(iam, bob: dict) -> dict:
    device = assigned_device(iam, "bob", "bob")
    return {**bob, "serial": device["SerialNumber"], "seed": seed_of(device)}


def session_clients(endpoint: str, credentials: dict) -> dict:
    keys = (credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    return {name: make_client(name, endpoint, *keys) for name in ("iam", "sts", "s3")}


def test_force_mfa_refuses_the_long_term_key_and_allows_an_mfa_session(
    iam, bob_with_mfa: dict
) -> None:
    """AWS's example policy (the last page in AWS_DOC) with AdministratorAccess: the key alone
    is refused by the Deny statement; a GetSessionToken session with a code is allowed."""
    bob = bob_with_mfa
    iam.attach_user_policy(UserName="bob", PolicyArn=ADMIN)
    give(iam, json.dumps(FORCE_MFA_POLICY), "ForceMFA")
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, explicit("iam:ListUsers", USERS))
    assert bob["iam"].get_user()["User"]["UserName"] == "bob"  # listed in NotAction
    assert refused(bob["s3"].list_buckets) == (
        "AccessDenied",
        403,
        explicit("s3:ListAllMyBuckets"),
    )
    endpoint = bob["iam"].meta.endpoint_url
    credentials = bob["sts"].get_session_token(
        SerialNumber=bob["serial"], TokenCode=code_at(bob["seed"])
    )["Credentials"]
    session = session_clients(endpoint, credentials)
    assert "Users" in session["iam"].list_users()
    assert "Buckets" in session["s3"].list_buckets()


def test_the_explanation_names_the_deny_statement(iam, sandbox, bob_with_mfa: dict) -> None:
    iam.attach_user_policy(UserName="bob", PolicyArn=ADMIN)
    give(iam, json.dumps(FORCE_MFA_POLICY), "ForceMFA")
    error = pytest.raises(ClientError, bob_with_mfa["iam"].list_users).value
    request_id = error.response["ResponseMetadata"]["RequestId"]
    explanation = SandboxConsole(sandbox.endpoint).explain(request_id)
    assert explanation["decision"] == "explicitDeny"
    assert [s["sid"] for s in explanation["statements"]] == ["DenyAllExceptListedIfNoMFA"]
    assert "aws:MultiFactorAuthPresent" not in explanation["context"]
    assert "Sign in with MFA" in explanation["summary"]


def test_a_session_without_mfa_cannot_call_iam(iam, bob: dict) -> None:
    """Compare AWS STS credentials: GetSessionToken's credentials call IAM only with MFA."""
    iam.attach_user_policy(UserName="bob", PolicyArn=ADMIN)
    credentials = bob["sts"].get_session_token()["Credentials"]
    session = session_clients(bob["iam"].meta.endpoint_url, credentials)
    assert refused(session["iam"].list_users) == (  # AWS's answer; the page gives no wording
        "InvalidClientTokenId",
        403,
        "The security token included in the request is invalid.",
    )
    assert "Buckets" in session["s3"].list_buckets()


def test_plain_bool_does_not_catch_a_long_term_key(iam, bob: dict) -> None:
    """Bool with "false" does not match an absent key: only BoolIfExists denies a long-term
    key (AWS global condition context keys, aws:MultiFactorAuthPresent)."""
    plain = {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
    give(iam, policy(allow("iam:ListUsers"), deny("iam:ListUsers", Condition=plain)))
    assert "Users" in bob["iam"].list_users()


def test_mfa_age_is_in_the_session_context(iam, bob_with_mfa: dict) -> None:
    bob = bob_with_mfa
    recent = {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}
    give(iam, policy(allow("iam:ListUsers", Condition=recent)))
    credentials = bob["sts"].get_session_token(
        SerialNumber=bob["serial"], TokenCode=code_at(bob["seed"])
    )["Credentials"]
    session = session_clients(bob["iam"].meta.endpoint_url, credentials)
    assert "Users" in session["iam"].list_users()
    # no MFA age in the context: the condition does not match
    assert refused(bob["iam"].list_users) == ("AccessDenied", 403, no_allow("iam:ListUsers", USERS))


# --- roles (AssumeRole's API reference; Policy evaluation logic, role assumption) ---


def trust(principal: str, **condition: object) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def make_role(iam, document: str, name: str = "Auditor") -> str:
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]
    iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    return role["Arn"]


def test_a_trust_in_the_account_needs_the_callers_own_permission(iam, bob: dict) -> None:
    arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"))
    assert refused(bob["sts"].assume_role, RoleArn=arn, RoleSessionName="s1") == (
        "AccessDenied",
        403,
        f"User: {BOB} is not authorized to perform: sts:AssumeRole on resource: {arn}",
    )
    give(iam, policy(allow("sts:AssumeRole", arn)))
    answer = bob["sts"].assume_role(RoleArn=arn, RoleSessionName="audit")
    assumed = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/Auditor/audit"
    assert answer["AssumedRoleUser"]["Arn"] == assumed
    session = session_clients(bob["iam"].meta.endpoint_url, answer["Credentials"])
    assert session["sts"].get_caller_identity()["Arn"] == assumed
    assert "Users" in session["iam"].list_users()  # ReadOnlyAccess
    assert refused(session["iam"].create_user, UserName="x") == (
        "AccessDenied",
        403,
        f"User: {assumed} is not authorized to perform: iam:CreateUser on resource: "
        f"arn:aws:iam::{ACCOUNT_ID}:user/x because no identity-based policy allows the "
        "iam:CreateUser action",
    )


def test_a_trust_naming_the_user_is_enough(iam, bob: dict) -> None:
    arn = make_role(iam, trust(BOB))
    assert bob["sts"].assume_role(RoleArn=arn, RoleSessionName="s1")["Credentials"]


def test_a_trust_requiring_mfa(iam, bob_with_mfa: dict) -> None:
    bob = bob_with_mfa
    arn = make_role(iam, trust(BOB, Bool={"aws:MultiFactorAuthPresent": "true"}))
    assert refused(bob["sts"].assume_role, RoleArn=arn, RoleSessionName="s1") == (
        "AccessDenied",
        403,
        f"User: {BOB} is not authorized to perform: sts:AssumeRole on resource: {arn}",
    )
    answer = bob["sts"].assume_role(
        RoleArn=arn,
        RoleSessionName="s1",
        SerialNumber=bob["serial"],
        TokenCode=code_at(bob["seed"]),
    )
    assert answer["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_a_session_policy_limits_the_role(iam, bob: dict) -> None:
    arn = make_role(iam, trust(BOB))
    answer = bob["sts"].assume_role(
        RoleArn=arn, RoleSessionName="s1", Policy=policy(allow("s3:ListAllMyBuckets"))
    )
    session = session_clients(bob["iam"].meta.endpoint_url, answer["Credentials"])
    assert "Buckets" in session["s3"].list_buckets()
    code, status, message = refused(session["iam"].list_users)
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("because no session policy allows the iam:ListUsers action")


def test_root_cannot_assume_a_role(iam, sts) -> None:
    arn = make_role(iam, trust(f"arn:aws:iam::{ACCOUNT_ID}:root"))
    assert refused(sts.assume_role, RoleArn=arn, RoleSessionName="s1") == (
        "AccessDenied",
        403,
        "Roles may not be assumed by root accounts.",
    )


def test_an_unknown_role_is_refused_like_a_forbidden_one(bob: dict) -> None:
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/Nobody"
    assert refused(bob["sts"].assume_role, RoleArn=arn, RoleSessionName="s1")[2] == (
        f"User: {BOB} is not authorized to perform: sts:AssumeRole on resource: {arn}"
    )


def test_root_is_never_limited(iam, sandbox) -> None:
    assert "Users" in iam.list_users()


def test_the_cli_sees_the_same_refusal(sandbox, bob: dict) -> None:
    done = aws_cli(sandbox.endpoint, "iam", "list-users", key=bob["keys"][0], secret=bob["keys"][1])
    assert done.returncode != 0
    assert "AccessDenied" in done.stderr
    assert no_allow("iam:ListUsers", USERS) in done.stderr


# --- resource-based policies (Bucket policies for Amazon S3; Policy evaluation logic) ---


def bucket_with_policy(endpoint: str, *statements: dict) -> object:
    root_s3 = make_client("s3", endpoint)
    root_s3.create_bucket(Bucket="shared-bucket")
    root_s3.put_object(Bucket="shared-bucket", Key="report.txt", Body=b"r")
    root_s3.put_bucket_policy(Bucket="shared-bucket", Policy=policy(*statements))
    return root_s3


def test_a_bucket_policy_alone_allows_within_the_account(sandbox, bob: dict) -> None:
    """Within one account, an Allow in the resource-based policy is enough."""
    grant = allow("s3:GetObject", "arn:aws:s3:::shared-bucket/*", Principal={"AWS": BOB})
    bucket_with_policy(sandbox.endpoint, grant)
    assert bob["s3"].get_object(Bucket="shared-bucket", Key="report.txt")["Body"].read() == b"r"
    assert refused(bob["s3"].list_objects_v2, Bucket="shared-bucket") == (
        "AccessDenied",
        403,
        no_allow("s3:ListBucket", '"arn:aws:s3:::shared-bucket"'),
    )


def test_a_deny_in_a_bucket_policy_wins(iam, sandbox, bob: dict) -> None:
    give(iam, policy(allow("s3:*")))
    refusal = deny("s3:GetObject", "arn:aws:s3:::shared-bucket/*", Principal={"AWS": BOB})
    bucket_with_policy(sandbox.endpoint, refusal)
    code, status, message = refused(bob["s3"].get_object, Bucket="shared-bucket", Key="report.txt")
    assert (code, status) == ("AccessDenied", 403)
    assert message == explicit(
        "s3:GetObject", '"arn:aws:s3:::shared-bucket/report.txt"', "a resource-based policy"
    )
    assert "Contents" in bob["s3"].list_objects_v2(Bucket="shared-bucket")


# --- federated users (GetFederationToken's API reference) ---


def test_a_federated_user_has_only_what_both_the_user_and_the_session_policy_allow(
    iam, bob: dict
) -> None:
    give(iam, policy(allow(["s3:*", "sts:GetFederationToken"])))
    answer = bob["sts"].get_federation_token(
        Name="visitor", Policy=policy(allow("s3:ListAllMyBuckets"))
    )
    visitor_arn = f"arn:aws:sts::{ACCOUNT_ID}:federated-user/visitor"
    assert answer["FederatedUser"]["Arn"] == visitor_arn
    session = session_clients(bob["iam"].meta.endpoint_url, answer["Credentials"])
    assert session["sts"].get_caller_identity()["Arn"] == visitor_arn
    assert "Buckets" in session["s3"].list_buckets()
    assert refused(session["s3"].create_bucket, Bucket="visitors-bucket") == (
        "AccessDenied",
        403,
        f"User: {visitor_arn} is not authorized to perform: s3:CreateBucket on resource: "
        '"arn:aws:s3:::visitors-bucket" because no session policy allows the s3:CreateBucket '
        "action",
    )
    assert refused(session["iam"].get_user, UserName="bob") == (  # the sandbox's own wording
        "AccessDenied",
        403,
        "Cannot call GetUser with federated user credentials",
    )


def test_a_federated_user_without_a_session_policy_has_no_rights(iam, bob: dict) -> None:
    give(iam, policy(allow(["s3:*", "sts:GetFederationToken"])))
    credentials = bob["sts"].get_federation_token(Name="nobody")["Credentials"]
    session = session_clients(bob["iam"].meta.endpoint_url, credentials)
    assert refused(session["s3"].list_buckets)[2].endswith(
        "because no session policy allows the s3:ListAllMyBuckets action"
    )


def test_get_federation_token_needs_its_own_permission(bob: dict) -> None:
    assert refused(bob["sts"].get_federation_token, Name="visitor") == (
        "AccessDenied",
        403,
        no_allow("sts:GetFederationToken", f"arn:aws:sts::{ACCOUNT_ID}:federated-user/visitor"),
    )


def test_a_role_session_expires(iam, sandbox, bob: dict) -> None:
    """A role session lasts DurationSeconds (900 here), then AWS answers ExpiredToken
    (Common errors page: ExpiredToken, 403)."""
    from tests.sandbox.test_identity import advance_clock

    arn = make_role(iam, trust(BOB))
    answer = bob["sts"].assume_role(RoleArn=arn, RoleSessionName="s1", DurationSeconds=900)
    session = session_clients(sandbox.endpoint, answer["Credentials"])
    assert session["sts"].get_caller_identity()["Arn"].endswith(":assumed-role/Auditor/s1")
    advance_clock(sandbox, 901)
    assert refused(session["sts"].get_caller_identity) == (
        "ExpiredToken",
        403,
        "The security token included in the request is expired",
    )
