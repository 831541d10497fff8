"""IAM groups: give rights to a group, put people in it (lesson 04)."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


def create_group(iam: Any, group_name: str) -> tuple[dict, bool]:
    """Create the group; if it already exists (an earlier run), return it. (group, created)."""
    try:
        return iam.create_group(GroupName=group_name)["Group"], True
    except iam.exceptions.EntityAlreadyExistsException as taken:
        try:
            return iam.get_group(GroupName=group_name)["Group"], False
        except iam.exceptions.NoSuchEntityException:
            # The same name in other letter case: IAM names are unique case-insensitively.
            logger.info("A group named like %s in another letter case exists.", group_name)
            raise taken from None
    except ClientError:
        logger.exception("Couldn't create group %s.", group_name)
        raise


def attach_group_policy(iam: Any, group_name: str, policy_arn: str) -> None:
    try:
        iam.attach_group_policy(GroupName=group_name, PolicyArn=policy_arn)
    except ClientError:
        logger.exception("Couldn't attach %s to group %s.", policy_arn, group_name)
        raise


def add_user_to_group(iam: Any, group_name: str, user_name: str) -> None:
    try:
        iam.add_user_to_group(GroupName=group_name, UserName=user_name)
    except ClientError:
        logger.exception("Couldn't add %s to group %s.", user_name, group_name)
        raise


def group_members(iam: Any, group_name: str) -> list[str]:
    return [u["UserName"] for u in iam.get_group(GroupName=group_name)["Users"]]


def group_policy_names(iam: Any, group_name: str) -> list[str]:
    attached = iam.list_attached_group_policies(GroupName=group_name)["AttachedPolicies"]
    return [p["PolicyName"] for p in attached]
