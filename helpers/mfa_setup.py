"""The virtual phone and AWS's MFA devices: which phone entry belongs to a device, scanning a
QR code and reading two codes as a person would, and removing a lost phone's device. Used by
lessons 02, 03 and 06 and by the catch-up."""

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
    "device_name_of",
    "phone_account_for",
    "remove_user_mfa",
    "scan_and_read",
]
