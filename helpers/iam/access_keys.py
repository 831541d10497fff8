"""Access keys: what the CLI and SDKs sign with (lesson 03)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from helpers import downloads
from helpers.masking import mask, mask_access_key_id

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccessKey:
    """A new access key. The secret is shown only once by AWS; here it is masked on display."""

    user_name: str
    access_key_id: str
    secret_access_key: str

    def __repr__(self) -> str:
        return (
            f"AccessKey(user={self.user_name!r}, id={mask_access_key_id(self.access_key_id)!r}, "
            f"secret={mask(self.secret_access_key, keep=0)!r})"
        )

    __str__ = __repr__


def create_access_key(iam: Any, user_name: str) -> AccessKey:
    try:
        key = iam.create_access_key(UserName=user_name)["AccessKey"]
    except ClientError:
        logger.exception("Couldn't create an access key for %s.", user_name)
        raise
    return AccessKey(user_name, key["AccessKeyId"], key["SecretAccessKey"])


def list_access_key_ids(iam: Any, user_name: str) -> list[str]:
    metadata = iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]
    return [k["AccessKeyId"] for k in sorted(metadata, key=lambda k: k["CreateDate"])]


def delete_access_key(iam: Any, user_name: str, access_key_id: str) -> None:
    try:
        iam.delete_access_key(UserName=user_name, AccessKeyId=access_key_id)
    except ClientError:
        logger.exception("Couldn't delete access key of %s.", user_name)
        raise


def rotate_access_key(iam: Any, user_name: str) -> AccessKey:
    """A fresh key for the user, deleting the keys made before (AWS never shows a secret again,
    so re-running a lesson makes a new key instead of reusing one it can't read)."""
    for old in list_access_key_ids(iam, user_name):
        delete_access_key(iam, user_name, old)
    return create_access_key(iam, user_name)


def save_access_key_csv(
    key: AccessKey, *, real_account: bool = False, allow_write: bool = False
) -> Path | None:
    """Like the console's "Download .csv file": ``<user>_accessKeys.csv``, mode 0600. On a
    real account (``real_account=True``) only when ``allow_write``, with a warning; None when
    not written."""
    return downloads.write_secret_csv(
        downloads.access_keys_file(key.user_name),
        ["Access key ID", "Secret access key"],
        [key.access_key_id, key.secret_access_key],
        real_account=real_account,
        allow_write=allow_write,
    )


def load_access_key_csv(user_name: str) -> AccessKey | None:
    row = downloads.read_csv(downloads.access_keys_file(user_name))
    if not row:
        return None
    return AccessKey(user_name, row["Access key ID"], row["Secret access key"])
