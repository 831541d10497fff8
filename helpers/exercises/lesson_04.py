"""Lesson 04's "Your turn": a group of auditors who may read the account and change nothing.

The check reads the account: which groups carry AWS's read-only managed policies
(``list_entities_for_policy``), who is in them (``get_group``), and what the IAM policy
simulator (``simulate_principal_policy``) answers for each member. It cannot read whether the
learner *tried* ``iam:CreateUser`` as the member (AWS would record that in CloudTrail, which
the sandbox does not keep), so it asks the simulator the same question: the answer AWS's policy
evaluation gives for that member.
"""

from __future__ import annotations

from typing import Any

from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _
from helpers.lessons.lesson_04 import simulate

READ_ONLY_POLICIES = {
    "ReadOnlyAccess": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "SecurityAudit": "arn:aws:iam::aws:policy/SecurityAudit",
}
READS = "iam:ListUsers"  # what an auditor must be able to do
WRITES = ("iam:CreateUser", "s3:CreateBucket")  # what an auditor must not


def _attached_to(iam: Any) -> tuple[list[str], list[str]]:
    """The groups and the users that carry one of the read-only policies."""
    groups: list[str] = []
    users: list[str] = []
    for arn in READ_ONLY_POLICIES.values():
        # aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
        found = iam.list_entities_for_policy(PolicyArn=arn)
        groups += [g["GroupName"] for g in found["PolicyGroups"] if g["GroupName"] not in groups]
        users += [u["UserName"] for u in found["PolicyUsers"] if u["UserName"] not in users]
    return groups, users


def inspect(aws: Any) -> Attempt:
    iam = aws.iam
    groups, users = _attached_to(iam)
    if not groups:
        if users:
            return Attempt(
                False,
                "on-user",
                _("{user} holds a read-only policy personally.").format(user=users[0]),
            )
        return Attempt(False, "start")
    members = {
        member["UserName"]: group
        for group in groups
        for member in iam.get_group(GroupName=group)["Users"]  # aws iam get-group
    }
    if not members:
        return Attempt(
            False, "no-member", _("{group} carries a read-only policy.").format(group=groups[0])
        )
    account_id = aws.account_id
    too_much = ""
    for member, group in members.items():
        arn = f"arn:aws:iam::{account_id}:user/{member}"
        answers = dict(simulate(iam, arn, [READS, *WRITES]))
        allowed = [action for action in WRITES if answers[action] == "allowed"]
        if allowed:
            too_much = too_much or _("{member} (in {group}) may still call {action}.").format(
                member=member, group=group, action=allowed[0]
            )
            continue
        if answers[READS] != "allowed":
            too_much = too_much or _("{member} (in {group}) may not even call {action}.").format(
                member=member, group=group, action=READS
            )
            continue
        return Attempt(True, "done", f"{member} in {group}")
    return Attempt(False, "not-read-only", too_much)


EXERCISE = Exercise(
    key="04-auditors",
    lesson=4,
    title=N_("A group of auditors who read and change nothing"),
    inspect=inspect,
    hints={
        "start": (
            N_(
                "Make a group for auditors and give it one of AWS's managed policies that only "
                "read."
            ),
            N_(
                "AWS's managed policies ReadOnlyAccess (read everything) and SecurityAudit (read "
                "the security settings) only read. The form of step 1 offers ReadOnlyAccess."
            ),
            N_(
                "Create a group (say Auditors) with arn:aws:iam::aws:policy/ReadOnlyAccess, then "
                "add a new user to it; the folded solution below shows each call."
            ),
        ),
        "on-user": (
            N_(
                "Rights go to groups, not to people (CIS 1.14): attach the policy to an auditors "
                "group and put the user in it."
            ),
            N_(
                "aws iam detach-user-policy from the user, then aws iam attach-group-policy on a "
                "group and aws iam add-user-to-group; the folded solution below shows each call."
            ),
        ),
        "no-member": (
            N_("The group has nobody in it yet: add the person who audits."),
            N_(
                "Create a new user (not alice or bob: they already hold other rights) and add them "
                "with aws iam add-user-to-group; the folded solution below shows each call."
            ),
        ),
        "not-read-only": (
            N_(
                "An auditor must not change anything, yet this member can: their rights also come "
                "from another group or a policy of their own."
            ),
            N_(
                "A user's rights are the union of all their policies. alice is an admin and bob a "
                "power user: put a new user in the auditors group, in no other group."
            ),
            N_(
                "Create a user with no policy of their own, add them only to the auditors group, "
                "and try iam create-user as them; the folded solution below shows each call."
            ),
        ),
    },
    done=N_(
        "the IAM policy simulator says a member of your read-only group may list the users "
        "and may not create one: AccessDenied, as they saw when they tried."
    ),
)

EXERCISES = (EXERCISE,)
