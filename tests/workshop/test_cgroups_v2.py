"""The spawner's cgroup v2 path on this host's real v2 hierarchy (root only).

A pure v2 host (Debian 12 with systemd) mounts it at /sys/fs/cgroup; a hybrid one, like the
machine CI runs on, at /sys/fs/cgroup/unified, where the memory, cpu and pids controllers are
not available (they are bound to the v1 hierarchies, which the hub uses there). What v2 does
without controllers is still real: a learner's group, its processes joining it, finding and
ending them all, removing it. The limits need the controllers; where they are missing, the test
checks the refusal instead (the limits' file writes: tests/test_cgroups.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy import cgroups
from deploy.cgroups import LearnerGroup


def v2_root() -> Path | None:
    for root in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
        if (root / "cgroup.controllers").exists():
            return root
    return None


ROOT = v2_root()


@pytest.fixture
def group():
    if ROOT is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI's host mounts a cgroup v2 hierarchy; none found here")
        pytest.skip("no cgroup v2 hierarchy mounted here")
    made = LearnerGroup("twv2", group=f"aws-mfa-tutorial-v2test-{os.getpid()}", root=ROOT)
    try:
        yield made
    finally:
        made.end_all(grace_s=2)
        cgroups.remove_parent(made.group, ROOT)


def test_a_learners_processes_join_their_v2_group_and_end_with_it(group: LearnerGroup) -> None:
    group.create(None, None, None)
    # A server with a child (a kernel, a sandbox): the child inherits the group.
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)",
        ],
        preexec_fn=group.join,
    )
    try:
        folder = ROOT / group.group / group.name
        found = []
        for _ in range(50):
            found = group.pids()
            if len(found) == 2:
                break
            time.sleep(0.1)
        assert server.pid in found and len(found) == 2, found
        assert f"0::/{group.group}/{group.name}" in Path(f"/proc/{server.pid}/cgroup").read_text()
        ended = group.end_all(grace_s=5)
        assert sorted(ended) == sorted(found)
        assert server.wait(timeout=10) != 0
        assert not folder.exists()  # removed once empty
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_the_v2_limits_are_set_or_refused_naming_the_missing_controllers(group) -> None:
    """Where the controllers are (a pure v2 host), the limits are written and read back; where
    they are not (this hybrid host: bound to v1), ``create`` refuses with their names, the hub
    finds ``available()`` False and uses v1 or no limits, and nothing is half-enabled."""
    available = (ROOT / "cgroup.controllers").read_text().split()
    missing = [name for name in cgroups.CONTROLLERS if name not in available]
    if missing:
        enabled = (ROOT / "cgroup.subtree_control").read_text()
        with pytest.raises(OSError, match=f"{' '.join(missing)} not available"):
            group.create(1024**3, 1, 512)
        assert (ROOT / "cgroup.subtree_control").read_text() == enabled
        assert not cgroups.available(ROOT)
        return
    group.create(1024**3, 1.5, 512)
    folder = ROOT / group.group / group.name
    assert (folder / "memory.max").read_text().strip() == str(1024**3)
    assert (folder / "cpu.max").read_text().split() == ["150000", "100000"]
    assert (folder / "pids.max").read_text().strip() == "512"
    assert cgroups.available(ROOT)
