"""The IAM policy simulator, on the same engine that decides the sandbox's requests.

- SimulateCustomPolicy
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html): the given
  policies (``PolicyInputList``), optionally a boundary and a resource policy.
- SimulatePrincipalPolicy
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html): the
  policies of a user (with its groups' and its boundary), a group or a role, plus any in
  ``PolicyInputList``.
- GetContextKeysForCustomPolicy / GetContextKeysForPrincipalPolicy: the condition keys those
  policies read.

Each result has ``EvalDecision`` (allowed / explicitDeny / implicitDeny), the
``MatchedStatements`` with their position in the document, and ``MissingContextValues``. moto
answers none of these operations (HTTP 500).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.layer import evaluation, moto_state, principals
from helpers.sandbox.layer.evaluation import (
    BOUNDARY,
    IDENTITY,
    RESOURCE,
    Decision,
    Policy,
    PolicyError,
    Request,
    parse_policy,
)
from helpers.sandbox.layer.names import no_such_group, no_such_user
from helpers.sandbox.layer.registry import Call, before
from helpers.sandbox.layer.wire import (
    AwsError,
    Response,
    missing,
    validation_error,
    xml_fields,
    xml_response,
)

DEFAULT_MAX_ITEMS = 100
_LIST_TYPES = {"stringList", "numericList", "booleanList", "dateList", "ipList", "binaryList"}


def _parse(document: str, source: str, kind: str) -> Policy:
    try:
        return parse_policy(document, source, kind)
    except PolicyError as error:
        raise AwsError("InvalidInput", f"{source}: {error}") from None


def _input_policies(call: Call, prefix: str, kind: str) -> list[Policy]:
    return [
        _parse(document, f"{prefix}.{index}", kind)
        for index, document in enumerate(call.members(prefix), start=1)
    ]


def _context(call: Call) -> dict[str, str | list[str]]:
    context: dict[str, str | list[str]] = {}
    index = 1
    while f"ContextEntries.member.{index}.ContextKeyName" in call.params:
        entry = f"ContextEntries.member.{index}"
        values = call.members(f"{entry}.ContextKeyValues")
        kind = call.param(f"{entry}.ContextKeyType", "string")
        name = call.params[f"{entry}.ContextKeyName"]
        context[name] = values if kind in _LIST_TYPES else (values[0] if values else "")
        index += 1
    return context


def _actions(call: Call) -> list[str]:
    actions = call.members("ActionNames")
    if not actions:
        raise validation_error([missing("actionNames")])
    return actions


def _position(name: str, where: tuple[int, int] | None) -> str:
    if where is None:
        return ""
    return f"<{name}>{xml_fields(Line=where[0], Column=where[1])}</{name}>"


def _result(action: str, resource: str, decision: Decision, types: dict[str, str]) -> str:
    matched = "".join(
        "<member>"
        + xml_fields(SourcePolicyId=m.source, SourcePolicyType=types.get(m.source, "none"))
        + _position("StartPosition", m.start)
        + _position("EndPosition", m.end)
        + "</member>"
        for m in decision.matched
    )
    missing = "".join(f"<member>{escape(key)}</member>" for key in decision.missing_context)
    return (
        "<member>"
        + xml_fields(
            EvalActionName=action, EvalResourceName=resource, EvalDecision=decision.decision
        )
        + f"<MatchedStatements>{matched}</MatchedStatements>"
        + f"<MissingContextValues>{missing}</MissingContextValues>"
        + "</member>"
    )


def _simulate(
    call: Call,
    identity: list[Policy],
    boundary: list[Policy] | None,
    types: dict[str, str],
    principal: str | None,
    context: dict[str, str | list[str]],
) -> Response:
    resource_policy = call.param("ResourcePolicy")
    resource = [_parse(resource_policy, "ResourcePolicy", RESOURCE)] if resource_policy else []
    types = {**types, "ResourcePolicy": "resource"}
    caller = call.param("CallerArn") or principal
    results = []
    for action in _actions(call):
        for arn in call.members("ResourceArns") or ["*"]:
            request = Request(action, arn, caller, context)
            decision = evaluation.evaluate(request, identity, boundary=boundary, resource=resource)
            results.append(_result(action, arn, decision, types))
    start = int(call.param("Marker") or 0)
    size = int(call.param("MaxItems") or DEFAULT_MAX_ITEMS)
    page = results[start : start + size]
    truncated = start + size < len(results)
    body = f"<EvaluationResults>{''.join(page)}</EvaluationResults>" + xml_fields(
        IsTruncated=str(truncated).lower(), Marker=str(start + size) if truncated else None
    )
    return xml_response("iam", call.action, body)


def _custom_policies(call: Call) -> tuple[list[Policy], list[Policy] | None, dict[str, str]]:
    identity = _input_policies(call, "PolicyInputList", IDENTITY)
    boundary = _input_policies(call, "PermissionsBoundaryPolicyInputList", BOUNDARY) or None
    types = {p.source: "none" for p in [*identity, *(boundary or [])]}
    return identity, boundary, types


def _principal(arn: str) -> tuple[principals.PrincipalPolicies, dict[str, str | list[str]]]:
    """The policies of the user, group or role ``arn`` names, and the context keys the
    sandbox knows for it (a user's ``aws:username``, ``aws:userid``, ``aws:PrincipalArn``)."""
    kind, _, name = arn.split(":", 5)[-1].partition("/")
    name = name.rsplit("/", 1)[-1]
    if kind == "user":
        found = principals.user_policies(name)
        if found is None:
            raise no_such_user(name)
        user = moto_state.user(name)
        return found, {"aws:username": name, "aws:userid": user.id, "aws:PrincipalArn": arn}
    if kind == "group":
        found = principals.group_policies(name)
        if found is None:
            raise no_such_group(name)
        return found, {}
    if kind == "role":
        found = principals.role_policies(name)
        if found is None:
            raise AwsError("NoSuchEntity", f"The role with name {name} cannot be found.")
        return found, {"aws:PrincipalArn": arn}
    raise AwsError("InvalidInput", f"Invalid ARN for PolicySourceArn: {arn}")


@before("iam", "SimulateCustomPolicy")
def simulate_custom_policy(call: Call) -> Response:
    identity, boundary, types = _custom_policies(call)
    return _simulate(call, identity, boundary, types, None, _context(call))


@before("iam", "SimulatePrincipalPolicy")
def simulate_principal_policy(call: Call) -> Response:
    arn = call.param("PolicySourceArn") or ""
    if not arn.startswith(f"arn:aws:iam::{ACCOUNT_ID}:"):
        raise AwsError("InvalidInput", f"Invalid ARN for PolicySourceArn: {arn}")
    found, known = _principal(arn)
    extra, boundary_input, _ = _custom_policies(call)
    boundary = boundary_input if boundary_input is not None else found.boundary
    types = {**found.source_types, **{p.source: "none" for p in [*extra, *(boundary_input or [])]}}
    context = {**known, **_context(call)}
    return _simulate(call, [*found.identity, *extra], boundary, types, arn, context)


def _context_keys(policies: list[Policy]) -> str:
    """``<member>`` elements of the condition keys ``policies`` read, each once."""
    keys: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            for key in evaluation.condition_keys(statement):
                keys.setdefault(key.lower(), key)
    return "".join(f"<member>{escape(key)}</member>" for key in keys.values())


@before("iam", "GetContextKeysForCustomPolicy")
def get_context_keys_for_custom_policy(call: Call) -> Response:
    policies = _input_policies(call, "PolicyInputList", IDENTITY)
    body = f"<ContextKeyNames>{_context_keys(policies)}</ContextKeyNames>"
    return xml_response("iam", call.action, body)


@before("iam", "GetContextKeysForPrincipalPolicy")
def get_context_keys_for_principal_policy(call: Call) -> Response:
    found, _ = _principal(call.param("PolicySourceArn") or "")
    policies = [*found.identity, *_input_policies(call, "PolicyInputList", IDENTITY)]
    body = f"<ContextKeyNames>{_context_keys(policies)}</ContextKeyNames>"
    return xml_response("iam", call.action, body)
