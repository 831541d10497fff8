"""The account's password policy for IAM users (lesson 05)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


def get_password_policy(iam: Any) -> dict | None:
    """The policy, or None when the account has none (AWS's default rules apply then)."""
    try:
        return iam.get_account_password_policy()["PasswordPolicy"]
    except iam.exceptions.NoSuchEntityException:
        return None


def delete_password_policy(iam: Any) -> None:
    """Remove the custom policy: AWS's default password policy applies again (the console's
    Account settings → Password policy)."""
    iam.delete_account_password_policy()


def update_password_policy(iam: Any, **policy: Any) -> dict:
    """Set the policy (parameters left out go back to AWS's defaults) and return it."""
    try:
        iam.update_account_password_policy(**policy)
    except ClientError:
        logger.exception("Couldn't update the password policy.")
        raise
    return iam.get_account_password_policy()["PasswordPolicy"]
