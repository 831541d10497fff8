"""Checking TOTP codes the way AWS checks them (RFC 6238: SHA-1, 30 s steps, 6 digits).

AWS: ``EnableMFADevice`` and ``ResyncMFADevice`` take two *consecutive* codes of the device;
sign-in and ``GetSessionToken`` take one current code. Codes are exactly six digits
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html).
The sandbox allows one 30-second step of clock skew either way, and a wider window for resync.
"""

from __future__ import annotations

import re
import time

import pyotp

from helpers.sandbox.layer.wire import constraint, missing, validation_error

STEP_SECONDS = 30
SKEW_STEPS = 1
RESYNC_STEPS = 20  # AWS searches a wider window when resynchronising; ten minutes each way
# Clock drift of each device (by serial number) that ResyncMFADevice learnt, in steps.
DRIFT: dict[str, int] = {}
_SIX_DIGITS = re.compile(r"[0-9]{6}")  # ASCII digits only, as AWS's [\d]+


def device_now(serial: str) -> float:
    """Now, as the device's clock reads it (after a resync learnt its drift)."""
    return time.time() + DRIFT.get(serial, 0) * STEP_SECONDS


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(seed: str, step: int) -> str:
    return pyotp.TOTP(seed).at(step * STEP_SECONDS)


def is_code(code: str | None) -> bool:
    """Whether ``code`` looks like a TOTP code: exactly six digits."""
    return code is not None and _SIX_DIGITS.fullmatch(code) is not None


def require_code_format(parameter: str, code: str | None) -> str:
    """AWS's own validation of a code parameter: present and exactly six digits."""
    if code is None or code == "":
        raise validation_error([missing(parameter)])
    if not _SIX_DIGITS.fullmatch(code):
        # The same wording as the API's validation from botocore's model (validation.py):
        # the length first, then the pattern.
        if len(code) != 6:
            bound = "greater than or equal to" if len(code) < 6 else "less than or equal to"
            rule = f"have length {bound} 6"
        else:
            rule = "satisfy regular expression pattern: [\\d]+"
        raise validation_error([constraint(parameter, code, rule)])
    return code


def consecutive_step(
    seed: str, code1: str, code2: str, window: int = SKEW_STEPS, now: float | None = None
) -> int | None:
    """The step of ``code2`` when ``code1, code2`` are the device's codes of two consecutive steps
    and ``code2`` is within ``window`` steps of now; otherwise None."""
    here = current_step(now)
    for second in range(here - window, here + window + 1):
        if code_at(seed, second) == code2 and code_at(seed, second - 1) == code1:
            return second
    return None


def matching_step(
    seed: str, code: str, window: int = SKEW_STEPS, now: float | None = None
) -> int | None:
    """The step whose code is ``code``, within ``window`` steps of now; otherwise None."""
    here = current_step(now)
    for step in range(here - window, here + window + 1):
        if code_at(seed, step) == code:
            return step
    return None
