"""The policies that apply to a principal, parsed, as AWS's evaluation logic gathers them.

For an IAM user: its inline and attached managed policies, and those of every group it is in;
its permissions boundary, when set. For a role: its inline and attached policies, its boundary
and its trust policy. (Policy evaluation logic, "identity-based policies":
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)

Documents are parsed by ``evaluation.parse_policy``, which caches by text: gathering them per
request walks moto's dictionaries only, and a changed policy is parsed once, when first used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from helpers.sandbox.layer import boundaries, moto_state
from helpers.sandbox.layer.evaluation import BOUNDARY, IDENTITY, TRUST, Policy, parse_policy

# The simulator's SourcePolicyType values (botocore's PolicySourceType).
USER, GROUP, ROLE, AWS_MANAGED, USER_MANAGED, NONE = (
    "user", "group", "role", "aws-managed", "user-managed", "none",
)  # fmt: skip


@dataclass
class PrincipalPolicies:
    identity: list[Policy] = field(default_factory=list)
    boundary: list[Policy] | None = None  # None: no permissions boundary set
    trust: Policy | None = None
    source_types: dict[str, str] = field(default_factory=dict)  # Policy.source -> type

    def add(self, document: str, source: str, source_type: str, kind: str = IDENTITY) -> Policy:
        parsed = parse_policy(document_text(document), source, kind)
        self.source_types[source] = source_type
        if kind == IDENTITY:
            self.identity.append(parsed)
        return parsed


def document_text(document: Any) -> str:
    """moto keeps some documents URL-encoded, some as dicts, some as text."""
    if isinstance(document, dict):
        return json.dumps(document)
    text = str(document)
    return unquote(text) if text.lstrip().startswith("%7B") else text


def _add_holder(found: PrincipalPolicies, holder: Any, holder_type: str) -> None:
    for name, document in holder.policies.items():
        found.add(document, name, holder_type)
    for policy in holder.managed_policies.values():
        document = moto_state.default_document(policy)
        if document is not None:
            kind = AWS_MANAGED if moto_state.is_aws_managed_policy(policy.arn) else USER_MANAGED
            found.add(document, policy.name, kind)


def _boundary(found: PrincipalPolicies, arn: str | None) -> None:
    if not arn:
        return
    policy = moto_state.managed_policy(arn)
    document = moto_state.default_document(policy) if policy is not None else None
    found.boundary = []
    if document is not None:
        found.boundary.append(parse_policy(document_text(document), policy.name, BOUNDARY))
        managed = AWS_MANAGED if moto_state.is_aws_managed_policy(arn) else USER_MANAGED
        found.source_types[policy.name] = managed


def user_policies(user_name: str) -> PrincipalPolicies | None:
    """The user's identity policies (own and its groups') and boundary; None: no such user."""
    user = moto_state.user(user_name)
    if user is None:
        return None
    found = PrincipalPolicies()
    _add_holder(found, user, USER)
    for group in moto_state.groups_of(user_name):
        _add_holder(found, group, GROUP)
    _boundary(found, boundaries.user_boundary_arn(user_name))
    return found


def unlimited() -> PrincipalPolicies:
    """The root user's rights as a policy: every action on every resource (root is not limited
    by identity-based policies; used where a session policy limits a root session)."""
    found = PrincipalPolicies()
    everything = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    found.add({"Version": "2012-10-17", "Statement": [everything]}, "root user", NONE)
    return found


def group_policies(group_name: str) -> PrincipalPolicies | None:
    group = moto_state.group(group_name)
    if group is None:
        return None
    found = PrincipalPolicies()
    _add_holder(found, group, GROUP)
    return found


def role_policies(role_name: str) -> PrincipalPolicies | None:
    role = moto_state.role(role_name)
    if role is None:
        return None
    found = PrincipalPolicies()
    _add_holder(found, role, ROLE)
    _boundary(found, role.permissions_boundary_arn)
    found.trust = parse_policy(
        document_text(role.assume_role_policy_document), "trust policy", TRUST
    )
    return found
