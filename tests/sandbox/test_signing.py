"""Signature Version 4 checks (``layer/signing.py``), through plain boto3 and the AWS CLI.

AWS: a wrong secret gets ``SignatureDoesNotMatch`` (403) with the message below
(https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html); S3 words
its own errors (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html:
``InvalidAccessKeyId``, ``SignatureDoesNotMatch``, an expired presigned URL is ``AccessDenied``
"Request has expired"); JSON services answer ``InvalidSignatureException``.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers.sandbox import control
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import FILE_NAME, RootCredentials, root_credentials
from helpers.sandbox.layer.signing import MISMATCH
from tests.conftest import make_client, refused
from tests.sandbox.test_cli_mfa import aws

WRONG = "x" * 40

# Where the expected answers come from (see tests/conftest.py): the module's docstring names
# the signature pages; InvalidClientTokenId is the Common errors page's, in AWS's words.
AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html",
)
INVALID_TOKEN = (
    "InvalidClientTokenId",
    403,
    "The security token included in the request is invalid.",
)


def test_root_with_a_wrong_secret(sandbox) -> None:
    for service, call in (("iam", "list_users"), ("sts", "get_caller_identity")):
        client = make_client(service, sandbox.endpoint, secret=WRONG)
        assert refused(getattr(client, call)) == ("SignatureDoesNotMatch", 403, MISMATCH)


def test_an_iam_users_key_needs_its_own_secret(sandbox, iam) -> None:
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    right = make_client("sts", sandbox.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    assert right.get_caller_identity()["Arn"].endswith(":user/alice")
    wrong = make_client("sts", sandbox.endpoint, key["AccessKeyId"], WRONG)
    assert refused(wrong.get_caller_identity) == ("SignatureDoesNotMatch", 403, MISMATCH)
    # Another user's secret does not open alice's key either.
    iam.create_user(UserName="bob")
    bobs = iam.create_access_key(UserName="bob")["AccessKey"]["SecretAccessKey"]
    swapped = make_client("sts", sandbox.endpoint, key["AccessKeyId"], bobs)
    assert refused(swapped.get_caller_identity)[0] == "SignatureDoesNotMatch"


def test_a_session_key_needs_its_secret_and_token(sandbox, sts) -> None:
    credentials = sts.get_session_token()["Credentials"]
    args = (credentials["AccessKeyId"], credentials["SecretAccessKey"])
    good = make_client("sts", sandbox.endpoint, *args, token=credentials["SessionToken"])
    assert good.get_caller_identity()["Account"]
    bad = make_client("sts", sandbox.endpoint, args[0], WRONG, token=credentials["SessionToken"])
    assert refused(bad.get_caller_identity) == ("SignatureDoesNotMatch", 403, MISMATCH)


def test_an_unknown_key(sandbox) -> None:
    client = make_client("iam", sandbox.endpoint, "AKIA" + "Z" * 16, WRONG)
    assert refused(client.list_users) == (
        "InvalidClientTokenId",
        403,
        "The security token included in the request is invalid.",
    )


def test_s3_checks_signatures_in_its_own_words(sandbox) -> None:
    s3 = make_client("s3", sandbox.endpoint)
    s3.create_bucket(Bucket="notes")
    s3.put_object(Bucket="notes", Key="a b/c.txt", Body=b"hello")
    assert s3.get_object(Bucket="notes", Key="a b/c.txt")["Body"].read() == b"hello"
    wrong = make_client("s3", sandbox.endpoint, secret=WRONG)
    code, status, message = refused(wrong.list_buckets)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message.startswith("The request signature we calculated does not match")
    unknown = make_client("s3", sandbox.endpoint, "AKIA" + "Z" * 16, WRONG)
    assert refused(unknown.list_buckets) == (
        "InvalidAccessKeyId",
        403,
        "The AWS Access Key Id you provided does not exist in our records.",
    )


def _fetch(url: str | urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_presigned_urls(sandbox) -> None:
    s3 = make_client("s3", sandbox.endpoint)
    s3.create_bucket(Bucket="notes")
    s3.put_object(Bucket="notes", Key="report.txt", Body=b"secret report")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "notes", "Key": "report.txt"}, ExpiresIn=60
    )
    assert _fetch(url) == (200, b"secret report")
    s3.put_object(Bucket="notes", Key="other.txt", Body=b"other")
    status, body = _fetch(url.replace("report.txt", "other.txt"))
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body
    forged = make_client("s3", sandbox.endpoint, secret=WRONG).generate_presigned_url(
        "get_object", Params={"Bucket": "notes", "Key": "report.txt"}, ExpiresIn=60
    )
    assert _fetch(forged)[0] == 403
    short = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "notes", "Key": "report.txt"}, ExpiresIn=1
    )
    time.sleep(2.1)
    status, body = _fetch(short)
    assert status == 403 and b"Request has expired" in body


def test_json_services_answer_invalid_signature(sandbox) -> None:
    dynamodb = make_client("dynamodb", sandbox.endpoint, secret=WRONG)
    with pytest.raises(ClientError) as caught:
        dynamodb.list_tables()
    assert caught.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_the_cli_with_a_wrong_secret(sandbox) -> None:
    done = aws(sandbox.endpoint, "sts", "get-caller-identity", secret=WRONG)
    assert done.returncode != 0 and "SignatureDoesNotMatch" in done.stderr
    ok = aws(sandbox.endpoint, "sts", "get-caller-identity")
    assert ok.returncode == 0, ok.stderr


def test_the_root_key_still_works(sandbox) -> None:
    root = root_credentials()
    client = make_client("iam", sandbox.endpoint, root.access_key_id, root.secret_access_key)
    assert client.list_users()["Users"] == []


def test_sigv4_presigned_urls(sandbox) -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=sandbox.endpoint,
        region_name=REGION,
        aws_access_key_id=root_credentials().access_key_id,
        aws_secret_access_key=root_credentials().secret_access_key,
        config=Config(signature_version="s3v4"),
    )
    s3.create_bucket(Bucket="notes")
    s3.put_object(Bucket="notes", Key="report.txt", Body=b"secret report")
    s3.put_object(Bucket="notes", Key="other.txt", Body=b"other")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "notes", "Key": "report.txt"}, ExpiresIn=60
    )
    assert "X-Amz-Signature=" in url and _fetch(url) == (200, b"secret report")
    status, body = _fetch(url.replace("report.txt", "other.txt"))
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body


def test_awss_documented_example_key_opens_nothing(sandbox) -> None:
    example = make_client(
        "iam", sandbox.endpoint, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    assert refused(example.list_users) == INVALID_TOKEN


def test_root_keys_are_random_private_and_kept(sandbox, tmp_path) -> None:
    folder = Path(sandbox.state_dir)
    path = folder / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    root = root_credentials(folder)
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", root.access_key_id)
    assert len(root.secret_access_key) == 40 and root.secret_access_key not in repr(root)
    control.reset()
    assert root_credentials(folder) == root
    env = subprocess.run(
        [sys.executable, "-m", "helpers.sandbox", "env"], capture_output=True, text=True,
        timeout=60, env={**os.environ, "TUTORIAL_STATE_DIR": str(folder)},
    )  # fmt: skip
    assert f"AWS_ACCESS_KEY_ID={root.access_key_id}" in env.stdout
    assert f"AWS_SECRET_ACCESS_KEY={shlex.quote(root.secret_access_key)}" in env.stdout


def test_one_learners_keys_do_not_open_another_learners_sandbox(sandbox, iam, tmp_path) -> None:
    other_folder = tmp_path / "learner-b"
    other_folder.mkdir(mode=0o700)
    other = control.start(other_folder)
    try:
        mine, theirs = root_credentials(Path(sandbox.state_dir)), root_credentials(other_folder)
        assert mine.access_key_id != theirs.access_key_id
        into_b = make_client("iam", other.endpoint, mine.access_key_id, mine.secret_access_key)
        assert refused(into_b.list_users) == INVALID_TOKEN
        into_a = make_client(
            "iam", sandbox.endpoint, theirs.access_key_id, theirs.secret_access_key
        )
        assert refused(into_a.list_users) == INVALID_TOKEN
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        alice_in_b = make_client("sts", other.endpoint, key["AccessKeyId"], key["SecretAccessKey"])
        assert refused(alice_in_b.get_caller_identity) == INVALID_TOKEN
        b_root = make_client("iam", other.endpoint, theirs.access_key_id, theirs.secret_access_key)
        assert b_root.list_users()["Users"] == []
    finally:
        control.stop(other_folder)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/_sandbox/reset"),
        ("POST", "/_sandbox/console/root-status"),
        ("GET", "/moto-api/data.json"),
        ("POST", "/moto-api/reset"),
    ],
)
def test_the_sandboxs_own_endpoints_need_root_signatures(sandbox, iam, method, path) -> None:
    """Another local user who finds the port can neither reset, read nor act in the account."""
    iam.create_user(UserName="alice")
    request = urllib.request.Request(
        sandbox.endpoint + path, data=b"{}" if method == "POST" else None, method=method
    )
    status, body = _fetch(request)
    assert status == 403 and b"AccessDenied" in body and b"alice" not in body
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["alice"]


def test_the_console_refuses_another_sandboxs_keys(sandbox, tmp_path) -> None:
    stranger = RootCredentials("AKIA" + "Q" * 16, "s" * 40)
    assert refused(SandboxConsole(sandbox.endpoint, stranger).root_status) == (
        "AccessDenied",  # the sandbox's own wording (its own endpoints do not exist on AWS)
        403,
        "The sandbox's own endpoints take only requests signed with its root credentials.",
    )
    assert SandboxConsole(sandbox.endpoint).root_status()["MFAEnabled"] is False


def test_an_unsigned_call_is_refused(sandbox) -> None:
    """MissingAuthenticationToken 403 (Common errors page); the message is the one AWS's
    endpoints send ("Request is missing Authentication Token"), the page words it otherwise."""
    client = boto3.client("iam", endpoint_url=sandbox.endpoint, region_name=REGION)
    client.meta.events.register("choose-signer", lambda **kwargs: botocore.UNSIGNED)
    assert refused(client.list_users) == (
        "MissingAuthenticationToken",
        403,
        "Request is missing Authentication Token",
    )
