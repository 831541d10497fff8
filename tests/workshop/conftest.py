"""Real Unix users for the workshop tests: made with useradd, removed (with their processes and
homes) after each test. They need root: under CI=true (CI runs as root) they must run, so a
missing root fails them; elsewhere they are skipped with the reason."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deploy import class_accounts
from deploy.learners import Learner
from deploy.runtime import Runtime, build_runtime

# Not the real learners' group: a hub on this host never lets the test users log in.
TEST_GROUP = "tutorial-test-learners"
NEEDS_ROOT = (
    "The workshop tests create real Unix users (useradd) and act as them: run them as root "
    "(CI does; `sudo make test` or a container locally)."
)


@pytest.fixture(scope="session", autouse=True)
def _root_only() -> None:
    if os.geteuid() == 0:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but not root. {NEEDS_ROOT}", pytrace=False)
    pytest.skip(NEEDS_ROOT)


@pytest.fixture(scope="session", autouse=True)
def _test_group(_root_only: None) -> Iterator[None]:
    try:
        yield
    finally:
        subprocess.run(["groupdel", TEST_GROUP], capture_output=True)


@pytest.fixture(scope="session")
def runtime() -> Iterator[Runtime]:
    """The tutorial's environment, made runnable by every user (deploy/runtime.py)."""
    folder = Path(tempfile.mkdtemp(prefix="aws-mfa-workshop-runtime-"))
    os.chmod(folder, 0o755)
    try:
        yield build_runtime(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def make_learner() -> Iterator[Callable[[], Learner]]:
    """Make learners (real Unix users with private homes); all removed at the end."""
    made: list[str] = []

    def make() -> Learner:
        name = f"twl{secrets.token_hex(3)}"
        made.append(name)
        class_accounts.create(name, group=TEST_GROUP)
        return Learner.named(name)

    try:
        yield make
    finally:
        for name in made:
            class_accounts.remove(name)


def private(path: Path) -> bool:
    """Nothing for the group or others (no r, w or x)."""
    return stat.S_IMODE(path.lstat().st_mode) & 0o077 == 0
