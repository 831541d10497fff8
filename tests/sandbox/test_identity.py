"""Who is calling, and GetSessionToken with and without MFA, through plain boto3 clients."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helpers.sandbox import control
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID, CONSOLE_PREFIX
from tests.conftest import make_client, refused
from tests.sandbox.test_mfa import (
    assigned_device,
    bad_code_format,
    code_at,
    new_device,
    seed_of,
    wrong,
)

# Where the expected answers come from (see tests/conftest.py).
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html",
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html",
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html",
)
# Common errors page: InvalidClientTokenId, 403, in the words AWS's endpoints send.
INVALID_TOKEN = (
    "InvalidClientTokenId",
    403,
    "The security token included in the request is invalid.",
)
# GetSessionToken's MFA refusals, in the words AWS's STS sends (the API reference names only
# AccessDenied); the "send both" case is the sandbox's own wording.
WRONG_CODE = (
    "AccessDenied",
    403,
    "MultiFactorAuthentication failed with invalid MFA one time pass code.",
)
NOT_THE_CALLERS_DEVICE = (
    "AccessDenied",
    403,
    "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA "
    "serial number is valid and associated with this user.",
)
SERIAL_WITHOUT_CODE = (  # the sandbox's own wording
    "AccessDenied",
    403,
    "MultiFactorAuthentication failed: send both SerialNumber (your MFA device's ARN) and "
    "TokenCode (its current code).",
)


@pytest.fixture
def alice(sandbox, iam) -> dict:
    """User alice with an access key and an MFA device; her own STS client."""
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    device = assigned_device(iam, "alice")
    sts = make_client("sts", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    return {"key": key, "device": device, "sts": sts, "seed": seed_of(device)}


def test_root_identity(sts) -> None:
    identity = sts.get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert identity["UserId"] == ACCOUNT_ID


def test_user_identity(alice: dict) -> None:
    assert alice["sts"].get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"


def test_unknown_access_key(sandbox) -> None:
    stranger = make_client("sts", sandbox.endpoint, "AKIAXXXXXXXXXXXXXXXX", "x" * 40)
    assert refused(stranger.get_caller_identity) == INVALID_TOKEN


def test_session_token_with_mfa_gives_working_asia_credentials(sandbox, iam, alice: dict) -> None:
    iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    answer = alice["sts"].get_session_token(
        SerialNumber=alice["device"]["SerialNumber"], TokenCode=code_at(alice["seed"])
    )
    credentials = answer["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["AccessKeyId"])
    assert len(credentials["SecretAccessKey"]) == 40
    assert credentials["SessionToken"]
    lifetime = credentials["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11, minutes=59) < lifetime <= dt.timedelta(hours=12)
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert session.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/alice"
    iam = make_client(
        "iam",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert [d["SerialNumber"] for d in iam.list_mfa_devices()["MFADevices"]] == [
        alice["device"]["SerialNumber"]
    ]


def test_session_token_without_mfa_is_allowed(sandbox, alice: dict) -> None:
    credentials = alice["sts"].get_session_token(DurationSeconds=900)["Credentials"]
    lifetime = credentials["Expiration"] - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=14) < lifetime <= dt.timedelta(minutes=15)
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert session.get_caller_identity()["Arn"].endswith(":user/alice")


def test_session_token_with_a_wrong_code(alice: dict) -> None:
    serial = alice["device"]["SerialNumber"]
    assert (
        refused(
            alice["sts"].get_session_token,
            SerialNumber=serial,
            TokenCode=wrong(code_at(alice["seed"])),
        )
        == WRONG_CODE
    )


def test_session_token_with_an_old_code(alice: dict) -> None:
    assert (
        refused(
            alice["sts"].get_session_token,
            SerialNumber=alice["device"]["SerialNumber"],
            TokenCode=code_at(alice["seed"], -3),
        )
        == WRONG_CODE
    )


def test_session_token_with_another_users_device(iam, alice: dict) -> None:
    iam.create_user(UserName="bob")
    bobs = assigned_device(iam, "bob")
    assert (
        refused(
            alice["sts"].get_session_token,
            SerialNumber=bobs["SerialNumber"],
            TokenCode=code_at(seed_of(bobs)),
        )
        == NOT_THE_CALLERS_DEVICE
    )


def test_session_token_with_an_unassigned_device(iam, alice: dict) -> None:
    spare = new_device(iam, "spare")
    assert (
        refused(
            alice["sts"].get_session_token,
            SerialNumber=spare["SerialNumber"],
            TokenCode=code_at(seed_of(spare)),
        )
        == NOT_THE_CALLERS_DEVICE
    )


def test_session_token_with_a_serial_but_no_code(alice: dict) -> None:
    assert (
        refused(alice["sts"].get_session_token, SerialNumber=alice["device"]["SerialNumber"])
        == SERIAL_WITHOUT_CODE
    )


def _unchecked_sts(endpoint: str, alice: dict):
    key = alice["key"]
    return make_client("sts", endpoint, key["AccessKeyId"], key["SecretAccessKey"], validate=False)


@pytest.mark.parametrize("token", ["12345", "abcdef", "1234567"])
def test_session_token_code_format(sandbox, alice: dict, token: str) -> None:
    # AWS's ValidationError for the model's constraint on TokenCode (length 6, [\\d]*).
    assert refused(
        _unchecked_sts(sandbox.endpoint, alice).get_session_token,
        SerialNumber=alice["device"]["SerialNumber"],
        TokenCode=token,
    ) == bad_code_format(token, "tokenCode", "[\\d]*")


@pytest.mark.parametrize(
    ("seconds", "rule"),
    [(899, "greater than or equal to 900"), (129601, "less than or equal to 129600")],
)
def test_session_duration_bounds(sandbox, alice: dict, seconds: int, rule: str) -> None:
    # AWS's ValidationError with the API reference's DurationSeconds range.
    unchecked = _unchecked_sts(sandbox.endpoint, alice)
    assert refused(unchecked.get_session_token, DurationSeconds=seconds) == (
        "ValidationError",
        400,
        f"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to "
        f"satisfy constraint: Member must have value {rule}",
    )


def test_longest_session(alice: dict) -> None:
    credentials = alice["sts"].get_session_token(DurationSeconds=129600)["Credentials"]
    lifetime = credentials["Expiration"] - dt.datetime.now(dt.UTC)
    assert lifetime > dt.timedelta(hours=35, minutes=59)


def test_session_credentials_need_their_token(sandbox, alice: dict) -> None:
    credentials = alice["sts"].get_session_token()["Credentials"]
    key, secret = credentials["AccessKeyId"], credentials["SecretAccessKey"]
    missing = make_client("sts", sandbox.endpoint, key, secret)
    assert refused(missing.get_caller_identity) == INVALID_TOKEN
    forged = make_client("sts", sandbox.endpoint, key, secret, "not-the-token")
    assert refused(forged.get_caller_identity) == INVALID_TOKEN


def test_session_credentials_cannot_get_another_session(sandbox, alice: dict) -> None:
    credentials = alice["sts"].get_session_token()["Credentials"]
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert refused(session.get_session_token) == (  # the sandbox's own wording
        "AccessDenied",
        403,
        "Cannot call GetSessionToken with session credentials: sign the call with the user's "
        "own access key.",
    )


def test_session_ends_with_its_user(sandbox, iam, alice: dict) -> None:
    credentials = alice["sts"].get_session_token()["Credentials"]
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    serial = alice["device"]["SerialNumber"]
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial)
    iam.delete_virtual_mfa_device(SerialNumber=serial)
    iam.delete_access_key(UserName="alice", AccessKeyId=alice["key"]["AccessKeyId"])
    iam.delete_user(UserName="alice")
    assert refused(session.get_caller_identity) == INVALID_TOKEN


def test_root_session_with_root_mfa_lasts_at_most_an_hour(sandbox, sts) -> None:
    console = SandboxConsole(sandbox.endpoint)
    device = console.start_root_mfa()
    seed = device["Base32StringSeed"].decode()
    console.enable_root_mfa(device["SerialNumber"], code_at(seed, -1), code_at(seed, 0))
    wrong_code = refused(
        sts.get_session_token, SerialNumber=device["SerialNumber"], TokenCode=wrong(code_at(seed))
    )
    assert wrong_code == WRONG_CODE
    credentials = sts.get_session_token(
        SerialNumber=device["SerialNumber"], TokenCode=code_at(seed)
    )["Credentials"]
    assert credentials["Expiration"] - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert session.get_caller_identity()["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"


def test_sessions_are_forgotten_on_reset(sandbox, alice: dict) -> None:
    from helpers.sandbox import control

    credentials = alice["sts"].get_session_token()["Credentials"]
    control.reset()
    session = make_client(
        "sts",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert refused(session.get_caller_identity) == INVALID_TOKEN


def test_a_users_key_is_recorded_as_used_even_when_the_layer_answers(iam, alice: dict) -> None:
    key_id = iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["AccessKeyId"]
    assert (
        "LastUsedDate" not in iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    )
    alice["sts"].get_caller_identity()  # answered by the layer, never reaching moto
    used = iam.get_access_key_last_used(AccessKeyId=key_id)["AccessKeyLastUsed"]
    assert used["ServiceName"] == "sts" and isinstance(used["LastUsedDate"], dt.datetime)


# --- expired sessions (the sandbox-only console action advance-clock moves session time) ---

# AWS_DOC: https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
# (ExpiredTokenException, HTTP 403; IAM's and STS's query APIs send the code "ExpiredToken").
# The message is the sentence AWS's endpoints send; the page words it slightly otherwise.
EXPIRED = ("ExpiredToken", 403, "The security token included in the request is expired")


def advance_clock(sandbox, seconds: float) -> dict:
    return control.post(sandbox.endpoint, CONSOLE_PREFIX + "advance-clock", {"Seconds": seconds})


def session_clients(sandbox, credentials: dict) -> tuple:
    keys = (
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    return make_client("iam", sandbox.endpoint, *keys), make_client("sts", sandbox.endpoint, *keys)


def test_a_session_past_its_expiration_is_refused(sandbox, alice: dict) -> None:
    credentials = alice["sts"].get_session_token(
        DurationSeconds=900,
        SerialNumber=alice["device"]["SerialNumber"],
        TokenCode=code_at(alice["seed"]),
    )["Credentials"]
    iam, sts = session_clients(sandbox, credentials)
    advance_clock(sandbox, 890)
    assert sts.get_caller_identity()["Arn"].endswith(":user/alice")  # 10 s left
    advance_clock(sandbox, 20)
    # Expiry is checked before anything else about the call (permissions included).
    assert refused(iam.list_users) == EXPIRED
    assert refused(sts.get_caller_identity) == EXPIRED
    # The user's own key still works, and a new session starts from the moved clock.
    renewed = alice["sts"].get_session_token(DurationSeconds=900)["Credentials"]
    assert session_clients(sandbox, renewed)[1].get_caller_identity()["Arn"].endswith(
        ":user/alice"
    )


def test_a_reset_puts_the_sandbox_clock_back(sandbox) -> None:
    assert advance_clock(sandbox, 3600)["OffsetSeconds"] == 3600
    control.reset()
    assert advance_clock(sandbox, 0)["OffsetSeconds"] == 0


@pytest.mark.parametrize("seconds", [-1, "60", None, True])
def test_advance_clock_takes_only_a_forward_number_of_seconds(sandbox, seconds) -> None:
    # The sandbox's own wording (the action does not exist on AWS).
    answer = advance_clock(sandbox, seconds)
    assert answer == {
        "error": {
            "code": "InvalidInput",
            "message": "Seconds must be a number of seconds, 0 or more.",
        },
        "status": 400,
    }
    assert advance_clock(sandbox, 0)["OffsetSeconds"] == 0


def test_an_expired_session_is_refused_by_s3_in_its_own_words(sandbox, iam, alice: dict) -> None:
    # S3's error responses page: ExpiredToken, 400 Bad Request, "The provided token has expired."
    iam.put_user_policy(  # so that the call is allowed wherever permissions are checked
        UserName="alice",
        PolicyName="list-buckets",
        PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Action": "s3:ListAllMyBuckets", "Resource": "*"}]}',
    )
    credentials = alice["sts"].get_session_token(DurationSeconds=900)["Credentials"]
    s3 = make_client(
        "s3",
        sandbox.endpoint,
        credentials["AccessKeyId"],
        credentials["SecretAccessKey"],
        credentials["SessionToken"],
    )
    assert s3.list_buckets()["Buckets"] == []
    advance_clock(sandbox, 901)
    assert refused(s3.list_buckets) == ("ExpiredToken", 400, "The provided token has expired.")
