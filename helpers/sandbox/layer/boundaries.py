"""Permissions boundaries of IAM users: the layer keeps them, since moto does not.

``PutUserPermissionsBoundary`` / ``DeleteUserPermissionsBoundary`` and ``CreateUser``'s
``PermissionsBoundary`` set them (robust sandbox work); the policy engine reads them through
``user_boundary_arn``. Roles keep theirs in moto (``permissions_boundary_arn``).
"""

from __future__ import annotations

from helpers.sandbox.layer.registry import on_reset

USER_BOUNDARIES: dict[str, str] = {}  # user name -> managed policy ARN


def user_boundary_arn(user_name: str) -> str | None:
    return USER_BOUNDARIES.get(user_name)


@on_reset
def forget_boundaries() -> None:
    USER_BOUNDARIES.clear()
