"""Lesson 07 (wrap-up): why some CIS checks still fail after the tutorial, and what to do.

The account's picture is ``helpers.status.diagram`` (drawn from the checklist's snapshot); the
clean-up is ``helpers.cleanup.clean_up`` and its panel ``helpers.forms.cleanup_panel``."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from typing import TYPE_CHECKING

from helpers import defaults
from helpers.i18n import N_, _

if TYPE_CHECKING:
    from helpers.status import Report

ITEMS = (
    "console.root_access_keys",
    "console.root_mfa",
    "console.iam_users",
    "console.groups",
    "console.password_policy",
)

# --- the CIS controls that still fail after the tutorial, and why (docs/status.md) -----------

WHY_STILL_FAILING = {
    "1.5": (
        N_(
            "Root's MFA is the phone app: a virtual device. This control (CIS Level 2) wants a "
            "hardware device on root."
        ),
        N_(
            "On a real account, add a FIDO2 security key or a hardware TOTP token to root "
            "(root can have up to 8 MFA devices)."
        ),
    ),
    "1.6": (
        N_(
            "Every notebook talks to IAM as root, the way the article worked in the console, so "
            "root was used today."
        ),
        N_(
            "Work as your IAM user from now on. On AWS the check passes once root has been left "
            "alone for a day."
        ),
    ),
    "1.10": (
        N_("{user}'s access key was made during setup and has never been used."),
        N_("Lesson 06 uses it; better still, make a key only when a script needs one."),
    ),
    "1.15": (
        N_(
            "AdministratorAccess allows every action on every resource (*:*); CIS fails it "
            "wherever it is attached (a user, a group or a role), however few people hold it."
        ),
        N_(
            "It passes only when no attached policy allows *:*: give groups narrower policies "
            "(PowerUserAccess, a job-function policy). Keeping a small admin group means "
            "accepting this failure knowingly."
        ),
    ),
    "1.16": (
        N_("No role has the AWSSupportAccess policy."),
        N_("Create one support role so that incidents can go to AWS Support without full admin."),
    ),
}


def cis_explanation(report: Report) -> str:
    """The CIS summary, then each FAIL with why it fails here and what to do (plain text)."""
    lines = [report.cis_summary()]
    failing = [f for f in report.cis if f.status == "FAIL"]
    if failing:
        lines += ["", _("Still failing, and why:")]
    for finding in failing:
        known = WHY_STILL_FAILING.get(finding.cis or "")
        if known:  # the texts above, in the learner's language
            why, what = (_(text).format(user=defaults.USER_NAME) for text in known)
        else:  # the check's own texts, translated already
            why, what = finding.reason, finding.advice
        lines.append(f"✗ {finding.cis}  {finding.title}")
        lines.append(_wrap(_("why:  "), why))
        if what:
            lines.append(_wrap(_("next: "), what))
    manual = [f.cis for f in report.cis if f.status == "MANUAL"]
    if manual:
        lines += [
            "",
            _("To check by hand (no IAM call decides them): {controls}").format(
                controls=", ".join(map(str, manual))
            ),
        ]
    return "\n".join(lines)


def _wrap(label: str, text: str, width: int = 88) -> str:
    indent = " " * 6
    first, rest = indent + label, indent + " " * _columns(label)
    if _columns(text) > len(text):  # Japanese: no spaces between words, two columns a character
        return _wrap_wide(text, width, first, rest)
    return textwrap.fill(
        text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


# Japanese line breaking: a line may end after any wide character, but not before closing
# punctuation, and never inside a run of ASCII (a name, an ARN, *:*).
_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.")
_NO_LINE_START = "、。，．）」』)]}!?！？:：ーぁぃぅぇぉっゃゅょァィゥェォッャュョ"


def _wrap_wide(text: str, width: int, first: str, rest: str) -> str:
    lines, line = [], first
    for token in _TOKENS.findall(text):
        fits = _columns(line + token) <= width or token[0] in _NO_LINE_START
        if fits or not line.strip():
            line += token
        elif not token.isspace():
            lines.append(line.rstrip())
            line = rest + token
    lines.append(line.rstrip())
    return "\n".join(lines)


def _columns(text: str) -> int:
    """How many columns ``text`` takes in a terminal (a wide character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
