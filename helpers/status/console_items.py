"""The IAM console's old "Security Status": the article's five items, ticked one by one.

Rules (the old console's, made precise):

1. Delete your root access keys — ``AccountAccessKeysPresent == 0`` in the account summary.
2. Activate MFA on your root account — ``AccountMFAEnabled == 1``.
3. Create individual IAM users — the account has at least one IAM user.
4. Use groups to assign permissions — at least one group has at least one member and at least
   one policy (managed or inline): some user really gets permissions through a group.
5. Apply an IAM password policy — the account has a password policy (any settings).
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.i18n import N_, _, ngettext
from helpers.rules.passwords import CIS_MIN_LENGTH, CIS_REUSE, summary_line
from helpers.status.gather import AccountData
from helpers.status.model import Finding

ROOT_MFA_NOTEBOOK = "02_root_mfa.ipynb"
USER_NOTEBOOK = "03_iam_user.ipynb"
GROUPS_NOTEBOOK = "04_groups.ipynb"
PASSWORD_NOTEBOOK = "05_password_policy.ipynb"


def _unreadable(data: AccountData, what: str) -> str:
    return _("Could not read {what} ({error}).").format(
        what=_(what), error=data.errors.get(what, _("no answer"))
    )


def check_root_access_keys(data: AccountData) -> Finding:
    base = dict(
        id="console.root_access_keys",
        title=_("Delete your root access keys"),
        fix=ROOT_MFA_NOTEBOOK,
        advice=_(
            "Delete the root user's access keys (root's Security credentials page); "
            "scripts use an IAM user's keys instead."
        ),
        cis="1.3",
        prowler=("iam_no_root_access_key",),
    )
    if data.summary is None:
        return Finding(status="MANUAL", reason=_unreadable(data, N_("the account summary")), **base)
    present = data.summary.get("AccountAccessKeysPresent", 0)
    if present:
        return Finding(status="FAIL", reason=_("The root user has an access key."), **base)
    return Finding(status="PASS", reason=_("The root user has no access keys."), **base)


def check_root_mfa(data: AccountData) -> Finding:
    base = dict(
        id="console.root_mfa",
        title=_("Activate MFA on your root account"),
        fix=ROOT_MFA_NOTEBOOK,
        advice=_("Assign a virtual MFA device to the root user and confirm two codes."),
        cis="1.4",
        prowler=("iam_root_mfa_enabled",),
    )
    if data.summary is None:
        return Finding(status="MANUAL", reason=_unreadable(data, N_("the account summary")), **base)
    if data.summary.get("AccountMFAEnabled", 0) == 1:
        return Finding(status="PASS", reason=_("The root user signs in with MFA."), **base)
    return Finding(status="FAIL", reason=_("The root user has no MFA device."), **base)


def check_iam_users(data: AccountData) -> Finding:
    base = dict(
        id="console.iam_users",
        title=_("Create individual IAM users"),
        fix=USER_NOTEBOOK,
        advice=_("Create an IAM user for yourself and work as that user, not as root."),
    )
    if data.users is None:
        return Finding(status="MANUAL", reason=_unreadable(data, N_("the IAM users")), **base)
    if not data.users:
        return Finding(status="FAIL", reason=_("The account has no IAM users yet."), **base)
    names = ", ".join(user.name for user in data.users[:3])
    more = _(" and {count} more").format(count=len(data.users) - 3) if len(data.users) > 3 else ""
    count = len(data.users)
    return Finding(
        status="PASS",
        reason=ngettext(
            "The account has {count} IAM user: {names}{more}.",
            "The account has {count} IAM users: {names}{more}.",
            count,
        ).format(count=count, names=names, more=more),
        **base,
    )


def check_groups(data: AccountData) -> Finding:
    base = dict(
        id="console.groups",
        title=_("Use groups to assign permissions"),
        fix=GROUPS_NOTEBOOK,
        advice=_("Create a group, attach a policy to it and add your IAM user to it."),
    )
    if data.groups is None:
        return Finding(status="MANUAL", reason=_unreadable(data, N_("the IAM groups")), **base)
    for group in data.groups:
        if group.members and group.has_policy:
            policies = ", ".join(group.attached_policies + group.inline_policies)
            members = ", ".join(group.members)
            return Finding(
                status="PASS",
                reason=_("Group {group} gives {policies} to {members}.").format(
                    group=group.name, policies=policies, members=members
                ),
                **base,
            )
    if not data.groups:
        reason = _("The account has no groups yet.")
    elif not any(group.has_policy for group in data.groups):
        reason = _("No group has a policy, so no one gets permissions through a group.")
    elif not any(group.members for group in data.groups):
        reason = _("No group has members, so no one gets permissions through a group.")
    else:
        reason = _("No group has both a policy and a member.")
    return Finding(status="FAIL", reason=reason, **base)


def check_password_policy(data: AccountData) -> Finding:
    base = dict(
        id="console.password_policy",
        title=_("Apply an IAM password policy"),
        fix=PASSWORD_NOTEBOOK,
        advice=_(
            "Set an account password policy for IAM users (CIS asks for "
            "{length}+ characters and no reuse of the last {reuse})."
        ).format(length=CIS_MIN_LENGTH, reuse=CIS_REUSE),
    )
    if not data.password_policy_read:
        return Finding(status="MANUAL", reason=_unreadable(data, N_("the password policy")), **base)
    if data.password_policy is None:
        return Finding(
            status="FAIL", reason=_("The account has no password policy (AWS defaults)."), **base
        )
    return Finding(
        status="PASS",
        reason=_("A password policy applies: {summary}.").format(
            summary=summary_line(data.password_policy, say=_)
        ),
        **base,
    )


CONSOLE_CHECKS: tuple[Callable[[AccountData], Finding], ...] = (
    check_root_access_keys,
    check_root_mfa,
    check_iam_users,
    check_groups,
    check_password_policy,
)


def check_console_items(data: AccountData) -> list[Finding]:
    """The five items, in the console's order."""
    return [check(data) for check in CONSOLE_CHECKS]
