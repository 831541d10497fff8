"""Encrypted phone backups: a lost phone's accounts come back with the backup password."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pyotp
import pytest

from helpers.authenticator import (
    AuthenticatorError,
    Phone,
    PhoneLockedError,
    backup,
    disable_backups,
    enable_backups,
    forget_phone,
    open_phone,
    restore,
)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OTHER_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
PASSWORD = "correct horse battery"
FAST = 2**10  # scrypt cost for tests; the default stays 2**15
T = 1_700_000_000


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(folder))
    return folder


@pytest.fixture
def phone() -> Phone:
    phone = open_phone()
    phone.enter_key("Amazon Web Services", "root-account-mfa-device@123456789012", SECRET)
    phone.enter_key("Amazon Web Services", "alice@123456789012", OTHER_SECRET)
    return phone


def codes(phone: Phone) -> list[tuple[str, str, str]]:
    return [(r.issuer, r.label, r.code) for r in phone.read(now=T)]


def test_backup_restores_on_a_new_phone(phone: Phone, tmp_path: Path) -> None:
    data = backup(phone, PASSWORD, n=FAST)
    new = restore(data, PASSWORD, Phone(tmp_path / "new" / "phone.json"))
    assert codes(new) == codes(phone)
    assert new.code("alice@123456789012", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)


def test_backup_is_a_versioned_encrypted_envelope(phone: Phone) -> None:
    data = backup(phone, PASSWORD)
    envelope = json.loads(data)
    assert envelope["format"] == "aws-mfa-tutorial/phone-backup"
    assert envelope["version"] == 1
    assert envelope["cipher"] == "AES-256-GCM"
    assert envelope["kdf"] == {
        "name": "scrypt",
        "n": 2**15,
        "r": 8,
        "p": 1,
        "salt": envelope["kdf"]["salt"],
    }
    assert len(base64.b64decode(envelope["kdf"]["salt"])) == 16
    assert len(base64.b64decode(envelope["nonce"])) == 12
    assert SECRET.encode() not in data and b"alice" not in data
    assert backup(phone, PASSWORD, n=FAST) != backup(phone, PASSWORD, n=FAST)  # fresh salt, nonce


def test_wrong_password_is_refused_and_changes_nothing(phone: Phone, tmp_path: Path) -> None:
    data = backup(phone, PASSWORD, n=FAST)
    target = Phone(tmp_path / "new" / "phone.json")
    target.enter_key("GitHub", "alice", OTHER_SECRET)
    before = target.path.read_bytes()
    with pytest.raises(AuthenticatorError, match="backup password is wrong") as caught:
        restore(data, "Correct horse battery", target)
    assert "orse" not in str(caught.value)
    assert target.path.read_bytes() == before
    assert not target.backups_enabled


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "salt", "n"])
def test_tampered_backup_is_refused_and_changes_nothing(
    phone: Phone, tmp_path: Path, field: str
) -> None:
    envelope = json.loads(backup(phone, PASSWORD, n=FAST))
    if field == "n":
        envelope["kdf"]["n"] = FAST * 2
    else:
        holder = envelope["kdf"] if field == "salt" else envelope
        raw = bytearray(base64.b64decode(holder[field]))
        raw[len(raw) // 2] ^= 0x01  # flip one bit
        holder[field] = base64.b64encode(bytes(raw)).decode()
    target = Phone(tmp_path / "new" / "phone.json")
    target.enter_key("GitHub", "alice", OTHER_SECRET)
    before = target.path.read_bytes()
    with pytest.raises(AuthenticatorError, match="changed or damaged"):
        restore(json.dumps(envelope).encode(), PASSWORD, target)
    assert target.path.read_bytes() == before


@pytest.mark.parametrize("data", [b"", b"hello", b"[1, 2]", b'{"format": "zip"}', b"\xff\xfe"])
def test_something_that_is_not_a_backup_is_refused(data: bytes, tmp_path: Path) -> None:
    target = Phone(tmp_path / "new" / "phone.json")
    with pytest.raises(AuthenticatorError, match="not a phone backup"):
        restore(data, PASSWORD, target)
    assert not target.path.exists()


def test_newer_backup_version_is_refused(phone: Phone) -> None:
    envelope = json.loads(backup(phone, PASSWORD, n=FAST))
    envelope["version"] = 2
    with pytest.raises(AuthenticatorError, match="version 2"):
        restore(json.dumps(envelope).encode(), PASSWORD)


def test_short_backup_password_is_refused(phone: Phone) -> None:
    with pytest.raises(AuthenticatorError, match="at least 8"):
        backup(phone, "1234")
    with pytest.raises(AuthenticatorError, match="at least 8"):
        enable_backups(phone, "1234")


def test_locked_phone_cannot_be_backed_up_or_restored_onto(phone: Phone) -> None:
    data = backup(phone, PASSWORD, n=FAST)
    phone.set_pin("2468", n=FAST)
    phone.lock()
    with pytest.raises(PhoneLockedError):
        backup(phone, PASSWORD, n=FAST)
    with pytest.raises(PhoneLockedError):
        restore(data, PASSWORD, phone)


def test_restore_keeps_other_accounts_and_replaces_same_ones(phone: Phone, tmp_path: Path) -> None:
    data = backup(phone, PASSWORD, n=FAST)
    target = Phone(tmp_path / "new" / "phone.json")
    target.enter_key("GitHub", "alice", OTHER_SECRET)
    target.enter_key("Amazon Web Services", "alice@123456789012", SECRET)  # stale entry
    restore(data, PASSWORD, target)
    assert len(target.accounts()) == 3
    assert target.code("alice@123456789012", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)


def test_automatic_backups_survive_a_lost_phone(phone: Phone, state: Path) -> None:
    path = enable_backups(phone, PASSWORD, n=FAST)
    assert path == state / "phone-backup.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert phone.backups_enabled
    phone.enter_key("GitHub", "alice", OTHER_SECRET)  # later changes reach the backup
    before = codes(phone)
    assert PASSWORD not in (state / "phone.json").read_text()

    assert forget_phone() is True  # the phone is lost; the backup is not
    assert path.exists() and open_phone().accounts() == []

    restored = restore(None, PASSWORD)
    assert codes(restored) == before
    assert restored.backups_enabled  # the new phone keeps backing up with the same password
    restored.remove("GitHub")
    assert len(restore(path.read_bytes(), PASSWORD, Phone(state / "x" / "phone.json")).read()) == 2


def test_disable_backups_stops_updates(phone: Phone) -> None:
    path = enable_backups(phone, PASSWORD, n=FAST)
    disable_backups(phone)
    saved = path.read_bytes()
    phone.enter_key("GitHub", "alice", OTHER_SECRET)
    assert path.read_bytes() == saved
    assert not phone.backups_enabled


def test_restore_without_a_backup_file_says_so() -> None:
    with pytest.raises(AuthenticatorError, match="No backup at"):
        restore(None, PASSWORD)


def test_forget_phone_can_drop_the_backup_too(phone: Phone) -> None:
    path = enable_backups(phone, PASSWORD, n=FAST)
    forget_phone(backup=True)
    assert not path.exists()
