"""One control group per learner: a memory, CPU and process limit over *all* their processes
(Jupyter server, kernels, sandbox), their peak memory, and a sure way to end them all.

LocalProcessSpawner does not enforce ``mem_limit``/``cpu_limit`` (JupyterHub's docs: "it is up to
the spawner to enforce"), and a host without systemd has no SystemdSpawner. Linux control groups
do the same job by hand: the spawner puts the learner's server into ``aws-mfa-tutorial/<name>``
before it drops root, every child inherits it, and stopping the server ends whatever is left in
the group. cgroup v1 (one folder per controller) and v2 (one unified folder) are both handled;
where neither is writable the learner runs unlimited and ``available()`` says so.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
GROUP = "aws-mfa-tutorial"
CPU_PERIOD_US = 100_000
CONTROLLERS = ("memory", "cpu", "pids")  # one per limit: memory, CPU, processes


def _is_v2(root: Path = ROOT) -> bool:
    return (root / "cgroup.controllers").exists()


@dataclass(frozen=True)
class LearnerGroup:
    """The control group(s) of one learner (``group``: a prefix, so tests get their own)."""

    name: str
    group: str = GROUP
    root: Path = ROOT

    def folders(self) -> list[Path]:
        if _is_v2(self.root):
            return [self.root / self.group / self.name]
        return [self.root / c / self.group / self.name for c in ("memory", "cpu", "pids")]

    def _file(self, controller: str, v1_name: str, v2_name: str) -> Path:
        if _is_v2(self.root):
            return self.root / self.group / self.name / v2_name
        return self.root / controller / self.group / self.name / v1_name

    def create(
        self, mem_limit: int | None, cpu_limit: float | None, pids_limit: int | None
    ) -> None:
        """Make the group(s) and set the limits (None: no limit)."""
        if _is_v2(self.root):
            limits = zip(CONTROLLERS, (mem_limit, cpu_limit, pids_limit), strict=True)
            self._enable_v2([name for name, limit in limits if limit])
        for folder in self.folders():
            folder.mkdir(parents=True, exist_ok=True)
        if mem_limit:
            self._file("memory", "memory.limit_in_bytes", "memory.max").write_text(str(mem_limit))
        if cpu_limit:
            quota = int(cpu_limit * CPU_PERIOD_US)
            if _is_v2(self.root):
                self._file("cpu", "", "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
            else:
                self._file("cpu", "cpu.cfs_period_us", "").write_text(str(CPU_PERIOD_US))
                self._file("cpu", "cpu.cfs_quota_us", "").write_text(str(quota))
        if pids_limit:
            self._file("pids", "pids.max", "pids.max").write_text(str(pids_limit))

    def _enable_v2(self, controllers: list[str]) -> None:
        """v2: the limits' controllers must be enabled for the children of the root and of the
        learners' parent group (cgroup.subtree_control), which needs them available at the
        root (cgroup.controllers); on a hybrid host they are bound to v1 hierarchies instead."""
        parent = self.root / self.group
        parent.mkdir(exist_ok=True)
        if not controllers:
            return
        available = (self.root / "cgroup.controllers").read_text().split()
        missing = [name for name in controllers if name not in available]
        if missing:
            raise OSError(
                errno.EOPNOTSUPP,
                f"cgroup v2 controller(s) {' '.join(missing)} not available in {self.root} "
                f"(cgroup.controllers: {' '.join(available) or 'none'})",
            )
        wanted = " ".join(f"+{name}" for name in controllers)
        (self.root / "cgroup.subtree_control").write_text(wanted)
        (parent / "cgroup.subtree_control").write_text(wanted)

    def join(self, pid: int = 0) -> None:
        """Put process ``pid`` (0: this one) into the group(s); its children follow."""
        for folder in self.folders():
            (folder / "cgroup.procs").write_text(str(pid or os.getpid()))

    def pids(self) -> list[int]:
        found: set[int] = set()
        for folder in self.folders():
            try:
                found.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except OSError:
                continue
        return sorted(found)

    def memory_peak(self) -> int | None:
        """The group's peak memory in bytes (v1: max_usage_in_bytes; v2: memory.peak)."""
        try:
            path = self._file("memory", "memory.max_usage_in_bytes", "memory.peak")
            return int(path.read_text())
        except (OSError, ValueError):
            return None

    def memory_now(self) -> int | None:
        try:
            return int(self._file("memory", "memory.usage_in_bytes", "memory.current").read_text())
        except (OSError, ValueError):
            return None

    def end_all(self, grace_s: float = 5.0) -> list[int]:
        """SIGTERM every process left in the group, SIGKILL what is still there after
        ``grace_s``, then remove the group. The pids that were found."""
        found = self.pids()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in self.pids():
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace_s
            while self.pids() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not self.pids():
                break
        self.remove()
        return found

    def remove(self) -> None:
        for folder in self.folders():
            try:
                folder.rmdir()
            except OSError:
                pass


def remove_parent(group: str, root: Path = ROOT) -> None:
    """Remove the (empty) parent group of the learners, e.g. after a test hub."""
    folders = (
        [root / group] if _is_v2(root) else [root / c / group for c in ("memory", "cpu", "pids")]
    )
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def mounted(root: Path = ROOT) -> bool:
    """A cgroup file system is there (v2, or v1's memory, cpu and pids hierarchies), not a
    plain folder (a container or chroot without /sys/fs/cgroup)."""
    if _is_v2(root):
        return True
    return all((root / name / "cgroup.procs").exists() for name in CONTROLLERS)


def available(root: Path = ROOT) -> bool:
    """True when this process may make control groups with the three limits (root, a writable
    hierarchy, and on v2 the memory, cpu and pids controllers)."""
    if not mounted(root):
        return False
    probe = LearnerGroup("probe", group=f"{GROUP}-probe-{os.getpid()}", root=root)
    try:
        probe.create(None, None, None)
        if _is_v2(root):
            probe._enable_v2(list(CONTROLLERS))
    except OSError:
        return False
    finally:
        probe.remove()
        remove_parent(probe.group, root)
    return True
