"""The one place where the layer reads moto's IAM models.

Every attribute of moto used here is checked by tests/sandbox/test_moto_contract.py, so a moto
upgrade that renames one fails loudly there instead of silently weakening a rule.
"""

from __future__ import annotations

from typing import Any

from moto.iam.models import iam_backends

from helpers.sandbox.constants import ACCOUNT_ID


def iam() -> Any:
    """moto's IAM backend of the sandbox account."""
    return iam_backends[ACCOUNT_ID]["global"]


def user(name: str) -> Any | None:
    return iam().users.get(name)


def users() -> list[Any]:
    return list(iam().users.values())


def group(name: str) -> Any | None:
    return iam().groups.get(name)


def groups() -> list[Any]:
    return list(iam().groups.values())


def groups_of(user_name: str) -> list[Any]:
    return [g for g in iam().groups.values() if any(u.name == user_name for u in g.users)]


def user_by_access_key(access_key_id: str) -> tuple[Any, Any] | None:
    """(user, access key) owning this access key id, or None."""
    for candidate in iam().users.values():
        for key in candidate.access_keys:
            if key.access_key_id == access_key_id:
                return candidate, key
    return None


def virtual_mfa_device(serial: str) -> Any | None:
    return iam().virtual_mfa_devices.get(serial)


def virtual_mfa_devices() -> list[Any]:
    return list(iam().virtual_mfa_devices.values())


def password_policy() -> Any | None:
    return iam().account_password_policy


def account_aliases() -> list[str]:
    return list(iam().account_aliases)


def warm() -> None:
    """Create the account's IAM backend now (loads AWS's managed policies), not on first call."""
    iam()
