"""Fixtures shared by every test: one sandbox for the test run, emptied before each test.

The private state folder of the run is set up by the repository's top-level conftest.py.

Where an expected answer comes from (one convention for every sandbox test module,
checked by tests/test_conventions.py):

- A module that checks the sandbox's refusals names the AWS pages its codes, statuses and
  wordings follow in a module-level ``AWS_DOC`` (a tuple of https://docs.aws.amazon.com/
  addresses).
- A refusal is checked whole: ``refused(...) == (code, status, message)``. An expected message
  that is not AWS's wording says so next to it: "the sandbox's own wording" (docs/sandbox.md
  lists these as not checked against AWS: the wrong old password of ChangePassword, the
  console's sign-in codes, the hints the sandbox adds after AWS's sentence, ...) or "moto's
  wording" (moto's answer, passed through). Without such a comment the wording is AWS's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers.sandbox import control
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import SandboxState


@pytest.fixture(scope="session")
def running_sandbox() -> SandboxState:
    return control.start()


@pytest.fixture
def sandbox(running_sandbox: SandboxState) -> Iterator[SandboxState]:
    """A clean sandbox account for this test."""
    yield control.reset()


def make_client(
    service: str,
    endpoint: str,
    key: str | None = None,
    secret: str | None = None,
    token: str | None = None,
    validate: bool = True,
):
    """A plain boto3 client (no helpers) for the sandbox. With ``validate=False`` it also sends
    what botocore refuses client-side (an empty name, a 5-digit code), so a test sees the
    server's own answer, as AWS would give it."""
    root = root_credentials()  # the test run's sandbox (its own state folder)
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key or root.access_key_id,
        aws_secret_access_key=secret or root.secret_access_key,
        aws_session_token=token,
        config=Config(parameter_validation=validate),
    )


def refused(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, int, str]:
    """Error code, HTTP status and message of a call that must fail."""
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


@pytest.fixture
def iam(sandbox: SandboxState):
    """A plain boto3 IAM client signed in as the sandbox's root user."""
    return make_client("iam", sandbox.endpoint)


@pytest.fixture
def sts(sandbox: SandboxState):
    return make_client("sts", sandbox.endpoint)
