"""The one place where the layer reads moto's models (IAM's, and S3's bucket policies).

Every attribute of moto used here is checked by tests/sandbox/test_moto_contract.py, so a moto
upgrade that renames one fails loudly there instead of silently weakening a rule.
"""

from __future__ import annotations

from typing import Any

from botocore import xform_name
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.sts.responses import TokenResponse

from helpers.sandbox.constants import ACCOUNT_ID


def bucket_policy(bucket_name: str) -> str | None:
    """The bucket's policy document, None when the bucket has none (or does not exist)."""
    from moto.s3.models import s3_backends

    bucket = s3_backends[ACCOUNT_ID]["aws"].buckets.get(bucket_name)
    policy = getattr(bucket, "policy", None) if bucket is not None else None
    return policy.decode() if isinstance(policy, bytes) else policy


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


def access_key_secret(key: Any) -> str:
    return key.secret_access_key


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


# --- names, passwords, alias, deletions (layer/names.py, passwords.py, alias.py, deletion.py) ---
# moto attributes used below: User.name, .password, .password_reset_required, .access_keys,
# .signing_certificates, .ssh_public_keys, .mfa_devices, .policies, .managed_policies;
# Group.name, .users, .policies, .managed_policies; Role.managed_policies;
# ManagedPolicy.arn, .versions (PolicyVersion.is_default, .document);
# IAMBackend.users, .groups, .roles, .managed_policies.


def user_named_like(name: str) -> Any | None:
    """The user whose name equals ``name`` ignoring case (IAM names are unique that way)."""
    wanted = name.lower()
    return next((u for u in iam().users.values() if u.name.lower() == wanted), None)


def group_named_like(name: str) -> Any | None:
    wanted = name.lower()
    return next((g for g in iam().groups.values() if g.name.lower() == wanted), None)


# Setting a user's password and reset flag: set_user_password, set_password_reset_required below.


def managed_policy(arn: str) -> Any | None:
    return iam().managed_policies.get(arn)


def is_aws_managed_policy(arn: str) -> bool:
    return arn.startswith("arn:aws:iam::aws:policy/")


def entities_with_policy(arn: str) -> list[Any]:
    """Users, groups and roles this managed policy is attached to."""
    backend = iam()
    holders = [*backend.users.values(), *backend.groups.values(), *backend.roles.values()]
    return [entity for entity in holders if arn in entity.managed_policies]


def policy_documents_of_user(user_name: str) -> list[str]:
    """Every identity policy document that applies to the user: inline and managed (default
    version), the user's own and those of the user's groups."""
    found = user(user_name)
    if found is None:
        return []
    holders = [found, *groups_of(user_name)]
    documents: list[str] = []
    for holder in holders:
        documents.extend(holder.policies.values())
        for policy in holder.managed_policies.values():
            for version in policy.versions:
                if version.is_default:
                    documents.append(version.document)
    return documents


# --- MFA, identity, account and console rules (mfa.py, identity.py, account.py, console.py) ---


def now() -> Any:
    """The current time as moto stores it (a naive UTC datetime)."""
    from moto.core.utils import utcnow

    return utcnow()


def account_alias() -> str | None:
    aliases = iam().account_aliases
    return aliases[0] if aliases else None


def user_mfa_serials(found_user: Any) -> list[str]:
    """Serial numbers of the MFA devices assigned to a moto user."""
    return list(found_user.mfa_devices)


def user_mfa_enable_dates(found_user: Any) -> list[tuple[str, Any]]:
    """(serial number, enable date) of each MFA device assigned to a moto user."""
    return [(d.serial_number, d.enable_date) for d in found_user.mfa_devices.values()]


def user_name(found_user: Any) -> str:
    return found_user.name


def device_serial(device: Any) -> str:
    return device.serial_number


def device_seed(device: Any) -> str:
    return device.base32_string_seed


def device_user(device: Any) -> Any | None:
    """The user a virtual MFA device is assigned to, or None."""
    return device.user


def set_device_qr(device: Any, png: bytes) -> None:
    device.qr_code_png = png


def deactivate_mfa_device(user_name: str, serial: str) -> None:
    iam().deactivate_mfa_device(user_name, serial)


def user_password(found_user: Any) -> str | None:
    """The user's console password (moto keeps the login profile as ``User.password``)."""
    return found_user.password


def set_user_password(found_user: Any, password: str) -> None:
    found_user.password = password


def password_reset_required(found_user: Any) -> bool:
    return bool(found_user.password_reset_required)


def set_password_reset_required(found_user: Any, required: bool) -> None:
    found_user.password_reset_required = required


def mark_password_used(found_user: Any) -> None:
    found_user.password_last_used = now()


def credential_report_generated() -> bool:
    return bool(iam().credential_report)


def credential_facts(found_user: Any) -> dict[str, Any]:
    """What the credential report says about a moto user (datetimes are naive UTC)."""
    return {
        "name": found_user.name,
        "arn": found_user.arn,
        "created": found_user.create_date,
        "password": found_user.password is not None,
        "password_last_used": found_user.password_last_used,
        "mfa": bool(found_user.mfa_devices),
        "access_keys": [
            {
                "active": key.status == "Active",
                "created": key.create_date,
                "last_used": _last_used_time(key.last_used),
                "region": getattr(key.last_used, "region", None),
                "service": getattr(key.last_used, "service", None),
            }
            for key in found_user.access_keys
        ],
        "certificates": [c.status == "Active" for c in found_user.signing_certificates.values()],
    }


def _last_used_time(last_used: Any) -> Any:
    from datetime import datetime

    # moto keeps an AccessKeyLastUsed, or a datetime some callers set directly.
    if last_used is None or isinstance(last_used, datetime):
        return last_used
    return last_used.timestamp


def max_password_age() -> int | None:
    """Days a password lives under the account's password policy, or None."""
    policy = iam().account_password_policy
    return policy.max_password_age if policy is not None and policy.max_password_age else None


def mark_access_key_used(key: Any, service: str | None) -> None:
    """Record an IAM user's key as used now, as AWS does for every signed call (moto does it
    only for the calls that reach moto, not for those the layer answers itself)."""
    from moto.iam.models import AccessKeyLastUsed

    from helpers.sandbox.constants import REGION

    key.last_used = AccessKeyLastUsed(now(), service or "iam", REGION)


# --- policies that apply to a principal (layer/principals.py) ---
# moto attributes used below: Role.name, .arn, .policies, .managed_policies,
# .permissions_boundary_arn, .assume_role_policy_document; IAMBackend.roles; User.arn, .id;
# ManagedPolicy.name.


def role(name: str) -> Any | None:
    return next((r for r in iam().roles.values() if r.name == name), None)


def default_document(policy: Any) -> str | None:
    """The document of a managed policy's default version."""
    return next((v.document for v in policy.versions if v.is_default), None)


# --- which operations moto implements (layer/app.py) ---


def implements(service: str, action: str) -> bool:
    """Whether moto's responses class for IAM or STS has a method for ``action``."""
    responses = IamResponse if service == "iam" else TokenResponse
    return callable(getattr(responses, xform_name(action), None))
