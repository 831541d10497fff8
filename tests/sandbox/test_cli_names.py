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


def refused(result: subprocess.CompletedProcess, code: str, message: str) -> None:
    """The CLI failed with ``code`` and a message starting with ``message`` (the CLI does not
    print the HTTP status). Where the wording comes from: see tests/sandbox/test_names.py,
    test_passwords.py, test_alias.py and test_deletion.py, which check the same answers."""
    assert result.returncode != 0, result.stdout
    assert f"An error occurred ({code}) when calling the " in result.stderr, result.stderr
    assert f" operation: {message}" in result.stderr, result.stderr


AWS_DOC = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html",
)
PATTERN = r"[\w+=,.@-]+"


def test_user_names(aws) -> None:
    assert aws("create-user", "--user-name", "Alice").returncode == 0
    refused(
        aws("create-user", "--user-name", "alice"),
        "EntityAlreadyExists",
        "User with name alice already exists.",
    )
    refused(
        aws("create-user", "--user-name", "a b"),
        "ValidationError",
        "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {PATTERN}",
    )
    refused(
        aws("create-user", "--user-name", "a" * 65),
        "ValidationError",
        f"1 validation error detected: Value '{'a' * 65}' at 'userName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64",
    )
    refused(
        aws("get-user", "--user-name", "alice"),
        "NoSuchEntity",
        "The user with name alice cannot be found.",
    )


def test_group_names(aws) -> None:
    refused(
        aws("create-group", "--group-name", "g" * 129),
        "ValidationError",
        f"1 validation error detected: Value '{'g' * 129}' at 'groupName' failed to satisfy "
        "constraint: Member must have length less than or equal to 128",
    )
    assert aws("create-group", "--group-name", "g" * 128).returncode == 0


def test_passwords(aws) -> None:
    aws("create-user", "--user-name", "alice")
    refused(
        aws("create-login-profile", "--user-name", "alice", "--password", "password"),
        "PasswordPolicyViolation",
        "Password should have at least three of these four kinds of characters: ",
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
        "1 validation error detected: Value '129' at 'minimumPasswordLength' failed to satisfy "
        "constraint: Member must have value less than or equal to 128",
    )
    refused(
        aws("change-password", "--old-password", "a", "--new-password", "b"),
        "InvalidUserType",
        "ChangePassword changes the password of the IAM user who calls it; the root user "
        "cannot use it",
    )


def test_alias(aws) -> None:
    for alias in ("My-Company", "-mycompany"):
        refused(
            aws("create-account-alias", f"--account-alias={alias}"),
            "ValidationError",
            f"1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: "
            "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$. ",
        )
    assert aws("create-account-alias", "--account-alias", "my-company").returncode == 0
    refused(
        aws("delete-account-alias", "--account-alias", "not-mine"),
        "NoSuchEntity",
        "The account alias not-mine cannot be found.",
    )


def test_deletion(aws) -> None:
    aws("create-user", "--user-name", "alice")
    aws("create-access-key", "--user-name", "alice")
    refused(
        aws("delete-user", "--user-name", "alice"),
        "DeleteConflict",
        "Cannot delete entity, must delete access keys first.",
    )
    aws("create-group", "--group-name", "admins")
    aws("add-user-to-group", "--group-name", "admins", "--user-name", "alice")
    refused(
        aws("delete-group", "--group-name", "admins"),
        "DeleteConflict",
        "Cannot delete entity, must remove users from group first.",
    )
