"""Encrypted backups of the phone's accounts, like Authy's: lose the phone, keep the accounts.

The backup is a versioned JSON envelope: scrypt turns the backup password into a key, and
AES-256-GCM encrypts the accounts (so a wrong password or a changed byte is detected). The PIN
is not part of the backup.

Two ways to use it:

* ``enable_backups(phone, password)``: set the backup password once, like Authy. The phone then
  keeps ``phone-backup.json`` next to ``phone.json`` up to date after every change (it stores the
  derived key, never the password, in its own 0600 file).
* ``backup(phone, password)``: one encrypted snapshot as bytes, to keep wherever you like.

``restore(backup, password, phone)`` puts the accounts on a phone (a new one, or the learner's
phone after ``forget_phone()``), with the same codes as before.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.i18n import _

from . import crypto
from .errors import AuthenticatorError
from .phone import Phone, open_phone
from .totp import Account


def _accounts_json(phone: Phone) -> bytes:
    entries = [{"issuer": a.issuer, "label": a.label, "secret": a.secret} for a in phone.accounts()]
    return json.dumps({"accounts": entries}).encode()


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < 8:
        raise AuthenticatorError(_("Choose a backup password of at least 8 characters."))


def backup(phone: Phone, password: str, *, n: int = crypto.SCRYPT_N) -> bytes:
    """An encrypted backup of the phone's accounts (JSON bytes), protected by ``password``."""
    _check_password(password)
    kdf = crypto.new_kdf(n)
    return crypto.seal(_accounts_json(phone), crypto.derive_key(password, kdf), kdf)


def enable_backups(phone: Phone, password: str, *, n: int = crypto.SCRYPT_N) -> Path:
    """Set the backup password; the phone keeps its backup file up to date from now on.

    Returns the backup file's path (``phone.backup_path``). Calling it again changes the password.
    """
    _check_password(password)
    phone.accounts()  # refuses a locked phone before the slow key derivation
    kdf = crypto.new_kdf(n)
    phone._configure_backup(kdf, crypto.derive_key(password, kdf))
    return phone.backup_path


def disable_backups(phone: Phone) -> None:
    """Stop updating the backup file (the last backup stays where it is)."""
    phone._configure_backup(None, None)


def restore(backup: bytes | str | Path | None, password: str, phone: Phone | None = None) -> Phone:
    """Put the accounts from a backup on ``phone`` (default: the learner's phone) and return it.

    ``backup`` is the backup's bytes or a path to it (``None``: the phone's own backup file).
    Accounts already on the phone stay; ones with the same issuer and label are replaced.
    The phone keeps backing up with the same password afterwards.
    A wrong password or a changed backup raises AuthenticatorError and changes nothing.
    """
    phone = phone if phone is not None else open_phone()
    data = _read_backup(backup if backup is not None else phone.backup_path)
    phone.accounts()  # refuses a locked phone before touching anything
    plaintext, key, kdf = crypto.unseal(data, password)
    try:
        accounts = [Account(**entry) for entry in json.loads(plaintext)["accounts"]]
    except (ValueError, KeyError, TypeError):
        raise AuthenticatorError(_("The backup opened but holds no readable accounts.")) from None
    phone.add_all(accounts)
    phone._configure_backup(kdf, key)
    return phone


def _read_backup(backup: bytes | str | Path) -> bytes:
    if isinstance(backup, bytes | bytearray):
        return bytes(backup)
    path = Path(backup)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuthenticatorError(
            _(
                "No backup at {path}: backups must have been turned on before the phone was lost."
            ).format(path=path)
        ) from None
