"""Lesson 07 (wrap-up): why some CIS checks still fail after the tutorial, and what to do.

The account's picture is ``helpers.status.diagram`` (drawn from the checklist's snapshot); the
clean-up is ``helpers.cleanup.clean_up`` and its panel ``helpers.forms.cleanup_panel``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from helpers import defaults

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
        "Root's MFA is the phone app: a virtual device. This control (CIS Level 2) wants a "
        "hardware device on root.",
        "On a real account, add a FIDO2 security key or a hardware TOTP token to root "
        "(root can have up to 8 MFA devices).",
    ),
    "1.6": (
        "Every notebook talks to IAM as root, the way the article worked in the console, so "
        "root was used today.",
        "Work as your IAM user from now on. On AWS the check passes once root has been left "
        "alone for a day.",
    ),
    "1.10": (
        f"{defaults.USER_NAME}'s access key was made during setup and has never been used.",
        "Lesson 06 uses it; better still, make a key only when a script needs one.",
    ),
    "1.15": (
        "AdministratorAccess allows every action on every resource (*:*); CIS fails it "
        "wherever it is attached (a user, a group or a role), however few people hold it.",
        "It passes only when no attached policy allows *:*: give groups narrower policies "
        "(PowerUserAccess, a job-function policy). Keeping a small admin group means "
        "accepting this failure knowingly.",
    ),
    "1.16": (
        "No role has the AWSSupportAccess policy.",
        "Create one support role so that incidents can go to AWS Support without full admin.",
    ),
}


def cis_explanation(report: Report) -> str:
    """The CIS summary, then each FAIL with why it fails here and what to do (plain text)."""
    lines = [report.cis_summary()]
    failing = [f for f in report.cis if f.status == "FAIL"]
    if failing:
        lines += ["", "Still failing, and why:"]
    for finding in failing:
        why, what = WHY_STILL_FAILING.get(finding.cis or "", (finding.reason, finding.advice))
        lines.append(f"✗ {finding.cis}  {finding.title}")
        lines.append(_wrap("why:  ", why))
        if what:
            lines.append(_wrap("next: ", what))
    manual = [f.cis for f in report.cis if f.status == "MANUAL"]
    if manual:
        lines += ["", f"To check by hand (no IAM call decides them): {', '.join(map(str, manual))}"]
    return "\n".join(lines)


def _wrap(label: str, text: str, width: int = 88) -> str:
    indent = " " * 6
    return textwrap.fill(
        text,
        width,
        initial_indent=indent + label,
        subsequent_indent=indent + " " * len(label),
        break_on_hyphens=False,
    )


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
