"""Lesson 05 (password policy): the form's action and a plain-text read-out of the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from helpers import defaults
from helpers.forms import PolicyForm
from helpers.forms.policy_form import summarize
from helpers.i18n import _
from helpers.iam import login, password_policy
from helpers.lessons.outcome import Outcome, kept
from helpers.rules.passwords import cis_checks

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = ("console.password_policy", "cis.1.7", "cis.1.8")

# Optional settings: left out of update_account_password_policy, AWS turns them off.
_OPTIONAL = ("MaxPasswordAge", "PasswordReusePrevention")


def same_policy(current: dict | None, wanted: dict) -> bool:
    """Whether the account's policy (``get_account_password_policy``'s answer) already is
    ``wanted`` (``update_account_password_policy`` keyword arguments)."""
    if current is None:
        return False
    for key, value in wanted.items():
        if key == "HardExpiry" and "MaxPasswordAge" not in wanted:
            continue  # without expiry, hard expiry means nothing
        if current.get(key, False if isinstance(value, bool) else None) != value:
            return False
    return all(key in wanted or not current.get(key) for key in _OPTIONAL)


def apply_policy(iam: Any, policy: dict | None) -> Outcome:
    """What the form's button, the code cell and the catch-up do: set the policy unless it is
    already exactly that one. ``None``: AWS's default, that is no custom policy at all."""
    current = password_policy.get_password_policy(iam)
    if policy is None:
        if current is None:
            return kept(_("The account has no custom policy: AWS's default already applies."))
        # aws iam delete-account-password-policy
        password_policy.delete_password_policy(iam)
        return Outcome(_("The custom policy is removed: AWS's default password policy applies."))
    if same_policy(current, policy):
        return kept(_("The account already has exactly this password policy: nothing changed."))
    # aws iam update-account-password-policy --minimum-password-length 14 \
    #     --require-uppercase-characters --require-lowercase-characters --require-numbers \
    #     --require-symbols --allow-users-to-change-password --password-reuse-prevention 24
    password_policy.update_password_policy(iam, **policy)
    return Outcome(_("The password policy is applied."))


def policy_form(aws: Any) -> PolicyForm:
    """The lesson's form, starting from the CIS preset."""
    # no keyword arguments: the form's "AWS default", no custom policy
    return PolicyForm(action=lambda **policy: apply_policy(aws.iam, policy or None)).plan_first(aws)


def describe_policy(iam: Any) -> str:
    """The account's policy in plain sentences, with the two CIS checks on it."""
    current = password_policy.get_password_policy(iam)
    if current is None:
        return _("No password policy: AWS's default rules apply (8+ characters, 3 of 4 kinds).")
    lines = summarize(current)
    lines += [f"{'✓' if kept else '✗'} {text}" for text, kept in cis_checks(current, say=_)]
    return "\n".join(lines)


def put_password_back(aws: Any, user_name: str = defaults.USER_NAME) -> str:
    """Set the user's console password back to the one in its credentials CSV (after a trial
    password was accepted by a weak policy), so the sign-in of lesson 06 still works."""
    saved = login.load_credentials_csv(user_name)
    if not saved:
        return _("No credentials file for {user}: run lesson 03 to make one.").format(
            user=user_name
        )
    login.set_console_password(aws.iam, user_name, saved["Password"])
    return _("Put {user}'s password from the credentials file back.").format(user=user_name)


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
