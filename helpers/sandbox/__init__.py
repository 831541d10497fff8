"""The local sandbox: moto's server plus a layer that makes it answer like AWS.

This package's top level never imports moto; the server runs in a process of its own.
"""

from helpers.sandbox.constants import (
    ACCOUNT_ID,
    REGION,
    ROOT_ACCESS_KEY_ID,
    ROOT_SECRET_ACCESS_KEY,
)
from helpers.sandbox.control import SandboxError, find_running, reset, start, stop
from helpers.sandbox.state import SandboxState

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "ROOT_ACCESS_KEY_ID",
    "ROOT_SECRET_ACCESS_KEY",
    "SandboxError",
    "SandboxState",
    "find_running",
    "reset",
    "start",
    "stop",
]
