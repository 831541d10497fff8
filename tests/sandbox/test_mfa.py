"""Virtual MFA devices through a plain boto3 client: each rule's bad case fails with AWS's error
code and HTTP status, and the good case passes. Codes come from the device's seed with pyotp,
for the current 30-second step and the one before (no sleeping)."""

from __future__ import annotations

import io
import json
import time

import pyotp
import pytest
import zxingcpp
from PIL import Image

from helpers.sandbox.constants import (
    ACCOUNT_ID,
)
from tests.conftest import make_client, refused

STEP = 30

# Where the expected answers come from (see tests/conftest.py): codes and statuses follow these
# pages; each expected message below says whether its wording is AWS's or the sandbox's own.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateVirtualMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ResyncMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeactivateMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteVirtualMFADevice.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListVirtualMFADevices.html",
)
# AWS's sentence ("Authentication code for device is not valid."), then the sandbox's own hint.
INVALID_CODES = (
    "InvalidAuthenticationCode",
    403,
    "Authentication code for device is not valid. Enter two consecutive codes from your "
    "authenticator app: the code shown now, then the next one after it changes.",
)
# AWS's ValidationError format with the API reference's constraint (length 6, pattern [\d]+).
def bad_code_format(
    code: str, member: str = "authenticationCode1", pattern: str = "[\\d]+"
) -> tuple[str, int, str]:
    """AWS's ValidationError for a code that breaks the model's constraint on it (length 6,
    pattern [\\d]+), in AWS's generic wording, one broken constraint named."""
    if len(code) < 6:
        rule = "have length greater than or equal to 6"
    elif len(code) > 6:
        rule = "have length less than or equal to 6"
    else:
        rule = f"satisfy regular expression pattern: {pattern}"
    return (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{code}' at '{member}' failed to satisfy "
        f"constraint: Member must {rule}",
    )


def not_assigned(serial: str, user: str) -> tuple[str, int, str]:
    """NoSuchEntity for a device that is not this user's: the sandbox's own wording."""
    return (
        "NoSuchEntity",
        404,
        f"MFA device with serial number {serial} is not assigned to user {user}.",
    )


def no_such_user(user: str) -> tuple[str, int, str]:
    """NoSuchEntity with IAM's usual sentence for an unknown user."""
    return ("NoSuchEntity", 404, f"The user with name {user} cannot be found.")


def seed_of(device: dict) -> str:
    return device["Base32StringSeed"].decode()


def code_at(seed: str, steps_from_now: int = 0) -> str:
    step = int(time.time() // STEP) + steps_from_now
    return pyotp.TOTP(seed).at(step * STEP)


def two_codes(seed: str) -> tuple[str, str]:
    """Two consecutive codes: the previous step's and the current one."""
    return code_at(seed, -1), code_at(seed, 0)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def new_device(iam, name: str = "alice-phone") -> dict:
    return iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]


def assigned_device(iam, user: str = "alice", name: str | None = None) -> dict:
    device = new_device(iam, name or f"{user}-phone")
    code1, code2 = two_codes(seed_of(device))
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    return device


def read_qr(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, "no QR code in the image"
    return found[0].text


@pytest.fixture
def alice(iam) -> str:
    iam.create_user(UserName="alice")
    return "alice"


# --- CreateVirtualMFADevice ---


def test_qr_code_is_the_otpauth_uri_with_the_account_id(iam) -> None:
    device = new_device(iam, "alice-phone")
    seed = seed_of(device)
    assert device["SerialNumber"] == f"arn:aws:iam::{ACCOUNT_ID}:mfa/alice-phone"
    assert device["QRCodePNG"].startswith(b"\x89PNG")
    assert read_qr(device["QRCodePNG"]) == (
        f"otpauth://totp/Amazon%20Web%20Services:alice-phone@{ACCOUNT_ID}"
        f"?secret={seed}&issuer=Amazon%20Web%20Services"
    )


def test_qr_code_names_the_alias_once_there_is_one(iam) -> None:
    iam.create_account_alias(AccountAlias="my-tutorial-lab")
    device = new_device(iam, "bob-phone")
    assert read_qr(device["QRCodePNG"]) == (
        "otpauth://totp/Amazon%20Web%20Services:bob-phone@my-tutorial-lab"
        f"?secret={seed_of(device)}&issuer=Amazon%20Web%20Services"
    )


def test_seed_is_64_base32_characters_like_aws(iam) -> None:
    seed = seed_of(new_device(iam))
    assert len(seed) == 64
    assert set(seed) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


@pytest.mark.parametrize("name", ["has space", "slash/name", "bang!"])
def test_device_name_rules(iam, name: str) -> None:
    # AWS's ValidationError with the API reference's pattern, then the sandbox's own hint.
    assert refused(iam.create_virtual_mfa_device, VirtualMFADeviceName=name) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{name}' at 'virtualMFADeviceName' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+. "
        "Use letters, digits and _+=,.@- only (no spaces, no accented letters).",
    )


def test_a_device_name_longer_than_226_characters(iam) -> None:
    # AWS's ValidationError with the API reference's maximum length.
    name = "x" * 227
    assert refused(iam.create_virtual_mfa_device, VirtualMFADeviceName=name) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{name}' at 'virtualMFADeviceName' failed to "
        "satisfy constraint: Member must have length less than or equal to 226",
    )


def test_device_name_with_allowed_symbols_and_longest_length(iam) -> None:
    assert new_device(iam, "a_b+c=d,e.f@g-h")["SerialNumber"].endswith(":mfa/a_b+c=d,e.f@g-h")
    assert new_device(iam, "x" * 226)["SerialNumber"].endswith("x" * 226)


def test_duplicate_device_name(iam) -> None:
    new_device(iam, "phone")
    # AWS's sentence ("MFADevice entity at the same path and name already exists"), then the
    # sandbox's own explanation.
    assert refused(iam.create_virtual_mfa_device, VirtualMFADeviceName="phone") == (
        "EntityAlreadyExists",
        409,
        "MFADevice entity at the same path and name already exists: a virtual MFA device named "
        "phone exists. Pick another name, or delete the old device first.",
    )


def test_each_device_gets_its_own_seed_and_qr_code(iam) -> None:
    # How long this takes is measured by benchmarks/bench_sandbox.py, not asserted here.
    first, second = new_device(iam, "first"), new_device(iam, "second")
    assert seed_of(first) != seed_of(second)
    for device, name in ((first, "first"), (second, "second")):
        assert read_qr(device["QRCodePNG"]).startswith(
            f"otpauth://totp/Amazon%20Web%20Services:{name}@"
        )
        assert f"secret={seed_of(device)}&" in read_qr(device["QRCodePNG"])


# --- EnableMFADevice ---


def test_enable_with_two_consecutive_codes(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    listed = iam.list_mfa_devices(UserName=alice)["MFADevices"]
    assert [d["SerialNumber"] for d in listed] == [device["SerialNumber"]]


def test_enable_tolerates_one_step_of_clock_skew(iam, alice: str) -> None:
    device = new_device(iam)
    seed = seed_of(device)
    iam.enable_mfa_device(
        UserName=alice,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=code_at(seed, 0),
        AuthenticationCode2=code_at(seed, 1),
    )
    listed = iam.list_mfa_devices(UserName=alice)["MFADevices"]
    assert [d["SerialNumber"] for d in listed] == [device["SerialNumber"]]


def _enable(iam, user: str, serial: str, code1: str, code2: str):
    return refused(
        iam.enable_mfa_device,
        UserName=user,
        SerialNumber=serial,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )


def test_enable_with_a_wrong_code(iam, alice: str) -> None:
    device = new_device(iam)
    code1, code2 = two_codes(seed_of(device))
    assert _enable(iam, alice, device["SerialNumber"], code1, wrong(code2)) == INVALID_CODES
    assert iam.list_mfa_devices(UserName=alice)["MFADevices"] == []


def test_enable_with_codes_out_of_order(iam, alice: str) -> None:
    device = new_device(iam)
    code1, code2 = two_codes(seed_of(device))
    assert _enable(iam, alice, device["SerialNumber"], code2, code1) == INVALID_CODES
    assert iam.list_mfa_devices(UserName=alice)["MFADevices"] == []


def test_enable_with_the_same_code_twice(iam, alice: str) -> None:
    device = new_device(iam)
    now = code_at(seed_of(device))
    assert _enable(iam, alice, device["SerialNumber"], now, now) == INVALID_CODES


def test_enable_with_codes_of_another_device(iam, alice: str) -> None:
    device, other = new_device(iam, "one"), new_device(iam, "two")
    code1, code2 = two_codes(seed_of(other))
    assert _enable(iam, alice, device["SerialNumber"], code1, code2) == INVALID_CODES


def test_enable_with_stale_codes(iam, alice: str) -> None:
    device = new_device(iam)
    seed = seed_of(device)
    stale = _enable(iam, alice, device["SerialNumber"], code_at(seed, -4), code_at(seed, -3))
    assert stale == INVALID_CODES


@pytest.mark.parametrize("bad", ["12345a", "abcdef", "12 456"])
def test_enable_with_non_digit_codes(iam, alice: str, bad: str) -> None:
    device = new_device(iam)
    assert _enable(iam, alice, device["SerialNumber"], bad, "123456") == bad_code_format(bad)


@pytest.mark.parametrize("bad", ["12345", "1234567"])
def test_enable_with_a_code_of_the_wrong_length(sandbox, iam, alice: str, bad: str) -> None:
    # botocore refuses these before sending; a client without its checks shows the server's answer.
    device = new_device(iam)
    raw = make_client("iam", sandbox.endpoint, validate=False)
    assert _enable(raw, alice, device["SerialNumber"], bad, "123456") == bad_code_format(bad)


def test_enable_without_a_code_that_reaches_the_server(sandbox, iam, alice: str) -> None:
    # An empty code is sent as a value of length 0 (the query protocol's "AuthenticationCode1="):
    # AWS's ValidationError for the model's minimum length.
    device = new_device(iam)
    raw = make_client("iam", sandbox.endpoint, validate=False)
    assert _enable(raw, alice, device["SerialNumber"], "", "123456") == bad_code_format("")


def test_enable_for_an_unknown_user(iam) -> None:
    device = new_device(iam)
    code1, code2 = two_codes(seed_of(device))
    assert _enable(iam, "nobody", device["SerialNumber"], code1, code2) == no_such_user("nobody")


def test_enable_a_phantom_serial(iam, alice: str) -> None:
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/never-created"
    code, status, message = _enable(iam, alice, serial, "123456", "654321")
    assert (code, status) == ("NoSuchEntity", 404)
    assert serial in message and "doesn't exist" in message


def test_device_assigned_to_another_user_cannot_be_reused(iam, alice: str) -> None:
    iam.create_user(UserName="bob")
    device = assigned_device(iam, alice)
    code1, code2 = two_codes(seed_of(device))
    # AWS's "MFA Device is already in use", then the sandbox's own explanation.
    assert _enable(iam, "bob", device["SerialNumber"], code1, code2) == (
        "EntityAlreadyExists",
        409,
        f"MFA Device is already in use: {device['SerialNumber']} is assigned to another user. "
        "A device can be assigned to one user only; create a new virtual MFA device for this "
        "user.",
    )
    assert iam.list_mfa_devices(UserName="bob")["MFADevices"] == []


def test_device_cannot_be_assigned_twice_to_the_same_user(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    code1, code2 = two_codes(seed_of(device))
    code, status, message = _enable(iam, alice, device["SerialNumber"], code1, code2)
    assert (code, status) == ("EntityAlreadyExists", 409)
    # AWS's "MFA Device is already in use", then the sandbox's own explanation.
    assert message.startswith(f"MFA Device is already in use: {device['SerialNumber']} is ")
    assert "assigned to this user" in message


def test_ninth_device_exceeds_the_limit(iam, alice: str) -> None:
    for index in range(8):
        assigned_device(iam, alice, f"device-{index}")
    ninth = new_device(iam, "device-8")
    code1, code2 = two_codes(seed_of(ninth))
    # AWS's quota sentence (IAM quotas: 8 MFA devices per user), then the sandbox's own hint.
    assert _enable(iam, alice, ninth["SerialNumber"], code1, code2) == (
        "LimitExceeded",
        409,
        "Cannot exceed quota for MFADevicesPerUser: 8. Deactivate a device of alice before "
        "assigning another.",
    )
    assert len(iam.list_mfa_devices(UserName=alice)["MFADevices"]) == 8


# --- ResyncMFADevice ---


def _resync(iam, user: str, serial: str, code1: str, code2: str):
    return iam.resync_mfa_device(
        UserName=user, SerialNumber=serial, AuthenticationCode1=code1, AuthenticationCode2=code2
    )


def test_resync_with_consecutive_codes(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    code1, code2 = two_codes(seed_of(device))
    answer = _resync(iam, alice, device["SerialNumber"], code1, code2)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_resync_accepts_a_drifted_clock(sandbox, iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    seed, serial = seed_of(device), device["SerialNumber"]
    # Codes five minutes ahead: too far for EnableMFADevice, within resync's wider window.
    _resync(iam, alice, serial, code_at(seed, 9), code_at(seed, 10))
    # From now on the device's codes are expected five minutes ahead.
    key = iam.create_access_key(UserName=alice)["AccessKey"]
    sts = make_client("sts", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    sts.get_session_token(SerialNumber=serial, TokenCode=code_at(seed, 10))
    # AWS's wording for a wrong code (GetSessionToken through the CLI and SDKs).
    assert refused(sts.get_session_token, SerialNumber=serial, TokenCode=code_at(seed, 0)) == (
        "AccessDenied",
        403,
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    )


def test_resync_beyond_its_window(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    seed = seed_of(device)
    far = refused(
        _resync, iam, alice, device["SerialNumber"], code_at(seed, 29), code_at(seed, 30)
    )
    assert far == INVALID_CODES


def test_resync_with_wrong_codes(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    code1, code2 = two_codes(seed_of(device))
    assert refused(_resync, iam, alice, device["SerialNumber"], code2, code1) == INVALID_CODES
    assert (
        refused(_resync, iam, alice, device["SerialNumber"], code1, wrong(code2))
        == INVALID_CODES
    )


def test_resync_unknown_user_serial_or_unassigned_device(iam, alice: str) -> None:
    iam.create_user(UserName="bob")
    device = assigned_device(iam, alice)
    code1, code2 = two_codes(seed_of(device))
    serial = device["SerialNumber"]
    assert refused(_resync, iam, "nobody", serial, code1, code2) == no_such_user("nobody")
    phantom = f"arn:aws:iam::{ACCOUNT_ID}:mfa/phantom"
    assert refused(_resync, iam, alice, phantom, code1, code2) == not_assigned(phantom, alice)
    assert refused(_resync, iam, "bob", serial, code1, code2) == not_assigned(serial, "bob")


def test_resync_with_non_digit_codes(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    bad = refused(_resync, iam, alice, device["SerialNumber"], "abcdef", "123456")
    assert bad == bad_code_format("abcdef")


# --- DeactivateMFADevice, DeleteVirtualMFADevice ---


def test_deactivate_leaves_an_unassigned_device(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    iam.deactivate_mfa_device(UserName=alice, SerialNumber=device["SerialNumber"])
    assert iam.list_mfa_devices(UserName=alice)["MFADevices"] == []
    unassigned = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in unassigned] == [device["SerialNumber"]]
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []


def test_deactivate_unknown_user_or_device(iam, alice: str) -> None:
    device = new_device(iam)
    serial = device["SerialNumber"]
    assert refused(
        iam.deactivate_mfa_device, UserName="nobody", SerialNumber=serial
    ) == no_such_user("nobody")
    assert refused(
        iam.deactivate_mfa_device, UserName=alice, SerialNumber=serial
    ) == not_assigned(serial, alice)


def test_user_deactivates_own_device_without_naming_itself(sandbox, iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    key = iam.create_access_key(UserName=alice)["AccessKey"]
    own_mfa = {  # AWS's example policy's AllowManageOwnUserMFA statement
        "Effect": "Allow",
        "Action": ["iam:DeactivateMFADevice", "iam:ListMFADevices"],
        "Resource": "arn:aws:iam::*:user/${aws:username}",
    }
    document = json.dumps({"Version": "2012-10-17", "Statement": [own_mfa]})
    iam.put_user_policy(UserName=alice, PolicyName="OwnMFA", PolicyDocument=document)
    own = make_client("iam", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    assert [d["SerialNumber"] for d in own.list_mfa_devices()["MFADevices"]] == [
        device["SerialNumber"]
    ]
    own.deactivate_mfa_device(SerialNumber=device["SerialNumber"])
    assert iam.list_mfa_devices(UserName=alice)["MFADevices"] == []


def test_delete_assigned_device_is_a_conflict(iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    serial = device["SerialNumber"]
    # The sandbox's own wording (the API reference names only the code).
    assert refused(iam.delete_virtual_mfa_device, SerialNumber=serial) == (
        "DeleteConflict",
        409,
        f"MFA device {serial} is still assigned to user alice. Deactivate it first "
        "(DeactivateMFADevice), then delete it.",
    )
    iam.deactivate_mfa_device(UserName=alice, SerialNumber=serial)
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_delete_unknown_device(iam) -> None:
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/phantom"
    code, status, message = refused(iam.delete_virtual_mfa_device, SerialNumber=serial)
    assert (code, status) == ("NoSuchEntity", 404)
    # AWS's sentence ("VirtualMFADevice with serial number X doesn't exist."), then the hint.
    assert message.startswith(f"VirtualMFADevice with serial number {serial} doesn't exist.")


# --- ListVirtualMFADevices ---


def test_list_hides_seeds_and_filters_by_assignment(iam, alice: str) -> None:
    assigned = assigned_device(iam, alice)
    spare = new_device(iam, "spare")
    devices = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert {d["SerialNumber"] for d in devices} == {
        assigned["SerialNumber"],
        spare["SerialNumber"],
    }
    assert all("Base32StringSeed" not in d and "QRCodePNG" not in d for d in devices)
    only_assigned = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in only_assigned] == [assigned["SerialNumber"]]
    assert only_assigned[0]["User"]["UserName"] == alice


def test_list_with_an_unknown_assignment_status(iam) -> None:
    # AWS's ValidationError with the API reference's enum (Assigned | Unassigned | Any).
    assert refused(iam.list_virtual_mfa_devices, AssignmentStatus="Maybe") == (
        "ValidationError",
        400,
        "1 validation error detected: Value 'Maybe' at 'assignmentStatus' failed to satisfy "
        "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]",
    )


def test_get_mfa_device_takes_only_fido_keys(iam) -> None:
    """GetMFADevice: "For this API, we only accept FIDO security key ARNs" (its API reference);
    the messages are the sandbox's own."""
    iam.create_user(UserName="alice")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")[
        "VirtualMFADevice"
    ]["SerialNumber"]
    code, status, message = refused(iam.get_mfa_device, SerialNumber=serial, UserName="alice")
    assert (code, status) == ("NoSuchEntity", 404)
    assert message.startswith("GetMFADevice takes the serial number of a FIDO security key")
    unknown = "arn:aws:iam::123456789012:u2f/user/alice/key-1"
    assert refused(iam.get_mfa_device, SerialNumber=unknown) == (
        "NoSuchEntity",
        404,
        f"MFA device with serial number {unknown} cannot be found.",
    )
    assert refused(iam.get_mfa_device, SerialNumber=serial, UserName="nobody") == (
        "NoSuchEntity",
        404,
        "The user with name nobody cannot be found.",
    )


def test_device_names_follow_the_user_name_pattern(sandbox) -> None:
    """AWS's pattern [\\w+=,.@-]+ is ASCII (CreateVirtualMFADevice's API reference), for device
    names as for user names: an accented letter is refused for both."""
    raw = make_client("iam", sandbox.endpoint, validate=False)
    for call, kwargs in (
        (raw.create_virtual_mfa_device, {"VirtualMFADeviceName": "téléphone"}),
        (raw.create_user, {"UserName": "téléphone"}),
    ):
        code, status, message = refused(call, **kwargs)
        assert (code, status) == ("ValidationError", 400)
        assert message.startswith("1 validation error detected: Value 'téléphone' at ")
        assert "Member must satisfy regular expression pattern: [\\w+=,.@-]+" in message
