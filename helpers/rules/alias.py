"""The account alias, which names the IAM users' sign-in link.

AWS: 3-63 characters, lower-case letters, digits and single hyphens, starting and ending with
a letter or digit (``^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$``).
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html
"""

from __future__ import annotations

import re

ALIAS_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


def alias_problems(alias: str) -> list[str]:
    problems = []
    if not 3 <= len(alias) <= 63:
        problems.append(f"An alias has 3 to 63 characters (this one has {len(alias)}).")
    if alias != alias.lower():
        problems.append("Use lower-case letters only (no capitals).")
    if re.search(r"[^a-zA-Z0-9-]", alias):
        problems.append("Only letters, digits and hyphens are allowed.")
    if alias.startswith("-") or alias.endswith("-"):
        problems.append("It must start and end with a letter or a digit, not a hyphen.")
    if "--" in alias:
        problems.append("Two hyphens in a row are not allowed.")
    if not problems and not ALIAS_PATTERN.fullmatch(alias):
        problems.append("It must match AWS's pattern ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$.")
    return problems


def sign_in_url(alias_or_account_id: str) -> str:
    """The IAM users sign-in link (the account-id link keeps working after an alias is set)."""
    return f"https://{alias_or_account_id}.signin.aws.amazon.com/console"
