"""Tags on virtual MFA devices: ``TagMFADevice``, ``UntagMFADevice``, ``ListMFADeviceTags`` and
``CreateVirtualMFADevice``'s ``Tags``. moto answers none of the three (HTTP 500) and drops the
fourth.

AWS: https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagMFADevice.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagMFADevice.html,
https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListMFADeviceTags.html and
*Tagging IAM resources* (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html): at most
50 tags per resource, keys 1-128 and values 0-256 characters; a tag with an existing key replaces
its value.
"""

from __future__ import annotations

import re

from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.identity import ROOT
from helpers.sandbox.layer.names import constraint, validation_error
from helpers.sandbox.layer.registry import Call, after, before, on_reset
from helpers.sandbox.layer.wire import AwsError, Response, xml_fields, xml_response

MAX_TAGS = 50
MAX_KEY = 128
MAX_VALUE = 256

_SERIAL_XML = re.compile(r"<SerialNumber>([^<]*)</SerialNumber>")

TAGS: dict[str, dict[str, str]] = {}  # serial number -> key -> value


@on_reset
def forget_tags() -> None:
    TAGS.clear()


def _existing_device(serial: str | None) -> str:
    serial = serial or ""
    root = ROOT.mfa_device(serial) is not None
    if not root and moto_state.virtual_mfa_device(serial) is None:
        raise AwsError(
            "NoSuchEntity", f"MFA device with serial number {serial} cannot be found.", 404
        )
    return serial


def _given_tags(call: Call) -> dict[str, str]:
    tags: dict[str, str] = {}
    problems = []
    index = 1
    while f"Tags.member.{index}.Key" in call.params:
        key = call.params[f"Tags.member.{index}.Key"]
        value = call.params.get(f"Tags.member.{index}.Value", "")
        if not 1 <= len(key) <= MAX_KEY:
            problems.append(
                constraint(f"tags.{index}.member.key", key, "have length between 1 and 128")
            )
        if len(value) > MAX_VALUE:
            problems.append(
                constraint(
                    f"tags.{index}.member.value", value, "have length less than or equal to 256"
                )
            )
        tags[key] = value
        index += 1
    if problems:
        raise validation_error(problems)
    return tags


def _add(serial: str, tags: dict[str, str]) -> None:
    merged = {**TAGS.get(serial, {}), **tags}
    if len(merged) > MAX_TAGS:
        raise AwsError(
            "LimitExceeded",
            f"A resource can have at most {MAX_TAGS} tags; {serial} would have {len(merged)}.",
        )
    TAGS[serial] = merged


@before("iam", "TagMFADevice")
def tag_mfa_device(call: Call) -> Response:
    serial = _existing_device(call.param("SerialNumber"))
    _add(serial, _given_tags(call))
    return xml_response("iam", call.action)


@before("iam", "UntagMFADevice")
def untag_mfa_device(call: Call) -> Response:
    serial = _existing_device(call.param("SerialNumber"))
    for key in call.members("TagKeys"):
        TAGS.get(serial, {}).pop(key, None)
    return xml_response("iam", call.action)


@before("iam", "ListMFADeviceTags")
def list_mfa_device_tags(call: Call) -> Response:
    serial = _existing_device(call.param("SerialNumber"))
    members = "".join(
        f"<member>{xml_fields(Key=key, Value=value)}</member>"
        for key, value in TAGS.get(serial, {}).items()
    )
    return xml_response(
        "iam", call.action, f"<Tags>{members}</Tags><IsTruncated>false</IsTruncated>"
    )


@before("iam", "CreateVirtualMFADevice")
def check_new_device_tags(call: Call) -> None:
    tags = _given_tags(call)
    if len(tags) > MAX_TAGS:
        raise AwsError("LimitExceeded", f"A resource can have at most {MAX_TAGS} tags.")


@after("iam", "CreateVirtualMFADevice")
def keep_new_device_tags(call: Call, response: Response) -> Response:
    tags = _given_tags(call)
    made = _SERIAL_XML.search(response.text)
    if tags and made:
        TAGS[made.group(1)] = tags
    return response


@after("iam", "DeleteVirtualMFADevice")
def forget_deleted_device_tags(call: Call, response: Response) -> Response:
    TAGS.pop(call.param("SerialNumber") or "", None)
    return response
