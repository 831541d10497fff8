"""AWS's policy evaluation logic for one account, as pure functions: no moto, no HTTP.

Pages (IAM User Guide): *Policy evaluation logic*; *Determining whether a request is allowed or
denied within an account*; *IAM JSON policy elements reference*; *Condition operators*;
*Policy variables*.

- An explicit ``Deny`` in any policy that applies wins.
- Otherwise an ``Allow`` is needed from an identity-based or a resource-based policy.
- A permissions boundary, when one is set, and session policies, when passed, must also allow.
- Nothing allows: implicit deny.

``parse_policy`` turns a policy document into ``Policy`` once (cached by its text), so a request
only matches already-parsed statements. ``evaluate`` decides one ``Request``.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# Policy kinds, as the refusal messages and the simulator name them.
IDENTITY = "identity"
BOUNDARY = "boundary"
SESSION = "session"
RESOURCE = "resource"
TRUST = "trust"


class PolicyError(ValueError):
    """A policy document AWS would refuse (``MalformedPolicyDocument``); the message says why."""


@dataclass(frozen=True)
class Statement:
    index: int  # position in its policy, 0-based
    sid: str | None
    effect: str  # "Allow" | "Deny"
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principals: Mapping[str, tuple[str, ...]] | None = None  # {"AWS": (...), "Service": ...}
    not_principals: Mapping[str, tuple[str, ...]] | None = None
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    start: tuple[int, int] | None = None  # (line, column) in the document, 1-based
    end: tuple[int, int] | None = None


@dataclass(frozen=True)
class Policy:
    source: str  # how explanations and the simulator name it: a policy ARN, "user/alice:Inline"
    kind: str  # IDENTITY | BOUNDARY | SESSION | RESOURCE | TRUST
    statements: tuple[Statement, ...]
    text: str  # the document as given
    variables: bool = True  # Version 2012-10-17: policy variables are substituted


@dataclass(frozen=True)
class Request:
    action: str  # "iam:CreateUser"
    resource: str  # an ARN, or "*" where the resource cannot be known
    principal: str | None = None  # the caller's ARN, for trust and resource policies
    # Condition context keys; names are matched case-insensitively. A list is a multivalued key.
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    source: str
    kind: str
    statement_index: int
    sid: str | None
    effect: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


@dataclass
class Decision:
    decision: str  # ALLOWED | EXPLICIT_DENY | IMPLICIT_DENY
    matched: list[Match] = field(default_factory=list)  # every statement that applied
    # For a refusal: the kind of policy that decided it (the explicit Deny's, or the kind that
    # had no Allow: IDENTITY when nothing allowed at all).
    decided_by: str | None = None
    missing_context: list[str] = field(default_factory=list)  # keys the conditions lacked

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


_OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool", "BinaryEquals", "IpAddress", "NotIpAddress",
    "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    "Null",
}  # fmt: skip
# Negated operators: with the key absent they are true (Condition operators page).
_NEGATED = {
    "StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
    "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike",
}  # fmt: skip
_SET_PREFIXES = ("ForAnyValue:", "ForAllValues:")
_VERSIONS = ("2012-10-17", "2008-10-17")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _as_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)


def _malformed(message: str) -> PolicyError:
    return PolicyError(message)


def _principals(value: object, element: str) -> Mapping[str, tuple[str, ...]]:
    if value == "*":
        return {"AWS": ("*",)}
    if not isinstance(value, dict) or not value:
        raise _malformed(f'Invalid principal in policy: {element} must be "*" or an object')
    return {str(kind): _as_tuple(ids) for kind, ids in value.items()}


def _conditions(value: object) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    if not isinstance(value, dict):
        raise _malformed("Syntax errors in policy. Condition must be an object.")
    parsed: dict[str, dict[str, tuple[str, ...]]] = {}
    for operator, block in value.items():
        if operator_parts(operator) is None:
            raise _malformed(f"Invalid Condition type : {operator}")
        if not isinstance(block, dict):
            raise _malformed("Syntax errors in policy. A condition block must be an object.")
        parsed[operator] = {str(key): _as_tuple(values) for key, values in block.items()}
    return parsed


def operator_parts(operator: str) -> tuple[str | None, str, bool] | None:
    """(set prefix, base operator, IfExists) of a condition operator, or None if unknown."""
    prefix = next((p for p in _SET_PREFIXES if operator.startswith(p)), None)
    base = operator[len(prefix) :] if prefix else operator
    if_exists = base.endswith("IfExists") and base != "IfExists"
    if if_exists:
        base = base[: -len("IfExists")]
    if base not in _OPERATORS or (if_exists and base == "Null"):
        return None
    return prefix, base, if_exists


def _statement_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(line, column) of each statement's start and end in ``text``, 1-based, for the
    simulator's ``MatchedStatements`` positions."""
    decoder = json.JSONDecoder()
    found = re.search(r'"Statement"\s*:\s*', text)
    if not found:
        return []
    index = found.end()
    bounds: list[tuple[int, int]] = []
    if text.startswith("[", index):
        index += 1
        while index < len(text):
            while index < len(text) and text[index] in " \t\r\n,":
                index += 1
            if index >= len(text) or text[index] == "]":
                break
            _, end = decoder.raw_decode(text, index)
            bounds.append((index, end))
            index = end
    else:
        _, end = decoder.raw_decode(text, index)
        bounds.append((index, end))

    def position(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    return [(position(start), position(end)) for start, end in bounds]


def parse_policy(document: str | Mapping, source: str, kind: str = IDENTITY) -> Policy:
    """The parsed policy, or ``PolicyError``. Cached: the same text is parsed once."""
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    return _parse(text, source, kind)


@functools.lru_cache(maxsize=4096)
def _parse(text: str, source: str, kind: str) -> Policy:
    try:
        data = json.loads(text)
    except ValueError:
        raise _malformed("Syntax errors in policy.") from None
    if not isinstance(data, dict):
        raise _malformed("Syntax errors in policy.")
    version = data.get("Version", "2008-10-17")
    if version not in _VERSIONS:
        raise _malformed("The policy failed legacy parsing")
    raw = data.get("Statement")
    if raw is None:
        raise _malformed("Syntax errors in policy.")
    raw_statements = raw if isinstance(raw, list) else [raw]
    spans = _statement_spans(text)
    statements = []
    for index, item in enumerate(raw_statements):
        if not isinstance(item, dict):
            raise _malformed("Syntax errors in policy.")
        statements.append(
            _statement(item, index, kind, spans[index] if index < len(spans) else None)
        )
    return Policy(source, kind, tuple(statements), text, version == "2012-10-17")


def _statement(item: dict, index: int, kind: str, span: tuple | None) -> Statement:
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise _malformed("Syntax errors in policy.")
    if ("Action" in item) == ("NotAction" in item):
        raise _malformed("Policy statement must contain actions.")
    has_resource = "Resource" in item or "NotResource" in item
    if "Resource" in item and "NotResource" in item:
        raise _malformed("Syntax errors in policy.")
    if kind != TRUST and not has_resource:
        raise _malformed("Policy statement must contain resources.")
    has_principal = "Principal" in item or "NotPrincipal" in item
    if kind in (IDENTITY, BOUNDARY, SESSION) and has_principal:
        raise _malformed("Policy document should not specify a principal.")
    if kind in (RESOURCE, TRUST) and not has_principal:
        raise _malformed("Missing required field Principal")

    def optional(name: str) -> tuple[str, ...] | None:
        return _as_tuple(item[name]) if name in item else None

    return Statement(
        index=index,
        sid=item.get("Sid"),
        effect=effect,
        actions=optional("Action"),
        not_actions=optional("NotAction"),
        resources=optional("Resource"),
        not_resources=optional("NotResource"),
        principals=_principals(item["Principal"], "Principal") if "Principal" in item else None,
        not_principals=(
            _principals(item["NotPrincipal"], "NotPrincipal") if "NotPrincipal" in item else None
        ),
        conditions=_conditions(item.get("Condition", {})),
        start=span[0] if span else None,
        end=span[1] if span else None,
    )


# --- matching ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _wildcard(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def like(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """``*`` and ``?`` wildcards, as StringLike and Action matching use them."""
    return _wildcard(pattern, ignore_case).fullmatch(value) is not None


def arn_like(pattern: str, value: str) -> bool:
    """ArnLike: each of the six colon-delimited parts matched on its own (Condition operators,
    "Amazon Resource Name (ARN) condition operators"); ``*`` alone matches any ARN."""
    if pattern == "*":
        return True
    pattern_parts, value_parts = pattern.split(":", 5), value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return like(pattern, value)
    return all(like(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))


def _context_value(context: Mapping[str, object], key: str) -> object | None:
    lowered = key.lower()
    for name, value in context.items():
        if name.lower() == lowered:
            return value
    return None


def substitute(text: str, context: Mapping[str, object]) -> str | None:
    """Policy variables replaced from the context (Policy variables page): ``${aws:username}``,
    a default with ``${key, 'default'}``, and ``${*}``, ``${?}``, ``${$}`` for the characters
    themselves. None when a variable has no value and no default: the element does not match."""
    missing = False

    def replace(found: re.Match[str]) -> str:
        nonlocal missing
        inner = found.group(1)
        if inner in ("*", "?", "$"):
            return inner
        key, _, default = inner.partition(",")
        value = _context_value(context, key.strip())
        if isinstance(value, list | tuple):
            value = value[0] if len(value) == 1 else None
        if value is None:
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] == "'":
                return default[1:-1]
            missing = True
            return ""
        return str(value)

    result = _VARIABLE.sub(replace, text)
    return None if missing else result


def _resolve(text: str, context: Mapping[str, object], variables: bool) -> str | None:
    return substitute(text, context) if variables and "${" in text else text


def _action_matches(patterns: tuple[str, ...], action: str) -> bool:
    return any(like(p, action, ignore_case=True) for p in patterns)


def _resource_matches(
    patterns: tuple[str, ...], resource: str, context: Mapping[str, object], variables: bool
) -> bool:
    for pattern in patterns:
        resolved = _resolve(pattern, context, variables)
        if resolved is not None and arn_like(resolved, resource):
            return True
    return False


def _principal_matches(
    principals: Mapping[str, tuple[str, ...]], principal: str | None, also: object = None
) -> bool:
    """``also``: the caller's ``aws:PrincipalArn`` (a role's ARN names its sessions too)."""
    if principal is None:
        return False
    if also and also != principal and _principal_matches(principals, str(also)):
        return True
    account = principal.split(":")[4] if principal.count(":") >= 5 else None
    for kind, ids in principals.items():
        for ident in ids:
            if ident == "*":
                return True
            if kind != "AWS":
                if ident == principal:
                    return True
                continue
            if ident == principal or (
                account and ident in (account, f"arn:aws:iam::{account}:root")
            ):
                return True
    return False


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _date(text: str) -> float | None:
    number = _number(text)
    if number is not None:
        return number
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _ip_in(network: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False)
    except ValueError:
        return False


_ORDER = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _compare(base: str, actual: str, expected: str) -> bool:
    """The positive form of ``base`` for one context value against one policy value."""
    positive = base.replace("Not", "", 1) if base in _NEGATED else base
    if positive == "StringEquals":
        return actual == expected
    if positive == "StringEqualsIgnoreCase":
        return actual.lower() == expected.lower()
    if positive == "StringLike":
        return like(expected, actual)
    if positive in ("ArnEquals", "ArnLike"):
        return arn_like(expected, actual)
    if positive == "Bool":
        return actual.lower() == expected.lower()
    if positive == "BinaryEquals":
        return actual == expected
    if positive == "IpAddress":
        return _ip_in(expected, actual)
    for family, parse in (("Numeric", _number), ("Date", _date)):
        if positive.startswith(family):
            a, b = parse(actual), parse(expected)
            return a is not None and b is not None and _ORDER[positive[len(family) :]](a, b)
    return False


def _condition_holds(
    operator: str, key: str, expected: tuple[str, ...], context: Mapping[str, object],
    variables: bool,
) -> bool:  # fmt: skip
    parts = operator_parts(operator)
    if parts is None:  # parse_policy refuses these; never allow on one
        return False
    prefix, base, if_exists = parts
    value = _context_value(context, key)
    if base == "Null":
        return (value is None) == (expected[0].lower() == "true")
    values = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
    if not values:
        if prefix == "ForAllValues:":
            return True
        if prefix == "ForAnyValue:":
            return False
        return if_exists or base in _NEGATED
    resolved = [r for r in (_resolve(e, context, variables) for e in expected) if r is not None]

    def single(actual: str) -> bool:
        hit = any(_compare(base, str(actual), e) for e in resolved)
        return not hit if base in _NEGATED else hit

    if prefix == "ForAllValues:":
        return all(single(v) for v in values)
    if prefix == "ForAnyValue:" or len(values) > 1:
        return any(single(v) for v in values)
    return single(values[0])


def condition_keys(statement: Statement) -> list[str]:
    """The context keys ``statement``'s conditions read."""
    return [key for block in statement.conditions.values() for key in block]


def _applies(statement: Statement, request: Request, kind: str, variables: bool) -> bool:
    if statement.actions is not None and not _action_matches(statement.actions, request.action):
        return False
    if statement.not_actions is not None and _action_matches(statement.not_actions, request.action):
        return False
    if statement.resources is not None and not _resource_matches(
        statement.resources, request.resource, request.context, variables
    ):
        return False
    if statement.not_resources is not None and _resource_matches(
        statement.not_resources, request.resource, request.context, variables
    ):
        return False
    if kind in (RESOURCE, TRUST):
        also = _context_value(request.context, "aws:PrincipalArn")
        if statement.principals is not None and not _principal_matches(
            statement.principals, request.principal, also
        ):
            return False
        if statement.not_principals is not None and _principal_matches(
            statement.not_principals, request.principal, also
        ):
            return False
    return all(
        _condition_holds(operator, key, values, request.context, variables)
        for operator, block in statement.conditions.items()
        for key, values in block.items()
    )


@dataclass
class _Scan:
    allow: list[Match] = field(default_factory=list)
    deny: list[Match] = field(default_factory=list)


def _scan(request: Request, policies: Sequence[Policy], missing: set[str]) -> _Scan:
    scan = _Scan()
    for policy in policies:
        for statement in policy.statements:
            for key in condition_keys(statement):
                if _context_value(request.context, key) is None:
                    missing.add(key)
            if _applies(statement, request, policy.kind, policy.variables):
                match = Match(policy.source, policy.kind, statement.index, statement.sid,
                              statement.effect, statement.start, statement.end)  # fmt: skip
                (scan.allow if statement.effect == "Allow" else scan.deny).append(match)
    return scan


def evaluate(
    request: Request,
    identity: Sequence[Policy],
    *,
    boundary: Sequence[Policy] | None = None,
    session: Sequence[Policy] | None = None,
    resource: Sequence[Policy] = (),
) -> Decision:
    """AWS's decision for ``request``. ``boundary``/``session`` None: none is set or passed.

    Order (Policy evaluation logic): an explicit Deny in any policy; then an Allow from an
    identity-based or resource-based policy; then the boundary and the session policies, each of
    which must also allow."""
    missing: set[str] = set()
    scans = [
        (IDENTITY, _scan(request, identity, missing)),
        (RESOURCE, _scan(request, resource, missing)),
    ]
    if boundary is not None:
        scans.append((BOUNDARY, _scan(request, boundary, missing)))
    if session is not None:
        scans.append((SESSION, _scan(request, session, missing)))
    found = dict(scans)
    missing_keys = sorted(missing, key=str.lower)
    for kind, scan in scans:
        if scan.deny:
            denies = [m for _, s in scans for m in s.deny]
            return Decision(EXPLICIT_DENY, denies, kind, missing_keys)
    allows = [m for _, s in scans for m in s.allow]
    if not (found[IDENTITY].allow or found[RESOURCE].allow):
        return Decision(IMPLICIT_DENY, [], IDENTITY, missing_keys)
    for kind in (BOUNDARY, SESSION):
        if kind in found and not found[kind].allow:
            return Decision(IMPLICIT_DENY, [], kind, missing_keys)
    return Decision(ALLOWED, allows, None, missing_keys)


def evaluate_trust(request: Request, trust: Policy) -> Decision:
    """Whether a role's trust policy lets ``request.principal`` call ``request.action``
    (``sts:AssumeRole``): an explicit Deny refuses, an Allow for the principal is needed."""
    missing: set[str] = set()
    scan = _scan(request, [trust], missing)
    missing_keys = sorted(missing, key=str.lower)
    if scan.deny:
        return Decision(EXPLICIT_DENY, scan.deny, TRUST, missing_keys)
    if not scan.allow:
        return Decision(IMPLICIT_DENY, [], TRUST, missing_keys)
    return Decision(ALLOWED, scan.allow, None, missing_keys)
