"""The same rules through the AWS CLI: any client pointed at the sandbox gets AWS's answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials

# Found as test_cli_mfa.py finds it: beside the running Python (a venv, conda or Binder).
AWS = Path(sys.executable).parent / "aws"
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}

if not AWS.exists():
    if IN_CI:
        raise RuntimeError(f"the AWS CLI is not at {AWS}, and CI=true: install awscli")
    pytestmark = pytest.mark.skip(reason=f"the AWS CLI is not at {AWS} (pip install awscli)")


@pytest.fixture
def aws(sandbox, tmp_path: Path):
    """Run ``aws iam ...`` as the sandbox's root user; returns the finished process."""
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": sandbox.endpoint,
        "AWS_ACCESS_KEY_ID": root_credentials().access_key_id,
        "AWS_SECRET_ACCESS_KEY": root_credentials().secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
        # Never read the machine's own AWS settings.
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_PAGER": "",
    }
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_SESSION_TOKEN", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(AWS), "iam", *args], env=env, capture_output=True, text=True, timeout=60
        )

    return run


def refused(result: subprocess.CompletedProcess, code: str) -> None:
    assert result.returncode != 0, result.stdout
    assert f"An error occurred ({code})" in result.stderr, result.stderr


def test_user_names(aws) -> None:
    assert aws("create-user", "--user-name", "Alice").returncode == 0
    refused(aws("create-user", "--user-name", "alice"), "EntityAlreadyExists")
    refused(aws("create-user", "--user-name", "a b"), "ValidationError")
    refused(aws("create-user", "--user-name", "a" * 65), "ValidationError")
    refused(aws("get-user", "--user-name", "alice"), "NoSuchEntity")


def test_group_names(aws) -> None:
    refused(aws("create-group", "--group-name", "g" * 129), "ValidationError")
    assert aws("create-group", "--group-name", "g" * 128).returncode == 0


def test_passwords(aws) -> None:
    aws("create-user", "--user-name", "alice")
    refused(
        aws("create-login-profile", "--user-name", "alice", "--password", "password"),
        "PasswordPolicyViolation",
    )
    created = aws(
        "create-login-profile",
        "--user-name",
        "alice",
        "--password",
        "Passw0rd!",
        "--password-reset-required",
    )
    assert created.returncode == 0, created.stderr
    assert '"PasswordResetRequired": true' in created.stdout
    refused(
        aws("update-account-password-policy", "--minimum-password-length", "129"),
        "ValidationError",
    )
    refused(aws("change-password", "--old-password", "a", "--new-password", "b"), "InvalidUserType")


def test_alias(aws) -> None:
    refused(aws("create-account-alias", "--account-alias", "My-Company"), "ValidationError")
    refused(aws("create-account-alias", "--account-alias=-mycompany"), "ValidationError")
    assert aws("create-account-alias", "--account-alias", "my-company").returncode == 0
    refused(aws("delete-account-alias", "--account-alias", "not-mine"), "NoSuchEntity")


def test_deletion(aws) -> None:
    aws("create-user", "--user-name", "alice")
    aws("create-access-key", "--user-name", "alice")
    result = aws("delete-user", "--user-name", "alice")
    refused(result, "DeleteConflict")
    assert "must delete access keys first" in result.stderr
    aws("create-group", "--group-name", "admins")
    aws("add-user-to-group", "--group-name", "admins", "--user-name", "alice")
    refused(aws("delete-group", "--group-name", "admins"), "DeleteConflict")
