"""Lesson 06's "Your turn": a second person signs in to the console with MFA.

The check reads what AWS records: who has a console password (``get_login_profile``), who has
an MFA device and since when (``list_mfa_devices``), and when each user's password was last
used to sign in (``PasswordLastUsed`` in ``list_users``, as the console's sign-in page leaves
it). A sign-in after the device was enabled had to give a code: AWS asks every user with an
MFA device for one.
"""

from __future__ import annotations

from typing import Any

from helpers import defaults
from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _
from helpers.iam import login

# How far a person got, from nothing to done; the check reports the furthest.
_STAGES = ("start", "no-mfa", "not-signed-in", "done")


def _progress(iam: Any, user: dict) -> tuple[str, str]:
    name = user["UserName"]
    if not login.has_console_password(iam, name):  # aws iam get-login-profile
        return "start", ""
    # aws iam list-mfa-devices --user-name NAME
    devices = iam.list_mfa_devices(UserName=name)["MFADevices"]
    if not devices:
        return "no-mfa", _("{name} has a console password but no MFA device.").format(name=name)
    enabled = min(device["EnableDate"] for device in devices)
    last_used = user.get("PasswordLastUsed")
    if last_used is None or last_used < enabled:
        return "not-signed-in", _(
            "{name} has not signed in since the MFA device was enabled."
        ).format(name=name)
    return "done", name


def inspect(aws: Any) -> Attempt:
    best = ("start", "")
    # aws iam list-users   (its PasswordLastUsed is the last console sign-in)
    for user in aws.iam.list_users()["Users"]:
        if user["UserName"] == defaults.USER_NAME:
            continue  # alice signed in during the lesson: the task is about someone else
        found = _progress(aws.iam, user)
        if _STAGES.index(found[0]) > _STAGES.index(best[0]):
            best = found
    stage, detail = best
    return Attempt(stage == "done", stage, "" if stage == "done" else detail)


EXERCISE = Exercise(
    key="06-second-person",
    lesson=6,
    title=N_("A second person signs in with MFA"),
    inspect=inspect,
    hints={
        "start": (
            N_("Nobody but alice has a console password yet: give a person of your choice one."),
            N_(
                "Create a user (or use one from an earlier lesson) and give them a console "
                "password that meets the account's password policy (aws iam create-login-profile)."
            ),
            N_(
                "The folded solution below makes carol: a user, a password, an MFA device on the "
                "phone, then a sign-in with a code."
            ),
        ),
        "no-mfa": (
            N_("Without MFA a stolen password is enough: give this person an MFA device first."),
            N_(
                "Create a virtual MFA device, scan its QR code with the phone and enable it with "
                "two codes in a row, as lesson 03 did for alice; the folded solution below does it "
                "in one call."
            ),
        ),
        "not-signed-in": (
            N_("All set: now sign in as this person, with a code from their entry on the phone."),
            N_(
                "In the sign-in form above, type their user name and password, click Copy code on "
                "their phone entry, then Sign in (or aws.console.sign_in in code)."
            ),
        ),
    },
    done=N_(
        "a second person signed in to the console after their MFA device was enabled, so "
        "with a code from the phone."
    ),
)

EXERCISES = (EXERCISE,)
