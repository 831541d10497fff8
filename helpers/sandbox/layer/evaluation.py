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


@dataclass(frozen=True)
class Policy:
    source: str  # how explanations and the simulator name it: a policy ARN, "user/alice:Inline"
    kind: str  # IDENTITY | BOUNDARY | SESSION | RESOURCE | TRUST
    statements: tuple[Statement, ...]
    text: str  # the document as given


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


def parse_policy(document: str | Mapping, source: str, kind: str = IDENTITY) -> Policy:
    """The parsed policy, or ``PolicyError``. Cached: the same text is parsed once."""
    raise NotImplementedError


def evaluate(
    request: Request,
    identity: Sequence[Policy],
    *,
    boundary: Sequence[Policy] | None = None,
    session: Sequence[Policy] | None = None,
    resource: Sequence[Policy] = (),
) -> Decision:
    """AWS's decision for ``request``. ``boundary``/``session`` None: none is set or passed."""
    raise NotImplementedError


def evaluate_trust(request: Request, trust: Policy) -> Decision:
    """Whether a role's trust policy lets ``request.principal`` call ``sts:AssumeRole``."""
    raise NotImplementedError
