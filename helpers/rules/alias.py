"""The account alias, which names the IAM users' sign-in link.

AWS: 3-63 characters, lower-case letters, digits and single hyphens, starting and ending with
a letter or digit (``^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$``).
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html
"""

from __future__ import annotations

import re

from helpers.i18n import N_

from . import Say, as_written

ALIAS_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


def alias_problems(alias: str, say: Say = as_written) -> list[str]:
    problems = []
    if not 3 <= len(alias) <= 63:
        problems.append(
            say(N_("An alias has 3 to 63 characters (this one has {length}).")).format(
                length=len(alias)
            )
        )
    if alias != alias.lower():
        problems.append(say(N_("Use lower-case letters only (no capitals).")))
    if re.search(r"[^a-zA-Z0-9-]", alias):
        problems.append(say(N_("Only letters, digits and hyphens are allowed.")))
    if alias.startswith("-") or alias.endswith("-"):
        problems.append(say(N_("It must start and end with a letter or a digit, not a hyphen.")))
    if "--" in alias:
        problems.append(say(N_("Two hyphens in a row are not allowed.")))
    if not problems and not ALIAS_PATTERN.fullmatch(alias):
        problems.append(
            say(N_("It must match AWS's pattern {pattern}.")).format(pattern=ALIAS_PATTERN.pattern)
        )
    return problems


def sign_in_url(alias_or_account_id: str) -> str:
    """The IAM users sign-in link (the account-id link keeps working after an alias is set)."""
    return f"https://{alias_or_account_id}.signin.aws.amazon.com/console"
