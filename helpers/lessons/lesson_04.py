"""Lesson 04 (groups): the form's action, and short read-outs of where a user's rights come from.

The notebook shows the boto3 calls themselves; this module holds what the button runs (the same
calls) and the plain-text summaries the notebook prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers import defaults
from helpers.forms import GroupForm
from helpers.guard import on_real_account
from helpers.i18n import _
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
    created = groups.create_group(iam, group_name)[1]
    policy = policy_name(policy_arn)
    already = policy in groups.group_policy_names(iam, group_name)
    if not already:
        # aws iam attach-group-policy --group-name Admins --policy-arn arn:aws:iam::aws:policy/...
        groups.attach_group_policy(iam, group_name, policy_arn)
    if created:
        return Outcome(
            _("Created the group {group} with {policy}.").format(group=group_name, policy=policy)
        )
    if already:
        return kept(
            _("The group {group} already exists with {policy}: nothing to do.").format(
                group=group_name, policy=policy
            )
        )
    return Outcome(
        _("The group {group} already existed; attached {policy} to it.").format(
            group=group_name, policy=policy
        )
    )


def add_to_group(iam: Any, group_name: str, user_name: str) -> Outcome:
    """Put the user in the group (the code cell and the catch-up)."""
    if user_name in groups.group_members(iam, group_name):
        return kept(
            _("{user} already is in {group}: nothing to do.").format(
                user=user_name, group=group_name
            )
        )
    # aws iam add-user-to-group --group-name Admins --user-name alice
    groups.add_user_to_group(iam, group_name, user_name)
    return Outcome(_("Added {user} to {group}.").format(user=user_name, group=group_name))


def drop_own_policy(iam: Any, user_name: str, policy_arn: str) -> Outcome:
    """Detach the policy from the user, who now gets it through the group (the code cell and
    the catch-up)."""
    # aws iam detach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/...
    if users.detach_user_policy(iam, user_name, policy_arn):
        return Outcome(
            _("Detached {policy} from {user} itself.").format(
                policy=policy_name(policy_arn), user=user_name
            )
        )
    return kept(
        _("{user} holds no {policy} of its own: nothing to do.").format(
            user=user_name, policy=policy_name(policy_arn)
        )
    )


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
    created = users.create_user(iam, user_name)[1]
    done = [
        Outcome(_("Created the IAM user {user}.").format(user=user_name))
        if created
        else kept(_("The IAM user {user} already exists: kept.").format(user=user_name))
    ]
    done.append(create_group_with_policy(iam, group_name, policy_arn))
    done.append(add_to_group(iam, group_name, user_name))
    saved = access_keys.load_access_key_csv(user_name)
    if saved is None or saved.access_key_id not in access_keys.list_access_key_ids(iam, user_name):
        # aws iam create-access-key --user-name bob
        key = access_keys.rotate_access_key(iam, user_name)
        path = access_keys.save_access_key_csv(key, real_account=on_real_account(iam))
        if path:
            made = _("Made an access key for {user} (saved to {file}).")
        else:
            made = _("Made an access key for {user} (not saved on a real account).")
        done.append(Outcome(made.format(user=user_name, file=path.name if path else "")))
    else:
        done.append(
            kept(_("{user} already has an access key: nothing to do.").format(user=user_name))
        )
    if phone is None:
        done.append(
            kept(
                _("{user} sets up MFA with his own phone (as in lesson 03).").format(user=user_name)
            )
        )
        return done
    serial = give_user_mfa(iam, phone, user_name)
    if serial is None:
        done.append(
            kept(
                _("{user} already has an MFA device on the phone: nothing to do.").format(
                    user=user_name
                )
            )
        )
    else:
        done.append(
            Outcome(
                _("Gave {user} an MFA device on the phone ({serial}).").format(
                    user=user_name, serial=serial
                )
            )
        )
    return done


def team_bucket_name(account_id: str) -> str:
    """A bucket name unique to the account (S3 names are global): ``team-notes-123456789012``."""
    return f"{defaults.TEAM_BUCKET_PREFIX}-{account_id}"


def make_bucket(s3: Any, bucket: str) -> Outcome:
    """Create the bucket, or keep it when it exists already (a re-run). In us-east-1, S3
    answers a second CreateBucket of your own bucket with success, so ask first."""
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]  # aws s3api list-buckets
    if bucket in names:
        return kept(_("The bucket {bucket} is already yours: nothing to do.").format(bucket=bucket))
    # aws s3api create-bucket --bucket team-notes-123456789012
    s3.create_bucket(Bucket=bucket)
    return Outcome(_("Created the bucket {bucket}.").format(bucket=bucket))


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
    listed = ", ".join(sorted(policies) + [_inline(name) for name in sorted(inline)])
    return _("Group {group} — policies: {policies}; members: {members}").format(
        group=group_name,
        policies=listed or _("none"),
        members=", ".join(sorted(members)) or _("none"),
    )


def _inline(name: str) -> str:
    """``Notes (inline)``: an inline policy's name, marked as such."""
    return _("{name} (inline)").format(name=name)


def rights_of(iam: Any, user_name: str = defaults.USER_NAME) -> str:
    """Where a user's permissions come from: its own policies, then each of its groups."""
    own = [
        p["PolicyName"]
        for p in iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    ]
    inline = iam.list_user_policies(UserName=user_name)["PolicyNames"]
    own_listed = sorted(own) + [_inline(name) for name in sorted(inline)]
    lines = [
        _("{user}'s own policies: {policies}").format(
            user=user_name, policies=", ".join(own_listed) or _("none")
        )
    ]
    member_of = sorted(
        g["GroupName"] for g in iam.list_groups_for_user(UserName=user_name)["Groups"]
    )
    if not member_of:
        lines.append(_("{user} is in no group.").format(user=user_name))
    for group_name in member_of:
        policies = sorted(groups.group_policy_names(iam, group_name))
        lines.append(
            _("through the group {group}: {policies}").format(
                group=group_name, policies=", ".join(policies) or _("no policy")
            )
        )
    return "\n".join(lines)


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
