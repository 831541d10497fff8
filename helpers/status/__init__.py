"""Security status: the IAM console's five items and CIS v5.0 section 1, as a checklist.

``check_account(aws.iam)`` reads the account with read-only calls and returns a ``Report``
(``.as_text()``, ``.as_json()``); ``StatusPanel(aws)`` shows it as a widget with a refresh
button; ``python -m helpers.status`` prints it in a terminal. See docs/status.md.
"""

from __future__ import annotations

from typing import Any

from helpers.status.check import check_account, evaluate
from helpers.status.gather import AccountData, gather_account
from helpers.status.model import Finding, Report

__all__ = [
    "AccountData",
    "Finding",
    "Report",
    "StatusPanel",
    "check_account",
    "evaluate",
    "gather_account",
]


def __getattr__(name: str) -> Any:
    # The widget needs ipywidgets; import it only when asked (the CLI does not).
    if name == "StatusPanel":
        from helpers.status.widget import StatusPanel

        return StatusPanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
