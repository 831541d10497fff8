"""Identity: who signed a request, the root user's own credentials, and ``GetSessionToken``.

AWS: a request signed with an unknown or inactive access key fails with
``InvalidClientTokenId`` (403), one with no signature with ``MissingAuthenticationToken``
(https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). The sandbox's own
credentials stand for the root user (the article works as root in the console), so
``GetCallerIdentity`` answers ``arn:aws:iam::ACCOUNT:root`` with the account id as UserId
(https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).

The root user's MFA device and access keys exist only in the console on AWS; their state lives
here (``ROOT``), so that the console actions, the account summary, the credential report and
the identity resolution all read the same facts.

``GetSessionToken`` (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html):
an IAM user (or root) trades its access key, and optionally an MFA code, for temporary
``ASIA...`` credentials. A wrong code or a device that is not the caller's is ``AccessDenied``.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import string
import time  # noqa: F401  (session code on main uses it; a merge must keep it)
from dataclasses import dataclass, field

from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.layer import clock, moto_state, totp_check
from helpers.sandbox.layer.registry import Call, before, on_reset
from helpers.sandbox.layer.wire import (
    AwsError,
    Caller,
    Response,
    Signature,
    constraint,
    validation_error,
    xml_fields,
    xml_response,
)

ROOT_ARN = f"arn:aws:iam::{ACCOUNT_ID}:root"
ROOT_REPORT_NAME = "<root_account>"

# https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
DEFAULT_SESSION_SECONDS = 43200
MIN_SESSION_SECONDS = 900
MAX_SESSION_SECONDS = 129600
MAX_ROOT_SESSION_SECONDS = 3600

_KEY_ALPHABET = string.ascii_uppercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"
_SERIAL = re.compile(r"[\w+=/:,.@-]{9,256}")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as AWS's query APIs write timestamps."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_text(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_access_key_id(prefix: str) -> str:
    """``AKIA``/``ASIA`` followed by 16 upper-case letters and digits, as AWS's key ids."""
    return prefix + random_text(_KEY_ALPHABET, 16)


def new_secret_access_key() -> str:
    return random_text(_SECRET_ALPHABET, 40)


@dataclass
class RootMfaDevice:
    """The root user's virtual MFA device (set up in the console)."""

    name: str
    serial: str
    seed: str
    created_at: dt.datetime
    enabled_at: dt.datetime | None = None


@dataclass
class RootAccessKey:
    access_key_id: str
    secret_access_key: str
    created_at: dt.datetime
    status: str = "Active"
    last_used: dt.datetime | None = None
    last_used_service: str | None = None


@dataclass
class RootAccount:
    """What AWS keeps about the root user that moto does not model."""

    created_at: dt.datetime = field(default_factory=utc_now)
    # The sandbox's own credentials are root's console session: their last use is root's
    # last sign-in, which the credential report shows as password_last_used.
    last_active: dt.datetime | None = None
    # enabled, oldest first: AWS lets root register up to 8 MFA devices
    mfa_devices: list[RootMfaDevice] = field(default_factory=list)
    pending_device: RootMfaDevice | None = None  # created in the console, not yet enabled
    access_keys: list[RootAccessKey] = field(default_factory=list)

    @property
    def mfa_enabled(self) -> bool:
        return bool(self.mfa_devices)

    def mfa_device(self, serial: str | None) -> RootMfaDevice | None:
        """Root's enabled device with this serial number, if any."""
        return next((d for d in self.mfa_devices if d.serial == serial), None)

    def access_key(self, access_key_id: str) -> RootAccessKey | None:
        return next((k for k in self.access_keys if k.access_key_id == access_key_id), None)

    def forget(self) -> None:
        """Back to a new account's root user: no MFA, no access keys."""
        self.__init__()  # type: ignore[misc]


ROOT = RootAccount()


@dataclass
class Session:
    """Temporary credentials handed out by ``GetSessionToken`` (a user's or root's session) or
    ``AssumeRole`` (a role session: ``role`` is set)."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    user_name: str | None  # None: a session of the root user, or a role session
    mfa_authenticated: bool
    expires_at: float
    issued_at: float = field(default_factory=time.time)
    role: dict | None = None  # role_name, role_arn, role_id, session_name, session_policies

    def caller_extra(self) -> dict:
        extra: dict = {"issued_at": self.issued_at, "mfa_at": self.issued_at}
        if self.role is not None:
            extra.update(self.role)
        return extra


SESSIONS: dict[str, Session] = {}


@on_reset
def forget_sessions() -> None:
    SESSIONS.clear()


@on_reset
def forget_root() -> None:
    ROOT.forget()


def invalid_token() -> AwsError:
    return AwsError(
        "InvalidClientTokenId", "The security token included in the request is invalid."
    )


def secret_for(access_key_id: str) -> str | None:
    """The secret of any access key the sandbox knows: root's, a root access key made in the
    console, a session's, an IAM user's (active or not); None for an unknown key."""
    root = root_credentials()
    if access_key_id == root.access_key_id:
        return root.secret_access_key
    root_key = ROOT.access_key(access_key_id)
    if root_key is not None:
        return root_key.secret_access_key
    session = SESSIONS.get(access_key_id)
    if session is not None:
        return session.secret_access_key
    owner = moto_state.user_by_access_key(access_key_id)
    return moto_state.access_key_secret(owner[1]) if owner is not None else None


def resolve_caller(signature: Signature) -> Caller:
    """The identity behind a signed request, or ``AwsError`` as AWS refuses it."""
    key = signature.access_key_id
    if not key:
        raise AwsError("MissingAuthenticationToken", "Request is missing Authentication Token")
    if key == root_credentials().access_key_id:
        ROOT.last_active = utc_now()
        return Caller("root", key)
    root_key = ROOT.access_key(key)
    if root_key is not None:
        if root_key.status != "Active":
            raise invalid_token()
        root_key.last_used, root_key.last_used_service = utc_now(), signature.service
        return Caller("root", key)
    session = SESSIONS.get(key)
    if session is not None:
        if signature.session_token != session.session_token:
            raise invalid_token()
        if clock.now() > session.expires_at:
            raise AwsError("ExpiredToken", "The security token included in the request is expired")
        if session.role is not None:
            kind = session.role.get("kind", "role")  # "federated": GetFederationToken's
            if kind == "federated":  # the calling IAM user's, or root's ("")
                source = session.role["source_user"]
                alive = not source or moto_state.user(source) is not None
            else:
                alive = moto_state.role(session.role["role_name"]) is not None
            if not alive:
                raise invalid_token()
            return Caller(kind, key, None, session.mfa_authenticated, session.caller_extra())
        if session.user_name is None:
            return Caller("root", key, None, session.mfa_authenticated, {"temporary": True})
        if moto_state.user(session.user_name) is None:
            raise invalid_token()
        return Caller(
            "session", key, session.user_name, session.mfa_authenticated, session.caller_extra()
        )
    owner = moto_state.user_by_access_key(key)
    if owner is None or owner[1].status != "Active":
        raise invalid_token()
    moto_state.mark_access_key_used(owner[1], signature.service)
    return Caller("user", key, owner[0].name)


def check_session_scope(caller: Caller, service: str, action: str) -> None:
    """What GetSessionToken's credentials cannot call (*Compare AWS STS credentials*:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison):
    IAM unless MFA came with GetSessionToken, and STS except AssumeRole and GetCallerIdentity.
    AWS answers an IAM call with such a session as an unknown token."""
    if caller.kind == "federated":  # GetFederationToken's: no IAM, of STS GetCallerIdentity only
        if service == "iam" or service == "sts" and action != "GetCallerIdentity":
            raise AwsError("AccessDenied", f"Cannot call {action} with federated user credentials")
        return
    if caller.kind != "session" and not caller.extra.get("temporary"):
        return
    if service == "iam" and not caller.mfa_authenticated:
        raise invalid_token()
    if service == "sts" and action not in ("AssumeRole", "GetCallerIdentity", "GetSessionToken"):
        raise AwsError("AccessDenied", f"Cannot call {action} with session credentials")


def user_arn(user_name: str) -> str:
    found = moto_state.user(user_name)
    path = found.path if found is not None else "/"
    return f"arn:aws:iam::{ACCOUNT_ID}:user{path}{user_name}"


@before("sts", "GetCallerIdentity")
def get_caller_identity(call: Call) -> Response:
    caller = call.caller
    if caller.kind == "root":
        fields = xml_fields(Arn=ROOT_ARN, UserId=ACCOUNT_ID, Account=ACCOUNT_ID)
    elif caller.kind == "federated":
        name = caller.extra["session_name"]
        fields = xml_fields(
            Arn=f"arn:aws:sts::{ACCOUNT_ID}:federated-user/{name}",
            UserId=f"{ACCOUNT_ID}:{name}",
            Account=ACCOUNT_ID,
        )
    elif caller.kind == "role":
        extra = caller.extra
        fields = xml_fields(
            Arn=f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{extra['role_name']}/"
            f"{extra['session_name']}",
            UserId=f"{extra['role_id']}:{extra['session_name']}",
            Account=ACCOUNT_ID,
        )
    else:
        found = moto_state.user(caller.user_name or "")
        user_id = found.id if found is not None else caller.user_name
        fields = xml_fields(
            Arn=user_arn(caller.user_name or ""), UserId=user_id, Account=ACCOUNT_ID
        )
    return xml_response("sts", "GetCallerIdentity", fields)


def _session_seconds(call: Call, is_root: bool) -> int:
    raw = call.param("DurationSeconds")
    if raw is None or raw == "":
        seconds = DEFAULT_SESSION_SECONDS
    else:
        try:
            seconds = int(raw)
        except ValueError:
            raise validation_error(
                [constraint("durationSeconds", raw, "be a whole number of seconds")]
            ) from None
        if seconds < MIN_SESSION_SECONDS:
            rule = f"have value greater than or equal to {MIN_SESSION_SECONDS}"
            raise validation_error([constraint("durationSeconds", str(seconds), rule)])
        if seconds > MAX_SESSION_SECONDS:
            rule = f"have value less than or equal to {MAX_SESSION_SECONDS}"
            raise validation_error([constraint("durationSeconds", str(seconds), rule)])
    # AWS: sessions of the account's root user last at most one hour, longer asks are cut.
    return min(seconds, MAX_ROOT_SESSION_SECONDS) if is_root else seconds


def _mfa_failed(reason: str) -> AwsError:
    return AwsError("AccessDenied", f"MultiFactorAuthentication failed{reason}")


def check_mfa_code(caller: Caller, serial: str | None, code: str | None) -> bool:
    """True when a valid MFA code came with the request; AwsError when one is wrong."""
    if serial is None and code is None:
        return False
    if code is not None and code != "":
        totp_check.require_code_format("tokenCode", code)
    if serial and not _SERIAL.fullmatch(serial):
        rule = "satisfy regular expression pattern: [\\w+=/:,.@-]*"
        raise validation_error([constraint("serialNumber", serial, rule)])
    if not serial or not code:
        raise _mfa_failed(
            ": send both SerialNumber (your MFA device's ARN) and TokenCode (its current code)."
        )
    seed = None  # of the caller's device with this serial number
    if caller.kind == "root":
        device = ROOT.mfa_device(serial)
        if device is not None:
            seed = device.seed
    else:
        found = moto_state.user(caller.user_name or "")
        if found is not None and serial in moto_state.user_mfa_serials(found):
            device = moto_state.virtual_mfa_device(serial)
            seed = moto_state.device_seed(device) if device is not None else None
    if seed is None:
        raise _mfa_failed(
            ", unable to validate MFA code. Please verify your MFA serial number is valid and "
            "associated with this user."
        )
    if totp_check.matching_step(seed, code, now=totp_check.device_now(serial)) is None:
        raise _mfa_failed(" with invalid MFA one time pass code.")
    return True


@before("sts", "GetSessionToken")
def get_session_token(call: Call) -> Response:
    caller = call.caller
    if caller.kind in ("session", "role", "federated") or caller.extra.get("temporary"):
        raise AwsError(
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials: sign the call with the "
            "user's own access key.",
        )
    is_root = caller.kind == "root"
    seconds = _session_seconds(call, is_root)
    mfa = check_mfa_code(caller, call.param("SerialNumber"), call.param("TokenCode"))
    credentials = issue_session(seconds, None if is_root else caller.user_name, mfa)
    return xml_response("sts", "GetSessionToken", credentials)


def issue_session(seconds: int, user_name: str | None, mfa: bool, role: dict | None = None) -> str:
    """New temporary credentials (GetSessionToken's, AssumeRole's, GetFederationToken's), kept
    in ``SESSIONS``; their ``<Credentials>`` element for the answer."""
    now = clock.now()
    session = Session(
        access_key_id=new_access_key_id("ASIA"),
        secret_access_key=new_secret_access_key(),
        session_token=base64.b64encode(secrets.token_bytes(180)).decode(),
        user_name=user_name,
        mfa_authenticated=mfa,
        expires_at=now + seconds,
        issued_at=now,
        role=role,
    )
    SESSIONS[session.access_key_id] = session
    expiration = dt.datetime.fromtimestamp(session.expires_at, dt.UTC)
    credentials = xml_fields(
        AccessKeyId=session.access_key_id,
        SecretAccessKey=session.secret_access_key,
        SessionToken=session.session_token,
        Expiration=iso(expiration),
    )
    return f"<Credentials>{credentials}</Credentials>"
