"""Does a policy document grant full ``*:*`` administrative privileges? (CIS 1.15)

Follows ``check_admin_access`` in Prowler's ``prowler/providers/aws/services/iam/lib/policy.py``,
which its checks ``iam_aws_attached_policy_no_administrative_privileges`` and
``iam_customer_attached_policy_no_administrative_privileges`` call: only statements over all
resources count; an Allow whose Action includes ``"*"`` is admin, and so is a policy whose only
Allow statements over all resources use NotAction (they allow everything else). Prowler also
treats a NotAction naming a service AWS does not have as admin; that needs AWS's service list,
so it is left out here.
"""

from __future__ import annotations

from typing import Any

ALL_RESOURCES = ("*", ["*"], "*/*", ["*/*"], "*:*", ["*:*"])


def _as_set(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def allows_full_admin(document: dict | None) -> bool:
    """True when the policy document allows ``*`` actions on ``*`` resources."""
    if not document:
        return False
    statements = document.get("Statement", [])
    if not isinstance(statements, list):
        statements = [statements]
    allowed: set[str] = set()
    allowed_not: set[str] = set()
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        not_resource = statement.get("NotResource")
        if statement.get("Resource") in ALL_RESOURCES or (
            not_resource and not_resource not in ("*", ["*"])
        ):
            allowed |= _as_set(statement.get("Action"))
            allowed_not |= _as_set(statement.get("NotAction"))
    if not allowed and allowed_not:
        allowed.add("*")
    return "*" in allowed
