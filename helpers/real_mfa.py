"""MFA for an IAM user with the learner's real phone (aws mode): show the QR code, read the two
codes the learner types. The seed is never stored: AWS's answer is kept in memory only as
the QR code, which is dropped (and cleared from the widget, so a saved notebook does not keep
it) once the device is enabled.

Unlike ``helpers.iam.mfa.create_virtual_mfa_device``, nothing here deletes a device left
unassigned by an earlier attempt: on a real account it may not be the tutorial's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from helpers.i18n import N_, _
from helpers.iam import mfa

REAL_PHONE_CAPTION = N_(
    "Scan this QR code with the authenticator app on your phone, then type two consecutive "
    "codes below. The code is shown once and never saved."
)


@dataclass
class PendingDevice:
    """A virtual MFA device made for ``user_name``, waiting for two codes."""

    user_name: str
    serial_number: str
    qr_png: bytes = field(repr=False)  # holds the seed: memory only

    def forget_qr(self) -> None:
        self.qr_png = b""


def start_real_mfa(iam: Any, user_name: str) -> PendingDevice:
    """Create the user's virtual MFA device (named after the user) and keep its QR code."""
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=user_name)["VirtualMFADevice"]
    return PendingDevice(user_name, device["SerialNumber"], bytes(device["QRCodePNG"]))


def finish_real_mfa(iam: Any, pending: PendingDevice, code1: str, code2: str) -> str:
    """Enable the device with the two codes the learner read on their phone; the serial."""
    mfa.enable_mfa_device(iam, pending.user_name, pending.serial_number, code1, code2)
    pending.forget_qr()
    return pending.serial_number


def real_mfa_widget(aws: Any, user_name: str) -> widgets.VBox:
    """The QR code and the two code boxes; the QR code is cleared once MFA is on."""
    from helpers.forms.code_entry import CodeEntry
    from helpers.forms.qr_view import qr_image

    pending = start_real_mfa(aws.iam, user_name)
    qr = qr_image(pending.qr_png, caption=_(REAL_PHONE_CAPTION))

    def enable(code1: str, code2: str) -> str:
        serial = finish_real_mfa(aws.iam, pending, code1, code2)
        qr.image.value = b""
        return _("MFA is on for {user} ({serial}).").format(user=user_name, serial=serial)

    box = widgets.VBox([qr, CodeEntry(enable)])
    box.pending = pending
    return box
