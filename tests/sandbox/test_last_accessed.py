"""Service last accessed data from the calls the sandbox has seen (``layer/last_accessed.py``).

https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.sandbox.constants import ACCOUNT_ID
from tests.conftest import make_client, refused

AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateServiceLastAccessedDetails.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/"
    "API_GetServiceLastAccessedDetailsWithEntities.html",
)

ALLOW_IAM_AND_S3_READS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["iam:*", "s3:Get*"], "Resource": "*"}],
    }
)


def user_with_key(iam, name: str, endpoint: str, policy: str | None = ALLOW_IAM_AND_S3_READS):
    iam.create_user(UserName=name)
    if policy:
        iam.put_user_policy(UserName=name, PolicyName="work", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return (
        make_client("iam", endpoint, key["AccessKeyId"], key["SecretAccessKey"]),
        make_client("sts", endpoint, key["AccessKeyId"], key["SecretAccessKey"]),
    )


def report(iam, arn: str, granularity: str = "SERVICE_LEVEL") -> dict:
    job = iam.generate_service_last_accessed_details(Arn=arn, Granularity=granularity)
    services: dict = {}
    page = {"IsTruncated": True, "Marker": None}
    while page["IsTruncated"]:
        marker = {"Marker": page["Marker"]} if page["Marker"] else {}
        page = {
            "Marker": None,
            **iam.get_service_last_accessed_details(JobId=job["JobId"], **marker),
        }
        assert page["JobStatus"] == "COMPLETED"
        services.update(
            {entry["ServiceNamespace"]: entry for entry in page["ServicesLastAccessed"]}
        )
    return services


def user_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"


def test_a_users_report_lists_allowed_services_and_its_own_use(iam, sandbox) -> None:
    alice_iam, alice_sts = user_with_key(iam, "alice", sandbox.endpoint)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    alice_iam.list_users()
    alice_sts.get_caller_identity()
    services = report(iam, user_arn("alice"))
    assert services["iam"]["ServiceName"] == "AWS Identity and Access Management"
    assert services["iam"]["LastAuthenticated"] >= before
    assert services["iam"]["LastAuthenticatedEntity"] == user_arn("alice")
    assert services["iam"]["LastAuthenticatedRegion"] == "us-east-1"
    assert services["iam"]["TotalAuthenticatedEntities"] == 1
    # Allowed but never used: listed without a date.
    assert services["s3"]["ServiceName"] == "Amazon Simple Storage Service"
    assert "LastAuthenticated" not in services["s3"]
    assert services["s3"]["TotalAuthenticatedEntities"] == 0
    # Used, though no policy allows it (requests are not authorized yet): listed with its use.
    assert services["sts"]["TotalAuthenticatedEntities"] == 1
    assert set(services) == {"iam", "s3", "sts"}


def test_root_calls_and_refused_calls_are_not_recorded(iam, sandbox) -> None:
    alice_iam, _ = user_with_key(iam, "alice", sandbox.endpoint)
    iam.list_users()  # root: not an IAM entity
    refused(alice_iam.get_user, UserName="nobody")  # refused: not a use
    services = report(iam, user_arn("alice"))
    assert "LastAuthenticated" not in services["iam"]


def test_action_level_lists_the_tracked_actions_used(iam, sandbox) -> None:
    alice_iam, _ = user_with_key(iam, "alice", sandbox.endpoint)
    alice_iam.list_users()
    alice_iam.get_user(UserName="alice")
    services = report(iam, user_arn("alice"), "ACTION_LEVEL")
    actions = {a["ActionName"]: a for a in services["iam"]["TrackedActionsLastAccessed"]}
    assert set(actions) == {"ListUsers", "GetUser"}
    assert actions["GetUser"]["LastAccessedEntity"] == user_arn("alice")
    assert actions["GetUser"]["LastAccessedRegion"] == "us-east-1"
    assert services["s3"]["TrackedActionsLastAccessed"] == []
    assert "TrackedActionsLastAccessed" not in report(iam, user_arn("alice"))["iam"]


def test_a_groups_report_counts_its_members(iam, sandbox) -> None:
    iam.create_group(GroupName="admins")
    iam.put_group_policy(GroupName="admins", PolicyName="p", PolicyDocument=ALLOW_IAM_AND_S3_READS)
    alice_iam, _ = user_with_key(iam, "alice", sandbox.endpoint, policy=None)
    user_with_key(iam, "bob", sandbox.endpoint, policy=None)
    for name in ("alice", "bob"):
        iam.add_user_to_group(GroupName="admins", UserName=name)
    alice_iam.list_groups()
    services = report(iam, f"arn:aws:iam::{ACCOUNT_ID}:group/admins")
    assert services["iam"]["TotalAuthenticatedEntities"] == 1
    assert services["iam"]["LastAuthenticatedEntity"] == user_arn("alice")
    assert set(services) == {"iam", "s3"}


def test_a_managed_policys_report_counts_the_users_it_reaches(iam, sandbox) -> None:
    arn = iam.create_policy(PolicyName="reads", PolicyDocument=ALLOW_IAM_AND_S3_READS)["Policy"][
        "Arn"
    ]
    alice_iam, _ = user_with_key(iam, "alice", sandbox.endpoint, policy=None)
    iam.attach_user_policy(UserName="alice", PolicyArn=arn)
    alice_iam.list_users()
    services = report(iam, arn)
    assert services["iam"]["LastAuthenticatedEntity"] == user_arn("alice")
    assert "LastAuthenticated" not in services["s3"]


def test_a_wildcard_policy_lists_every_service(iam, sandbox) -> None:
    services = report(iam, "arn:aws:iam::aws:policy/AdministratorAccess")
    assert {"iam", "s3", "ec2", "lambda", "sts"} <= set(services)
    assert len(services) > 300


def test_a_deleted_users_history_is_forgotten(iam, sandbox) -> None:
    alice_iam, _ = user_with_key(iam, "alice", sandbox.endpoint)
    alice_iam.list_users()
    key = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["AccessKeyId"]
    iam.delete_access_key(UserName="alice", AccessKeyId=key)
    iam.delete_user_policy(UserName="alice", PolicyName="work")
    iam.delete_user(UserName="alice")
    iam.create_user(UserName="alice")
    assert report(iam, user_arn("alice")) == {}


# The messages are the sandbox's own wording (the API reference names the errors, not their text).
@pytest.mark.parametrize(
    ("arn", "code", "status", "message"),
    [
        (f"arn:aws:iam::{ACCOUNT_ID}:{kind}/nobody", "NoSuchEntity", 404,
         f"The {kind} with ARN arn:aws:iam::{ACCOUNT_ID}:{kind}/nobody cannot be found.")
        for kind in ("user", "group", "policy")
    ]
    + [
        ("arn:aws:s3:::a-bucket-of-mine", "InvalidInput", 400,
         "ARN arn:aws:s3:::a-bucket-of-mine is not a user, group, role or policy ARN."),
    ],
)  # fmt: skip
def test_an_unknown_entity_is_refused(iam, arn: str, code: str, status: int, message: str) -> None:
    assert refused(iam.generate_service_last_accessed_details, Arn=arn) == (code, status, message)


def test_an_unknown_job_is_refused(iam) -> None:
    assert refused(iam.get_service_last_accessed_details, JobId="0" * 36) == (
        "NoSuchEntity",
        404,
        f"The job with ID {'0' * 36} cannot be found.",  # the sandbox's own wording
    )


def test_pages_follow_max_items_and_marker(iam) -> None:
    job = iam.generate_service_last_accessed_details(
        Arn="arn:aws:iam::aws:policy/AdministratorAccess"
    )["JobId"]
    first = iam.get_service_last_accessed_details(JobId=job, MaxItems=2)
    assert first["IsTruncated"] and len(first["ServicesLastAccessed"]) == 2
    second = iam.get_service_last_accessed_details(JobId=job, MaxItems=2, Marker=first["Marker"])
    assert second["ServicesLastAccessed"][0] != first["ServicesLastAccessed"][0]


@pytest.mark.parametrize("service", ["iam", "sts", "s3", "ec2", "lambda"])
def test_service_names_are_botocores(service: str) -> None:
    """service_names.py is written by tools/build_service_names.py from botocore's models."""
    import botocore.session

    from helpers.sandbox.layer.service_names import SERVICE_NAMES

    metadata = botocore.session.get_session().get_service_model(service).metadata
    assert SERVICE_NAMES[service] == metadata["serviceFullName"]
    assert all(name == name.lower() for name in SERVICE_NAMES)


def test_with_entities_lists_who_used_a_service_most_recent_first(iam, sandbox) -> None:
    iam.create_group(GroupName="admins")
    iam.put_group_policy(GroupName="admins", PolicyName="p", PolicyDocument=ALLOW_IAM_AND_S3_READS)
    clients = {}
    for name in ("alice", "bob", "carol"):
        clients[name], _ = user_with_key(iam, name, sandbox.endpoint, policy=None)
        iam.add_user_to_group(GroupName="admins", UserName=name)
    clients["bob"].list_users()
    clients["alice"].list_users()
    job = iam.generate_service_last_accessed_details(Arn=f"arn:aws:iam::{ACCOUNT_ID}:group/admins")[
        "JobId"
    ]
    answer = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="iam")
    assert answer["JobStatus"] == "COMPLETED"
    details = answer["EntityDetailsList"]
    assert [d["EntityInfo"]["Name"] for d in details] == ["alice", "bob", "carol"]
    assert details[0]["EntityInfo"]["Type"] == "USER"
    assert details[0]["EntityInfo"]["Arn"] == user_arn("alice")
    assert details[0]["EntityInfo"]["Id"] == iam.get_user(UserName="alice")["User"]["UserId"]
    assert details[0]["LastAuthenticated"] >= details[1]["LastAuthenticated"]
    assert "LastAuthenticated" not in details[2]
    s3 = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="s3")
    assert all("LastAuthenticated" not in d for d in s3["EntityDetailsList"])
    assert refused(
        iam.get_service_last_accessed_details_with_entities, JobId="0" * 36, ServiceNamespace="iam"
    ) == ("NoSuchEntity", 404, f"The job with ID {'0' * 36} cannot be found.")
