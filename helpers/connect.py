"""``connect()``: the first cell of every notebook. Where am I, and as whom?"""

from __future__ import annotations

import atexit
import gc
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import boto3
import botocore.session
from botocore.exceptions import BotoCoreError, ClientError

from helpers import defaults
from helpers.errors import install_notebook_handler, set_explainer
from helpers.i18n import _
from helpers.sandbox import control
from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.credentials import root_credentials


@dataclass
class Connection:
    """A boto3 session with ready clients, and who it is signed in as."""

    session: boto3.Session
    endpoint: str | None
    iam: Any
    account_id: str
    arn: str
    mfa_until: Any = None  # when an MFA session (GetSessionToken) ends; None: no such session
    gate: Any = None  # aws mode: the gate every write passes (helpers/guard.py); None: sandbox

    @cached_property
    def sts(self) -> Any:
        """The session's STS client, made when first used (most lessons never call STS)."""
        return self.client("sts")

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
        place = _("Sandbox account") if self.is_sandbox else _("AWS account")
        as_whom = "root" if self.who == "root" else _("IAM user {name}").format(name=self.who)
        if self.mfa_until is not None:
            as_whom += _(", with MFA (a session until {time} UTC)").format(
                time=f"{self.mfa_until:%H:%M}"
            )
        elif as_whom != "root" and self.session.get_credentials().access_key.startswith("AKIA"):
            as_whom += _(" (access key alone, no MFA)")
        if self.gate is None:
            return _("{place} {account} — signed in as {who}").format(
                place=place, account=self.account_id, who=as_whom
            )
        from helpers.guard import UNKNOWN_ALIAS

        if self.gate.alias:
            shown = _(UNKNOWN_ALIAS) if self.gate.alias == UNKNOWN_ALIAS else self.gate.alias
            alias = _('alias "{alias}"').format(alias=shown)
        else:
            alias = _("no alias")
        if self.gate.forbidden:
            writes = _("Writes refused: {reason}").format(reason=self.gate.forbidden)
        elif self.gate.confirmed:
            writes = _("Confirmed: the tutorial's changes are made and journaled (helpers.undo).")
        else:
            writes = _(
                "Nothing is changed until you confirm this account: "
                'helpers.connect("aws", confirm="{account}") or the confirmation form.'
            ).format(account=self.account_id)
        first = _("{place} {account} ({alias}) — signed in as {who}").format(
            place=place, account=self.account_id, alias=alias, who=as_whom
        )
        return f"{first}\n{self.arn}\n{writes}"

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


def session_for(
    access_key_id: str,
    secret_access_key: str,
    session_token: str | None = None,
    region: str = REGION,
) -> boto3.Session:
    """A session with exactly these keys and nothing else from the machine: no profile, no
    config or credentials file, no configured endpoint. A learner's ``AWS_PROFILE`` or
    ``AWS_ENDPOINT_URL`` then can neither break the sandbox nor send its calls elsewhere."""
    return boto3.Session(
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        aws_session_token=session_token,
        region_name=region,
        botocore_session=_isolated_botocore(),
    )


def _isolated_botocore() -> botocore.session.Session:
    """botocore reading no environment variable and no file: its settings' defaults only."""
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES as SETTINGS

    core = botocore.session.Session(
        session_vars={
            name: (config_name, None, default, convert)
            for name, (config_name, _env, default, convert) in SETTINGS.items()
        }
    )
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    core.register_component("data_loader", _data_loader())  # service models read once
    return core


def open_connection(
    session: boto3.Session, endpoint: str | None, identity: tuple[str, str] | None = None
) -> Connection:
    """Clients for ``session`` (at ``endpoint`` for the sandbox, AWS's own when None). Who the
    session is comes from STS (GetCallerIdentity), unless ``identity`` (account id, ARN)
    already says it."""
    iam = session.client("iam", endpoint_url=endpoint)
    if identity is not None:
        return Connection(session, endpoint, iam, *identity)
    sts = session.client("sts", endpoint_url=endpoint)
    answer = sts.get_caller_identity()
    connection = Connection(session, endpoint, iam, answer["Account"], answer["Arn"])
    connection.__dict__["sts"] = sts  # the cached_property's value: this client is made already
    return connection


def _target(target: str | None) -> str:
    return (target or os.environ.get("TUTORIAL_TARGET") or "sandbox").lower()


def sign_in_as(
    user_name: str = defaults.USER_NAME,
    phone: Any = None,
    quiet: bool = False,
    mfa: bool = True,
) -> Connection:
    """Work as an IAM user, as AWS advises, not as root: the user's access key (the CSV file
    from lesson 03) and a code from the virtual phone give an MFA session (GetSessionToken), so
    every later call carries ``aws:MultiFactorAuthPresent``. ``mfa=False``: the access key
    alone, as a script would use it. Sandbox only: on a real account, use your own profile's
    credentials (``connect("aws")``)."""
    from helpers.iam.access_keys import load_access_key_csv
    from helpers.mfa_setup import phone_account_for

    if _target(None) == "aws":  # never the sandbox on a real account
        if not quiet:
            print(
                _(
                    "On a real account, work as {user} through your own AWS profile for that "
                    "IAM user (with MFA: an mfa_serial in the profile, or aws sts "
                    "get-session-token)."
                ).format(user=user_name)
            )
        return connect("aws", quiet=quiet)
    state = control.start()
    key = load_access_key_csv(user_name)
    if key is None:
        raise LookupError(
            _("No access key file for {user}: run lesson 03 (or helpers.catch_up) first.").format(
                user=user_name
            )
        )
    if not mfa:
        base = session_for(key.access_key_id, key.secret_access_key)
        return _announce(open_connection(base, state.endpoint), state.endpoint, quiet)
    if phone is None:
        from helpers.authenticator import open_phone

        phone = open_phone()
    # The tutorial names each user's device after the user; like a person who knows their MFA
    # device's ARN (the CLI's mfa_serial), this needs no IAM permission at all.
    entry = phone_account_for(phone, user_name)
    if entry is None:
        raise LookupError(
            _(
                "The phone has no entry for {user}'s MFA device: run lesson 03 (or "
                "helpers.catch_up) first."
            ).format(user=user_name)
        )
    reuse = (state.endpoint, user_name, key.access_key_id, entry)
    connection = _mfa_sessions.get(reuse)
    if connection is not None and _still_valid(connection):
        return _announce(connection, state.endpoint, quiet)
    base = session_for(key.access_key_id, key.secret_access_key)
    sts = base.client("sts", endpoint_url=state.endpoint)
    serial = f"arn:aws:iam::{ACCOUNT_ID}:mfa/{user_name}"  # the sandbox's one account
    # aws sts get-session-token --serial-number ARN --token-code CODE
    credentials = sts.get_session_token(SerialNumber=serial, TokenCode=entry.code())["Credentials"]
    session = session_for(
        credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
    )
    connection = open_connection(session, state.endpoint)
    connection.mfa_until = credentials["Expiration"]
    _mfa_sessions[reuse] = connection
    return _announce(connection, state.endpoint, quiet)


# The MFA sessions this kernel signed in with, as a person signs in once and works on: the
# catch-up and the lesson's own sign-in share one. Keyed by the sandbox, the user, the access
# key and the phone's entry, so a new key or a new MFA device means a new sign-in.
_mfa_sessions: dict[tuple[str, str, str, Any], Connection] = {}


def _still_valid(connection: Connection) -> bool:
    """Whether the sandbox still accepts this session: one call, since only the sandbox knows
    its clock (tests move it forward) and whether a reset or a deleted user ended the session."""
    if connection.mfa_until is not None and connection.mfa_until <= datetime.now(UTC):
        return False
    try:
        identity = connection.sts.get_caller_identity()
    except (ClientError, BotoCoreError):  # ExpiredToken, InvalidClientTokenId, ...
        return False
    return identity["Arn"] == connection.arn


def _announce(connection: Connection, endpoint: str, quiet: bool) -> Connection:
    set_explainer(sandbox_explainer(endpoint))
    if not quiet:
        print(connection.describe())
    install_notebook_handler()
    _freeze_long_lived_objects()
    return connection


def _freeze_long_lived_objects() -> None:
    """Once per process, after its first connection: leave what is loaded by then (boto3,
    botocore's models and clients, the kernel's own objects) out of the garbage collector's
    passes. They live as long as the kernel, and a full pass over them took 0.1 to 0.5 s of a
    lesson on a loaded machine (``gc.freeze``:
    https://docs.python.org/3/library/gc.html#gc.freeze). At exit they are handed back
    (``gc.unfreeze``), so the process ends as it did before."""
    if gc.get_freeze_count():
        return
    atexit.register(gc.unfreeze)
    gc.freeze()


def sandbox_explainer(endpoint: str) -> Any:
    """The sandbox's explanation of a refusal, by its request id (for the friendly error box)."""
    console = SandboxConsole(endpoint)
    return lambda request_id: console.explain(request_id).get("summary")


def open_aws_connection(
    session: boto3.Session, confirm: str | None = None, allow_account: str | None = None
) -> Connection:
    """A real account through ``session``, every write behind the gate (helpers/guard.py):
    the gate is on the session before any client is made, so every client has it."""
    from helpers.guard import UNKNOWN_ALIAS, Gate

    gate = Gate(session, allow_account=allow_account)
    connection = open_connection(session, None)
    connection.gate = gate
    try:
        aliases = connection.iam.list_account_aliases()["AccountAliases"]
        alias = aliases[0] if aliases else None
    except ClientError:  # not allowed to read it: then it could be a production account
        alias = UNKNOWN_ALIAS
    gate.identify(connection.account_id, alias)
    if confirm is not None:
        gate.confirm(confirm)
    from helpers.steps import install_cell_guard

    install_cell_guard()
    return connection


def connect(
    target: str | None = None,
    profile: str | None = None,
    quiet: bool = False,
    *,
    confirm: str | None = None,
    allow_account: str | None = None,
) -> Connection:
    """Find or start the sandbox (default) and sign in as its root user; or use a real account.

    ``target`` is "sandbox" or "aws" (default: ``$TUTORIAL_TARGET``, else "sandbox"). For
    "aws", boto3's usual credentials and settings are used (``profile`` or ``$AWS_PROFILE``,
    ``AWS_ENDPOINT_URL``, ...), exactly the same calls with another session, and no sandbox
    is started. Prints where you are and as whom (on AWS: the account id, its alias and your
    ARN). On AWS nothing is written until the account is confirmed, once per kernel:
    ``confirm="123456789012"``; ``allow_account`` names a forbidden account (listed in
    ``$TUTORIAL_FORBIDDEN_ACCOUNTS`` or with "prod" in its alias) the tutorial may change.
    """
    install_notebook_handler()  # in a notebook, AWS's refusals show as a short box from here on
    target = _target(target)
    if target == "sandbox":
        state = control.start()
        root = root_credentials(Path(state.state_dir))
        session = session_for(root.access_key_id, root.secret_access_key)
        # The sandbox's root: its one account, whose root ARN is known without asking STS.
        connection = open_connection(
            session, state.endpoint, (ACCOUNT_ID, f"arn:aws:iam::{ACCOUNT_ID}:root")
        )
        set_explainer(sandbox_explainer(state.endpoint))
    elif target == "aws":
        connection = open_aws_connection(
            boto3.Session(profile_name=profile), confirm, allow_account
        )
        set_explainer(None)
    else:
        raise ValueError(f'target must be "sandbox" or "aws", not {target!r}')
    if not quiet:
        print(connection.describe())
    _freeze_long_lived_objects()
    return connection
