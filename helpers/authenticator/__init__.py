"""A virtual authenticator app (like Authy) on a virtual phone, for the tutorial's MFA steps.

phone = open_phone()
phone.scan_qr(png_bytes)            # "+ Add Account" -> "Scan QR Code"
phone.two_consecutive_codes()       # Authentication Code 1 and 2
PhonePanel(phone, qr_source=..., copy_target=[code1_box, code2_box])   # on screen
"""

from .backup import backup, disable_backups, enable_backups, restore
from .errors import AuthenticatorError, PhoneLockedError
from .phone import Added, Phone, Reading, forget_phone, open_phone, phone_path
from .qr import account_from_qr, decode_qr, parse_otpauth
from .totp import (
    Account,
    account_from_key,
    current_code,
    format_code,
    mask_secret,
    normalize_secret,
    seconds_remaining,
    two_consecutive_codes,
)

_WIDGET_NAMES = ("PhonePanel", "fill_first_empty", "read_qr_source")


def __getattr__(name: str) -> object:
    # The widget pulls in ipywidgets; load it only when asked, so scripts start fast.
    if name in _WIDGET_NAMES:
        from . import widget

        return getattr(widget, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Account",
    "Added",
    "AuthenticatorError",
    "Phone",
    "PhoneLockedError",
    "PhonePanel",
    "Reading",
    "account_from_key",
    "account_from_qr",
    "backup",
    "current_code",
    "decode_qr",
    "disable_backups",
    "enable_backups",
    "fill_first_empty",
    "forget_phone",
    "format_code",
    "mask_secret",
    "normalize_secret",
    "open_phone",
    "parse_otpauth",
    "phone_path",
    "read_qr_source",
    "restore",
    "seconds_remaining",
    "two_consecutive_codes",
]
