"""Virtual MFA devices, checked the way AWS checks them.

moto 5.2 hands out a random blob as the QR code, accepts any codes, phantom serial numbers and
one device on two users, deletes devices still in use, and does not implement
``ResyncMFADevice``. The rules here follow the IAM API reference:

- CreateVirtualMFADevice: a real QR code of AWS's ``otpauth://`` URI; name ``[\\w+=,.@-]+``,
  1-226 characters; a name already taken is ``EntityAlreadyExists``.
- EnableMFADevice / ResyncMFADevice: six-digit codes, two consecutive TOTP codes of the device's
  seed (``InvalidAuthenticationCode``), unknown user or serial (``NoSuchEntity``), a device
  already assigned (``EntityAlreadyExists``), at most 8 MFA devices per user (``LimitExceeded``).
- DeactivateMFADevice / DeleteVirtualMFADevice: ``NoSuchEntity`` for unknown devices,
  ``DeleteConflict`` while a device is still assigned.
- ListVirtualMFADevices: the root user's device is listed too; seeds and QR codes are not
  (AWS shows them once, when the device is created).

The root user's device (``identity.ROOT``) is set up by the console actions in ``console.py``.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
from typing import Any
from urllib.parse import quote

import qrcode

from helpers.rules.names import DEVICE_NAME_MAX_LENGTH, NAME_PATTERN
from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.layer import moto_state, totp_check
from helpers.sandbox.layer.identity import ROOT, ROOT_ARN, RootMfaDevice, iso
from helpers.sandbox.layer.names import NAME_PATTERN_TEXT
from helpers.sandbox.layer.registry import Call, after, before, hint, on_reset
from helpers.sandbox.layer.wire import (
    AwsError,
    Response,
    constraint,
    missing,
    validation_error,
    xml_fields,
    xml_response,
)

ISSUER = "Amazon Web Services"
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
MAX_DEVICES_PER_USER = 8
MAX_DEVICE_NAME = DEVICE_NAME_MAX_LENGTH
SEED_BYTES = 40  # AWS's seeds are 64 base32 characters, as moto's
_ASSIGNMENT_STATUSES = ("Assigned", "Unassigned", "Any")

DRIFT = totp_check.DRIFT  # what ResyncMFADevice learns; every code check follows it


@on_reset
def forget_drift() -> None:
    DRIFT.clear()


# --- building blocks shared with the console actions ---


def validate_device_name(name: str | None, parameter: str = "virtualMFADeviceName") -> str:
    if not name:
        raise validation_error([missing(parameter)])
    if len(name) > MAX_DEVICE_NAME:
        rule = f"have length less than or equal to {MAX_DEVICE_NAME}"
        raise validation_error([constraint(parameter, name, rule)])
    if not NAME_PATTERN.fullmatch(name):
        rule = f"satisfy regular expression pattern: {NAME_PATTERN_TEXT}"
        raise validation_error([constraint(parameter, name, rule)], DEVICE_NAME_HINT)
    return name


DEVICE_NAME_HINT = "Use letters, digits and _+=,.@- only (no spaces, no accented letters)."


@hint("iam", "CreateVirtualMFADevice")
def explain_device_name(call: Call, problems: list[str]) -> str | None:
    """The plain-words hint after AWS's message when the model's checks (validation.py) refuse
    the device name's characters first."""
    pattern_broken = any(
        "'virtualMFADeviceName'" in problem and "regular expression" in problem
        for problem in problems
    )
    return DEVICE_NAME_HINT if pattern_broken else None


def account_label() -> str:
    """What authenticator apps show after the device name: the account alias, else its id."""
    return moto_state.account_alias() or ACCOUNT_ID


def otpauth_uri(device_name: str, seed: str) -> str:
    issuer = quote(ISSUER)
    label = quote(f"{device_name}@{account_label()}", safe="@._-")
    return f"otpauth://totp/{issuer}:{label}?secret={seed}&issuer={issuer}"


def qr_png(text: str) -> bytes:
    """A PNG QR code of ``text`` (the ``qrcode`` package's default size and border)."""
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return buffer.getvalue()


def new_seed() -> str:
    return base64.b32encode(secrets.token_bytes(SEED_BYTES)).decode()


def serial_for(device_name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:mfa{path}{device_name}"


def name_taken(device_name: str) -> bool:
    """Whether a virtual MFA device (of any path, or the root user's) already has this name."""
    for device in moto_state.virtual_mfa_devices():
        if moto_state.device_serial(device).rsplit("/", 1)[-1] == device_name:
            return True
    return any(
        d is not None and d.name == device_name for d in (*ROOT.mfa_devices, ROOT.pending_device)
    )


def invalid_code() -> AwsError:
    return AwsError(
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid. Enter two consecutive codes from your "
        "authenticator app: the code shown now, then the next one after it changes.",
    )


def check_consecutive_codes(
    serial: str, seed: str, code1: str, code2: str, window: int = totp_check.SKEW_STEPS
) -> int:
    """The step of ``code2``, or ``InvalidAuthenticationCode``."""
    now = totp_check.device_now(serial)
    step = totp_check.consecutive_step(seed, code1, code2, window, now=now)
    if step is None:
        raise invalid_code()
    return step


def require_two_codes(call: Call) -> tuple[str, str]:
    return (
        totp_check.require_code_format("authenticationCode1", call.param("AuthenticationCode1")),
        totp_check.require_code_format("authenticationCode2", call.param("AuthenticationCode2")),
    )


def no_such_user(user_name: str | None) -> AwsError:
    return AwsError("NoSuchEntity", f"The user with name {user_name} cannot be found.")


def no_such_device(serial: str | None) -> AwsError:
    return AwsError(
        "NoSuchEntity",
        f"VirtualMFADevice with serial number {serial} doesn't exist. Create it first with "
        "CreateVirtualMFADevice, and use the SerialNumber it returns.",
    )


def existing_user(user_name: str | None) -> Any:
    found = moto_state.user(user_name or "")
    if found is None:
        raise no_such_user(user_name)
    return found


def _virtual_device(serial: str | None) -> Any:
    """A user-assignable virtual device (the root user's is not one of them)."""
    if ROOT.mfa_device(serial) is not None:
        raise AwsError(
            "EntityAlreadyExists",
            "MFA Device is already in use: it is the root user's MFA device.",
        )
    device = moto_state.virtual_mfa_device(serial or "")
    if device is None:
        raise no_such_device(serial)
    return device


# --- the IAM actions ---


@before("iam", "CreateVirtualMFADevice")
def create_virtual_mfa_device(call: Call) -> None:
    name = validate_device_name(call.param("VirtualMFADeviceName"))
    if name_taken(name):
        raise AwsError(
            "EntityAlreadyExists",
            f"MFADevice entity at the same path and name already exists: a virtual MFA device "
            f"named {name} exists. Pick another name, or delete the old device first.",
        )


_SERIAL_XML = re.compile(r"<SerialNumber>([^<]*)</SerialNumber>")
_QR_XML = re.compile(r"<QRCodePNG>[^<]*</QRCodePNG>")


@after("iam", "CreateVirtualMFADevice")
def real_qr_code(call: Call, response: Response) -> Response:
    text = response.text
    match = _SERIAL_XML.search(text)
    device = moto_state.virtual_mfa_device(match.group(1)) if match else None
    if device is None:
        return response
    seed = moto_state.device_seed(device)
    png = qr_png(otpauth_uri(call.param("VirtualMFADeviceName") or "", seed))
    moto_state.set_device_qr(device, png)
    encoded = base64.b64encode(png).decode()
    return response.with_text(_QR_XML.sub(f"<QRCodePNG>{encoded}</QRCodePNG>", text, count=1))


@before("iam", "EnableMFADevice")
def enable_mfa_device(call: Call) -> None:
    code1, code2 = require_two_codes(call)
    user_name = call.param("UserName")
    found = existing_user(user_name)
    serial = call.param("SerialNumber")
    device = _virtual_device(serial)
    holder = moto_state.device_user(device)
    if holder is not None:
        whose = "this user" if moto_state.user_name(holder) == user_name else "another user"
        raise AwsError(
            "EntityAlreadyExists",
            f"MFA Device is already in use: {serial} is assigned to {whose}. A device can be "
            "assigned to one user only; create a new virtual MFA device for this user.",
        )
    if len(moto_state.user_mfa_serials(found)) >= MAX_DEVICES_PER_USER:
        raise AwsError(
            "LimitExceeded",
            f"Cannot exceed quota for MFADevicesPerUser: {MAX_DEVICES_PER_USER}. Deactivate a "
            f"device of {user_name} before assigning another.",
        )
    check_consecutive_codes(serial or "", moto_state.device_seed(device), code1, code2)


@before("iam", "ResyncMFADevice")
def resync_mfa_device(call: Call) -> Response:
    code1, code2 = require_two_codes(call)
    user_name = call.param("UserName")
    found = existing_user(user_name)
    serial = call.param("SerialNumber") or ""
    if serial not in moto_state.user_mfa_serials(found):
        raise AwsError(
            "NoSuchEntity",
            f"MFA device with serial number {serial} is not assigned to user {user_name}.",
        )
    device = moto_state.virtual_mfa_device(serial)
    if device is None:
        raise no_such_device(serial)
    step = totp_check.consecutive_step(
        moto_state.device_seed(device), code1, code2, totp_check.RESYNC_STEPS
    )
    if step is None:
        raise invalid_code()
    DRIFT[serial] = step - totp_check.current_step()
    return xml_response("iam", "ResyncMFADevice")


@before("iam", "DeactivateMFADevice")
def deactivate_mfa_device(call: Call) -> Response | None:
    serial = call.param("SerialNumber") or ""
    user_name = call.param("UserName")
    if user_name is None and call.caller.kind == "root":
        # No user name: the caller's own device; for root, its console-made device.
        device = ROOT.mfa_device(serial)
        if device is None:
            raise AwsError(
                "NoSuchEntity", f"The root user has no MFA device with serial number {serial}."
            )
        ROOT.mfa_devices.remove(device)
        DRIFT.pop(serial, None)
        return xml_response("iam", "DeactivateMFADevice")
    own_call = user_name is None
    user_name = user_name or call.caller.user_name
    found = existing_user(user_name)
    if serial not in moto_state.user_mfa_serials(found):
        raise AwsError(
            "NoSuchEntity",
            f"MFA device with serial number {serial} is not assigned to user {user_name}.",
        )
    DRIFT.pop(serial, None)
    if own_call:
        moto_state.deactivate_mfa_device(user_name or "", serial)
        return xml_response("iam", "DeactivateMFADevice")
    return None


@before("iam", "DeleteVirtualMFADevice")
def delete_virtual_mfa_device(call: Call) -> None:
    serial = call.param("SerialNumber")
    if ROOT.mfa_device(serial) is not None:
        raise AwsError(
            "DeleteConflict",
            "The root user's MFA device is still in use. Remove it from the root user first "
            "(in the console: Security credentials, Remove).",
        )
    device = moto_state.virtual_mfa_device(serial or "")
    if device is None:
        raise no_such_device(serial)
    holder = moto_state.device_user(device)
    if holder is not None:
        raise AwsError(
            "DeleteConflict",
            f"MFA device {serial} is still assigned to user {moto_state.user_name(holder)}. "
            "Deactivate it first "
            "(DeactivateMFADevice), then delete it.",
        )


@before("iam", "ListVirtualMFADevices")
def check_assignment_status(call: Call) -> None:
    status = call.param("AssignmentStatus")
    if status is not None and status not in _ASSIGNMENT_STATUSES:
        rule = "satisfy enum value set: [Assigned, Unassigned, Any]"
        raise validation_error([constraint("assignmentStatus", status, rule)])


_SECRETS_XML = re.compile(r"<(Base32StringSeed|QRCodePNG)>[^<]*</\1>")


def _root_device_xml(device: RootMfaDevice) -> str:
    user = xml_fields(Path="/", UserId=ACCOUNT_ID, Arn=ROOT_ARN, CreateDate=iso(ROOT.created_at))
    enabled = iso(device.enabled_at) if device.enabled_at else None
    return (
        f"<member>{xml_fields(SerialNumber=device.serial)}<User>{user}</User>"
        f"{xml_fields(EnableDate=enabled)}</member>"
    )


@after("iam", "ListVirtualMFADevices")
def list_like_aws(call: Call, response: Response) -> Response:
    text = _SECRETS_XML.sub("", response.text)
    status = call.param("AssignmentStatus") or "Any"
    truncated = "<IsTruncated>true</IsTruncated>" in text
    if ROOT.mfa_devices and status != "Unassigned" and not truncated:
        member = "".join(_root_device_xml(device) for device in ROOT.mfa_devices)
        if "</VirtualMFADevices>" in text:
            text = text.replace("</VirtualMFADevices>", member + "</VirtualMFADevices>", 1)
        else:
            text = text.replace(
                "<VirtualMFADevices/>", f"<VirtualMFADevices>{member}</VirtualMFADevices>", 1
            )
    return response.with_text(text)


@before("iam", "ListMFADevices")
def list_own_mfa_devices(call: Call) -> Response | None:
    """Without UserName, AWS lists the caller's own devices (moto cannot tell who calls)."""
    if call.param("UserName") is not None:
        return None
    members = []
    if call.caller.kind == "root":
        for device in ROOT.mfa_devices:
            enabled = device.enabled_at or device.created_at
            members.append(xml_fields(SerialNumber=device.serial, EnableDate=iso(enabled)))
    else:
        found = existing_user(call.caller.user_name)
        for serial, enabled in moto_state.user_mfa_enable_dates(found):
            members.append(
                xml_fields(
                    UserName=call.caller.user_name,
                    SerialNumber=serial,
                    EnableDate=enabled.strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
            )
    body = "".join(f"<member>{m}</member>" for m in members)
    return xml_response(
        "iam", "ListMFADevices", f"<MFADevices>{body}</MFADevices><IsTruncated>false</IsTruncated>"
    )


@before("iam", "GetMFADevice")
def get_mfa_device(call: Call) -> Response:
    """AWS's GetMFADevice accepts only FIDO security keys' serial numbers
    (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetMFADevice.html), and the sandbox
    has no FIDO keys: a virtual device is pointed to ListMFADevices (the sandbox's wording)."""
    if call.param("UserName") is not None:
        existing_user(call.param("UserName"))
    serial = call.param("SerialNumber") or ""
    is_virtual = (
        moto_state.virtual_mfa_device(serial) is not None or ROOT.mfa_device(serial) is not None
    )
    if is_virtual:
        raise AwsError(
            "NoSuchEntity",
            f"GetMFADevice takes the serial number of a FIDO security key; {serial} is a "
            "virtual MFA device: ListMFADevices shows it.",
        )
    raise AwsError("NoSuchEntity", f"MFA device with serial number {serial} cannot be found.")
