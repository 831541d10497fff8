"""The sandbox's clock for temporary credentials: real time, plus what tests moved it by.

Sessions from ``GetSessionToken`` last at least 900 seconds
(https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html), too long for a
test to wait for. The sandbox-only console action ``advance-clock`` (root-signed, like every
console action; it does not exist on AWS) moves this clock forward, so a test can see an
expired session refused. Only session expiry reads this clock: TOTP codes keep real time (an
authenticator app on a phone does not see the sandbox's clock). A reset puts it back.
"""

from __future__ import annotations

import math
import time

from helpers.sandbox.layer.registry import console_action, on_reset
from helpers.sandbox.layer.wire import AwsError

_offset = 0.0  # seconds the clock was moved forward


def now() -> float:
    """The sandbox's time for session expiry, in seconds since the epoch."""
    return time.time() + _offset


@console_action("advance-clock")
def advance_clock(payload: dict) -> dict:
    """``{"Seconds": N}``: move the clock N seconds forward (N >= 0; it never goes back)."""
    global _offset
    seconds = payload.get("Seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int | float)
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise AwsError("InvalidInput", "Seconds must be a number of seconds, 0 or more.")
    _offset += float(seconds)
    return {"OffsetSeconds": _offset}


@on_reset
def back_to_real_time() -> None:
    global _offset
    _offset = 0.0
