"""Console-only actions (SandboxConsole): root MFA, root access keys, IAM user sign-in."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import urllib.error
import urllib.request

import pytest
import zxingcpp
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from PIL import Image

from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID, CONSOLE_PREFIX, REGION, SANDBOX_SERVICE
from helpers.sandbox.credentials import root_credentials
from tests.conftest import make_client, refused
from tests.sandbox.test_mfa import (
    INVALID_CODES,
    assigned_device,
    bad_code_format,
    code_at,
    seed_of,
    two_codes,
    wrong,
)

PASSWORD = "Correct-Horse-42"
# The sentence AWS's sign-in page shows; the code and status are the sandbox's own.
SIGN_IN_FAILED = (
    "AuthenticationFailed",
    401,
    "Your authentication information is incorrect. Please try again.",
)
NEW_PASSWORD = "Battery-Staple-77"
ROOT_SERIAL = f"arn:aws:iam::{ACCOUNT_ID}:mfa/root-account-mfa-device"

# Where the expected answers come from (see tests/conftest.py). The console's actions are not
# AWS API calls: root MFA and root keys follow these pages for what is refused, and their
# messages are the sandbox's own unless a comment says they are EnableMFADevice's (AWS's).
# The sign-in codes (AuthenticationFailed, MFARequired, PasswordResetRequired) and their
# messages are the sandbox's own, except "Your authentication information is incorrect. Please
# try again.", the sentence AWS's sign-in page shows.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html",
    # "You can register up to eight MFA devices ... with your AWS account root user and IAM
    # users" (General steps for enabling MFA devices).
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable-overview.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_add-key.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/console_sign-in-page.html",
)
SIGN_IN_MFA_CODE = (  # the sandbox's own wording
    "InvalidAuthenticationCode",
    403,
    "The MFA code is not valid. Enter the 6-digit code your authenticator app shows now.",
)
MFA_REQUIRED = (  # the sandbox's own code and wording
    "MFARequired",
    401,
    "This user signs in with MFA: enter the 6-digit code your authenticator app shows now "
    "(MFACode).",
)
RESET_REQUIRED = (  # the sandbox's own code and wording
    "PasswordResetRequired",
    401,
    "Your administrator requires a new password at this sign-in: send it as NewPassword.",
)


@pytest.fixture
def console(sandbox) -> SandboxConsole:
    return SandboxConsole(sandbox.endpoint)


def root_seed(device: dict) -> str:
    return device["Base32StringSeed"].decode()


def turn_on_root_mfa(console: SandboxConsole) -> dict:
    device = console.start_root_mfa()
    code1, code2 = two_codes(root_seed(device))
    console.enable_root_mfa(device["SerialNumber"], code1, code2)
    return device


# --- root MFA ---


def test_start_root_mfa_shows_a_device_like_create_virtual_mfa_device(console) -> None:
    device = console.start_root_mfa()
    assert device["SerialNumber"] == ROOT_SERIAL
    seed = root_seed(device)
    assert len(seed) == 64
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(device["QRCodePNG"])))
    assert found[0].text == (
        f"otpauth://totp/Amazon%20Web%20Services:root-account-mfa-device@{ACCOUNT_ID}"
        f"?secret={seed}&issuer=Amazon%20Web%20Services"
    )
    assert console.root_status()["MFAEnabled"] is False


def test_enable_root_mfa_flips_the_account_summary(console, iam) -> None:
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["AccountMFAEnabled"] == 0
    device = turn_on_root_mfa(console)
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["AccountMFAEnabled"] == 1
    status = console.root_status()
    assert status["MFAEnabled"] is True
    assert status["MFADevices"] == [device["SerialNumber"]]


def test_enable_root_mfa_checks_codes_like_enable_mfa_device(console) -> None:
    device = console.start_root_mfa()
    serial = device["SerialNumber"]
    code1, code2 = two_codes(root_seed(device))
    # EnableMFADevice's answers (AWS's sentences, see test_mfa.py).
    assert refused(console.enable_root_mfa, serial, code1, wrong(code2)) == INVALID_CODES
    assert refused(console.enable_root_mfa, serial, code2, code1) == INVALID_CODES
    assert refused(console.enable_root_mfa, serial, "12345", code2) == bad_code_format("12345")
    assert refused(console.enable_root_mfa, serial, "abcdef", code2) == bad_code_format("abcdef")
    phantom = f"arn:aws:iam::{ACCOUNT_ID}:mfa/phantom"
    # AWS's sentence, then the sandbox's own hint.
    assert refused(console.enable_root_mfa, phantom, code1, code2) == (
        "NoSuchEntity",
        404,
        f"VirtualMFADevice with serial number {phantom} doesn't exist. Start with "
        "start-root-mfa and use the SerialNumber it returns.",
    )
    assert console.root_status()["MFAEnabled"] is False
    console.enable_root_mfa(serial, code1, code2)
    assert console.root_status()["MFAEnabled"] is True


def test_codes_of_a_replaced_pending_device_do_not_work(console) -> None:
    first = console.start_root_mfa()
    second = console.start_root_mfa()
    assert root_seed(first) != root_seed(second)
    code1, code2 = two_codes(root_seed(first))
    assert refused(console.enable_root_mfa, second["SerialNumber"], code1, code2) == (
        INVALID_CODES
    )
    code1, code2 = two_codes(root_seed(second))
    console.enable_root_mfa(second["SerialNumber"], code1, code2)


def test_root_can_add_a_second_device(console, iam) -> None:
    first = turn_on_root_mfa(console)
    assert refused(console.start_root_mfa) == (  # the name is root's first device's
        "EntityAlreadyExists",
        409,
        "A virtual MFA device named root-account-mfa-device already exists in this account; "
        "pick another name.",
    )
    second = console.start_root_mfa("root-spare")
    code1, code2 = two_codes(root_seed(second))
    # Wrong codes on the second device: EnableMFADevice's answer; the first device stays on.
    assert refused(console.enable_root_mfa, second["SerialNumber"], code1, wrong(code2)) == (
        INVALID_CODES
    )
    assert console.root_status()["MFADevices"] == [first["SerialNumber"]]
    console.enable_root_mfa(second["SerialNumber"], code1, code2)
    serials = [first["SerialNumber"], second["SerialNumber"]]
    assert console.root_status()["MFADevices"] == serials
    assert [d["SerialNumber"] for d in iam.list_mfa_devices()["MFADevices"]] == serials
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["AccountMFAEnabled"], summary["MFADevicesInUse"]) == (1, 2)
    assert refused(console.enable_root_mfa, first["SerialNumber"], code1, code2) == (
        "EntityAlreadyExists",  # AWS's "MFA Device is already in use", then the sandbox's words
        409,
        f"MFA Device is already in use: {first['SerialNumber']} is already one of the root "
        "user's devices.",
    )


def test_root_has_at_most_eight_devices(console) -> None:
    for number in range(8):
        device = console.start_root_mfa(f"root-{number}")
        console.enable_root_mfa(device["SerialNumber"], *two_codes(root_seed(device)))
    limit = (  # IAM's quota name (as for a user's ninth device); the hint is the sandbox's own
        "LimitExceeded",
        409,
        "Cannot exceed quota for MFADevicesPerUser: 8. Remove a device of the root user before "
        "assigning another.",
    )
    assert refused(console.start_root_mfa, "root-8") == limit
    console.deactivate_root_mfa(f"arn:aws:iam::{ACCOUNT_ID}:mfa/root-0")
    assert len(console.root_status()["MFADevices"]) == 7
    console.start_root_mfa("root-8")


def test_cancel_leaves_nothing_half_made(console, iam) -> None:
    assert refused(console.cancel_root_mfa) == (  # the sandbox's own wording
        "NoSuchEntity",
        404,
        "No MFA device of the root user waits for codes.",
    )
    first = turn_on_root_mfa(console)
    pending = console.start_root_mfa("root-practice")
    assert console.cancel_root_mfa() == {"Cancelled": pending["SerialNumber"]}
    code1, code2 = two_codes(root_seed(pending))
    assert refused(console.enable_root_mfa, pending["SerialNumber"], code1, code2)[0] == (
        "NoSuchEntity"
    )
    assert console.root_status()["MFADevices"] == [first["SerialNumber"]]
    devices = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in devices] == [first["SerialNumber"]]
    console.start_root_mfa("root-practice")  # the name is free again


def test_root_device_name_rules(console) -> None:
    # CreateVirtualMFADevice's ValidationError (AWS's format), then the sandbox's own hint.
    assert refused(console.start_root_mfa, "has space") == (
        "ValidationError",
        400,
        "1 validation error detected: Value 'has space' at 'DeviceName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+. Use "
        "letters, digits and _+=,.@- only (no spaces, no accented letters).",
    )


def test_root_device_appears_in_the_virtual_device_list(console, iam) -> None:
    turn_on_root_mfa(console)
    devices = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert [d["SerialNumber"] for d in devices] == [ROOT_SERIAL]
    assert devices[0]["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
    assert [d["SerialNumber"] for d in iam.list_mfa_devices()["MFADevices"]] == [ROOT_SERIAL]
    summary = iam.get_account_summary()["SummaryMap"]
    assert (summary["MFADevices"], summary["MFADevicesInUse"]) == (1, 1)


def test_root_device_cannot_be_deleted_or_given_to_a_user(console, iam) -> None:
    device = turn_on_root_mfa(console)
    assert refused(iam.delete_virtual_mfa_device, SerialNumber=ROOT_SERIAL) == (
        "DeleteConflict",  # the sandbox's own wording
        409,
        "The root user's MFA device is still in use. Remove it from the root user first (in "
        "the console: Security credentials, Remove).",
    )
    iam.create_user(UserName="alice")
    code1, code2 = two_codes(root_seed(device))
    assert refused(
        iam.enable_mfa_device,
        UserName="alice",
        SerialNumber=ROOT_SERIAL,
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    ) == (  # AWS's "MFA Device is already in use", then the sandbox's own words
        "EntityAlreadyExists",
        409,
        "MFA Device is already in use: it is the root user's MFA device.",
    )


def test_root_device_name_clashes_with_a_user_device(console, iam) -> None:
    turn_on_root_mfa(console)
    assert refused(
        iam.create_virtual_mfa_device, VirtualMFADeviceName="root-account-mfa-device"
    ) == (  # AWS's sentence, then the sandbox's own explanation
        "EntityAlreadyExists",
        409,
        "MFADevice entity at the same path and name already exists: a virtual MFA device "
        "named root-account-mfa-device exists. Pick another name, or delete the old device "
        "first.",
    )


def test_deactivate_root_mfa(console, iam) -> None:
    assert refused(console.deactivate_root_mfa) == (  # the sandbox's own wording
        "NoSuchEntity",
        404,
        "The root user has no MFA device to remove.",
    )
    device = turn_on_root_mfa(console)
    assert refused(console.deactivate_root_mfa, f"arn:aws:iam::{ACCOUNT_ID}:mfa/other") == (
        "NoSuchEntity",  # the sandbox's own wording
        404,
        f"The root user has no MFA device with serial number arn:aws:iam::{ACCOUNT_ID}:mfa/other.",
    )
    assert console.deactivate_root_mfa() == {
        "MFAEnabled": False,
        "Removed": [device["SerialNumber"]],
    }
    assert console.root_status() == {"MFAEnabled": False, "MFADevices": [], "AccessKeys": []}
    assert iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 0
    turn_on_root_mfa(console)  # and it can be set up again


def test_root_mfa_is_forgotten_on_reset(console) -> None:
    from helpers.sandbox import control

    turn_on_root_mfa(console)
    console.create_root_access_key()
    control.reset()
    assert console.root_status() == {"MFAEnabled": False, "MFADevices": [], "AccessKeys": []}


# --- root access keys ---


def test_root_access_keys(sandbox, console, iam) -> None:
    assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 0
    key = console.create_root_access_key()
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", key["AccessKeyId"])
    assert len(key["SecretAccessKey"]) == 40 and key["Status"] == "Active" and key["CreateDate"]
    assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 1
    as_root = make_client("sts", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    assert as_root.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    second = console.create_root_access_key()
    # AWS's quota sentence (two access keys), then the sandbox's own advice.
    assert refused(console.create_root_access_key) == (
        "LimitExceeded",
        409,
        "Cannot exceed quota for AccessKeysPerUser: 2. The root user should have none at all: "
        "delete one first.",
    )
    assert [k["AccessKeyId"] for k in console.root_status()["AccessKeys"]] == [
        key["AccessKeyId"],
        second["AccessKeyId"],
    ]
    console.delete_root_access_key(key["AccessKeyId"])
    console.delete_root_access_key(second["AccessKeyId"])
    assert refused(console.delete_root_access_key, key["AccessKeyId"]) == (
        "NoSuchEntity",  # DeleteAccessKey's wording
        404,
        f"The Access Key with id {key['AccessKeyId']} cannot be found.",
    )
    assert iam.get_account_summary()["SummaryMap"]["AccountAccessKeysPresent"] == 0
    assert refused(as_root.get_caller_identity) == (  # Common errors page
        "InvalidClientTokenId",
        403,
        "The security token included in the request is invalid.",
    )


# --- IAM user sign-in ---


@pytest.fixture
def alice(iam) -> str:
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password=PASSWORD)
    return "alice"


def test_sign_in_with_the_account_id(console, alice: str) -> None:
    answer = console.sign_in(ACCOUNT_ID, alice, PASSWORD)
    assert answer["SignedIn"] is True
    assert answer["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    assert answer["AccountId"] == ACCOUNT_ID and answer["UserName"] == alice
    assert answer["MFAUsed"] is False
    assert answer["SignInUrl"] == f"https://{ACCOUNT_ID}.signin.aws.amazon.com/console"


def test_sign_in_with_the_alias(console, iam, alice: str) -> None:
    iam.create_account_alias(AccountAlias="my-tutorial-lab")
    answer = console.sign_in("my-tutorial-lab", alice, PASSWORD)
    assert answer["SignInUrl"] == "https://my-tutorial-lab.signin.aws.amazon.com/console"
    # The account id keeps working after an alias is set.
    assert console.sign_in(ACCOUNT_ID, alice, PASSWORD)["SignedIn"] is True


def test_sign_in_records_the_password_use(console, iam, alice: str) -> None:
    assert "PasswordLastUsed" not in iam.get_user(UserName=alice)["User"]
    console.sign_in(ACCOUNT_ID, alice, PASSWORD)
    used = iam.get_user(UserName=alice)["User"]["PasswordLastUsed"]
    assert abs((dt.datetime.now(dt.UTC) - used).total_seconds()) < 120


@pytest.mark.parametrize(
    ("account", "user", "password"),
    [
        ("999999999999", "alice", PASSWORD),  # another account
        ("no-such-alias", "alice", PASSWORD),  # an alias nobody has
        (ACCOUNT_ID, "mallory", PASSWORD),  # no such user
        (ACCOUNT_ID, "alice", "Wrong-Password-1"),  # wrong password
        (ACCOUNT_ID, "alice", ""),  # no password
        (ACCOUNT_ID, "bob", PASSWORD),  # a user without a console password
    ],
)
def test_sign_in_refusals_do_not_say_what_was_wrong(
    console,
    iam,
    alice: str,
    account: str,
    user: str,
    password: str,
) -> None:
    iam.create_user(UserName="bob")
    assert refused(console.sign_in, account, user, password) == SIGN_IN_FAILED


def test_sign_in_with_mfa(console, iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    seed = seed_of(device)
    assert refused(console.sign_in, ACCOUNT_ID, alice, PASSWORD) == MFA_REQUIRED
    bad = refused(console.sign_in, ACCOUNT_ID, alice, PASSWORD, wrong(code_at(seed)))
    assert bad == SIGN_IN_MFA_CODE
    assert refused(console.sign_in, ACCOUNT_ID, alice, PASSWORD, "12ab56") == SIGN_IN_MFA_CODE
    answer = console.sign_in(ACCOUNT_ID, alice, PASSWORD, code_at(seed))
    assert answer["SignedIn"] is True and answer["MFAUsed"] is True


def test_sign_in_with_a_code_of_another_users_device(console, iam, alice: str) -> None:
    assigned_device(iam, alice)
    iam.create_user(UserName="bob")
    bobs = assigned_device(iam, "bob")
    bobs_code = code_at(seed_of(bobs))
    assert refused(console.sign_in, ACCOUNT_ID, alice, PASSWORD, bobs_code) == SIGN_IN_MFA_CODE


def test_wrong_password_with_mfa_is_still_the_generic_refusal(console, iam, alice: str) -> None:
    device = assigned_device(iam, alice)
    assert (
        refused(console.sign_in, ACCOUNT_ID, alice, "Wrong-Password-1", code_at(seed_of(device)))
        == SIGN_IN_FAILED
    )


def test_sign_in_with_a_required_password_reset(console, iam) -> None:
    iam.create_user(UserName="carol")
    iam.create_login_profile(UserName="carol", Password=PASSWORD, PasswordResetRequired=True)
    assert refused(console.sign_in, ACCOUNT_ID, "carol", PASSWORD) == RESET_REQUIRED
    weak = refused(console.sign_in, ACCOUNT_ID, "carol", PASSWORD, new_password="short")
    # ChangePassword's answer under the default policy (the sandbox's wording of its rules).
    assert weak == (
        "PasswordPolicyViolation",
        400,
        "Password should have a minimum length of 8; Password should have at least three of "
        "these four kinds of characters: uppercase letters, lowercase letters, numbers and "
        "symbols (! @ # $ % ^ & * ( ) _ + - = [ ] { } | ').",
    )
    answer = console.sign_in(ACCOUNT_ID, "carol", PASSWORD, new_password=NEW_PASSWORD)
    assert answer["SignedIn"] is True and answer["PasswordChanged"] is True
    assert iam.get_login_profile(UserName="carol")["LoginProfile"]["PasswordResetRequired"] is False
    # The old password is gone, the new one works without another reset.
    assert refused(console.sign_in, ACCOUNT_ID, "carol", PASSWORD) == SIGN_IN_FAILED
    assert console.sign_in(ACCOUNT_ID, "carol", NEW_PASSWORD)["PasswordChanged"] is False


def test_mfa_comes_before_the_password_reset(console, iam) -> None:
    iam.create_user(UserName="dave")
    iam.create_login_profile(UserName="dave", Password=PASSWORD, PasswordResetRequired=True)
    device = assigned_device(iam, "dave")
    assert refused(console.sign_in, ACCOUNT_ID, "dave", PASSWORD) == MFA_REQUIRED
    with_code = refused(console.sign_in, ACCOUNT_ID, "dave", PASSWORD, code_at(seed_of(device)))
    assert with_code == RESET_REQUIRED
    answer = console.sign_in(
        ACCOUNT_ID, "dave", PASSWORD, code_at(seed_of(device)), new_password=NEW_PASSWORD
    )
    assert answer["MFAUsed"] is True and answer["PasswordChanged"] is True


# --- the console's own endpoint ---


def post_raw(endpoint: str, action: str, body: bytes) -> tuple[int, dict]:
    """POST ``body`` as it is (root-signed, as every console request) to a console action."""
    root = root_credentials()
    signed = AWSRequest(
        method="POST",
        url=endpoint + CONSOLE_PREFIX + action,
        data=body,
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(
        Credentials(root.access_key_id, root.secret_access_key), SANDBOX_SERVICE, REGION
    ).add_auth(signed)
    request = urllib.request.Request(
        signed.url, data=signed.body, headers=dict(signed.headers.items()), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "The body must be JSON."),
        (b'{"DeviceName": ', "The body must be JSON."),
        (b"\xff\xfe", "The body must be JSON."),
        (b"[]", "The body must be a JSON object."),
        (b'"root-account-mfa-device"', "The body must be a JSON object."),
    ],
)
def test_a_console_body_that_is_not_a_json_object_is_refused(
    sandbox, console, body: bytes, message: str
) -> None:
    # The sandbox's own wording: the console actions do not exist on AWS's API.
    assert post_raw(sandbox.endpoint, "start-root-mfa", body) == (
        400,
        {"error": {"code": "InvalidInput", "message": message}},
    )
    assert console.root_status()["MFAEnabled"] is False
    # The same action with a JSON body works.
    status, answer = post_raw(
        sandbox.endpoint, "start-root-mfa", b'{"DeviceName": "root-account-mfa-device"}'
    )
    assert status == 200 and answer["VirtualMFADevice"]["SerialNumber"] == ROOT_SERIAL


def test_an_unknown_console_action_is_not_found(sandbox) -> None:
    # The sandbox's own wording.
    assert post_raw(sandbox.endpoint, "delete-account", b"{}") == (
        404,
        {"error": {"code": "NotFound", "message": "No console action 'delete-account'."}},
    )
