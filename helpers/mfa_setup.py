"""The virtual phone and AWS's MFA devices: which phone entry belongs to a device, scanning a
QR code and reading two codes as a person would, giving a user a device on the phone in one
go, and removing a lost phone's device. Used by lessons 02, 03, 04 and 06 and by the
catch-up."""

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


def give_user_mfa(iam: Any, phone: Phone, user_name: str) -> str | None:
    """A virtual MFA device for the user on the phone, all at once (lesson 03 shows each step
    for alice; lesson 04 does it for bob): create it, scan its QR code, enable it with two
    consecutive codes. None when the user already has a device the phone knows; a device
    whose phone entry is gone is removed first."""
    if mfa.mfa_serials(iam, user_name):
        if phone_account_for(phone, user_name) is not None:
            return None
        remove_user_mfa(iam, user_name)
    # aws iam create-virtual-mfa-device --virtual-mfa-device-name bob ...
    device = mfa.create_virtual_mfa_device(iam, user_name)
    _, code1, code2 = scan_and_read(phone, device["QRCodePNG"])
    # aws iam enable-mfa-device --user-name bob --serial-number ... --authentication-code1 ...
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
    "device_name_of",
    "give_user_mfa",
    "phone_account_for",
    "remove_user_mfa",
    "scan_and_read",
]
