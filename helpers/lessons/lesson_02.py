"""Lesson 02 (root MFA): when to skip, and what the "Assign MFA" button runs: the same console
action as the notebook's code cell."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers.forms.layout import note

if TYPE_CHECKING:
    from helpers.status import Report

REAL_ACCOUNT = (
    "This notebook is connected to a real AWS account. There, the root user's MFA is turned "
    "on only in the AWS console (signed in as root: account menu → Security credentials → "
    "Assign MFA device). Do it there with your real phone, then come back: the checklist "
    "below reads the account and shows the result."
)
ITEMS = ("console.root_mfa", "cis.1.4")


def root_mfa_done(aws: Any) -> bool:
    """True (and says why) when there is nothing to start: root already has MFA, or this is a
    real account, where only the console can do it."""
    if aws.console is None:
        print(REAL_ACCOUNT)
        return True
    status = aws.console.root_status()
    if status["MFAEnabled"]:
        serial = status["MFADevices"][0]
        print(f"Root already has an MFA device ({serial}): nothing to start. (In the sandbox,")
        print("aws.console.deactivate_root_mfa() removes it, if you want to practise again.)")
        return True
    return False


def waiting(aws: Any, device: dict | None) -> bool:
    """Whether ``device`` still waits for its two codes (root has no MFA yet)."""
    return device is not None and not aws.console.root_status()["MFAEnabled"]


def enable_action(
    aws: Any, device: dict | None, then: Callable[[], Any] | None = None
) -> Callable[[str, str], str]:
    """What the CodeEntry's "Assign MFA" runs: ``enable_root_mfa`` with the two typed codes
    (a refusal is shown by the form as the friendly box), then ``then()`` (the checklist's
    refresh), so a learner clicking sees the checklist change."""

    def enable(code1: str, code2: str) -> str | widgets.HTML:
        if device is None:
            return note("No device is waiting for codes: root already has MFA (see above).")
        if not waiting(aws, device):
            return note("Root already has MFA (an earlier click or the code cell did it).")
        aws.console.enable_root_mfa(device["SerialNumber"], code1, code2)
        if then is not None:
            then()
        return "MFA is on for root: from now on, signing in as root asks for a code."

    return enable


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
