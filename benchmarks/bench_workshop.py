"""A whole class at once: N learners on the workshop hub, every one running the whole tutorial
at the same time.

    sudo .venv/bin/python benchmarks/bench_workshop.py --learners 20

As root (it creates N Unix users): starts the hub of deploy/jupyterhub_config.py on loopback,
creates the learners, spawns their servers (as their logins would), and in every server runs
notebooks 00..07 in order through the Jupyter REST and kernel APIs (each lesson in its own
kernel, all cells in order, as Run All does), all learners at once. Then it checks that every
learner ends at "Security status 5/5", that every sandbox is the learner's own (their process,
their control group, their state folder) and that the next learner's root keys open nothing in
it. Prints per learner and overall: spawn time, Run All time, peak memory (the learner's control
group), failures. Removes everything (servers, sandboxes, users, homes) and stops by itself
after --deadline seconds at most.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from deploy import cgroups, class_accounts  # noqa: E402
from deploy.cgroups import LearnerGroup  # noqa: E402
from deploy.hub_client import HubClient, ServerClient  # noqa: E402
from deploy.learners import Learner, read_private_json  # noqa: E402
from deploy.local_hub import LocalHub  # noqa: E402
from deploy.runtime import build_runtime  # noqa: E402
from helpers.sandbox.control import health  # noqa: E402

LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FINAL = "Security status 5/5"
MB = 1024 * 1024
BENCH_GROUP = "tutorial-bench-learners"  # not the real learners' group: no log-in by PAM


@dataclass
class LearnerResult:
    name: str
    spawn_s: float | None = None
    run_all_s: float | None = None
    peak_mb: float | None = None
    status: str = ""
    failures: list[str] = field(default_factory=list)


def host_memory_used_mb() -> float:
    info = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":")
        info[key] = int(value.split()[0]) * 1024
    return (info["MemTotal"] - info["MemAvailable"]) / MB


async def one_learner(hub: LocalHub, name: str, result: LearnerResult, cell_timeout: float):
    client = HubClient(hub.url, hub.token)
    await client.create_user(name)
    result.spawn_s = await client.start_server(name, timeout_s=600)
    server = ServerClient.on_hub(hub.url, name, await client.user_token(name))
    started = time.monotonic()
    last_text = ""
    for lesson in LESSONS:
        runs = await server.run_notebook(f"aws-mfa-tutorial/{lesson}", cell_timeout)
        if not runs or runs[-1].status != "ok":
            detail = runs[-1].text()[-200:] if runs else "no cells"
            result.failures.append(f"{lesson}: {runs[-1].status if runs else '-'} {detail}")
            break
        last_text = runs[-1].text()
    result.run_all_s = time.monotonic() - started
    result.status = FINAL if FINAL in last_text else (last_text.strip().splitlines() or ["?"])[-1]
    if FINAL not in last_text and not result.failures:
        result.failures.append(f"ended at {result.status!r}")


def check_isolation(hub: LocalHub, names: list[str], results: dict[str, LearnerResult]) -> int:
    """Each sandbox is its learner's; the next learner's root keys open nothing in it."""
    leaks = 0
    for index, name in enumerate(names):
        learner = Learner.named(name)
        state = read_private_json(learner.state_dir / "sandbox.json")
        if not state:
            results[name].failures.append("no running sandbox after the tutorial")
            continue
        endpoint = f"http://127.0.0.1:{state['port']}"
        answer = health(endpoint) or {}
        pid = state["pid"]
        owner = Path(f"/proc/{pid}").stat().st_uid if Path(f"/proc/{pid}").exists() else None
        in_group = pid in LearnerGroup(name, group=hub.cgroup).pids()
        if answer.get("state_dir") != str(learner.state_dir) or owner != learner.uid:
            results[name].failures.append("sandbox is not the learner's own")
            leaks += 1
        if not in_group and cgroups.available():
            results[name].failures.append("sandbox outside the learner's control group")
        other = Learner.named(names[(index + 1) % len(names)])
        keys = read_private_json(other.state_dir / "root-credentials.json") or {}
        if other.name == name or not keys:
            continue
        sts = boto3.client(
            "sts",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
        )
        try:
            sts.get_caller_identity()
            results[name].failures.append(f"{other.name}'s keys opened {name}'s sandbox")
            leaks += 1
        except ClientError as error:
            if error.response["Error"]["Code"] != "InvalidClientTokenId":
                results[name].failures.append(f"unexpected answer {error.response['Error']}")
    return leaks


async def run_class(hub: LocalHub, names: list[str], cell_timeout: float, deadline_s: float):
    results = {name: LearnerResult(name) for name in names}
    samples: list[float] = []

    async def sample() -> None:
        while True:
            samples.append(host_memory_used_mb())
            await asyncio.sleep(1)

    sampler = asyncio.create_task(sample())
    tasks = {
        name: asyncio.create_task(one_learner(hub, name, results[name], cell_timeout))
        for name in names
    }
    done, pending = await asyncio.wait(tasks.values(), timeout=deadline_s)
    sampler.cancel()
    for name, task in tasks.items():
        if task in pending:
            task.cancel()
            results[name].failures.append(f"not done within the {deadline_s:.0f} s deadline")
        elif task.exception() is not None:
            results[name].failures.append(f"{type(task.exception()).__name__}: {task.exception()}")
    for name in names:
        peak = LearnerGroup(name, group=hub.cgroup).memory_peak()
        results[name].peak_mb = peak / MB if peak else None
    return results, max(samples, default=0.0)


def report(results, baseline_mb: float, host_peak_mb: float, leaks: int, wall_s: float) -> int:
    print(f"\n{'learner':<14}{'spawn s':>9}{'Run All s':>11}{'peak MB':>9}  status / failures")
    for result in results.values():

        def show(value: float | None, digits: int = 1) -> str:
            return "-" if value is None else f"{value:.{digits}f}"

        note = "; ".join(result.failures) or result.status
        print(
            f"{result.name:<14}{show(result.spawn_s):>9}{show(result.run_all_s):>11}"
            f"{show(result.peak_mb, 0):>9}  {note}"
        )
    values = list(results.values())
    failed = [r for r in values if r.failures]

    def summary(key: str) -> str:
        numbers = [getattr(r, key) for r in values if getattr(r, key) is not None]
        if not numbers:
            return "-"
        return f"median {statistics.median(numbers):.1f}, max {max(numbers):.1f}"

    print(
        f"\n{len(values)} learners, {len(values) - len(failed)} at 5/5, {len(failed)} failed, "
        f"{leaks} leaks between accounts; {wall_s:.0f} s in all"
    )
    print(
        f"spawn s: {summary('spawn_s')}; Run All s: {summary('run_all_s')}; "
        f"peak MB per learner: {summary('peak_mb')}"
    )
    print(
        f"host memory in use: {baseline_mb:.0f} MB before, {host_peak_mb:.0f} MB at the peak "
        f"(+{host_peak_mb - baseline_mb:.0f} MB for the class and its hub)"
    )
    return 1 if failed or leaks else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=3)
    parser.add_argument("--deadline", type=float, default=1500, help="seconds, then stop")
    parser.add_argument("--cell-timeout", type=float, default=600)
    parser.add_argument("--mem-limit", default="1G", help="per learner (control group)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("Run as root: it creates a Unix user per learner.", file=sys.stderr)
        return 2
    prefix = f"wsb{os.getpid() % 10000}x"
    names = [f"{prefix}{i:02d}" for i in range(1, args.learners + 1)]
    folder = Path(tempfile.mkdtemp(prefix="bench-workshop-"))
    os.chmod(folder, 0o755)
    started = time.monotonic()
    try:
        runtime = build_runtime(folder / "runtime")
        for name in names:
            class_accounts.create(name, group=BENCH_GROUP)
        baseline = host_memory_used_mb()
        with LocalHub.start(runtime, mem_limit=args.mem_limit) as hub:
            results, host_peak = asyncio.run(
                run_class(hub, names, args.cell_timeout, args.deadline)
            )
            leaks = check_isolation(hub, names, results)
        wall = time.monotonic() - started
        code = report(results, baseline, host_peak, leaks, wall)
        if args.json:
            figures = {
                "learners": len(names),
                "leaks": leaks,
                "wall_s": wall,
                "host_memory_mb": {"before": baseline, "peak": host_peak},
                "results": [vars(r) for r in results.values()],
            }
            args.json.write_text(json.dumps(figures, indent=2))
        return code
    finally:
        for name in names:
            class_accounts.remove(name)
        subprocess.run(["groupdel", BENCH_GROUP], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
