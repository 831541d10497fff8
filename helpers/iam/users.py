"""IAM users (lesson 03)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


def create_user(iam: Any, user_name: str) -> tuple[dict, bool]:
    """Create the user; if it already exists (an earlier run), return it. (user, created)."""
    try:
        return iam.create_user(UserName=user_name)["User"], True
    except iam.exceptions.EntityAlreadyExistsException as taken:
        try:
            return iam.get_user(UserName=user_name)["User"], False
        except iam.exceptions.NoSuchEntityException:
            # The same name in other letter case: IAM names are unique case-insensitively.
            logger.info("A user named like %s in another letter case exists.", user_name)
            raise taken from None
    except ClientError:
        logger.exception("Couldn't create user %s.", user_name)
        raise


def get_user(iam: Any, user_name: str) -> dict | None:
    try:
        return iam.get_user(UserName=user_name)["User"]
    except iam.exceptions.NoSuchEntityException:
        return None


def attach_user_policy(iam: Any, user_name: str, policy_arn: str) -> None:
    try:
        iam.attach_user_policy(UserName=user_name, PolicyArn=policy_arn)
    except ClientError:
        logger.exception("Couldn't attach %s to user %s.", policy_arn, user_name)
        raise


def detach_user_policy(iam: Any, user_name: str, policy_arn: str) -> bool:
    """Detach it if attached; True when something was detached."""
    attached = {
        p["PolicyArn"]
        for p in iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    }
    if policy_arn not in attached:
        return False
    try:
        iam.detach_user_policy(UserName=user_name, PolicyArn=policy_arn)
    except ClientError:
        logger.exception("Couldn't detach %s from user %s.", policy_arn, user_name)
        raise
    return True


def attached_policy_names(iam: Any, user_name: str) -> list[str]:
    return [
        p["PolicyName"]
        for p in iam.list_attached_user_policies(UserName=user_name)["AttachedPolicies"]
    ]
