"""Lesson 04 (groups): the form's action, and short read-outs of where a user's rights come from.

The notebook shows the boto3 calls themselves; this module holds what the button runs (the same
calls) and the plain-text summaries the notebook prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers import defaults
from helpers.forms import GroupForm
from helpers.iam import groups, users
from helpers.iam.policies import policy_name
from helpers.lessons.outcome import Outcome, kept

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = ("console.groups", "cis.1.14")


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


def group_names(iam: Any) -> list[str]:
    return [group["GroupName"] for group in iam.list_groups()["Groups"]]


def group_form(aws: Any) -> GroupForm:
    """The lesson's form: group name and policy (defaults ``Admins``, AdministratorAccess)."""
    return GroupForm(
        action=lambda name, arn: create_group_with_policy(aws.iam, name, arn),
        existing=lambda: group_names(aws.iam),
    )


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
