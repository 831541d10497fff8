"""Fixtures shared by every test: one sandbox for the test run, emptied before each test.

The private state folder of the run is set up by the repository's top-level conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from helpers.sandbox import control
from helpers.sandbox.constants import REGION, ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY
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
    key: str = ROOT_ACCESS_KEY_ID,
    secret: str = ROOT_SECRET_ACCESS_KEY,
    token: str | None = None,
):  # noqa: ANN201
    """A plain boto3 client (no helpers) for the sandbox."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


@pytest.fixture
def iam(sandbox: SandboxState):  # noqa: ANN201
    """A plain boto3 IAM client signed in as the sandbox's root user."""
    return make_client("iam", sandbox.endpoint)


@pytest.fixture
def sts(sandbox: SandboxState):  # noqa: ANN201
    return make_client("sts", sandbox.endpoint)
