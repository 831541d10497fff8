"""Lesson 01 (the virtual phone): the setup form, a practice account to look at, and a spare
"new phone" to restore the backup onto.

The notebook calls the phone itself (``set_pin``, ``lock``, ``restore``...); this module holds
what the form's button runs (the same calls) and small read-outs.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pyotp

from helpers import defaults
from helpers.authenticator import Added, AuthenticatorError, Phone, crypto, enable_backups
from helpers.forms import Form, style
from helpers.i18n import _
from helpers.lessons.outcome import Outcome, kept

if TYPE_CHECKING:
    from helpers.status import Report

PRACTICE_ISSUER = "Practice"
PRACTICE_LABEL = "first-steps"
PRACTICE_NAME = f"{PRACTICE_ISSUER}:{PRACTICE_LABEL}"
MIN_BACKUP_PASSWORD = 8
# The phone is not part of the account: this lesson changes nothing in it.
ITEMS = ("console.root_access_keys", "cis.1.3")


def pin_problems(pin: str) -> list[str]:
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        return [_("A PIN is 4 to 8 digits (0-9).")]
    return []


def backup_password_problems(password: str) -> list[str]:
    if len(password) < MIN_BACKUP_PASSWORD:
        return [
            _("At least {minimum} characters (this one has {length}).").format(
                minimum=MIN_BACKUP_PASSWORD, length=len(password)
            )
        ]
    return []


def _state(phone: Phone) -> dict:
    return phone._load()  # read-only look at the phone's file (no public way to check a PIN)


def pin_matches(phone: Phone, pin: str) -> bool:
    """Whether ``pin`` is the phone's PIN (False when it has none)."""
    stored = _state(phone)["pin"]
    return stored is not None and not pin_problems(pin) and crypto.check_pin(pin, stored)


def backup_password_matches(phone: Phone, password: str) -> bool:
    """Whether the phone already backs up with a key made from ``password``."""
    backup = _state(phone).get("backup")
    if not backup:
        return False
    key = crypto.derive_key(password, backup["kdf"])
    return crypto.b64(key) == backup["key"]


def phone_is_set_up(phone: Phone) -> bool:
    """Whether lesson 01 is done on this phone: it has a PIN, is unlocked and backs up."""
    return phone.has_pin and not phone.is_locked and phone.backups_enabled


def set_up_phone(phone: Phone, pin: str, backup_password: str) -> list[Outcome]:
    """What the form's button does, what Run All does and what the catch-up does: the phone
    gets this PIN and keeps an encrypted backup with this password. Whatever is already so is
    left alone (and said)."""
    done = []
    if phone.is_locked:
        phone.unlock(pin)  # a wrong PIN is refused here and nothing changes
        done.append(Outcome(_("Unlocked the phone.")))
    if pin_matches(phone, pin):
        done.append(kept(_("The phone already has this PIN: nothing to do.")))
    else:
        had_pin = phone.has_pin
        phone.set_pin(pin)
        done.append(
            Outcome(_("Changed the phone's PIN.") if had_pin else _("Set the phone's PIN."))
        )
    if backup_password_matches(phone, backup_password):
        done.append(kept(_("Encrypted backups are already on with this password: nothing to do.")))
    else:
        had_backups = phone.backups_enabled
        enable_backups(phone, backup_password)
        done.append(
            Outcome(
                _("Changed the backup password.")
                if had_backups
                else _(
                    "Turned on encrypted backups (the phone updates its backup after every change)."
                )
            )
        )
    return done


class PhoneSetupForm(Form):
    """The app's first screens: choose a PIN, then a backup password. Both start with the
    tutorial's practice values, so Run All works; on a real phone, choose your own."""

    def __init__(self, phone: Phone) -> None:
        super().__init__(
            _("Set up the authenticator app"),
            _("Set PIN and turn on backups"),
            _(
                "Practice values are filled in (hidden as you type). Change them if you like: "
                "the lesson uses whatever is in the boxes."
            ),
        )
        self.phone = phone
        text = {"continuous_update": True, "style": style.field_style()}
        self.pin_box = widgets.Password(
            value=defaults.PHONE_PIN,
            description="PIN",
            layout=style.field_layout(style.SHORT_FIELD_WIDTH),
            **text,
        )
        self.password_box = widgets.Password(
            value=defaults.PHONE_BACKUP_PASSWORD,
            description=_("Backup password"),
            layout=style.field_layout(),
            **text,
        )
        self.finish(
            [
                self.field(
                    self.pin_box,
                    _("4 to 8 digits. It locks the app, so a borrowed phone shows no codes."),
                    lambda: self._check(pin_problems(self.pin), _("A valid PIN.")),
                ),
                self.field(
                    self.password_box,
                    _(
                        "At least {minimum} characters. It encrypts the backup; "
                        "without it, nobody (not even you) can restore."
                    ).format(minimum=MIN_BACKUP_PASSWORD),
                    lambda: self._check(
                        backup_password_problems(self.backup_password), _("A valid password.")
                    ),
                ),
            ]
        )

    @staticmethod
    def _check(problems: list[str], good: str) -> tuple[list[str], str]:
        return problems, style.problems_html(problems, good)

    @property
    def pin(self) -> str:
        return self.pin_box.value

    @property
    def backup_password(self) -> str:
        return self.password_box.value

    def run(self) -> str:
        try:
            done = set_up_phone(self.phone, self.pin, self.backup_password)
        except AuthenticatorError as error:
            return style.fail(str(error))
        return "".join(style.ok(line) for line in done)


def add_practice_account(phone: Phone) -> Added:
    """A practice entry with a fresh random key, so the phone has codes to show and back up.
    (Authy's own first screen offers a demo account for the same reason.)"""
    return phone.enter_key(PRACTICE_ISSUER, PRACTICE_LABEL, pyotp.random_base32())


def remove_practice_account(phone: Phone) -> str:
    """Take the practice entry off the phone again (lesson 02 adds the real one)."""
    names = [account.name for account in phone.accounts()]
    if PRACTICE_NAME not in names:
        return _("There is no practice entry on the phone.")
    return phone.remove(PRACTICE_NAME)


def describe_backup(path: Path, phone: Phone) -> str:
    """What is in the backup file, without opening it: how it is locked, and whether any
    account's setup key can be read in it."""
    path = Path(path)
    text = path.read_text()
    envelope = json.loads(text)
    kdf = envelope["kdf"]
    readable = any(account.secret in text for account in phone.accounts())
    mode = oct(path.stat().st_mode & 0o777)
    return "\n".join(
        [
            _("File:      {name} (readable only by you: {mode})").format(name=path.name, mode=mode),
            _(
                "Cipher:    {cipher}, with a key made from the backup password by {kdf} (n={n})"
            ).format(cipher=envelope["cipher"], kdf=kdf["name"], n=kdf["n"]),
            _("Any setup key readable in the file? yes")
            if readable
            else _("Any setup key readable in the file? no"),
        ]
    )


_SPARE_FOLDERS: list[str] = []


def _clean_up() -> None:
    for folder in _SPARE_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_clean_up)


def new_phone() -> Phone:
    """An empty phone in a temporary folder (removed when the kernel stops): the replacement
    for a lost phone. The learner's own phone is not touched."""
    folder = tempfile.mkdtemp(prefix="new-phone-")
    _SPARE_FOLDERS.append(folder)
    return Phone(Path(folder) / "phone.json")


def compare_codes(old: Phone, new: Phone, now: float | None = None) -> str:
    """Whether the two phones show the same code for every account of the old one, read at
    the same moment (a 30-second boundary must not fall between the two readings)."""
    import time

    moment = time.time() if now is None else now
    old_names = [account.name for account in old.accounts()]
    new_names = {account.name for account in new.accounts()}
    same = [
        name in new_names and new.code(name, moment) == old.code(name, moment) for name in old_names
    ]
    practice = (
        PRACTICE_NAME in old_names
        and PRACTICE_NAME in new_names
        and new.code(PRACTICE_NAME, moment) == old.code(PRACTICE_NAME, moment)
    )
    return "\n".join(
        [
            _("The practice account shows the same code on both phones: {same}").format(
                same=practice
            ),
            _(
                "Every account of the old phone is on the new one, with the same code: {same}"
            ).format(same=all(same)),
        ]
    )


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
