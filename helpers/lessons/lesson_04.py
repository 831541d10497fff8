"""Lesson 04 (groups): the form's action, and short read-outs of where a user's rights come from.

The notebook shows the boto3 calls themselves; this module holds what the button runs (the same
calls) and the plain-text summaries the notebook prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers import defaults
from helpers.forms import GroupForm
from helpers.guard import on_real_account
from helpers.iam import access_keys, groups, users
from helpers.iam.policies import policy_name
from helpers.lessons.outcome import Outcome, kept
from helpers.mfa_setup import give_user_mfa

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = ("console.groups", "cis.1.14")
SCORE = 4  # console items green after this lesson (5 when lesson 05 is done too)


def create_group_with_policy(iam: Any, group_name: str, policy_arn: str) -> Outcome:
    """What the form's button, the code cell and the catch-up do: create the group (kept if it
    exists) and attach the policy (attaching it again changes nothing, as in AWS)."""
    # aws iam create-group --group-name Admins
    _, created = groups.create_group(iam, group_name)
    already = policy_name(policy_arn) in groups.group_policy_names(iam, group_name)
    if not already:
        # aws iam attach-group-policy --group-name Admins --policy-arn arn:aws:iam::aws:policy/...
        groups.attach_group_policy(iam, group_name, policy_arn)
    if created:
        return Outcome(f"Created the group {group_name} with {policy_name(policy_arn)}.")
    if already:
        return kept(
            f"The group {group_name} already exists with {policy_name(policy_arn)}: nothing to do."
        )
    return Outcome(
        f"The group {group_name} already existed; attached {policy_name(policy_arn)} to it."
    )


def add_to_group(iam: Any, group_name: str, user_name: str) -> Outcome:
    """Put the user in the group (the code cell and the catch-up)."""
    if user_name in groups.group_members(iam, group_name):
        return kept(f"{user_name} already is in {group_name}: nothing to do.")
    # aws iam add-user-to-group --group-name Admins --user-name alice
    groups.add_user_to_group(iam, group_name, user_name)
    return Outcome(f"Added {user_name} to {group_name}.")


def drop_own_policy(iam: Any, user_name: str, policy_arn: str) -> Outcome:
    """Detach the policy from the user, who now gets it through the group (the code cell and
    the catch-up)."""
    # aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/...
    if users.detach_user_policy(iam, user_name, policy_arn):
        return Outcome(f"Detached {policy_name(policy_arn)} from {user_name} itself.")
    return kept(f"{user_name} holds no {policy_name(policy_arn)} of its own: nothing to do.")


def add_power_user(
    iam: Any,
    phone: Any,
    user_name: str = defaults.POWER_USER_NAME,
    group_name: str = defaults.POWER_GROUP_NAME,
    policy_arn: str = defaults.POWER_GROUP_POLICY_ARN,
) -> list[Outcome]:
    """A second person whose rights come only from a group: the user, the group with its
    policy, the membership, an access key saved like the console's download (0600), and an MFA
    device on the phone. What the code cell and the catch-up do. ``phone`` None (a real
    account): no file holds the key's secret, and bob sets up MFA with his own phone."""
    # aws iam create-user --user-name bob
    _, created = users.create_user(iam, user_name)
    done = [
        Outcome(f"Created the IAM user {user_name}.")
        if created
        else kept(f"The IAM user {user_name} already exists: kept.")
    ]
    done.append(create_group_with_policy(iam, group_name, policy_arn))
    done.append(add_to_group(iam, group_name, user_name))
    saved = access_keys.load_access_key_csv(user_name)
    if saved is None or saved.access_key_id not in access_keys.list_access_key_ids(iam, user_name):
        # aws iam create-access-key --user-name bob
        key = access_keys.rotate_access_key(iam, user_name)
        path = access_keys.save_access_key_csv(key, real_account=on_real_account(iam))
        where = f"saved to {path.name}" if path else "not saved on a real account"
        done.append(Outcome(f"Made an access key for {user_name} ({where})."))
    else:
        done.append(kept(f"{user_name} already has an access key: nothing to do."))
    if phone is None:
        done.append(kept(f"{user_name} sets up MFA with his own phone (as in lesson 03)."))
        return done
    serial = give_user_mfa(iam, phone, user_name)
    if serial is None:
        done.append(kept(f"{user_name} already has an MFA device on the phone: nothing to do."))
    else:
        done.append(Outcome(f"Gave {user_name} an MFA device on the phone ({serial})."))
    return done


def team_bucket_name(account_id: str) -> str:
    """A bucket name unique to the account (S3 names are global): ``team-notes-123456789012``."""
    return f"{defaults.TEAM_BUCKET_PREFIX}-{account_id}"


def make_bucket(s3: Any, bucket: str) -> Outcome:
    """Create the bucket, or keep it when it exists already (a re-run). In us-east-1, S3
    answers a second CreateBucket of your own bucket with success, so ask first."""
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]  # aws s3api list-buckets
    if bucket in names:
        return kept(f"The bucket {bucket} is already yours: nothing to do.")
    # aws s3api create-bucket --bucket team-notes-123456789012
    s3.create_bucket(Bucket=bucket)
    return Outcome(f"Created the bucket {bucket}.")


# A request signed with an MFA session: the simulator's context for it.
WITH_MFA = [
    {
        "ContextKeyName": "aws:MultiFactorAuthPresent",
        "ContextKeyValues": ["true"],
        "ContextKeyType": "boolean",
    }
]


def simulate(iam: Any, principal_arn: str, actions: list[str]) -> list[tuple[str, str]]:
    """The IAM policy simulator's answer for each action, for a request made with MFA (as bob
    works): ``(action, EvalDecision)``."""
    # aws iam simulate-principal-policy --policy-source-arn ARN --action-names A B \
    #     --context-entries ContextKeyName=aws:MultiFactorAuthPresent,...
    answer = iam.simulate_principal_policy(
        PolicySourceArn=principal_arn, ActionNames=actions, ContextEntries=WITH_MFA
    )
    return [(r["EvalActionName"], r["EvalDecision"]) for r in answer["EvaluationResults"]]


def group_names(iam: Any) -> list[str]:
    return [group["GroupName"] for group in iam.list_groups()["Groups"]]


def group_form(aws: Any) -> GroupForm:
    """The lesson's form: group name and policy (defaults ``Admins``, AdministratorAccess)."""
    return GroupForm(
        action=lambda name, arn: create_group_with_policy(aws.iam, name, arn),
        existing=lambda: group_names(aws.iam),
    ).plan_first(aws)


def describe_group(iam: Any, group_name: str) -> str:
    """``Group Admins — policies: AdministratorAccess; members: alice``."""
    policies = groups.group_policy_names(iam, group_name)
    inline = iam.list_group_policies(GroupName=group_name)["PolicyNames"]
    members = groups.group_members(iam, group_name)
    listed = ", ".join(sorted(policies) + [f"{name} (inline)" for name in sorted(inline)])
    return (
        f"Group {group_name} — policies: {listed or 'none'}; "
        f"members: {', '.join(sorted(members)) or 'none'}"
    )


def rights_of(iam: Any, user_name: str = defaults.USER_NAME) -> str:
    """Where a user's permissions come from: its own policies, then each of its groups."""
    own = [
        p["PolicyName"]
        for p in iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    ]
    inline = iam.list_user_policies(UserName=user_name)["PolicyNames"]
    own_listed = sorted(own) + [f"{name} (inline)" for name in sorted(inline)]
    lines = [f"{user_name}'s own policies: {', '.join(own_listed) or 'none'}"]
    member_of = sorted(
        g["GroupName"] for g in iam.list_groups_for_user(UserName=user_name)["Groups"]
    )
    if not member_of:
        lines.append(f"{user_name} is in no group.")
    for group_name in member_of:
        policies = sorted(groups.group_policy_names(iam, group_name))
        lines.append(f"through the group {group_name}: {', '.join(policies) or 'no policy'}")
    return "\n".join(lines)


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
