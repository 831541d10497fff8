"""The sandbox stays the sandbox: whatever AWS settings the learner's shell carries (a profile
this machine does not have, real-looking keys, an endpoint, a config file that points
elsewhere), the tutorial's clients talk only to the sandbox on loopback."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from helpers import connect


@pytest.fixture
def foreign_aws_settings(monkeypatch, tmp_path):
    config = tmp_path / "config"
    config.write_text(
        "[default]\nregion = eu-west-3\nendpoint_url = https://iam.amazonaws.com\n"
        "[profile work]\nregion = ap-northeast-1\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-here")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://sts.amazonaws.com")
    monkeypatch.setenv("AWS_ENDPOINT_URL_IAM", "https://iam.amazonaws.com")


def test_sandbox_clients_ignore_the_shells_aws_settings(sandbox, foreign_aws_settings) -> None:
    aws = connect(quiet=True)
    assert "sts" not in vars(aws)  # root's identity is known: no STS client until one is used
    for client in (aws.iam, aws.sts, aws.client("s3")):
        assert urlparse(client.meta.endpoint_url).hostname in ("127.0.0.1", "localhost")
    assert aws.arn.endswith(":root")
    identity = aws.sts.get_caller_identity()  # answered by the sandbox, with its own keys
    assert (identity["Account"], identity["Arn"]) == (aws.account_id, aws.arn)
    assert aws.session.get_credentials().access_key != "AKIAIOSFODNN7EXAMPLE"


def test_the_first_connection_freezes_long_lived_objects_until_exit(sandbox) -> None:
    """After its first connection a kernel leaves boto3's loaded objects out of the garbage
    collector's passes (gc.freeze), and hands them back at exit (gc.unfreeze)."""
    import subprocess
    import sys

    script = (
        "import atexit, gc, helpers\n"
        "atexit.register(lambda: print('at exit', gc.get_freeze_count()))\n"
        "print('before', gc.get_freeze_count())\n"
        "helpers.connect(quiet=True)\n"
        "print('after', gc.get_freeze_count() > 10000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.split("\n")[:3] == ["before 0", "after True", "at exit 0"]
