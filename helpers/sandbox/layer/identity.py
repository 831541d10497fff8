"""Identity: who signed a request.

AWS: a request signed with an unknown or inactive access key fails with
``InvalidClientTokenId`` (403), one with no signature with ``MissingAuthenticationToken``
(https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html). The sandbox's own
credentials stand for the root user (the article works as root in the console), so
``GetCallerIdentity`` answers ``arn:aws:iam::ACCOUNT:root`` with the account id as UserId
(https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from helpers.sandbox.constants import ACCOUNT_ID, ROOT_ACCESS_KEY_ID
from helpers.sandbox.layer import moto_state
from helpers.sandbox.layer.registry import Call, before, on_reset
from helpers.sandbox.layer.wire import AwsError, Caller, Signature, xml_fields, xml_response

ROOT_ARN = f"arn:aws:iam::{ACCOUNT_ID}:root"


@dataclass
class Session:
    """Temporary credentials handed out by ``GetSessionToken``."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    user_name: str
    mfa_authenticated: bool
    expires_at: float


SESSIONS: dict[str, Session] = {}


@on_reset
def forget_sessions() -> None:
    SESSIONS.clear()


def invalid_token() -> AwsError:
    return AwsError(
        "InvalidClientTokenId", "The security token included in the request is invalid."
    )


def resolve_caller(signature: Signature) -> Caller:
    """The identity behind a signed request, or ``AwsError`` as AWS refuses it."""
    key = signature.access_key_id
    if not key:
        raise AwsError("MissingAuthenticationToken", "Request is missing Authentication Token")
    if key == ROOT_ACCESS_KEY_ID:
        return Caller("root", key)
    session = SESSIONS.get(key)
    if session is not None:
        if signature.session_token != session.session_token:
            raise invalid_token()
        if time.time() > session.expires_at:
            raise AwsError("ExpiredToken", "The security token included in the request is expired")
        return Caller("session", key, session.user_name, session.mfa_authenticated)
    owner = moto_state.user_by_access_key(key)
    if owner is None or owner[1].status != "Active":
        raise invalid_token()
    return Caller("user", key, owner[0].name)


def user_arn(user_name: str) -> str:
    found = moto_state.user(user_name)
    path = found.path if found is not None else "/"
    return f"arn:aws:iam::{ACCOUNT_ID}:user{path}{user_name}"


@before("sts", "GetCallerIdentity")
def get_caller_identity(call: Call) -> object:
    caller = call.caller
    if caller.kind == "root":
        fields = xml_fields(Arn=ROOT_ARN, UserId=ACCOUNT_ID, Account=ACCOUNT_ID)
    else:
        found = moto_state.user(caller.user_name or "")
        user_id = found.id if found is not None else caller.user_name
        fields = xml_fields(
            Arn=user_arn(caller.user_name or ""), UserId=user_id, Account=ACCOUNT_ID
        )
    return xml_response("sts", "GetCallerIdentity", fields)
