"""Authorization: every request by an IAM user, an MFA session or a role session is decided by
AWS's policy evaluation logic for one account (``evaluation.evaluate``), for every service the
sandbox serves.

Pages (IAM User Guide): *Policy evaluation logic* and *Determining whether a request is allowed
or denied within an account*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
*AWS global condition context keys*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html);
*Troubleshoot access denied error messages*
(https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).

- The root user is never limited by identity-based policies (there is no organization, so no
  SCP), and neither are the sandbox's console actions, which act as root.
- ``sts:GetCallerIdentity`` and ``sts:GetSessionToken`` need no permission and no policy can
  deny them (*Permissions for GetSessionToken*; GetCallerIdentity's API reference).
- A user's policies are its own, its groups' and its permissions boundary; a role session's are
  the role's, its boundary, and the session policies passed to AssumeRole.
- With ``AllowUsersToChangePassword`` in the account's password policy, every IAM user may
  change their own password and read the policy (*Let IAM users change their own password*:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_enable-user-change.html).
- A refusal is AWS's ``AccessDenied`` (``AccessDeniedException`` in JSON services), 403, worded
  as AWS words it; the sandbox also keeps, for each refusal, which policies and statements
  decided it: the console action ``explain`` gives it back by the refusal's request id.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.layer import actions, moto_state, principals
from helpers.sandbox.layer.evaluation import (
    BOUNDARY,
    EXPLICIT_DENY,
    IDENTITY,
    RESOURCE,
    SESSION,
    Decision,
    PolicyError,
    Request,
    evaluate,
    parse_policy,
)
from helpers.sandbox.layer.registry import console_action, on_reset
from helpers.sandbox.layer.wire import AwsError, Caller, request_id

# Calls no policy controls.
UNCONTROLLED = {"sts:GetCallerIdentity", "sts:GetSessionToken"}
# Actions granted to every IAM user by the password policy's AllowUsersToChangePassword.
OWN_PASSWORD_ACTIONS = {"iam:ChangePassword", "iam:GetAccountPasswordPolicy"}

_POLICY_PHRASE = {
    IDENTITY: ("an identity-based policy", "identity-based policy"),
    BOUNDARY: ("a permissions boundary", "permissions boundary"),
    SESSION: ("a session policy", "session policy"),
    RESOURCE: ("a resource-based policy", "resource-based policy"),
}
_REGION = re.compile(r"Credential=[^/\s,]+/[^/]+/([^/]+)/")
KEEP_EXPLANATIONS = 200


@dataclass
class Explanation:
    """Why a request was refused: what the sandbox can say beyond AWS's message."""

    request_id: str
    principal: str
    action: str
    resource: str
    decision: str  # explicitDeny | implicitDeny
    decided_by: str  # identity | boundary | session | resource
    message: str
    statements: list[dict] = field(default_factory=list)  # the Deny statements that matched
    policies: list[str] = field(default_factory=list)  # every policy that was considered
    missing_context: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "request_id": self.request_id,
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "message": self.message,
            "statements": self.statements,
            "policies": self.policies,
            "missing_context": self.missing_context,
            "context": self.context,
            "summary": summary(self),
        }


EXPLANATIONS: OrderedDict[str, Explanation] = OrderedDict()


@on_reset
def forget_explanations() -> None:
    EXPLANATIONS.clear()


def principal_arn(caller: Caller) -> str:
    """The ARN a refusal names: the user, or the role session (``assumed-role/ROLE/SESSION``)."""
    if caller.kind == "root":
        return f"arn:aws:iam::{ACCOUNT_ID}:root"
    if caller.kind == "federated":
        return f"arn:aws:sts::{ACCOUNT_ID}:federated-user/{caller.extra['session_name']}"
    if caller.kind == "role":
        return (
            f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{caller.extra['role_name']}/"
            f"{caller.extra['session_name']}"
        )
    return _user_arn(caller.user_name or "")


def _user_arn(name: str) -> str:
    found = moto_state.user(name)
    path = found.path if found is not None else "/"
    return f"arn:aws:iam::{ACCOUNT_ID}:user{path}{name}"


def _user_path(name: str) -> str | None:
    found = moto_state.user(name)
    return found.path if found is not None else None


def requested_region(environ: dict) -> str:
    found = _REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    if found:
        return found.group(1)
    credential = re.search(r"X-Amz-Credential=[^&/]+(?:/|%2F)[^&/%]+(?:/|%2F)([^&/%]+)",
                           environ.get("QUERY_STRING", ""))  # fmt: skip
    return credential.group(1) if credential else REGION


def request_context(caller: Caller, environ: dict, region: str) -> dict[str, str]:
    """The global condition keys AWS puts in every request's context (and only those it puts:
    a long-term key carries no ``aws:MultiFactorAuthPresent`` at all)."""
    now = time.time()
    context: dict[str, str] = {
        "aws:CurrentTime": dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "aws:EpochTime": str(int(now)),
        "aws:SourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
        "aws:SecureTransport": "true" if environ.get("wsgi.url_scheme") == "https" else "false",
        "aws:RequestedRegion": region,
        "aws:PrincipalAccount": ACCOUNT_ID,
        "aws:PrincipalArn": principal_arn(caller),
        "aws:ViaAWSService": "false",
        "aws:PrincipalIsAWSService": "false",
    }
    if caller.kind == "role":
        role_arn = caller.extra["role_arn"]
        context.update({
            "aws:PrincipalArn": role_arn,
            "aws:PrincipalType": "AssumedRole",
            "aws:userid": f"{caller.extra['role_id']}:{caller.extra['session_name']}",
        })  # fmt: skip
    elif caller.kind == "federated":
        context.update({
            "aws:PrincipalType": "FederatedUser",
            "aws:userid": f"{ACCOUNT_ID}:{caller.extra['session_name']}",
        })  # fmt: skip
    elif caller.user_name:
        found = moto_state.user(caller.user_name)
        context.update({
            "aws:PrincipalType": "User",
            "aws:username": caller.user_name,
            "aws:userid": found.id if found is not None else caller.user_name,
        })  # fmt: skip
    if caller.kind in ("session", "role", "federated"):
        issued = caller.extra.get("issued_at", now)
        context["aws:TokenIssueTime"] = dt.datetime.fromtimestamp(issued, dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        context["aws:MultiFactorAuthPresent"] = "true" if caller.mfa_authenticated else "false"
        if caller.mfa_authenticated:
            context["aws:MultiFactorAuthAge"] = str(int(now - caller.extra.get("mfa_at", issued)))
    return context


@dataclass
class Gathered:
    identity: list
    boundary: list | None
    session: list | None
    sources: list[str]


def gather(caller: Caller) -> Gathered | None:
    """The policies that apply to ``caller``; None when its user or role no longer exists."""
    if caller.kind == "role":
        found = principals.role_policies(caller.extra["role_name"])
        session = caller.extra.get("session_policies")
    elif caller.kind == "federated":
        # The calling user's policies (root's: everything), limited by the session policy;
        # none passed: no rights at all.
        source = caller.extra["source_user"]
        found = principals.user_policies(source) if source else principals.unlimited()
        session = caller.extra.get("session_policies") or []
    else:
        found = principals.user_policies(caller.user_name or "")
        session = None
    if found is None:
        return None
    sources = [p.source for p in found.identity] + [p.source for p in found.boundary or []]
    sources += [p.source for p in session or []]
    return Gathered(found.identity, found.boundary, session, sources)


def decide(
    caller: Caller, action: str, resource: str, context: dict, resource_policies: tuple = ()
) -> tuple[Decision, Gathered]:
    gathered = gather(caller)
    if gathered is None:
        raise AwsError(
            "InvalidClientTokenId", "The security token included in the request is invalid."
        )
    gathered.sources += [p.source for p in resource_policies]
    request = Request(action, resource, principal_arn(caller), context)
    decision = evaluate(
        request,
        gathered.identity,
        boundary=gathered.boundary,
        session=gathered.session,
        resource=resource_policies,
    )
    return decision, gathered


def resource_policies(operation: actions.Operation) -> tuple:
    """The resource-based policies that apply: an S3 bucket's policy (*Bucket policies for
    Amazon S3*: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html).
    A malformed stored policy is left out (S3 refuses one when it is put)."""
    bucket = operation.params.get("Bucket") if operation.service == "s3" else None
    document = moto_state.bucket_policy(bucket) if bucket else None
    if not document:
        return ()
    try:
        return (parse_policy(document, f"bucket policy of {bucket}", RESOURCE),)
    except PolicyError:
        return ()


def refusal_message(principal: str, action: str, resource: str, decision: Decision,
                    quote_resource: bool = False) -> str:  # fmt: skip
    """AWS's wording (*Troubleshoot access denied error messages*)."""
    message = f"User: {principal} is not authorized to perform: {action}"
    if resource != "*" and not resource.endswith(":::"):  # S3 names no service-wide resource
        message += f' on resource: "{resource}"' if quote_resource else f" on resource: {resource}"
    kind = decision.decided_by or IDENTITY
    with_article, plain = _POLICY_PHRASE.get(kind, _POLICY_PHRASE[IDENTITY])
    if decision.decision == EXPLICIT_DENY:
        return f"{message} with an explicit deny in {with_article}"
    return f"{message} because no {plain} allows the {action} action"


def _own_password_allowed(caller: Caller, action: str, resource: str) -> bool:
    if action not in OWN_PASSWORD_ACTIONS or caller.kind not in ("user", "session"):
        return False
    policy = moto_state.password_policy()
    if policy is None or not getattr(policy, "allow_users_to_change_password", False):
        return False
    return action == "iam:GetAccountPasswordPolicy" or resource == _user_arn(caller.user_name or "")


def authorize(
    signing_name: str,
    environ: dict,
    body: bytes,
    params: dict[str, str] | None,
    caller: Caller,
) -> actions.Operation | None:
    """Refuse the request with AWS's ``AccessDenied`` unless the caller's policies allow it;
    the operation it was (None for root and unsigned calls, which no policy limits)."""
    if caller.kind in ("root", "anonymous"):
        return None
    operation = actions.operation_of(signing_name, environ, params, body)
    action = operation.action
    if action in UNCONTROLLED or action == "sts:AssumeRole":  # AssumeRole: roles.py
        return operation
    region = requested_region(environ)
    own = caller.user_name if caller.kind in ("user", "session") else None
    resource = actions.resource_of(operation, region, own, _user_path)
    context = request_context(caller, environ, region)
    decision, gathered = decide(caller, action, resource, context, resource_policies(operation))
    if decision.allowed:
        return operation
    if decision.decision != EXPLICIT_DENY and _own_password_allowed(caller, action, resource):
        return operation
    raise refusal(caller, action, resource, decision, gathered, context,
                  quote_resource=operation.service == "s3")  # fmt: skip


def refusal(
    caller: Caller,
    action: str,
    resource: str,
    decision: Decision,
    gathered: Gathered | None,
    context: dict,
    quote_resource: bool = False,
    message: str | None = None,
) -> AwsError:
    """The ``AccessDenied`` error, with its explanation kept under the request id it carries."""
    principal = principal_arn(caller)
    text = message or refusal_message(principal, action, resource, decision, quote_resource)
    error = AwsError("AccessDenied", text, 403)
    error.request_id = request_id()
    remember(Explanation(
        request_id=error.request_id,
        principal=principal,
        action=action,
        resource=resource,
        decision=decision.decision,
        decided_by=decision.decided_by or IDENTITY,
        message=text,
        statements=[_statement(match) for match in decision.matched],
        policies=gathered.sources if gathered else [],
        missing_context=decision.missing_context,
        context=dict(context),
    ))  # fmt: skip
    return error


def _statement(match: Any) -> dict:
    return {
        "policy": match.source,
        "kind": match.kind,
        "statement": match.statement_index + 1,
        "sid": match.sid,
        "effect": match.effect,
        "line": match.start[0] if match.start else None,
    }


def remember(explanation: Explanation) -> None:
    EXPLANATIONS[explanation.request_id] = explanation
    while len(EXPLANATIONS) > KEEP_EXPLANATIONS:
        EXPLANATIONS.popitem(last=False)


def summary(explanation: Explanation) -> str:
    """One or two plain sentences on why: what a learner should change."""
    who = explanation.principal.rsplit(":", 1)[-1]
    if explanation.decision == EXPLICIT_DENY:
        denies = [s for s in explanation.statements if s["effect"] == "Deny"]
        named = "; ".join(
            f"{s['policy']} statement {s['statement']}" + (f" ({s['sid']})" if s["sid"] else "")
            for s in denies
        )
        text = f"A Deny statement matched {explanation.action} for {who}: {named}. "
        text += "An explicit Deny wins over every Allow."
        if "aws:MultiFactorAuthPresent" in named or any("MFA" in (s["sid"] or "") for s in denies):
            text += " Sign in with MFA (GetSessionToken with a code) and try again."
        return text
    considered = ", ".join(explanation.policies) or "no policy at all"
    where = {
        IDENTITY: "None of the identity-based policies",
        BOUNDARY: "The permissions boundary",
        SESSION: "The session policy",
    }.get(explanation.decided_by, "No policy")
    return (
        f"{where} allows {explanation.action} on {explanation.resource} "
        f"(policies considered: {considered}). Nothing allowed it, so it is implicitly denied."
    )


@console_action("explain")
def explain(payload: dict) -> dict:
    """Why the refusal with ``request_id`` happened (the newest refusal when none is given)."""
    wanted = payload.get("request_id")
    if not wanted and EXPLANATIONS:
        return next(reversed(EXPLANATIONS.values())).as_dict()
    found = EXPLANATIONS.get(str(wanted or ""))
    if found is None:
        raise AwsError("NoSuchEntity", f"No refusal with request id {wanted} is remembered.")
    return found.as_dict()
