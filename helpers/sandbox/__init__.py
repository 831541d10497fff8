"""The local sandbox: moto's server plus a layer that makes it answer like AWS.

This package's top level never imports moto; the server runs in a process of its own.
"""

from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.control import SandboxError, find_running, reset, start, stop
from helpers.sandbox.credentials import RootCredentials, root_credentials
from helpers.sandbox.state import SandboxState

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "RootCredentials",
    "SandboxError",
    "SandboxState",
    "find_running",
    "reset",
    "root_credentials",
    "start",
    "stop",
]
