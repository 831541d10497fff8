"""The state file through which every process of one learner finds their running sandbox."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from helpers.paths import state_dir, write_private

STATE_FILE = "sandbox.json"
LOCK_FILE = "sandbox.lock"
LOG_FILE = "sandbox.log"


@dataclass(frozen=True)
class SandboxState:
    """What a running sandbox server wrote about itself."""

    pid: int
    host: str
    port: int
    started_at: str
    state_dir: str

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"


def state_path(folder: Path | None = None) -> Path:
    return (folder or state_dir()) / STATE_FILE


def log_path(folder: Path | None = None) -> Path:
    return (folder or state_dir()) / LOG_FILE


def read_state(folder: Path | None = None) -> SandboxState | None:
    """The recorded sandbox, or None when there is no (readable) state file."""
    try:
        data = json.loads(state_path(folder).read_text())
        return SandboxState(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_state(state: SandboxState, folder: Path | None = None) -> None:
    write_private(state_path(folder), json.dumps(asdict(state), indent=2))


def clear_state(folder: Path | None = None) -> None:
    state_path(folder).unlink(missing_ok=True)


@contextlib.contextmanager
def locked(folder: Path | None = None) -> Iterator[None]:
    """Hold the learner's sandbox lock, so two kernels never start two servers at once."""
    path = (folder or state_dir()) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not a running server.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True
