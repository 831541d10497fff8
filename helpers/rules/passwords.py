"""IAM user passwords and the account's password policy: AWS's rules, the CIS thresholds and
the policy's one-line summary, in one place (the forms, the checklist, lessons 05 and 07 and the
sandbox read them from here).

AWS's default (no policy set): 8-128 characters, at least three of upper case, lower case,
digits and symbols, not identical to the AWS account name or email address.
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
A custom policy has only the options it lists (length, the four kinds of characters, expiry,
reuse prevention, hard expiry): no name rule. The sandbox account has no name or email, so the
user name stands for them, and only under the default policy (``name_rule_applies``). The
forms and the sandbox (``helpers/sandbox/layer/passwords.py``) both follow this module.

The texts here are English unless the caller says otherwise: each function that words a rule
takes ``say``, the translation to apply (``helpers.i18n._`` at a learner-facing call site; the
default leaves the English as it is). They are marked with ``N_()`` for the catalogue.
"""

from __future__ import annotations

import re
import secrets
import string

from helpers.i18n import N_

from . import Say, as_written

SYMBOLS = "!@#$%^&*()_+-=[]{}|'"
# The API's Password parameter: tab, new line, carriage return and U+0020-U+00FF (Latin-1)
# (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html).
PASSWORD_CHARS = re.compile(r"[\t\n\r\x20-\xff]+")
PASSWORD_CHARS_TEXT = r"[\u0009\u000A\u000D\u0020-\u00FF]+"
MAX_LENGTH = 128
DEFAULT_MIN_LENGTH = 8
CLASSES = {
    "RequireUppercaseCharacters": (N_("upper-case letter (A-Z)"), string.ascii_uppercase),
    "RequireLowercaseCharacters": (N_("lower-case letter (a-z)"), string.ascii_lowercase),
    "RequireNumbers": (N_("digit (0-9)"), string.digits),
    "RequireSymbols": (N_("symbol ({symbols})"), SYMBOLS),
}
SHORT_CLASS_LABELS = {
    "RequireUppercaseCharacters": "A-Z",
    "RequireLowercaseCharacters": "a-z",
    "RequireNumbers": "0-9",
    "RequireSymbols": N_("symbols"),
}

# AWS's bounds for UpdateAccountPasswordPolicy's numbers.
POLICY_BOUNDS = {
    "MinimumPasswordLength": (6, 128),
    "MaxPasswordAge": (1, 1095),
    "PasswordReusePrevention": (1, 24),
}

# The CIS AWS Foundations Benchmark v5.0's password controls 1.7 and 1.8 (Prowler:
# iam_password_policy_minimum_length_14, iam_password_policy_reuse_24).
CIS_MIN_LENGTH = 14
CIS_REUSE = 24

# The rules a password is checked against, by id (``broken_rules`` returns these).
MIN_LENGTH_RULE = "min_length"
MAX_LENGTH_RULE = "max_length"
CHARACTERS_RULE = "latin1_characters"
THREE_KINDS_RULE = "three_kinds"
USER_NAME_RULE = "not_user_name"


def name_rule_applies(policy: object | None) -> bool:
    """Whether a password identical to the name is refused: only under AWS's default policy,
    that is when the account has no password policy of its own."""
    return policy is None or policy == {}


def is_identical_to_name(password: str, user_name: str | None, policy: object | None) -> bool:
    """The default policy's "not identical to your AWS account name or email address", with the
    user name standing for the account's name (see the module's docstring)."""
    return name_rule_applies(policy) and bool(user_name) and password == user_name


def min_length(policy: dict | None) -> int:
    """The policy's minimum length (AWS's default 8 without a policy)."""
    return (policy or {}).get("MinimumPasswordLength", DEFAULT_MIN_LENGTH)


def rules_for(policy: dict | None, user_name: str | None = None) -> list[str]:
    """The ids of the rules a password must follow, in the order a form lists them."""
    rules = [MIN_LENGTH_RULE]
    if policy:
        rules += [key for key in CLASSES if policy.get(key)]
    else:
        rules.append(THREE_KINDS_RULE)
    if user_name and name_rule_applies(policy):
        rules.append(USER_NAME_RULE)
    return rules


def _kinds(password: str) -> set[str]:
    return {key for key, (_, chars) in CLASSES.items() if any(c in chars for c in password)}


def broken_rules(password: str, policy: dict | None, user_name: str | None = None) -> list[str]:
    """The ids of the rules ``password`` breaks. ``policy`` is ``get_account_password_policy()``'s
    ``PasswordPolicy`` (or None when the account has none: AWS's default rules apply)."""
    broken = []
    if len(password) < min_length(policy):
        broken.append(MIN_LENGTH_RULE)
    if len(password) > MAX_LENGTH:
        broken.append(MAX_LENGTH_RULE)
    if password and not PASSWORD_CHARS.fullmatch(password):
        broken.append(CHARACTERS_RULE)
    present = _kinds(password)
    if policy:
        broken += [key for key in CLASSES if policy.get(key) and key not in present]
    elif len(present) < 3:
        broken.append(THREE_KINDS_RULE)
    if is_identical_to_name(password, user_name, policy):
        broken.append(USER_NAME_RULE)
    return broken


def class_label(rule: str, say: Say = as_written) -> str:
    """``upper-case letter (A-Z)``: the kind of character a ``Require...`` setting asks for."""
    return say(CLASSES[rule][0]).format(symbols=SYMBOLS)


def rule_text(
    rule: str, policy: dict | None, password: str | None = None, say: Say = as_written
) -> str:
    """The rule in words; given the ``password`` that breaks it, with what it lacks."""
    if rule == MIN_LENGTH_RULE:
        if password is None:
            return say(N_("At least {minimum} characters.")).format(minimum=min_length(policy))
        return say(N_("At least {minimum} characters (this one has {length}).")).format(
            minimum=min_length(policy), length=len(password)
        )
    if rule == MAX_LENGTH_RULE:
        return say(N_("At most {maximum} characters.")).format(maximum=MAX_LENGTH)
    if rule == CHARACTERS_RULE:
        return say(
            N_(
                "Only Latin-1 characters (letters, digits, symbols, spaces; no emoji or other "
                "scripts)."
            )
        )
    if rule == THREE_KINDS_RULE:
        if password is None:
            return say(
                N_("At least three of: upper-case letters, lower-case letters, digits, symbols.")
            )
        return say(
            N_(
                "At least three of: upper-case letters, lower-case letters, digits, symbols "
                "(this one has {count})."
            )
        ).format(count=len(_kinds(password)))
    if rule == USER_NAME_RULE:
        return say(N_("Not the same as the user name."))
    return say(N_("At least one {kind}.")).format(kind=class_label(rule, say))


def password_problems(
    password: str, policy: dict | None, user_name: str | None = None, say: Say = as_written
) -> list[str]:
    """The rules ``password`` breaks, in words (``broken_rules`` gives their ids)."""
    return [
        rule_text(rule, policy, password, say) for rule in broken_rules(password, policy, user_name)
    ]


def generate_password(policy: dict | None, length: int = 20) -> str:
    """A random password that satisfies ``policy`` (and AWS's default), like the console's
    "Autogenerated password"."""
    length = max(length, policy.get("MinimumPasswordLength", 0) if policy else 0)
    alphabet = string.ascii_letters + string.digits + SYMBOLS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in chars for c in candidate) for _, chars in CLASSES.values()):
            return candidate


# --- the policy itself ------------------------------------------------------------------------


def meets_cis_length(policy: dict | None) -> bool:
    """CIS 1.7: a policy with a minimum length of ``CIS_MIN_LENGTH`` or more."""
    return policy is not None and (policy.get("MinimumPasswordLength") or 0) >= CIS_MIN_LENGTH


def meets_cis_reuse(policy: dict | None) -> bool:
    """CIS 1.8: a policy that remembers ``CIS_REUSE`` passwords (Prowler asks for exactly 24,
    AWS's maximum)."""
    return policy is not None and policy.get("PasswordReusePrevention") == CIS_REUSE


def cis_checks(policy: dict, say: Say = as_written) -> list[tuple[str, bool]]:
    """The two CIS checks on a policy as (text, kept), for the form and lesson 05."""
    length = policy.get("MinimumPasswordLength", DEFAULT_MIN_LENGTH)
    reuse = policy.get("PasswordReusePrevention", 0)
    return [
        (
            say(N_("CIS: minimum length {minimum} or more (now {length})")).format(
                minimum=CIS_MIN_LENGTH, length=length
            ),
            meets_cis_length(policy),
        ),
        (
            say(N_("CIS: prevent reuse of the last {count} (now {now})")).format(
                count=CIS_REUSE, now=reuse or say(N_("off"))
            ),
            meets_cis_reuse(policy),
        ),
    ]


def summary_parts(policy: dict, say: Say = as_written) -> list[str]:
    """The policy in short parts: ``14+ characters``, ``A-Z · a-z · 0-9 · symbols``,
    ``expire after 90 days``, ``no reuse of the last 24``."""
    kinds = [say(label) for key, label in SHORT_CLASS_LABELS.items() if policy.get(key)]
    parts = [say(N_("{minimum}+ characters")).format(minimum=min_length(policy))]
    if kinds:
        parts.append(" · ".join(kinds))
    if policy.get("MaxPasswordAge"):
        parts.append(say(N_("expire after {days} days")).format(days=policy["MaxPasswordAge"]))
    if policy.get("PasswordReusePrevention"):
        parts.append(
            say(N_("no reuse of the last {count}")).format(count=policy["PasswordReusePrevention"])
        )
    return parts


def summary_line(policy: dict | None, say: Say = as_written) -> str:
    """The policy in one line: ``14+ characters · A-Z · a-z · 0-9 · symbols · expire after 90
    days · no reuse of the last 24``; without a policy, AWS's default rules. ``say``: the
    translation (``helpers.i18n._`` where a learner reads it)."""
    if policy is None:
        return say(N_("none: AWS's default rules (8+ characters, 3 of 4 kinds)"))
    return " · ".join(summary_parts(policy, say))
