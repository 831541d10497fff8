"""Where the tutorial keeps a learner's local state (sandbox, virtual phone, credentials)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "aws-mfa-tutorial"


def state_dir() -> Path:
    """The learner's state folder, created 0700 on first use.

    ``TUTORIAL_STATE_DIR`` overrides it; otherwise ``$XDG_STATE_HOME/aws-mfa-tutorial``
    (``~/.local/state/aws-mfa-tutorial``), so each user of a machine gets their own sandbox.
    """
    override = os.environ.get("TUTORIAL_STATE_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
        path = Path(base) / APP_NAME
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` readable by its owner only (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path
