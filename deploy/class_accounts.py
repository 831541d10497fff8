"""Unix accounts for a class: one per learner, home 0700, in the learners' group.

    python -m deploy.class_accounts create learner01 learner02 ...   # prints name,password
    python -m deploy.class_accounts remove learner01 learner02 ...   # ends their processes too

``--group NAME`` (after create) puts them in another group than tutorial-learners: the one
given to ``deploy/install.sh --group``, whose members the hub lets log in.

Run as root on the hub's host, before the day (docs/workshop.md). Passwords are random; hand
them out on paper, or use another authenticator (docs/workshop.md, "Before the day").
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

LEARNERS_GROUP = "tutorial-learners"


def ensure_group(group: str = LEARNERS_GROUP) -> None:
    try:
        grp.getgrnam(group)
    except KeyError:
        subprocess.run(["groupadd", "--force", group], check=True, capture_output=True)


def create(name: str, group: str = LEARNERS_GROUP, password: str | None = None) -> str:
    """Make the learner's account (or keep it) with a private home; set and return a
    password."""
    ensure_group(group)
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--create-home",
                "--shell",
                "/bin/bash",
                "--groups",
                group,
                "-K",
                "HOME_MODE=0700",
                name,
            ],
            check=True,
            capture_output=True,
        )
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    password = password or secrets.token_urlsafe(9)
    subprocess.run(
        ["chpasswd"], input=f"{name}:{password}\n", text=True, check=True, capture_output=True
    )
    return password


def processes_of(uid: int) -> list[int]:
    """The pids of processes running as ``uid`` (read from /proc); zombies (ended, waiting
    for their parent to collect them) are not running and not counted."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid != uid:
                    continue
                if (entry / "stat").read_text().rsplit(") ", 1)[1][:1] == "Z":
                    continue
            except (OSError, IndexError):
                continue
            found.append(int(entry.name))
    return found


def end_processes(uid: int, grace_s: float = 5.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(uid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace_s
        while processes_of(uid) and time.monotonic() < deadline:
            time.sleep(0.05)


def remove(name: str) -> None:
    """End the learner's processes and delete the account with its home."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    if entry.pw_uid == 0:
        raise ValueError("refusing to remove root")
    end_processes(entry.pw_uid)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


def main(argv: list[str]) -> int:
    group = LEARNERS_GROUP
    if argv[1:2] == ["--group"] and len(argv) > 2:
        group = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) < 2 or argv[0] not in ("create", "remove"):
        print(__doc__, file=sys.stderr)
        return 2
    for name in argv[1:]:
        if argv[0] == "create":
            print(f"{name},{create(name, group=group)}")
        else:
            remove(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
