"""Lesson 03's "Your turn": a second person who signs in to the console with MFA and has no
access key.

The check reads the account's users (read-only IAM calls) and looks at every user the lessons
do not make themselves (alice from lesson 03, bob from lesson 04, and the lesson's user under
another name: an administrator with an access key, as steps 2 and 3 make it): one of them must
have a console password, an MFA device, no access key and no policy of its own. CIS AWS Foundations
Benchmark v5.0 asks for the same: 1.9 (MFA for every console user), 1.10 (no access key made
at set-up for a console user) and 1.14 (permissions only through groups).
"""

from __future__ import annotations

from typing import Any

from helpers import defaults
from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _

KEY = "03-second-person"
# The people the lessons create; the exercise is about someone else.
LESSON_USERS = frozenset({defaults.USER_NAME, defaults.POWER_USER_NAME})
# What the second person needs, in the order the hints ask for it.
STAGES = ("no-password", "access-key", "no-mfa", "own-policy")
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"


def _has_password(iam: Any, user_name: str) -> bool:
    try:
        iam.get_login_profile(UserName=user_name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def _is_administrator_with_key(iam: Any, user_name: str) -> bool:
    """The lesson's user, whatever its name: an access key and AdministratorAccess, attached
    to the user (step 3) or to one of its groups (lesson 04)."""
    if not iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]:
        return False
    attached = iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    for group in iam.list_groups_for_user(UserName=user_name)["Groups"]:
        attached += iam.list_attached_group_policies(GroupName=group["GroupName"])[
            "AttachedPolicies"
        ]
    return any(policy["PolicyArn"] == ADMINISTRATOR_ACCESS for policy in attached)


def _missing(iam: Any, user_name: str) -> list[tuple[str, str]]:
    """What keeps ``user_name`` from being the second person: (stage, fact) pairs, in order."""
    missing = []
    if not _has_password(iam, user_name):
        missing.append(("no-password", _("{user} has no console password.").format(user=user_name)))
    keys = iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]
    if keys:
        ids = ", ".join(key["AccessKeyId"] for key in keys)
        fact = _("{user} has an access key ({keys}).").format(user=user_name, keys=ids)
        missing.append(("access-key", fact))
    if not iam.list_mfa_devices(UserName=user_name)["MFADevices"]:
        missing.append(("no-mfa", _("{user} has no MFA device.").format(user=user_name)))
    attached = iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    inline = iam.list_user_policies(UserName=user_name)["PolicyNames"]
    own = [policy["PolicyName"] for policy in attached] + list(inline)
    if own:
        fact = _("{user} has policies of its own ({policies}).").format(
            user=user_name, policies=", ".join(own)
        )
        missing.append(("own-policy", fact))
    return missing


def inspect(aws: Any) -> Attempt:
    """The user (not one the lessons make) that is closest to done, and what it still lacks."""
    iam = aws.iam
    others = [
        user["UserName"]
        for user in iam.get_paginator("list_users").paginate().build_full_result()["Users"]
        if user["UserName"] not in LESSON_USERS
        and not _is_administrator_with_key(iam, user["UserName"])
    ]
    if not others:
        return Attempt(passed=False, stage="start")
    closest = min(
        ((user_name, _missing(iam, user_name)) for user_name in others),
        key=lambda found: (len(found[1]), [STAGES.index(stage) for stage, _ in found[1]]),
    )
    user_name, missing = closest
    if not missing:
        return Attempt(passed=True, stage="done", detail=user_name)
    stage, fact = missing[0]
    return Attempt(passed=False, stage=stage, detail=fact)


EXERCISES = (
    Exercise(
        key=KEY,
        lesson=3,
        title=N_("A second person: console and MFA, no access key"),
        inspect=inspect,
        hints={
            "start": (
                N_(
                    "The account has no IAM user yet besides the lessons' own. Create one for a "
                    "second person, with a name you choose."
                ),
                N_(
                    "Step 1 of this lesson does it: the form, or "
                    "aws.iam.create_user(UserName=...), or `aws iam create-user` in a terminal."
                ),
                N_(
                    "Create the user, give it a console password (step 4) and an MFA device on "
                    "the phone (step 5), and no access key. The folded solution below does all "
                    "three."
                ),
            ),
            "no-password": (
                N_("A person who signs in to the console needs a console password."),
                N_(
                    "Step 4 of this lesson sets one: lesson_03.set_console_password(aws, NAME, "
                    "None, reset_required=True) makes a random one and asks for a new one at "
                    "first sign-in."
                ),
                N_(
                    "aws.iam.create_login_profile(UserName=NAME, Password=..., "
                    "PasswordResetRequired=True), or `aws iam create-login-profile`; see the "
                    "folded solution."
                ),
            ),
            "access-key": (
                N_(
                    "Someone who works in the console needs no access key, and an unused key is "
                    "one more secret to leak (CIS 1.10)."
                ),
                N_(
                    "Delete the key: aws.iam.delete_access_key(UserName=NAME, AccessKeyId=...), "
                    "or `aws iam delete-access-key` in a terminal."
                ),
            ),
            "no-mfa": (
                N_(
                    "With a console password and no MFA, the password alone opens the console "
                    "(CIS 1.9). Give the person an MFA device."
                ),
                N_(
                    "Step 5 of this lesson, for the new name: create a virtual MFA device, scan "
                    "its QR code with the phone, then two consecutive codes."
                ),
                N_(
                    "helpers.mfa_setup.give_user_mfa(aws.iam, phone, NAME) does all three steps; "
                    "see the folded solution."
                ),
            ),
            "own-policy": (
                N_(
                    "The person has a policy of their own. Rights go through groups (lesson 04, "
                    "CIS 1.14): leave the new person without policies for now."
                ),
                N_(
                    "aws.iam.detach_user_policy(UserName=NAME, PolicyArn=...) for an attached "
                    "policy, aws.iam.delete_user_policy(UserName=NAME, PolicyName=...) for an "
                    "inline one."
                ),
            ),
        },
        done=N_(
            "a second person signs in to the console with a password and MFA, and has no "
            "access key and no policy of their own."
        ),
        tags=("iam", "mfa", "cis-1.9", "cis-1.10"),
    ),
)
