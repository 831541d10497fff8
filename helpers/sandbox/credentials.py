"""The sandbox's root credentials: random for each sandbox, kept in its state folder (0600).

They are made the first time a state folder's sandbox starts and kept across restarts and
resets, so a second state folder is a second account with keys of its own: one learner on a
shared machine cannot act in another learner's sandbox. They stand for the root user's console
session (the article works as root in the console), not for a root access key.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import string
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from helpers.paths import state_dir

FILE_NAME = "root-credentials.json"
_KEY_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class RootCredentials:
    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:  # never print the secret
        return f"RootCredentials(access_key_id={self.access_key_id!r}, secret_access_key=…)"


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def root_credentials(folder: Path | None = None) -> RootCredentials:
    """The root credentials of the sandbox of ``folder`` (default: the learner's state folder),
    made on first use."""
    return _read_or_make((folder or state_dir()).resolve())


@cache
def _read_or_make(folder: Path) -> RootCredentials:
    path = folder / FILE_NAME
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    made = RootCredentials("AKIA" + _random(_KEY_ALPHABET, 16), _random(_SECRET_ALPHABET, 40))
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise
        return _read(path)
    with os.fdopen(descriptor, "w") as file:
        json.dump(
            {"AccessKeyId": made.access_key_id, "SecretAccessKey": made.secret_access_key}, file
        )
    return made


def _read(path: Path) -> RootCredentials:
    for _ in range(50):  # another process may be writing it this instant
        try:
            data = json.loads(path.read_text())
            return RootCredentials(data["AccessKeyId"], data["SecretAccessKey"])
        except (ValueError, KeyError):
            time.sleep(0.02)
    raise RuntimeError(f"{path} is not a sandbox credentials file; delete it to make new keys.")
