"""IAM user, group and virtual MFA device names.

AWS: 1-64 (users) or 1-128 (groups) characters of upper and lower case letters, digits and
``_+=,.@-``; unique in the account regardless of letter case.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
A virtual MFA device's name: 1-226 characters of the same set, no two devices with one name
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html).
"""

from __future__ import annotations

import re

NAME_PATTERN = re.compile(r"[\w+=,.@-]+", re.ASCII)
MAX_LENGTH = {"user": 64, "group": 128}
RULE = "letters, digits and _+=,.@- only"
DEVICE_NAME_MAX_LENGTH = 226


def name_problems(name: str, kind: str = "user", existing: list[str] | None = None) -> list[str]:
    """What is wrong with ``name`` as an IAM ``kind`` ("user" or "group") name."""
    problems = []
    longest = MAX_LENGTH[kind]
    if not name:
        problems.append(f"A {kind} name needs at least 1 character.")
    elif len(name) > longest:
        problems.append(
            f"A {kind} name has at most {longest} characters (this one has {len(name)})."
        )
    if name and not NAME_PATTERN.fullmatch(name):
        bad = sorted({c for c in name if not NAME_PATTERN.fullmatch(c)})
        shown = " ".join("space" if c == " " else c for c in bad)
        problems.append(f"Only {RULE} are allowed; not: {shown}.")
    for other in existing or []:
        if other.lower() == name.lower():
            problems.append(
                f"{other!r} already exists; IAM names are unique regardless of upper/lower case."
            )
            break
    return problems


def device_name_problems(name: str, existing: list[str] | None = None) -> list[str]:
    """What is wrong with ``name`` as a virtual MFA device's name."""
    problems = []
    if not name:
        problems.append("A device name needs at least 1 character.")
    elif len(name) > DEVICE_NAME_MAX_LENGTH:
        problems.append(
            f"A device name has at most {DEVICE_NAME_MAX_LENGTH} characters "
            f"(this one has {len(name)})."
        )
    if name and not NAME_PATTERN.fullmatch(name):
        problems.append(f"Only {RULE} are allowed.")
    if name in (existing or []):
        problems.append(f"A device named {name!r} already exists.")
    return problems
