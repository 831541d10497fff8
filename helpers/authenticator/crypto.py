"""Password hashing and encryption for the phone: scrypt, and AES-256-GCM in a JSON envelope."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from helpers.i18n import _

from .errors import AuthenticatorError

SCRYPT_N = 2**15  # about 0.1 s and 32 MiB per guess
SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_N = 2**20  # refuse envelopes that would make us spend minutes or gigabytes
ENVELOPE_FORMAT = "aws-mfa-tutorial/phone-backup"
ENVELOPE_VERSION = 1
CIPHER = "AES-256-GCM"
# Keys already derived in this process (scrypt is slow on purpose: a lesson and its exercise
# check re-derive the same PIN's and backup password's keys). Keyed by a hash of the password,
# never the password; a few entries, this process only.
_DERIVED: dict[tuple, bytes] = {}
_DERIVED_MAX = 16


def b64(data: bytes) -> str:
    """Bytes as base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Base64 text back to bytes."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_kdf(n: int = SCRYPT_N) -> dict:
    """Fresh scrypt parameters with a random salt, as stored next to what they protect."""
    return {"name": "scrypt", "n": n, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64(os.urandom(16))}


def derive_key(password: str, kdf: dict) -> bytes:
    """A 32-byte key from ``password`` with the scrypt parameters in ``kdf``."""
    if (
        kdf.get("name") != "scrypt"
        or not 2 <= int(kdf["n"]) <= MAX_SCRYPT_N
        or not 1 <= int(kdf["r"]) <= 32
        or not 1 <= int(kdf["p"]) <= 16
    ):
        raise AuthenticatorError(_("Unsupported key derivation settings in this file."))
    secret = password.encode("utf-8")
    memo = (
        hashlib.sha256(secret).digest(),
        kdf["salt"],
        int(kdf["n"]),
        int(kdf["r"]),
        int(kdf["p"]),
    )
    if memo in _DERIVED:
        return _DERIVED[memo]
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # imported when first used

    scrypt = Scrypt(
        salt=unb64(kdf["salt"]), length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"])
    )
    key = scrypt.derive(secret)
    if len(_DERIVED) >= _DERIVED_MAX:
        _DERIVED.pop(next(iter(_DERIVED)))  # the oldest
    _DERIVED[memo] = key
    return key


def hash_pin(pin: str, n: int = 2**14) -> dict:
    """A salted scrypt hash of a PIN, safe to store."""
    kdf = new_kdf(n)
    return {**kdf, "hash": b64(derive_key(pin, kdf))}


def check_pin(pin: str, stored: dict) -> bool:
    """Whether ``pin`` matches a hash made by ``hash_pin`` (compared in constant time)."""
    return hmac.compare_digest(derive_key(pin, stored), unb64(stored["hash"]))


def _header(kdf: dict) -> dict:
    return {"format": ENVELOPE_FORMAT, "version": ENVELOPE_VERSION, "cipher": CIPHER, "kdf": kdf}


def _aad(header: dict) -> bytes:
    # The header is authenticated too, so nobody can swap the KDF settings unnoticed.
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def seal(plaintext: bytes, key: bytes, kdf: dict) -> bytes:
    """A versioned JSON envelope holding ``plaintext`` encrypted with ``key`` (from ``kdf``)."""
    header = _header(kdf)
    nonce = os.urandom(12)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _aad(header))
    envelope = {**header, "nonce": b64(nonce), "ciphertext": b64(ciphertext)}
    return json.dumps(envelope, indent=2).encode() + b"\n"


def unseal(envelope: bytes, password: str) -> tuple[bytes, bytes, dict]:
    """Open an envelope made by ``seal``: the plaintext, the key and its KDF settings."""
    try:
        data = json.loads(envelope)
        header = _header(data["kdf"])
        if data["format"] != ENVELOPE_FORMAT or data["cipher"] != CIPHER:
            raise ValueError
        version = data["version"]
        nonce, ciphertext = unb64(data["nonce"]), unb64(data["ciphertext"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AuthenticatorError(
            _("This is not a phone backup made by this tutorial (or it is damaged).")
        ) from None
    if version != ENVELOPE_VERSION:
        raise AuthenticatorError(
            _(
                "This backup has format version {version}; this tutorial reads version "
                "{expected}. Update the tutorial's helpers."
            ).format(version=f"{version!s:.10}", expected=ENVELOPE_VERSION)
        )
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = derive_key(password, data["kdf"])
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _aad(header))
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise AuthenticatorError(
            _(
                "Could not open the backup: the backup password is wrong, or the backup file has "
                "been changed or damaged. Nothing was restored."
            )
        ) from None
    return plaintext, key, data["kdf"]
