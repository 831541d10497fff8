"""The layer that makes moto answer like AWS. Imported only inside the sandbox server process.

One module per topic; importing them registers their rules (see ``registry``).
"""

from helpers.sandbox.layer import (  # noqa: F401  (imported for their registrations)
    account,
    alias,
    authorization,
    boundaries,
    clock,
    console,
    deletion,
    identity,
    last_accessed,
    mfa,
    mfa_tags,
    names,
    passwords,
    roles,
    simulator,
)
from helpers.sandbox.layer.app import AwsLayer

__all__ = ["AwsLayer"]
