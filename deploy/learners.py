"""A learner's Unix account as the hub (root) sees it: where their things are, and running a
command as them.

Everything that touches a learner's files runs *as the learner* (``run_as``), never as root, so
a learner cannot trick root into writing through a symbolic link they planted. Root only reads:
the sandbox's state file and the small progress file (both 0600, owned by the learner).
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "aws-mfa-tutorial"  # as helpers.paths.APP_NAME
TUTORIAL_FOLDER = "aws-mfa-tutorial"  # the learner's copy of the lessons, in their home
PRIVATE_UMASK = 0o077  # everything a learner's processes create is theirs alone


@dataclass(frozen=True)
class Learner:
    name: str
    uid: int
    gid: int
    home: Path

    @classmethod
    def named(cls, name: str) -> Learner:
        entry = pwd.getpwnam(name)
        return cls(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))

    @property
    def state_dir(self) -> Path:
        """The tutorial's state folder (helpers.paths.state_dir() for this user's HOME)."""
        return self.home / ".local" / "state" / APP_NAME

    @property
    def tutorial_dir(self) -> Path:
        """The learner's copy of the notebooks (their Run All edits them here)."""
        return self.home / TUTORIAL_FOLDER

    @property
    def downloads_dir(self) -> Path:
        """The console's "downloads" (credentials CSVs) of this learner."""
        return self.tutorial_dir / "downloads"

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """What a process of this learner needs: their HOME, and the tutorial's folders."""
        env = {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "SHELL": "/bin/bash",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "TUTORIAL_DOWNLOADS_DIR": str(self.downloads_dir),
            "LANG": "C.UTF-8",
        }
        env.update(extra or {})
        return env


def become(learner: Learner, umask: int = PRIVATE_UMASK):
    """A ``preexec_fn``: drop from root to the learner (groups, gid, uid), in their home."""

    def preexec() -> None:
        os.setgroups(os.getgrouplist(learner.name, learner.gid))
        os.setgid(learner.gid)
        os.setuid(learner.uid)
        os.umask(umask)
        os.chdir(learner.home)

    return preexec


def run_as(
    learner: Learner,
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    check: bool = True,
    umask: int = PRIVATE_UMASK,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as the learner, with their environment, and wait for it."""
    return subprocess.run(
        list(argv),
        env=learner.environment(env),
        preexec_fn=become(learner, umask),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def make_home_private(learner: Learner) -> None:
    """Home folders are made 0755 by Debian's useradd (UMASK 022): a learner's must be 0700."""
    os.chmod(learner.home, 0o700)


def read_private_json(path: Path) -> dict | None:
    """Read a learner's small JSON file as root, refusing symbolic links (``O_NOFOLLOW``)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd) as file:
            data = json.loads(file.read(65536))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
