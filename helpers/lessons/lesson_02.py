"""Lesson 02 (root MFA): when to skip, and what the "Assign MFA" button runs: the same console
action as the notebook's code cell."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers import defaults
from helpers.authenticator import Phone
from helpers.forms.layout import note
from helpers.mfa_setup import device_name_of, phone_account_for

if TYPE_CHECKING:
    from helpers.status import Report

REAL_ACCOUNT = (
    "This notebook is connected to a real AWS account. There, the root user's MFA is turned "
    "on only in the AWS console (signed in as root: account menu → Security credentials → "
    "Assign MFA device). Do it there with your real phone, then come back: the checklist "
    "below reads the account and shows the result."
)
ITEMS = ("console.root_mfa", "cis.1.4")


def start_root_mfa(aws: Any, phone: Phone) -> tuple[dict | None, str]:
    """The lesson's first step (the notebook's cell and the catch-up): a new virtual MFA device
    for root, waiting for two codes, and what happened. No device (None) when root already has
    one the phone knows, or on a real account, where only the console can do it. A device
    whose phone entry is gone is removed first, as after a lost phone."""
    if aws.console is None:
        return None, REAL_ACCOUNT
    status = aws.console.root_status()
    removed = ""
    if status["MFAEnabled"]:
        serial = status["MFADevices"][0]
        names = [device_name_of(serial) for serial in status["MFADevices"]]
        if any(phone_account_for(phone, name) for name in names):
            return None, (
                f"Root already has an MFA device ({serial}): nothing to start. (In the sandbox,\n"
                "aws.console.deactivate_root_mfa() removes it, if you want to practise again.)"
            )
        aws.console.deactivate_root_mfa()
        removed = (
            "Root had an MFA device the phone no longer knows: removed it, as after a lost "
            "phone. Now a new one.\n"
        )
    device = aws.console.start_root_mfa(defaults.ROOT_MFA_DEVICE_NAME)
    device.pop("Base32StringSeed", None)  # the secret behind the QR code: never shown
    return device, f"{removed}A new MFA device waits for two codes: {device['SerialNumber']}"


def waiting(aws: Any, device: dict | None) -> bool:
    """Whether ``device`` still waits for its two codes (root has no MFA yet)."""
    return device is not None and not aws.console.root_status()["MFAEnabled"]


def enable_root_mfa(
    aws: Any, device: dict, code1: str, code2: str, then: Callable[[], Any] | None = None
) -> str:
    """Turn the waiting device on with two consecutive codes (the console's "Add MFA"), then
    ``then()`` (the checklist's refresh). The button, the code cell and the catch-up call this."""
    aws.console.enable_root_mfa(device["SerialNumber"], code1, code2)
    if then is not None:
        then()
    return "MFA is on for root: from now on, signing in as root asks for a code."


def enable_action(
    aws: Any, device: dict | None, then: Callable[[], Any] | None = None
) -> Callable[[str, str], str | widgets.HTML]:
    """What the CodeEntry's "Assign MFA" runs: ``enable_root_mfa`` with the two typed codes
    (a refusal is shown by the form as the friendly box)."""

    def enable(code1: str, code2: str) -> str | widgets.HTML:
        if device is None:
            return note("No device is waiting for codes: root already has MFA (see above).")
        if not waiting(aws, device):
            return note("Root already has MFA (an earlier click or the code cell did it).")
        return enable_root_mfa(aws, device, code1, code2, then)

    return enable


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
