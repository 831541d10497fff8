"""Lesson 01's "Your turn": the phone's PIN and backup password become the learner's own.

The lesson fills in practice values that everyone in the room (and this repository) knows. The
check reads the virtual phone's saved state (``phone.json``), never the notebook's variables,
so the panel, the form, code or a terminal all count. It can test a PIN or a password only by
trying it against the stored scrypt hash and backup key, as a thief would: the practice values
and the most common 4-digit PINs. Nothing in the phone changes.
"""

from __future__ import annotations

from typing import Any

from helpers import defaults
from helpers.authenticator import AuthenticatorError, crypto, open_phone
from helpers.exercises import Attempt, Exercise
from helpers.i18n import N_, _

KEY = "01-own-pin"
# The 20 most common 4-digit PINs (DataGenetics' analysis of 3.4 million PINs, 2012): about a
# quarter of all PINs, the first ones anybody tries on a found phone.
COMMON_PINS = (
    "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969",
    "9999", "3333", "5555", "6666", "1122", "1313", "8888", "4321", "2001", "1010",
)  # fmt: skip


def _phone_state() -> dict | None:
    try:
        return open_phone()._load()  # a read of phone.json; it changes nothing
    except AuthenticatorError:
        return None


def _pin_is(pin: str, stored: dict) -> bool:
    return crypto.check_pin(pin, stored)


def _backup_password_is(password: str, backup: dict) -> bool:
    return crypto.b64(crypto.derive_key(password, backup["kdf"])) == backup["key"]


def inspect(aws: Any) -> Attempt:
    """How far the phone is from a PIN and a backup password of the learner's own."""
    state = _phone_state()
    if state is None:
        return Attempt(passed=False, stage="damaged")
    if state["pin"] is None or not state.get("backup"):
        return Attempt(passed=False, stage="not-set-up")
    practice_pin = _pin_is(defaults.PHONE_PIN, state["pin"])
    practice_password = _backup_password_is(defaults.PHONE_BACKUP_PASSWORD, state["backup"])
    if practice_pin and practice_password:
        return Attempt(passed=False, stage="start")
    if practice_pin:
        return Attempt(passed=False, stage="practice-pin")
    common = next((pin for pin in COMMON_PINS if _pin_is(pin, state["pin"])), None)
    if common is not None:
        return Attempt(
            passed=False, stage="common-pin", detail=_("Your PIN is {pin}.").format(pin=common)
        )
    if practice_password:
        return Attempt(passed=False, stage="practice-password")
    if state["locked"]:
        return Attempt(passed=False, stage="locked")
    return Attempt(passed=True, stage="done")


EXERCISES = (
    Exercise(
        key=KEY,
        lesson=1,
        title=N_("A PIN and a backup password of your own"),
        inspect=inspect,
        hints={
            "start": (
                N_(
                    "The phone still has the practice PIN and backup password, which everyone "
                    "can read in this tutorial. Choose your own."
                ),
                N_(
                    "Step 1's form sets both: type your own values in its boxes and click the "
                    "button. In code, phone.set_pin(...) and "
                    "helpers.authenticator.enable_backups(phone, ...)."
                ),
                N_(
                    "lesson_01.set_up_phone(phone, YOUR_PIN, YOUR_BACKUP_PASSWORD) changes both "
                    "(the folded solution below shows it)."
                ),
            ),
            "practice-pin": (
                N_("The backup password is your own now; the PIN is still the practice one."),
                N_("phone.set_pin(YOUR_PIN) changes it: 4 to 8 digits."),
            ),
            "common-pin": (
                N_(
                    "That is one of the 20 most common PINs, which together open about a quarter "
                    "of all phones. Choose one that a thief would not try first."
                ),
                N_(
                    "Avoid repeated digits, runs (1234, 4321) and years. phone.set_pin(...) "
                    "changes it."
                ),
            ),
            "practice-password": (
                N_(
                    "The PIN is your own now; the backup is still encrypted with the practice "
                    "password."
                ),
                N_(
                    "helpers.authenticator.enable_backups(phone, YOUR_BACKUP_PASSWORD) "
                    "re-encrypts the backup with the new password (at least 8 characters)."
                ),
            ),
            "locked": (
                N_(
                    "Both are your own. The phone is locked, though, and the next lessons read "
                    "codes from it: unlock it."
                ),
                N_("phone.unlock(YOUR_PIN), or the PIN box on the phone's panel."),
            ),
            "not-set-up": (
                N_("The phone has no PIN or no backup yet: do step 1 of this lesson first."),
            ),
            "damaged": (
                N_(
                    "The phone's file cannot be read. Throw the phone away "
                    "(helpers.authenticator.forget_phone()), restore its backup and try again."
                ),
            ),
        },
        done=N_(
            "the phone is locked by a PIN of your own and backs up with a password of your own."
        ),
        tags=("phone", "backup"),
    ),
)
