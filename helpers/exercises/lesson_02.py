"""Lesson 02's "Your turn": a spare MFA device for root, kept on another phone.

AWS lets root (like any IAM user) register up to 8 MFA devices ("General steps for enabling
MFA devices", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable-overview.html),
so a lost phone does not lock the owner out. The check reads root's devices from the account
as any administrator can (``ListVirtualMFADevices``: root's devices are listed with the root
user's ARN), and the learner's phone's saved state: a spare whose key sits on the same phone
is lost with it.

In the sandbox this needs a sandbox that accepts a second device for root while root has MFA,
as AWS does.
"""

from __future__ import annotations

from typing import Any

from helpers.authenticator import AuthenticatorError, open_phone
from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _
from helpers.mfa_setup import device_name_of

KEY = "02-spare-device"
ISSUER = "Amazon Web Services"


def root_device_serials(iam: Any) -> list[str]:
    """The serial numbers of root's virtual MFA devices (``aws iam list-virtual-mfa-devices
    --assignment-status Assigned``: those whose user is the account's root)."""
    pages = iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Assigned")
    return [
        device["SerialNumber"]
        for device in pages.build_full_result()["VirtualMFADevices"]
        if device.get("User", {}).get("Arn", "").endswith(":root")
    ]


def _on_the_phone(device_names: list[str]) -> list[str]:
    """Which of these devices the learner's phone holds (read from its file, locked or not)."""
    try:
        entries = open_phone()._load()["accounts"]  # a read of phone.json; it changes nothing
    except AuthenticatorError:
        return []
    return [
        name
        for name in device_names
        if any(e["issuer"] == ISSUER and e["label"].startswith(f"{name}@") for e in entries)
    ]


def inspect(aws: Any) -> Attempt:
    """How many devices root has, and whether the learner's phone holds more than one."""
    names = [device_name_of(serial) for serial in root_device_serials(aws.iam)]
    if not names:
        return Attempt(passed=False, stage="no-mfa")
    if len(names) == 1:
        return Attempt(passed=False, stage="start")
    held = _on_the_phone(names)
    if len(held) > 1:
        return Attempt(
            passed=False,
            stage="same-phone",
            detail=_("Your phone holds root's devices {devices}.").format(devices=", ".join(held)),
        )
    return Attempt(passed=True, stage="done", detail=", ".join(names))


EXERCISES = (
    Exercise(
        key=KEY,
        lesson=2,
        title=N_("A spare MFA device for root"),
        inspect=inspect,
        hints={
            "start": (
                N_("Root has one MFA device. Register a second one, as a spare, on another phone."),
                N_(
                    "The same console steps as this lesson (Assign MFA device, a name of your "
                    "choice, Show QR code, two codes), scanned with a second phone: "
                    "helpers.authenticator.open_phone(PATH) opens one kept in another file."
                ),
                N_(
                    "aws.console.start_root_mfa(NAME), spare_phone.scan_qr(...), two codes from "
                    "the spare phone, aws.console.enable_root_mfa(...): the folded solution below."
                ),
            ),
            "same-phone": (
                N_(
                    "A spare on the phone in your pocket is lost together with it. The spare's key "
                    "must live on another phone."
                ),
                N_(
                    "The QR code is shown only once, so remove that device from root "
                    "(aws.console.deactivate_root_mfa(SERIAL)) and its entry from your phone "
                    "(phone.remove(...)), then assign a new spare scanned with a second phone."
                ),
            ),
            "no-mfa": (
                N_(
                    "Root has no MFA device at all: do this lesson's steps first (or run the "
                    "catch-up cell at the top), then add the spare."
                ),
            ),
        },
        done=N_(
            "root has a spare MFA device, and its key is not on the phone that holds the first one."
        ),
        tags=("root", "mfa"),
    ),
)
