"""Putting an MFA device on root or an IAM user with the virtual phone, as a person would:
show the QR code, scan it with the phone, type two consecutive codes. Used by the lessons'
Run All path and by the catch-up step."""

from __future__ import annotations

from typing import Any

from helpers.authenticator import Account, AuthenticatorError, Phone
from helpers.iam import mfa


def device_name_of(serial_number: str) -> str:
    """``arn:aws:iam::123456789012:mfa/alice`` -> ``alice``."""
    return serial_number.rsplit(":mfa/", 1)[-1]


def phone_account_for(phone: Phone, device_name: str) -> Account | None:
    """The phone's entry for an AWS MFA device (its label is ``DEVICE@ALIAS_OR_ACCOUNT``)."""
    for account in phone.accounts():
        if account.issuer == "Amazon Web Services" and account.label.startswith(f"{device_name}@"):
            return account
    return None


def scan_and_read(phone: Phone, qr_png: bytes) -> tuple[Account, str, str]:
    """Scan the QR code with the phone; the entry and the two codes a person would read."""
    added = phone.scan_qr(qr_png)
    account = phone.find(f"{added.issuer}:{added.label}")
    code1, code2 = account.two_consecutive_codes()
    return account, code1, code2


def assign_root_mfa(console: Any, phone: Phone, device_name: str) -> str:
    """Root MFA through the sandbox console: QR -> phone -> two codes. Returns the serial."""
    device = console.start_root_mfa(device_name)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    console.enable_root_mfa(device["SerialNumber"], code1, code2)
    return device["SerialNumber"]


def assign_user_mfa(iam: Any, phone: Phone, user_name: str) -> str:
    """A virtual MFA device for an IAM user, named after the user. Returns the serial."""
    device = mfa.create_virtual_mfa_device(iam, user_name)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    mfa.enable_mfa_device(iam, user_name, device["SerialNumber"], code1, code2)
    return device["SerialNumber"]


def remove_user_mfa(iam: Any, user_name: str) -> None:
    """What an administrator does for a user who lost their phone: unassign and delete."""
    for serial in mfa.mfa_serials(iam, user_name):
        iam.deactivate_mfa_device(UserName=user_name, SerialNumber=serial)
        if ":mfa/" in serial:
            try:
                iam.delete_virtual_mfa_device(SerialNumber=serial)
            except iam.exceptions.NoSuchEntityException:
                pass


__all__ = [
    "AuthenticatorError",
    "assign_root_mfa",
    "assign_user_mfa",
    "device_name_of",
    "phone_account_for",
    "remove_user_mfa",
    "scan_and_read",
]
