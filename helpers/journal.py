"""The journal of what the tutorial changed on a real account: one JSON line per write.

Every write made in aws mode is appended here by the gate (``helpers/guard.py``): when, on
which account, the call (its parameters with secrets masked), what it created (names and
ids read from AWS's answer, never a secret) and the value it replaced (the old password
policy, the old alias). ``helpers/undo.py`` reads it back to put the account as it was.
The file lives in the learner's state folder and is readable by its owner only (0600).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from helpers.paths import state_dir

FILE_NAME = "aws-journal.jsonl"
UNDO_DONE = "undo-complete"  # the ``event`` of the line that closes a finished undo


def journal_path() -> Path:
    return state_dir() / FILE_NAME


def append_entry(entry: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """Append one line (``time`` added when missing) to the journal, created 0600."""
    path = path or journal_path()
    line = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, (json.dumps(line, default=str) + "\n").encode())
    finally:
        os.close(descriptor)
    return line


def read_entries(account_id: str | None = None, path: Path | None = None) -> list[dict[str, Any]]:
    """The journal's lines, oldest first (only ``account_id``'s when given)."""
    path = path or journal_path()
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [e for e in entries if account_id is None or e.get("account") == account_id]


def since_last_undo(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries after the last finished undo: what is still to undo."""
    last = max((i for i, e in enumerate(entries) if e.get("event") == UNDO_DONE), default=-1)
    return entries[last + 1 :]
