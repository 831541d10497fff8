"""The account alias and the IAM users' sign-in link (lesson 06)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

from helpers.rules.alias import sign_in_url

logger = logging.getLogger(__name__)


def get_alias(iam: Any) -> str | None:
    aliases = iam.list_account_aliases()["AccountAliases"]
    return aliases[0] if aliases else None


def set_alias(iam: Any, alias: str) -> str:
    """Give the account this alias (replacing the old one) and return the new sign-in link."""
    if get_alias(iam) == alias:
        return sign_in_url(alias)
    try:
        iam.create_account_alias(AccountAlias=alias)
    except ClientError:
        logger.exception("Couldn't set the account alias %s.", alias)
        raise
    return sign_in_url(alias)


def sign_in_link(iam: Any, account_id: str) -> str:
    """The IAM users' sign-in link: by alias when the account has one, else by account id."""
    return sign_in_url(get_alias(iam) or account_id)
