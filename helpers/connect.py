"""``connect()``: the first cell of every notebook. Where am I, and as whom?"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import boto3

from helpers.errors import install_notebook_handler
from helpers.sandbox import control
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials


@dataclass
class Connection:
    """A boto3 session with ready clients, and who it is signed in as."""

    session: boto3.Session
    endpoint: str | None
    iam: Any
    sts: Any
    account_id: str
    arn: str

    @property
    def console(self) -> SandboxConsole | None:
        """The sandbox's console actions (root MFA, sign-in); None on a real account, where
        those steps are done in the AWS console itself."""
        return SandboxConsole(self.endpoint) if self.endpoint else None

    @property
    def is_sandbox(self) -> bool:
        return self.endpoint is not None

    @property
    def who(self) -> str:
        """ "root", or the IAM user (or role) name this session acts as."""
        if self.arn.endswith(":root"):
            return "root"
        return self.arn.rsplit("/", 1)[-1]

    def client(self, service: str) -> Any:
        """Another boto3 client of the same session (and sandbox endpoint)."""
        return self.session.client(service, endpoint_url=self.endpoint)

    def describe(self) -> str:
        place = "Sandbox account" if self.is_sandbox else "AWS account"
        as_whom = "root" if self.who == "root" else f"IAM user {self.who}"
        return f"{place} {self.account_id} — signed in as {as_whom}"

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"<Connection: {self.describe()}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.describe())


@cache
def _data_loader() -> Any:
    """botocore's loader of service models, shared by this process's sessions: it keeps what
    it has read, so a second session (alice's key, her MFA session) does not read and parse
    the same JSON models again (about 0.1 s each)."""
    from botocore.loaders import create_loader

    return create_loader()


def _botocore_session() -> Any:
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", _data_loader())
    return session


def session_for(
    access_key_id: str,
    secret_access_key: str,
    session_token: str | None = None,
    region: str = REGION,
) -> boto3.Session:
    """A boto3 session signing with these credentials (the sandbox's root, alice's key...)."""
    return boto3.Session(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        aws_session_token=session_token,
        region_name=region,
        botocore_session=_botocore_session(),
    )


def open_connection(session: boto3.Session, endpoint: str | None) -> Connection:
    """Clients for ``session`` (at ``endpoint`` for the sandbox, AWS's own when None)."""
    iam = session.client("iam", endpoint_url=endpoint)
    sts = session.client("sts", endpoint_url=endpoint)
    identity = sts.get_caller_identity()
    return Connection(session, endpoint, iam, sts, identity["Account"], identity["Arn"])


def connect(
    target: str | None = None, profile: str | None = None, quiet: bool = False
) -> Connection:
    """Find or start the sandbox (default) and sign in as its root user; or use a real account.

    ``target`` is "sandbox" or "aws" (default: ``$TUTORIAL_TARGET``, else "sandbox"). For
    "aws", boto3's usual credentials are used (``profile`` or ``$AWS_PROFILE``), exactly the
    same calls with another session. Prints one line saying where you are and as whom.
    """
    install_notebook_handler()  # in a notebook, AWS's refusals show as a short box from here on
    target = (target or os.environ.get("TUTORIAL_TARGET") or "sandbox").lower()
    if target == "sandbox":
        state = control.start()
        root = root_credentials(Path(state.state_dir))
        session = session_for(root.access_key_id, root.secret_access_key)
        connection = open_connection(session, state.endpoint)
    elif target == "aws":
        connection = open_connection(boto3.Session(profile_name=profile), None)
    else:
        raise ValueError(f'target must be "sandbox" or "aws", not {target!r}')
    if not quiet:
        print(connection.describe())
    return connection
