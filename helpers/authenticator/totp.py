"""Time-based one-time passwords (RFC 6238) as AWS virtual MFA uses them: SHA-1, 6 digits, 30 s."""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from datetime import datetime

import pyotp

from helpers.i18n import _

from .errors import AuthenticatorError

DIGITS = 6
PERIOD = 30
ALGORITHM = "SHA1"
MIN_KEY_CHARS = 16  # 80 bits: some services still issue 16-character keys

Moment = float | int | datetime | None


def normalize_secret(secret: str) -> str:
    """The base32 setup key as apps store it: upper case, no spaces, dashes or ``=`` padding.

    Raises AuthenticatorError (without echoing the key) if it is not a usable base32 key.
    """
    if not isinstance(secret, str):
        raise AuthenticatorError(_("The setup key must be text (letters A-Z and digits 2-7)."))
    cleaned = "".join(secret.split()).replace("-", "").upper().rstrip("=")
    if not cleaned:
        raise AuthenticatorError(
            _("The setup key is empty: copy the key shown next to the QR code.")
        )
    if any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in cleaned):
        raise AuthenticatorError(
            _(
                "The setup key can only contain letters A-Z and digits 2-7 (base32); "
                "check for a mistyped 0/O, 1/I or 8/B."
            )
        )
    if len(cleaned) < MIN_KEY_CHARS:
        raise AuthenticatorError(
            _(
                "The setup key is too short ({length} characters, at least {minimum}): "
                "did you copy all of it?"
            ).format(length=len(cleaned), minimum=MIN_KEY_CHARS)
        )
    try:
        base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error:
        raise AuthenticatorError(
            _(
                "The setup key has a length that base32 does not allow: a character is missing "
                "or one too many."
            )
        ) from None
    return cleaned


def mask_secret(secret: str) -> str:
    """At most the first four characters of a setup key, to show that one is there."""
    return f"{secret[:4]}…" if secret else ""


def format_code(code: str) -> str:
    """A 6-digit code grouped the way apps show it: ``"123 456"``."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def _timestamp(now: Moment) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


def current_code(secret: str, now: Moment = None) -> str:
    """The code shown at ``now`` (Unix seconds or a datetime; default: the current time)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).at(int(_timestamp(now)))


def seconds_remaining(now: Moment = None) -> int:
    """Seconds until the code changes (1 to 30)."""
    return PERIOD - int(_timestamp(now)) % PERIOD


def two_consecutive_codes(secret: str, now: Moment = None) -> tuple[str, str]:
    """The code a person reads now and the one they would read 30 s later, without waiting.

    AWS asks for two consecutive codes when it turns on a virtual MFA device.
    """
    t = _timestamp(now)
    return current_code(secret, t), current_code(secret, t + PERIOD)


@dataclass(frozen=True)
class Account:
    """One entry in an authenticator app. ``label`` is the account name without the issuer.

    The repr masks the secret (the base32 setup key), so printing an Account never reveals it.
    """

    issuer: str
    label: str
    secret: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "secret", normalize_secret(self.secret))
        object.__setattr__(self, "issuer", self.issuer.strip())
        label = self.label.strip()
        if self.issuer and label.startswith(f"{self.issuer}:"):
            label = label[len(self.issuer) + 1 :].strip()
        object.__setattr__(self, "label", label)
        if not self.issuer and not self.label:
            raise AuthenticatorError(
                _("Give the account a name (issuer or label) to tell it apart.")
            )

    def __repr__(self) -> str:
        masked = mask_secret(self.secret)
        return f"Account(issuer={self.issuer!r}, label={self.label!r}, secret={masked!r})"

    @property
    def name(self) -> str:
        """``"issuer:label"``, how the account is told apart from others."""
        return f"{self.issuer}:{self.label}"

    def code(self, now: Moment = None) -> str:
        """The code this account shows at ``now``."""
        return current_code(self.secret, now)

    def two_consecutive_codes(self, now: Moment = None) -> tuple[str, str]:
        """This account's code now and 30 s later."""
        return two_consecutive_codes(self.secret, now)


def account_from_key(issuer: str, label: str, key: str) -> Account:
    """An account typed in by hand, as with "Enter key manually" (spaces, lower case are fine)."""
    return Account(issuer=issuer, label=label, secret=key)
