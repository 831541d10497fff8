"""The learner's virtual phone: authenticator accounts, a PIN lock, kept in a file.

The state lives in ``phone.json`` in the learner's state folder, so the phone outlives notebook
kernels. Every operation re-reads the file, and changes are made under a file lock, so two
kernels (or a kernel and a terminal) share one phone. Like an app's storage on a real phone, the
file holds the setup keys, so it is written readable by its owner only (0600); the PIN is kept
only as a salted scrypt hash.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from helpers.i18n import _
from helpers.paths import state_dir, write_private

from . import crypto
from .errors import AuthenticatorError, PhoneLockedError
from .qr import QrImage, account_from_qr, parse_otpauth
from .totp import Account, Moment, account_from_key, seconds_remaining

STATE_VERSION = 1
PIN_SCRYPT_N = 2**14


def phone_path() -> Path:
    """Where the learner's phone is kept: ``phone.json`` in the state folder."""
    return state_dir() / "phone.json"


def open_phone(path: Path | str | None = None) -> Phone:
    """The learner's phone (created empty on first change)."""
    return Phone(path)


def forget_phone(path: Path | str | None = None, *, backup: bool = False) -> bool:
    """Throw the phone away (delete its file), as if it were lost. True if there was one.

    The encrypted backup stays unless ``backup=True``, so the phone can be restored.
    """
    phone = Phone(path)
    with phone._locked_file():
        existed = phone.path.exists()
        phone.path.unlink(missing_ok=True)
        if backup:
            phone.backup_path.unlink(missing_ok=True)
    return existed


def _describe(issuer: str, label: str) -> str:
    return f"{issuer} ({label})" if issuer and label else issuer or label


@dataclass(frozen=True)
class Added:
    """What adding an account did; ``str()`` gives the message to show."""

    issuer: str
    label: str
    replaced: bool
    same_key: bool = False

    @property
    def message(self) -> str:
        """A sentence for the learner."""
        name = _describe(self.issuer, self.label)
        if not self.replaced:
            return _("Added {name}.").format(name=name)
        if self.same_key:
            return _("Replaced the existing entry for {name} (it had the same key).").format(
                name=name
            )
        return _(
            "Replaced the existing entry for {name} with the new key; "
            "codes from the old entry no longer work."
        ).format(name=name)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Reading:
    """What the phone's screen shows for one account at a moment."""

    issuer: str
    label: str
    code: str
    seconds_left: int


class Phone:
    """A virtual phone with an authenticator app, kept in a JSON file (0600).

    Reading codes, listing, adding and removing accounts need the phone unlocked.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else phone_path()

    def __repr__(self) -> str:
        try:
            state = self._load()
        except AuthenticatorError:
            return f"<Phone {self.path}: damaged>"
        if state["locked"]:
            return f"<Phone {self.path}: locked>"
        count = len(state["accounts"])
        pin = "PIN set" if state["pin"] else "no PIN"
        return f"<Phone {self.path}: {count} account{'s' * (count != 1)}, {pin}>"

    @property
    def backup_path(self) -> Path:
        """Where this phone keeps its encrypted backup once backups are on."""
        return self.path.with_name(f"{self.path.stem}-backup.json")

    # --- state file -------------------------------------------------------------------------

    @contextmanager
    def _locked_file(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _load(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": STATE_VERSION, "accounts": [], "pin": None, "locked": False}
        try:
            state = json.loads(text)
            if state["version"] != STATE_VERSION:
                raise ValueError
            for entry in state["accounts"]:
                Account(**entry)
            state.setdefault("pin", None)
            state.setdefault("locked", False)
            return state
        except (ValueError, KeyError, TypeError):
            raise AuthenticatorError(
                _(
                    "The phone file {path} is damaged. Throw the phone away with "
                    "forget_phone() and restore it from its backup, or set up MFA again."
                ).format(path=self.path)
            ) from None

    @contextmanager
    def _change(self, *, unlocked: bool = True) -> Iterator[dict]:
        with self._locked_file():
            state = self._load()
            if unlocked:
                self._require_unlocked(state)
            before = json.dumps([state["accounts"], state.get("backup")])
            yield state
            write_private(self.path, json.dumps(state, indent=2) + "\n")
            after = json.dumps([state["accounts"], state.get("backup")])
            if state.get("backup") and after != before:
                self._write_backup(state)

    def _write_backup(self, state: dict) -> None:
        plaintext = json.dumps({"accounts": state["accounts"]}).encode()
        key = crypto.unb64(state["backup"]["key"])
        write_private(self.backup_path, crypto.seal(plaintext, key, state["backup"]["kdf"]))

    def _configure_backup(self, kdf: dict | None, key: bytes | None) -> None:
        """Turn automatic backups on (with a key derived from the backup password) or off."""
        with self._change() as state:
            state["backup"] = {"kdf": kdf, "key": crypto.b64(key)} if kdf and key else None

    @staticmethod
    def _require_unlocked(state: dict) -> None:
        if state["locked"]:
            raise PhoneLockedError(_("The phone is locked: unlock it with your PIN first."))

    def _unlocked_state(self) -> dict:
        state = self._load()
        self._require_unlocked(state)
        return state

    # --- accounts ---------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """The accounts on the phone, in the order they were added."""
        return [Account(**entry) for entry in self._unlocked_state()["accounts"]]

    def add(self, account: Account) -> Added:
        """Add an account; one with the same issuer and label is replaced, as ``Added`` tells."""
        return self.add_all([account])[0]

    def add_all(self, accounts: list[Account]) -> list[Added]:
        """Add several accounts in one step, each as ``add`` would."""
        results = []
        with self._change() as state:
            for account in accounts:
                entry = {"issuer": account.issuer, "label": account.label, "secret": account.secret}
                results.append(_put(state["accounts"], entry))
        return results

    def scan_qr(self, image: QrImage) -> Added:
        """Add the account in a setup QR code (PNG bytes or a PIL image), like "Scan QR Code"."""
        self._unlocked_state()
        return self.add(account_from_qr(image))

    def add_uri(self, uri: str) -> Added:
        """Add the account in an ``otpauth://totp/...`` URI."""
        return self.add(parse_otpauth(uri))

    def enter_key(self, issuer: str, label: str, key: str) -> Added:
        """Add an account from a setup key typed by hand, like "Enter key manually"."""
        return self.add(account_from_key(issuer, label, key))

    def find(self, name: str | None = None) -> Account:
        """The account called ``name``: ``"issuer:label"``, a label or an issuer.

        Without a name, the only account on the phone.
        """
        accounts = self.accounts()
        if not accounts:
            raise AuthenticatorError(_("The phone has no accounts yet: scan a QR code first."))
        if name is None:
            if len(accounts) == 1:
                return accounts[0]
            matches = accounts
        else:
            matches = []
            for field in ("name", "label", "issuer"):
                matches = [a for a in accounts if getattr(a, field) == name]
                if matches:
                    break
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(repr(a.name) for a in accounts)
        if not matches:
            raise AuthenticatorError(
                _("No account {name} on the phone; it has {known}.").format(
                    name=repr(name), known=known
                )
            )
        raise AuthenticatorError(_("Which account? Name one of {known}.").format(known=known))

    def remove(self, name: str | None = None) -> str:
        """Delete an account from the phone; returns what was done."""
        account = self.find(name)
        with self._change() as state:
            state["accounts"] = [
                e
                for e in state["accounts"]
                if (e["issuer"], e["label"]) != (account.issuer, account.label)
            ]
        return _("Removed {name}.").format(name=_describe(account.issuer, account.label))

    # --- codes ------------------------------------------------------------------------------

    def read(self, now: Moment = None) -> list[Reading]:
        """Every account's current code and the seconds left before it changes."""
        left = seconds_remaining(now)
        return [Reading(a.issuer, a.label, a.code(now), left) for a in self.accounts()]

    def code(self, name: str | None = None, now: Moment = None) -> str:
        """The code the phone shows for one account."""
        return self.find(name).code(now)

    def two_consecutive_codes(self, name: str | None = None, now: Moment = None) -> tuple[str, str]:
        """The code now and the next one (30 s later), as AWS asks when enabling MFA."""
        return self.find(name).two_consecutive_codes(now)

    @staticmethod
    def seconds_remaining(now: Moment = None) -> int:
        """Seconds until every code on the phone changes."""
        return seconds_remaining(now)

    # --- PIN --------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        """Whether the phone is locked."""
        return bool(self._load()["locked"])

    @property
    def has_pin(self) -> bool:
        """Whether a PIN is set."""
        return self._load()["pin"] is not None

    @property
    def backups_enabled(self) -> bool:
        """Whether the phone keeps an encrypted backup up to date."""
        return bool(self._load().get("backup"))

    def set_pin(self, pin: str, *, n: int = PIN_SCRYPT_N) -> None:
        """Set or change the PIN (4 to 8 digits). Only a salted scrypt hash is stored."""
        if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
            raise AuthenticatorError(_("A PIN is 4 to 8 digits (0-9)."))
        with self._change() as state:
            state["pin"] = crypto.hash_pin(pin, n)

    def clear_pin(self) -> None:
        """Remove the PIN (the phone must be unlocked)."""
        with self._change() as state:
            state["pin"] = None

    def lock(self) -> None:
        """Lock the phone; codes can be read again after ``unlock(pin)``."""
        with self._change(unlocked=False) as state:
            if state["pin"] is None:
                raise AuthenticatorError(_("Set a PIN first: a phone without a PIN cannot lock."))
            state["locked"] = True

    def unlock(self, pin: str) -> None:
        """Unlock the phone with its PIN; a wrong PIN is refused and the phone stays locked."""
        with self._change(unlocked=False) as state:
            if not state["locked"]:
                return
            if not isinstance(pin, str) or not crypto.check_pin(pin, state["pin"]):
                raise AuthenticatorError(_("Wrong PIN: the phone stays locked."))
            state["locked"] = False


def _put(entries: list[dict], entry: dict) -> Added:
    for index, old in enumerate(entries):
        if (old["issuer"], old["label"]) == (entry["issuer"], entry["label"]):
            entries[index] = entry
            same = old["secret"] == entry["secret"]
            return Added(entry["issuer"], entry["label"], replaced=True, same_key=same)
    entries.append(entry)
    return Added(entry["issuer"], entry["label"], replaced=False)
