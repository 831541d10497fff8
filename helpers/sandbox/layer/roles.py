"""Role sessions: ``AssumeRole`` checks the role's trust policy and the caller's own permissions,
then hands out temporary credentials that act as the role.

Pages: AssumeRole's API reference
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html); *Policy evaluation
logic*, "Cross-account and same-account role assumption"; *Configuring MFA-protected API
access* (a trust policy that requires MFA refuses a caller without it).

- Root cannot assume a role.
- The trust policy must allow ``sts:AssumeRole`` for the caller. When it names the caller
  itself, that is enough (unless the caller's own policies explicitly deny it); when it names
  the whole account, the caller's identity-based policies must allow ``sts:AssumeRole`` on the
  role too.
- ``SerialNumber`` and ``TokenCode`` put MFA into the session's context
  (``aws:MultiFactorAuthPresent``); ``Policy`` and ``PolicyArns`` are session policies, which
  must also allow every later request.
- The session lasts ``DurationSeconds`` (900 s up to the role's maximum, 1 hour by default); a
  session that assumes another role (role chaining) lasts at most 1 hour.
- A refused AssumeRole does not say whether the role exists.
"""

from __future__ import annotations

from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.layer import authorization, moto_state, principals
from helpers.sandbox.layer.evaluation import (
    EXPLICIT_DENY,
    SESSION,
    TRUST,
    Decision,
    PolicyError,
    Request,
    evaluate_trust,
    parse_policy,
)
from helpers.sandbox.layer.identity import check_mfa_code, issue_session
from helpers.sandbox.layer.registry import Call, before
from helpers.sandbox.layer.wire import (
    AwsError,
    constraint,
    missing,
    validation_error,
    xml_fields,
    xml_response,
)

MIN_SECONDS = 900
DEFAULT_SECONDS = 3600
CHAINED_MAX_SECONDS = 3600


def _duration(call: Call, role: object) -> int:
    raw = call.param("DurationSeconds")
    seconds = DEFAULT_SECONDS if not raw else int(raw) if raw.isdigit() else -1
    if seconds < MIN_SECONDS:
        rule = f"have value greater than or equal to {MIN_SECONDS}"
        raise validation_error([constraint("durationSeconds", raw, rule)])
    if call.caller.kind == "role" and seconds > CHAINED_MAX_SECONDS:
        raise AwsError(
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed "
            "by role chaining.",
        )
    maximum = int(getattr(role, "max_session_duration", None) or DEFAULT_SECONDS)
    if seconds > maximum:
        raise AwsError(
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )
    return seconds


def _session_policies(call: Call) -> list:
    policies = []
    document = call.param("Policy")
    if document:
        try:
            policies.append(parse_policy(document, "session policy", SESSION))
        except PolicyError as error:
            raise AwsError("MalformedPolicyDocument", str(error), 400) from None
    index = 1
    while f"PolicyArns.member.{index}.arn" in call.params:
        arn = call.params[f"PolicyArns.member.{index}.arn"]
        policy = moto_state.managed_policy(arn)
        document = moto_state.default_document(policy) if policy is not None else None
        if document is None:
            raise AwsError(
                "InvalidParameterValue", f"Policy {arn} does not exist or is not attachable."
            )
        policies.append(parse_policy(principals.document_text(document), arn, SESSION))
        index += 1
    return policies


def _names_caller(trust: object, decision: Decision, principal: str) -> bool:
    """Whether an Allow statement that matched names the caller itself (not only the account)."""
    for match in decision.matched:
        statement = trust.statements[match.statement_index]  # type: ignore[attr-defined]
        for ids in (statement.principals or {}).values():
            if principal in ids or "*" in ids:
                return True
    return False


@before("sts", "AssumeRole")
def assume_role(call: Call) -> object:
    caller = call.caller
    role_arn, session_name = call.param("RoleArn"), call.param("RoleSessionName")
    problems = [missing(m) for m, v in (("roleArn", role_arn), ("roleSessionName", session_name))
                if not v]  # fmt: skip
    if problems:
        raise validation_error(problems)
    if caller.kind == "root":
        raise AwsError("AccessDenied", "Roles may not be assumed by root accounts.")
    assert role_arn is not None and session_name is not None
    region = authorization.requested_region(call.environ)
    context = authorization.request_context(caller, call.environ, region)
    mfa = check_mfa_code(caller, call.param("SerialNumber"), call.param("TokenCode"))
    if mfa:  # the code that came with this call is the MFA the trust policy sees
        context.update({"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0"})
    action = "sts:AssumeRole"
    role = moto_state.role(role_arn.rsplit("/", 1)[-1])
    if role is not None and f"arn:aws:iam::{ACCOUNT_ID}:role{role.path}{role.name}" != role_arn:
        role = None
    identity, gathered = authorization.decide(caller, action, role_arn, context)
    principal = context["aws:PrincipalArn"]
    trust_decision = Decision("implicitDeny", [], TRUST)
    trust = None
    if role is not None:
        trust = parse_policy(
            principals.document_text(role.assume_role_policy_document), "trust policy", TRUST
        )
        trust_decision = evaluate_trust(Request(action, role_arn, principal, context), trust)
    allowed = (
        trust is not None
        and trust_decision.allowed
        and identity.decision != EXPLICIT_DENY
        and (identity.allowed or _names_caller(trust, trust_decision, principal))
    )
    if not allowed:
        failed = identity if identity.decision == EXPLICIT_DENY else trust_decision
        message = (
            f"User: {authorization.principal_arn(caller)} is not authorized to perform: "
            f"{action} on resource: {role_arn}"
        )
        raise authorization.refusal(caller, action, role_arn, failed, gathered, context,
                                    message=message)  # fmt: skip
    seconds = _duration(call, role)
    credentials = issue_session(
        seconds,
        None,
        mfa,
        role={
            "role_name": role.name,
            "role_arn": role_arn,
            "role_id": role.id,
            "session_name": session_name,
            "session_policies": _session_policies(call) or None,
        },
    )
    assumed = xml_fields(
        AssumedRoleId=f"{role.id}:{session_name}",
        Arn=f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role.name}/{session_name}",
    )
    return xml_response(
        "sts",
        "AssumeRole",
        f"{credentials}<AssumedRoleUser>{assumed}</AssumedRoleUser>",
    )


# --- federated users (GetFederationToken) ---
# https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
# An IAM user (or root) with long-term keys asks for credentials for a named federated user.
# The session's rights are the intersection of the caller's identity policies and the session
# policies passed (Policy, PolicyArns): with none passed, it has no rights at all. Its
# credentials cannot call IAM, nor STS other than GetCallerIdentity.

FEDERATION_DEFAULT_SECONDS = 43200
FEDERATION_MAX_SECONDS = 129600
FEDERATION_ROOT_MAX_SECONDS = 3600


@before("sts", "GetFederationToken")
def get_federation_token(call: Call) -> object:
    caller = call.caller
    name = call.param("Name")
    if not name:
        raise validation_error([missing("name")])
    if caller.kind not in ("user", "root") or caller.extra.get("temporary"):
        raise AwsError(
            "AccessDenied",
            "Cannot call GetFederationToken with session credentials: sign the call with an "
            "IAM user's own access key.",
        )
    raw = call.param("DurationSeconds")
    seconds = FEDERATION_DEFAULT_SECONDS if not raw else int(raw) if raw.isdigit() else -1
    if seconds < MIN_SECONDS:
        rule = f"have value greater than or equal to {MIN_SECONDS}"
        raise validation_error([constraint("durationSeconds", raw, rule)])
    if seconds > FEDERATION_MAX_SECONDS:
        rule = f"have value less than or equal to {FEDERATION_MAX_SECONDS}"
        raise validation_error([constraint("durationSeconds", raw, rule)])
    if caller.kind == "root":
        seconds = min(seconds, FEDERATION_ROOT_MAX_SECONDS)
    policies = _session_policies(call)
    credentials = issue_session(
        seconds,
        None,
        False,
        role={
            "kind": "federated",
            "source_user": caller.user_name or "",
            "session_name": name,
            "session_policies": policies,
        },
    )
    user = xml_fields(
        FederatedUserId=f"{ACCOUNT_ID}:{name}",
        Arn=f"arn:aws:sts::{ACCOUNT_ID}:federated-user/{name}",
    )
    packed = min(100, sum(len(p.text) for p in policies) * 100 // 2048) if policies else 0
    return xml_response(
        "sts",
        "GetFederationToken",
        f"{credentials}<FederatedUser>{user}</FederatedUser>"
        f"<PackedPolicySize>{packed}</PackedPolicySize>",
    )
