"""Deleting users, groups and policies, refused as AWS refuses it while something depends on them.

AWS (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html, API_DeleteGroup.html,
API_DeletePolicy.html): ``DeleteUser`` is ``DeleteConflict`` (409) while the user still has a
password, access keys, signing certificates, SSH public keys, MFA devices, inline or attached
policies, or group memberships; ``DeleteGroup`` while the group has members or policies;
``DeletePolicy`` while the policy is attached or has versions besides the default one. moto only
checks a user's policies. The user's password history (``passwords``) goes with the user.
"""

from __future__ import annotations

from typing import Any

from helpers.sandbox.layer import moto_state, passwords
from helpers.sandbox.layer.registry import Call, after, before
from helpers.sandbox.layer.wire import AwsError, Response


def _conflict(aws_message: str, hint: str) -> AwsError:
    return AwsError("DeleteConflict", f"Cannot delete entity, {aws_message} {hint}")


def _count(items: Any, singular: str, plural: str) -> str:
    n = len(items)
    return f"{n} {singular if n == 1 else plural}"


def user_dependents(user: Any) -> list[tuple[str, str]]:
    """(AWS's message, what to do) for each thing that still stops the user's deletion, in the
    order the IAM user guide removes them."""
    name = user.name
    found: list[tuple[str, str]] = []
    if user.password:
        found.append(
            ("must delete login profile first.", f"Delete {name}'s password (DeleteLoginProfile).")
        )
    if user.access_keys:
        found.append(
            (
                "must delete access keys first.",
                f"{name} still has {_count(user.access_keys, 'access key', 'access keys')} "
                "(DeleteAccessKey).",
            )
        )
    if user.signing_certificates:
        found.append(
            (
                "must delete signing certificates first.",
                f"{name} still has signing certificates (DeleteSigningCertificate).",
            )
        )
    if user.ssh_public_keys:
        found.append(
            (
                "must delete SSH public keys first.",
                f"{name} still has SSH public keys (DeleteSSHPublicKey).",
            )
        )
    if user.mfa_devices:
        found.append(
            (
                "must delete MFA device first.",
                f"{name} still has {_count(user.mfa_devices, 'MFA device', 'MFA devices')} "
                "(DeactivateMFADevice, then DeleteVirtualMFADevice).",
            )
        )
    if user.policies:
        found.append(
            (
                "must delete policies first.",
                f"{name} still has inline policies: {', '.join(sorted(user.policies))} "
                "(DeleteUserPolicy).",
            )
        )
    if user.managed_policies:
        names = sorted(arn.rsplit("/", 1)[-1] for arn in user.managed_policies)
        found.append(
            (
                "must detach all policies first.",
                f"{name} still has attached policies: {', '.join(names)} (DetachUserPolicy).",
            )
        )
    groups = sorted(g.name for g in moto_state.groups_of(name))
    if groups:
        found.append(
            (
                "must remove user from all groups first.",
                f"{name} is still in: {', '.join(groups)} (RemoveUserFromGroup).",
            )
        )
    return found


@before("iam", "DeleteUser")
def delete_user(call: Call) -> None:
    user = moto_state.user(call.param("UserName") or "")
    if user is None:
        return None  # moto answers NoSuchEntity
    dependents = user_dependents(user)
    if dependents:
        raise _conflict(*dependents[0])
    return None


@after("iam", "DeleteUser")
def forget_deleted_user(call: Call, response: Response) -> Response:
    passwords.forget_user(call.param("UserName") or "")
    return response


@before("iam", "DeleteGroup")
def delete_group(call: Call) -> None:
    group = moto_state.group(call.param("GroupName") or "")
    if group is None:
        return None
    name = group.name
    if group.users:
        members = ", ".join(sorted(u.name for u in group.users))
        raise _conflict(
            "must remove users from group first.",
            f"{name} still has members: {members} (RemoveUserFromGroup).",
        )
    if group.policies:
        raise _conflict(
            "must delete policies first.",
            f"{name} still has inline policies: {', '.join(sorted(group.policies))} "
            "(DeleteGroupPolicy).",
        )
    if group.managed_policies:
        names = sorted(arn.rsplit("/", 1)[-1] for arn in group.managed_policies)
        raise _conflict(
            "must detach all policies first.",
            f"{name} still has attached policies: {', '.join(names)} (DetachGroupPolicy).",
        )
    return None


@before("iam", "DeletePolicy")
def delete_policy(call: Call) -> None:
    arn = call.param("PolicyArn") or ""
    policy = moto_state.managed_policy(arn)
    if policy is None:
        return None
    holders = moto_state.entities_with_policy(arn)
    if holders:
        names = ", ".join(sorted(h.name for h in holders))
        raise AwsError(
            "DeleteConflict",
            f"Cannot delete a policy attached to entities. It is attached to: {names} "
            "(DetachUserPolicy, DetachGroupPolicy, DetachRolePolicy).",
        )
    if len(policy.versions) > 1:
        raise AwsError(
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete "
            "the policy's versions. The default version is deleted with the policy.",
        )
    return None
