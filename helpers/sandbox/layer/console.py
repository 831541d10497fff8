"""Console-only actions: what AWS lets people do in the AWS Management Console, not the API.

- Root MFA (https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html):
  ``start-root-mfa`` makes a virtual device and shows its QR code, ``enable-root-mfa`` checks two
  consecutive codes exactly as ``EnableMFADevice`` does, ``cancel-root-mfa`` drops a device that
  still waits for codes, ``deactivate-root-mfa`` removes root's devices (one, or all). Root may
  have up to 8 MFA devices, like an IAM user (``LimitExceeded``); "General steps for enabling MFA
  devices", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable-overview.html.
- Root access keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_add-key.html):
  at most two, which the article (and every security checklist) says to delete.
- ``sign-in`` as an IAM user on the sign-in page
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/console_sign-in-page.html): account id or
  alias, user name, password; then the MFA code when the user has a device; then a new password
  when an administrator required one. Wrong account, user or password all get one answer that
  does not say which part was wrong.

Payloads and answers are JSON; ``helpers/sandbox/console.py`` (``SandboxConsole``) calls them.
"""

from __future__ import annotations

import base64
import hmac
from typing import Any

from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.layer import moto_state, passwords, totp_check
from helpers.sandbox.layer.identity import (
    ROOT,
    RootAccessKey,
    RootMfaDevice,
    iso,
    new_access_key_id,
    new_secret_access_key,
    user_arn,
    utc_now,
)
from helpers.sandbox.layer.mfa import (
    MAX_DEVICES_PER_USER,
    check_consecutive_codes,
    name_taken,
    new_seed,
    otpauth_uri,
    qr_png,
    serial_for,
    validate_device_name,
)
from helpers.sandbox.layer.registry import console_action
from helpers.sandbox.layer.wire import AwsError

MAX_ROOT_ACCESS_KEYS = 2
SIGN_IN_FAILED = "Your authentication information is incorrect. Please try again."


def _text(payload: dict, key: str) -> str | None:
    value = payload.get(key)
    return None if value is None else str(value)


# --- root MFA ---


def _root_device_limit() -> None:
    if len(ROOT.mfa_devices) >= MAX_DEVICES_PER_USER:
        raise AwsError(
            "LimitExceeded",
            f"Cannot exceed quota for MFADevicesPerUser: {MAX_DEVICES_PER_USER}. Remove a device "
            "of the root user before assigning another.",
        )


@console_action("start-root-mfa")
def start_root_mfa(payload: dict) -> dict:
    _root_device_limit()
    name = validate_device_name(_text(payload, "DeviceName"), "DeviceName")
    ROOT.pending_device = None  # starting again replaces a device that was never enabled
    if name_taken(name):
        raise AwsError(
            "EntityAlreadyExists",
            f"A virtual MFA device named {name} already exists in this account; pick another name.",
        )
    seed = new_seed()
    device = RootMfaDevice(name=name, serial=serial_for(name), seed=seed, created_at=utc_now())
    ROOT.pending_device = device
    png = qr_png(otpauth_uri(name, seed))
    return {
        "VirtualMFADevice": {
            "SerialNumber": device.serial,
            "QRCodePNG": base64.b64encode(png).decode(),
            "Base32StringSeed": seed,
        }
    }


@console_action("enable-root-mfa")
def enable_root_mfa(payload: dict) -> dict:
    code1 = totp_check.require_code_format(
        "authenticationCode1", _text(payload, "AuthenticationCode1")
    )
    code2 = totp_check.require_code_format(
        "authenticationCode2", _text(payload, "AuthenticationCode2")
    )
    serial = _text(payload, "SerialNumber")
    if ROOT.mfa_device(serial) is not None:
        raise AwsError(
            "EntityAlreadyExists",
            f"MFA Device is already in use: {serial} is already one of the root user's devices.",
        )
    device = ROOT.pending_device
    if device is None or device.serial != serial:
        raise AwsError(
            "NoSuchEntity",
            f"VirtualMFADevice with serial number {serial} doesn't exist. Start with "
            "start-root-mfa and use the SerialNumber it returns.",
        )
    _root_device_limit()
    check_consecutive_codes(device.serial, device.seed, code1, code2)
    device.enabled_at = utc_now()
    ROOT.mfa_devices.append(device)
    ROOT.pending_device = None
    return {"MFAEnabled": True, "SerialNumber": device.serial, "EnableDate": iso(device.enabled_at)}


@console_action("cancel-root-mfa")
def cancel_root_mfa(payload: dict) -> dict:
    """The wizard's Cancel: the device that waits for codes is dropped, nothing half-made stays."""
    device = ROOT.pending_device
    if device is None:
        raise AwsError("NoSuchEntity", "No MFA device of the root user waits for codes.")
    ROOT.pending_device = None
    return {"Cancelled": device.serial}


@console_action("deactivate-root-mfa")
def deactivate_root_mfa(payload: dict) -> dict:
    serial = _text(payload, "SerialNumber")
    if not ROOT.mfa_devices:
        raise AwsError("NoSuchEntity", "The root user has no MFA device to remove.")
    if serial is None:  # the sandbox's shortcut: every device of root's
        removed = [device.serial for device in ROOT.mfa_devices]
        ROOT.mfa_devices.clear()
    else:
        device = ROOT.mfa_device(serial)
        if device is None:
            raise AwsError(
                "NoSuchEntity", f"The root user has no MFA device with serial number {serial}."
            )
        ROOT.mfa_devices.remove(device)
        removed = [serial]
    return {"MFAEnabled": ROOT.mfa_enabled, "Removed": removed}


# --- root access keys ---


@console_action("create-root-access-key")
def create_root_access_key(payload: dict) -> dict:
    if len(ROOT.access_keys) >= MAX_ROOT_ACCESS_KEYS:
        raise AwsError(
            "LimitExceeded",
            f"Cannot exceed quota for AccessKeysPerUser: {MAX_ROOT_ACCESS_KEYS}. The root user "
            "should have none at all: delete one first.",
        )
    key = RootAccessKey(new_access_key_id("AKIA"), new_secret_access_key(), utc_now())
    ROOT.access_keys.append(key)
    return {
        "AccessKey": {
            "AccessKeyId": key.access_key_id,
            "SecretAccessKey": key.secret_access_key,
            "Status": key.status,
            "CreateDate": iso(key.created_at),
        }
    }


@console_action("delete-root-access-key")
def delete_root_access_key(payload: dict) -> dict:
    access_key_id = _text(payload, "AccessKeyId") or ""
    key = ROOT.access_key(access_key_id)
    if key is None:
        raise AwsError("NoSuchEntity", f"The Access Key with id {access_key_id} cannot be found.")
    ROOT.access_keys.remove(key)
    return {"Deleted": access_key_id}


@console_action("root-status")
def root_status(payload: dict) -> dict:
    return {
        "MFAEnabled": ROOT.mfa_enabled,
        "MFADevices": [device.serial for device in ROOT.mfa_devices],
        "AccessKeys": [
            {"AccessKeyId": k.access_key_id, "Status": k.status} for k in ROOT.access_keys
        ],
    }


# --- IAM user sign-in ---


def _refused() -> AwsError:
    return AwsError("AuthenticationFailed", SIGN_IN_FAILED, 401)


def _account_matches(account: str | None) -> bool:
    if not account:
        return False
    account = account.strip()
    alias = moto_state.account_alias()
    return account == ACCOUNT_ID or (alias is not None and account.lower() == alias)


def _check_mfa(found: Any, code: str | None) -> bool:
    """True when the user has MFA and ``code`` is a current code of one of its devices."""
    serials = moto_state.user_mfa_serials(found)
    if not serials:
        return False
    if not code:
        raise AwsError(
            "MFARequired",
            "This user signs in with MFA: enter the 6-digit code your authenticator app shows "
            "now (MFACode).",
            401,
        )
    if totp_check.is_code(code):
        for serial in serials:
            device = moto_state.virtual_mfa_device(serial)
            if device is None:
                continue
            seed = moto_state.device_seed(device)
            if totp_check.matching_step(seed, code, now=totp_check.device_now(serial)) is not None:
                return True
    raise AwsError(
        "InvalidAuthenticationCode",
        "The MFA code is not valid. Enter the 6-digit code your authenticator app shows now.",
    )


@console_action("sign-in")
def sign_in(payload: dict) -> dict:
    user_name = _text(payload, "UserName")
    password = _text(payload, "Password")
    if not _account_matches(_text(payload, "Account")) or not user_name or password is None:
        raise _refused()
    found = moto_state.user(user_name)
    stored = moto_state.user_password(found) if found is not None else None
    if stored is None or not hmac.compare_digest(stored.encode(), password.encode()):
        raise _refused()
    mfa_used = _check_mfa(found, _text(payload, "MFACode"))
    changed = False
    if moto_state.password_reset_required(found):
        new_password = _text(payload, "NewPassword")
        if new_password is None:
            raise AwsError(
                "PasswordResetRequired",
                "Your administrator requires a new password at this sign-in: send it as "
                "NewPassword.",
                401,
            )
        # The same rules as ChangePassword: policy, reuse prevention; clears the flag.
        passwords.change_password(user_name, password, new_password)
        changed = True
    moto_state.mark_password_used(found)
    address = moto_state.account_alias() or ACCOUNT_ID
    return {
        "SignedIn": True,
        "Arn": user_arn(user_name),
        "AccountId": ACCOUNT_ID,
        "UserName": user_name,
        "MFAUsed": mfa_used,
        "PasswordChanged": changed,
        "SignInUrl": f"https://{address}.signin.aws.amazon.com/console",
    }
