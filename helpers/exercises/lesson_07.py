"""Lesson 07's "Your turn": turn a failing CIS line green, 1.16, a support role.

The check runs the checklist's own CIS control (``helpers.status``: Prowler's
``iam_support_role_created``, which lists the roles AWSSupportAccess is attached to) and, while it
still fails, reads where AWSSupportAccess is attached and which roles exist, to say why.
"""

from __future__ import annotations

from typing import Any

from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _
from helpers.status import check_account

SUPPORT_POLICY_ARN = "arn:aws:iam::aws:policy/AWSSupportAccess"


def inspect(aws: Any) -> Attempt:
    iam = aws.iam
    if check_account(iam).status_of("cis.1.16") == "PASS":
        return Attempt(True, "done")
    # aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
    holders = iam.list_entities_for_policy(PolicyArn=SUPPORT_POLICY_ARN)
    people = [u["UserName"] for u in holders["PolicyUsers"]]
    people += [g["GroupName"] for g in holders["PolicyGroups"]]
    if people:
        return Attempt(
            False,
            "not-a-role",
            _("AWSSupportAccess is attached to {holder}.").format(holder=people[0]),
        )
    # aws iam list-roles   (roles AWS made for its services live under /aws-service-role/)
    roles = [
        role["RoleName"]
        for role in iam.list_roles()["Roles"]
        if not role["Path"].startswith("/aws-service-role/")
    ]
    if roles:
        return Attempt(
            False,
            "no-policy",
            _("The role {role} does not carry AWSSupportAccess.").format(role=roles[0]),
        )
    return Attempt(False, "start")


EXERCISE = Exercise(
    key="07-support-role",
    lesson=7,
    title=N_("Turn CIS 1.16 green: a support role"),
    inspect=inspect,
    hints={
        "start": (
            N_(
                "CIS 1.16 wants a role, not a user or a group, that carries AWS's managed policy "
                "for AWS Support."
            ),
            N_(
                "A role needs a trust policy saying who may take it on: here, this account's own "
                "users (Principal arn:aws:iam::ACCOUNT:root), best only with MFA. Then attach "
                "arn:aws:iam::aws:policy/AWSSupportAccess."
            ),
            N_(
                "aws iam create-role --role-name SupportRole --assume-role-policy-document "
                "file://trust.json, then aws iam attach-role-policy; the folded solution below "
                "shows both."
            ),
        ),
        "not-a-role": (
            N_(
                "CIS counts roles only: people take on a support role when they need it, instead "
                "of holding the rights all the time."
            ),
            N_(
                "Detach AWSSupportAccess from the user or group, create a role and attach it "
                "there; the folded solution below shows the calls."
            ),
        ),
        "no-policy": (
            N_("The role is there: now give it the policy CIS looks for."),
            N_(
                "aws iam attach-role-policy --role-name NAME --policy-arn "
                "arn:aws:iam::aws:policy/AWSSupportAccess; the folded solution below shows it."
            ),
        ),
    },
    done=N_("CIS 1.16 passes: a role carries AWSSupportAccess."),
)

EXERCISES = (EXERCISE,)
