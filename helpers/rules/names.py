"""IAM user, group and virtual MFA device names.

AWS: 1-64 (users) or 1-128 (groups) characters of upper and lower case letters, digits and
``_+=,.@-``; unique in the account regardless of letter case.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
A virtual MFA device's name: 1-226 characters of the same set, no two devices with one name
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html).
"""

from __future__ import annotations

import re

from helpers.i18n import N_

from . import Say, as_written

NAME_PATTERN = re.compile(r"[\w+=,.@-]+", re.ASCII)
MAX_LENGTH = {"user": 64, "group": 128}
RULE = N_("letters, digits and _+=,.@- only")
EMPTY = {
    "user": N_("A user name needs at least 1 character."),
    "group": N_("A group name needs at least 1 character."),
}
TOO_LONG = {
    "user": N_("A user name has at most {longest} characters (this one has {length})."),
    "group": N_("A group name has at most {longest} characters (this one has {length})."),
}
DEVICE_NAME_MAX_LENGTH = 226


def name_problems(
    name: str, kind: str = "user", existing: list[str] | None = None, say: Say = as_written
) -> list[str]:
    """What is wrong with ``name`` as an IAM ``kind`` ("user" or "group") name."""
    problems = []
    longest = MAX_LENGTH[kind]
    if not name:
        problems.append(say(EMPTY[kind]))
    elif len(name) > longest:
        problems.append(say(TOO_LONG[kind]).format(longest=longest, length=len(name)))
    if name and not NAME_PATTERN.fullmatch(name):
        bad = sorted({c for c in name if not NAME_PATTERN.fullmatch(c)})
        shown = " ".join(say(N_("space")) if c == " " else c for c in bad)
        problems.append(
            say(N_("Only letters, digits and _+=,.@- are allowed; not: {shown}.")).format(
                shown=shown
            )
        )
    for other in existing or []:
        if other.lower() == name.lower():
            problems.append(
                say(
                    N_(
                        "{other} already exists; IAM names are unique regardless of "
                        "upper/lower case."
                    )
                ).format(other=repr(other))
            )
            break
    return problems


def device_name_problems(
    name: str, existing: list[str] | None = None, say: Say = as_written
) -> list[str]:
    """What is wrong with ``name`` as a virtual MFA device's name."""
    problems = []
    if not name:
        problems.append(say(N_("A device name needs at least 1 character.")))
    elif len(name) > DEVICE_NAME_MAX_LENGTH:
        problems.append(
            say(
                N_("A device name has at most {longest} characters (this one has {length}).")
            ).format(longest=DEVICE_NAME_MAX_LENGTH, length=len(name))
        )
    if name and not NAME_PATTERN.fullmatch(name):
        problems.append(say(N_("Only letters, digits and _+=,.@- are allowed.")))
    if name in (existing or []):
        problems.append(say(N_("A device named {name} already exists.")).format(name=repr(name)))
    return problems
