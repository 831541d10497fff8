"""The learners' control groups (deploy/cgroups.py) write the files the kernel documents, for
cgroup v1 and v2, checked against fake hierarchies (no root needed).

v2 (https://docs.kernel.org/admin-guide/cgroup-v2.html): a controller is used by a group's
children once written to its ``cgroup.subtree_control`` ("+memory"), which needs it listed in
``cgroup.controllers``; ``memory.max`` in bytes, ``cpu.max`` "$MAX $PERIOD" in microseconds,
``pids.max``; ``cgroup.procs`` to move a process. v1 (cgroup-v1/memory.rst, sched-bwc.rst,
pids.rst): ``memory.limit_in_bytes``, ``cpu.cfs_quota_us`` over ``cpu.cfs_period_us``,
``pids.max``, one hierarchy per controller. The real v2 hierarchy:
tests/workshop/test_cgroups_v2.py.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from deploy import cgroups
from deploy.cgroups import LearnerGroup
from deploy.spawner import TutorialSpawner

GIB = 1024**3


def fake_v2(root: Path, controllers: str = "cpuset cpu io memory hugetlb pids") -> Path:
    root.mkdir(exist_ok=True)
    (root / "cgroup.controllers").write_text(controllers + "\n")
    (root / "cgroup.subtree_control").write_text("")
    return root


def fake_v1(root: Path) -> Path:
    for controller in ("memory", "cpu", "pids"):
        (root / controller).mkdir(parents=True)
        (root / controller / "cgroup.procs").write_text("")
    return root


def test_a_plain_folder_is_no_cgroup_hierarchy(tmp_path: Path) -> None:
    # A chroot or container without /sys/fs/cgroup mounted: mkdir would "work" there.
    plain = tmp_path / "sys" / "fs" / "cgroup"
    assert not cgroups.available(plain)
    assert not plain.exists()
    assert cgroups.available(fake_v1(tmp_path / "v1"))


def test_v2_enables_the_controllers_and_writes_the_limits(tmp_path: Path) -> None:
    root = fake_v2(tmp_path / "cg")
    group = LearnerGroup("ada", group="aws-mfa-tutorial", root=root)
    group.create(GIB, 1.5, 512)
    folder = root / "aws-mfa-tutorial" / "ada"
    assert group.folders() == [folder]
    assert (root / "cgroup.subtree_control").read_text() == "+memory +cpu +pids"
    assert (root / "aws-mfa-tutorial" / "cgroup.subtree_control").read_text() == (
        "+memory +cpu +pids"
    )
    assert (folder / "memory.max").read_text() == str(GIB)
    assert (folder / "cpu.max").read_text() == "150000 100000"
    assert (folder / "pids.max").read_text() == "512"
    assert not (folder / "memory.limit_in_bytes").exists()  # no v1 names on v2

    group.join(4242)
    assert (folder / "cgroup.procs").read_text() == "4242"
    (folder / "cgroup.procs").write_text("4242\n4243\n")
    assert group.pids() == [4242, 4243]
    (folder / "memory.peak").write_text("287309824\n")
    (folder / "memory.current").write_text("1000\n")
    assert (group.memory_peak(), group.memory_now()) == (287309824, 1000)


def test_v2_enables_only_the_controllers_of_the_limits_given(tmp_path: Path) -> None:
    root = fake_v2(tmp_path / "cg")
    LearnerGroup("ada", root=root).create(GIB, None, None)
    assert (root / "cgroup.subtree_control").read_text() == "+memory"
    assert not (root / cgroups.GROUP / "ada" / "cpu.max").exists()


def test_v2_without_the_controllers_refuses_limits_and_is_not_available(tmp_path: Path) -> None:
    # This machine's v2 hierarchy (/sys/fs/cgroup/unified) lists only hugetlb: memory, cpu and
    # pids are bound to v1 hierarchies.
    root = fake_v2(tmp_path / "cg", controllers="hugetlb")
    with pytest.raises(OSError, match="memory cpu pids not available"):
        LearnerGroup("ada", root=root).create(GIB, 1, 512)
    assert (root / "cgroup.subtree_control").read_text() == ""  # nothing half-enabled
    assert not cgroups.available(root)
    assert cgroups.available(fake_v2(tmp_path / "full"))


def test_v1_writes_one_hierarchy_per_controller(tmp_path: Path) -> None:
    root = fake_v1(tmp_path / "cg")
    group = LearnerGroup("ada", group="aws-mfa-tutorial", root=root)
    group.create(GIB, 0.5, 512)
    assert group.folders() == [root / c / "aws-mfa-tutorial" / "ada" for c in cgroups.CONTROLLERS]
    memory, cpu, pids = group.folders()
    assert (memory / "memory.limit_in_bytes").read_text() == str(GIB)
    assert (cpu / "cpu.cfs_period_us").read_text() == "100000"
    assert (cpu / "cpu.cfs_quota_us").read_text() == "50000"
    assert (pids / "pids.max").read_text() == "512"
    group.join(4242)
    assert all((folder / "cgroup.procs").read_text() == "4242" for folder in group.folders())
    assert not (root / "cgroup.subtree_control").exists()


def test_the_spawner_gives_its_limits_to_the_learners_v2_group(tmp_path: Path) -> None:
    root = fake_v2(tmp_path / "cg")
    spawner = TutorialSpawner(
        user=SimpleNamespace(name="ada"),
        mem_limit="1G",
        cpu_limit=2.0,
        pids_limit=300,
        cgroup_name="class-a",
        cgroup_root=str(root),
    )
    assert spawner._cgroups_on()
    spawner.create_group()
    folder = root / "class-a" / "ada"
    assert (folder / "memory.max").read_text() == str(GIB)
    assert (folder / "cpu.max").read_text() == "200000 100000"
    assert (folder / "pids.max").read_text() == "300"
