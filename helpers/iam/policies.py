"""Managed policies by ARN (lessons 03 and 04)."""

from __future__ import annotations


def policy_name(policy_arn: str) -> str:
    """``arn:aws:iam::aws:policy/AdministratorAccess`` -> ``AdministratorAccess``."""
    return policy_arn.rsplit("/", 1)[-1]
