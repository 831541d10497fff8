"""One row per learner for the trainer's class view: lesson reached, checklist N/5, last
activity, whether their sandbox is up. Read-only; nothing secret.

Read as root (the class view is a hub service, run by the hub as root): the learner's
``progress.json`` (written 0600 by ``helpers.progress``) and the sandbox's state file (0600),
both opened without following symbolic links; the sandbox is asked only its open
``/_sandbox/health`` (no keys are read or used).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from deploy.learners import Learner, read_private_json
from helpers.sandbox.control import health
from helpers.sandbox.state import STATE_FILE

LESSONS = 8  # 00 .. 07


@dataclass(frozen=True)
class LearnerRow:
    name: str
    lesson: int | None  # the lesson last opened (its catch-up cell ran)
    highest_lesson: int | None
    checklist: int | None  # the security checklist's N of 5, as last shown
    last_activity: str | None  # the hub's record
    server: bool  # their Jupyter server runs
    sandbox: bool  # their sandbox answers, and it is theirs

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sandbox_up(learner: Learner) -> bool:
    state = read_private_json(learner.state_dir / STATE_FILE)
    if not state or not isinstance(state.get("port"), int):
        return False
    answer = health(f"http://127.0.0.1:{state['port']}", timeout=1.0)
    return bool(answer and answer.get("pid") == state.get("pid"))


def row_for(hub_user: dict[str, Any]) -> LearnerRow:
    name = hub_user["name"]
    server = bool(hub_user.get("servers", {}).get("", {}).get("ready"))
    try:
        learner = Learner.named(name)
    except KeyError:
        return LearnerRow(name, None, None, None, hub_user.get("last_activity"), server, False)
    progress = read_private_json(learner.state_dir / "progress.json") or {}

    def number(key: str) -> int | None:
        value = progress.get(key)
        return value if isinstance(value, int) else None

    return LearnerRow(
        name=name,
        lesson=number("lesson"),
        highest_lesson=number("highest_lesson"),
        checklist=number("checklist"),
        last_activity=hub_user.get("last_activity"),
        server=server,
        sandbox=sandbox_up(learner),
    )


def class_rows(hub_users: list[dict[str, Any]], trainers: set[str]) -> list[LearnerRow]:
    """Rows for every learner the hub knows (trainers left out), by name."""
    rows = []
    for user in sorted(hub_users, key=lambda u: u["name"]):
        if user.get("admin") or user["name"] in trainers:
            continue
        rows.append(row_for(user))
    return rows
