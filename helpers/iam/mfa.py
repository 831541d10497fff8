"""Virtual MFA devices of IAM users (lesson 03), the same steps as root's in the console."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)


def mfa_serials(iam: Any, user_name: str) -> list[str]:
    return [d["SerialNumber"] for d in iam.list_mfa_devices(UserName=user_name)["MFADevices"]]


def create_virtual_mfa_device(iam: Any, device_name: str) -> dict:
    """A new virtual device: ``SerialNumber`` and ``QRCodePNG`` (the seed stays unshown).

    An unassigned device left by an earlier, unfinished attempt is deleted first.
    """
    for device in iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]:
        if device["SerialNumber"].endswith(f":mfa/{device_name}"):
            iam.delete_virtual_mfa_device(SerialNumber=device["SerialNumber"])
    try:
        device = iam.create_virtual_mfa_device(VirtualMFADeviceName=device_name)["VirtualMFADevice"]
    except ClientError:
        logger.exception("Couldn't create virtual MFA device %s.", device_name)
        raise
    return {"SerialNumber": device["SerialNumber"], "QRCodePNG": device["QRCodePNG"]}


def enable_mfa_device(iam: Any, user_name: str, serial_number: str, code1: str, code2: str) -> None:
    try:
        iam.enable_mfa_device(
            UserName=user_name,
            SerialNumber=serial_number,
            AuthenticationCode1=code1,
            AuthenticationCode2=code2,
        )
    except ClientError:
        logger.exception("Couldn't enable MFA device for %s.", user_name)
        raise
