"""The learner's own files, changed by the learner's own process (``python -m deploy.learner_files``
run through ``deploy.learners.run_as``): root never writes into a learner's home.

    install SOURCE        copy the lessons into ~/aws-mfa-tutorial unless they are there
    set-aside SOURCE STAMP  move the lessons, downloads, phone and progress to
                          ~/before-reset-STAMP/, then copy the original lessons again
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from deploy.learners import APP_NAME, PRIVATE_UMASK, TUTORIAL_FOLDER

# What a reset moves aside from the state folder (the sandbox's root keys stay: same account).
STATE_FILES_SET_ASIDE = ("phone.json", "phone-backup.json", "progress.json")


def install(source: Path, home: Path) -> list[str]:
    """Copy the lesson notebooks into ``~/aws-mfa-tutorial`` (0700; files 0600); keep any that
    are already there. The names of the copied notebooks."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        return _install(source, home)
    finally:
        os.umask(previous)


def _install(source: Path, home: Path) -> list[str]:
    target = home / TUTORIAL_FOLDER
    target.mkdir(mode=0o700, exist_ok=True)
    copied = []
    for notebook in sorted(source.glob("[0-9][0-9]_*.ipynb")):
        destination = target / notebook.name
        if not destination.exists():
            shutil.copyfile(notebook, destination)
            copied.append(notebook.name)
    return copied


def set_aside(source: Path, home: Path, stamp: str) -> Path:
    """Move the learner's work to ``~/before-reset-STAMP/`` (kept, not lost) and install the
    original lessons again. The folder it was moved to."""
    os.umask(PRIVATE_UMASK)
    kept = home / f"before-reset-{stamp}"
    kept.mkdir(mode=0o700)
    lessons = home / TUTORIAL_FOLDER
    if lessons.exists():
        os.replace(lessons, kept / TUTORIAL_FOLDER)
    state = home / ".local" / "state" / APP_NAME
    for name in STATE_FILES_SET_ASIDE:
        if (state / name).exists():
            (kept / "state").mkdir(mode=0o700, exist_ok=True)
            os.replace(state / name, kept / "state" / name)
    install(source, home)
    return kept


def main(argv: list[str]) -> int:
    home = Path.home()
    if argv[:1] == ["install"] and len(argv) == 2:
        print("\n".join(install(Path(argv[1]), home)))
        return 0
    if argv[:1] == ["set-aside"] and len(argv) == 3:
        print(set_aside(Path(argv[1]), home, argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
