"""Catch-up: replay earlier lessons with their default values when their results are missing,
so each notebook runs on its own on a fresh sandbox, after the others, and again when re-run.

On a real account nothing is changed: the catch-up only says what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers import defaults, progress
from helpers.authenticator import Phone, enable_backups, open_phone
from helpers.connect import session_for
from helpers.iam import access_keys, account, groups, login, password_policy, users
from helpers.mfa_setup import (
    assign_root_mfa,
    assign_user_mfa,
    device_name_of,
    phone_account_for,
    remove_user_mfa,
)
from helpers.rules.passwords import generate_password


def ensure_phone() -> list[str]:
    """Lesson 01: the virtual phone has a PIN and a backup password, and is unlocked."""
    phone = open_phone()
    done = []
    if not phone.has_pin:
        phone.set_pin(defaults.PHONE_PIN)
        done.append("set the phone's PIN")
    if phone.is_locked:
        phone.unlock(defaults.PHONE_PIN)
        done.append("unlocked the phone")
    if not phone.backups_enabled:
        enable_backups(phone, defaults.PHONE_BACKUP_PASSWORD)
        done.append("turned on the phone's encrypted backup")
    return done


def ensure_root_mfa(aws: Any, phone: Phone) -> list[str]:
    """Lesson 02: root has MFA, and the phone holds its entry."""
    status = aws.console.root_status()
    if status["MFAEnabled"]:
        names = [device_name_of(serial) for serial in status["MFADevices"]]
        if any(phone_account_for(phone, name) for name in names):
            return []
        aws.console.deactivate_root_mfa()  # the phone lost it: re-enrol, as after a lost phone
    assign_root_mfa(aws.console, phone, defaults.ROOT_MFA_DEVICE_NAME)
    return ["turned on MFA for root"]


def ensure_user(aws: Any, phone: Phone, user_name: str = defaults.USER_NAME) -> list[str]:
    """Lesson 03: the IAM user with an access key (CSV), AdministratorAccess (when newly made),
    a console password (CSV) and an MFA device on the phone."""
    iam, done = aws.iam, []
    _, created = users.create_user(iam, user_name)
    if created:
        done.append(f"created IAM user {user_name}")
        users.attach_user_policy(iam, user_name, defaults.GROUP_POLICY_ARN)
    saved = access_keys.load_access_key_csv(user_name)
    if saved is None or saved.access_key_id not in access_keys.list_access_key_ids(iam, user_name):
        access_keys.save_access_key_csv(access_keys.rotate_access_key(iam, user_name))
        done.append("made an access key (saved to its CSV)")
    if not login.has_console_password(iam, user_name) or not login.load_credentials_csv(user_name):
        password = generate_password(password_policy.get_password_policy(iam))
        login.set_console_password(iam, user_name, password)
        login.save_credentials_csv(user_name, password, account.sign_in_link(iam, aws.account_id))
        done.append("set a console password (saved to its CSV)")
    serials = iam.list_mfa_devices(UserName=user_name)["MFADevices"]
    if serials and not phone_account_for(phone, user_name):
        remove_user_mfa(iam, user_name)
        serials = []
    if not serials:
        assign_user_mfa(iam, phone, user_name)
        done.append(f"gave {user_name} an MFA device on the phone")
    return done


def ensure_group(
    aws: Any, user_name: str = defaults.USER_NAME, group_name: str = defaults.GROUP_NAME
) -> list[str]:
    """Lesson 04: the group with its policy and the user in it; no policy on the user itself."""
    iam, done = aws.iam, []
    _, created = groups.create_group(iam, group_name)
    if created:
        done.append(f"created group {group_name}")
    if defaults.GROUP_POLICY_ARN.rsplit("/", 1)[-1] not in groups.group_policy_names(
        iam, group_name
    ):
        groups.attach_group_policy(iam, group_name, defaults.GROUP_POLICY_ARN)
    if user_name not in groups.group_members(iam, group_name):
        groups.add_user_to_group(iam, group_name, user_name)
        done.append(f"added {user_name} to {group_name}")
    if users.detach_user_policy(iam, user_name, defaults.GROUP_POLICY_ARN):
        done.append(f"moved {user_name}'s AdministratorAccess onto the group")
    return done


def ensure_password_policy(aws: Any) -> list[str]:
    """Lesson 05: the account has a password policy (the CIS one by default)."""
    if password_policy.get_password_policy(aws.iam) is not None:
        return []
    password_policy.update_password_policy(aws.iam, **defaults.CIS_PASSWORD_POLICY)
    return ["set the CIS password policy"]


def ensure_alias(aws: Any) -> list[str]:
    """Lesson 06: the account has an alias for its sign-in link."""
    if account.get_alias(aws.iam):
        return []
    account.set_alias(aws.iam, defaults.ACCOUNT_ALIAS)
    return [f"set the account alias {defaults.ACCOUNT_ALIAS}"]


def ensure_key_used(aws: Any, user_name: str = defaults.USER_NAME) -> list[str]:
    """Lesson 06: the user has worked with their access key (the CIS check of keys made at
    set-up and never used reads that)."""
    key = access_keys.load_access_key_csv(user_name)
    if key is None:
        return []
    used = aws.iam.get_access_key_last_used(AccessKeyId=key.access_key_id)["AccessKeyLastUsed"]
    if used.get("LastUsedDate"):
        return []
    session = session_for(key.access_key_id, key.secret_access_key)
    session.client("sts", endpoint_url=aws.endpoint).get_caller_identity()
    return [f"used {user_name}'s access key, as lesson 06 does"]


def _steps(aws: Any) -> list[tuple[int, Callable[[], list[str]]]]:
    return [
        (1, ensure_phone),
        (2, lambda: ensure_root_mfa(aws, open_phone())),
        (3, lambda: ensure_user(aws, open_phone())),
        (4, lambda: ensure_group(aws)),
        (5, lambda: ensure_password_policy(aws)),
        (6, lambda: ensure_alias(aws) + ensure_key_used(aws)),
    ]


def replay(aws: Any, lesson: int) -> list[str]:
    """Make sure lessons 01 .. ``lesson - 1`` are done, doing them with defaults if not.

    Returns what was done (empty when nothing was missing). Sandbox only.
    """
    if not aws.is_sandbox:
        return []
    done: list[str] = []
    for number, step in _steps(aws):
        if number < lesson:
            done += [f"{number:02d}: {what}" for what in step()]
    return done


def catch_up(aws: Any, lesson: int) -> None:
    """The notebooks' catch-up cell: ``replay`` and say in a few lines what it did."""
    progress.record(lesson=lesson)
    if not aws.is_sandbox:
        print("On a real account the catch-up changes nothing: do the earlier lessons first.")
        return
    done = replay(aws, lesson)
    if done:
        print("Caught up on earlier lessons with their default values:")
        print("\n".join(f"  • {what}" for what in done))
    else:
        print("Earlier lessons are done: nothing to catch up.")
