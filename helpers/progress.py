"""A small, non-secret progress note for a workshop's trainer: the lesson reached and the
security checklist's count, kept in the learner's state folder (``progress.json``, 0600).

Only the learner and root can read it; on a hub the trainer's class view (a hub service running
as root, ``deploy/class_view.py``) reads it. It holds no key, code or password, and writing it
never stops a lesson: any error is ignored.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from helpers.paths import state_dir, write_private

FILE_NAME = "progress.json"


def read() -> dict[str, Any]:
    try:
        data = json.loads((state_dir() / FILE_NAME).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(
    lesson: int | None = None, checklist: int | None = None, exercise: str | None = None
) -> None:
    """Note the lesson opened (the highest so far is kept too), the checklist's N of 5, and/or
    an exercise passed (its key, e.g. ``04-auditors``)."""
    try:
        data = read()
        if exercise is not None and exercise not in data.get("exercises", []):
            data["exercises"] = sorted([*data.get("exercises", []), exercise])
        if lesson is not None:
            data["lesson"] = lesson
            data["highest_lesson"] = max(lesson, int(data.get("highest_lesson", lesson)))
        if checklist is not None:
            data["checklist"] = checklist
        data["updated"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write_private(state_dir() / FILE_NAME, json.dumps(data) + "\n")
    except (OSError, ValueError, TypeError):
        pass
