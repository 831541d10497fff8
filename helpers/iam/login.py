"""Console passwords of IAM users (lesson 03) and their sign-in file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from helpers import downloads

logger = logging.getLogger(__name__)


def set_console_password(
    iam: Any, user_name: str, password: str, reset_required: bool = False
) -> bool:
    """Give the user a console password (create the login profile, or update it when the user
    already has one). True when it was created."""
    try:
        iam.create_login_profile(
            UserName=user_name, Password=password, PasswordResetRequired=reset_required
        )
        return True
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    except ClientError:
        logger.exception("Couldn't set a console password for %s.", user_name)
        raise
    try:
        iam.update_login_profile(
            UserName=user_name, Password=password, PasswordResetRequired=reset_required
        )
    except ClientError:
        logger.exception("Couldn't update the console password of %s.", user_name)
        raise
    return False


def has_console_password(iam: Any, user_name: str) -> bool:
    try:
        iam.get_login_profile(UserName=user_name)
        return True
    except iam.exceptions.NoSuchEntityException:
        return False


def save_credentials_csv(
    user_name: str,
    password: str,
    sign_in_url: str,
    *,
    real_account: bool = False,
    allow_write: bool = False,
) -> Path | None:
    """Like the console's download after creating a user: ``<user>_credentials.csv``, 0600.
    On a real account only when ``allow_write``, with a warning; None when not written."""
    return downloads.write_secret_csv(
        downloads.credentials_file(user_name),
        ["User name", "Password", "Console sign-in URL"],
        [user_name, password, sign_in_url],
        real_account=real_account,
        allow_write=allow_write,
    )


def load_credentials_csv(user_name: str) -> dict[str, str] | None:
    return downloads.read_csv(downloads.credentials_file(user_name))
