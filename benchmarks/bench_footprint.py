"""Memory of one learner after a full Run All of the tutorial, broken down by process.

    .venv/bin/python benchmarks/bench_footprint.py [--json]

Starts a Jupyter server on loopback (as a hub's learner gets one), runs notebooks 00..07 in
order through its REST and kernel APIs, each in its own kernel, and measures every process
(proportional set size, PSS: shared libraries split between the processes that share them,
so the parts add up; RSS beside it): the Jupyter server, each kernel, the sandbox. Two totals:
with every lesson's tab still open (eight kernels) and with only the last one open (a learner
who closes tabs, or the culler of idle kernels in docs/workshop.md). Stops everything it
started; a private state folder, so the learner's own sandbox is untouched.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from deploy.hub_client import ServerClient  # noqa: E402
from deploy.local_hub import free_ports  # noqa: E402
from helpers.sandbox import control  # noqa: E402

LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MB = 1024 * 1024


def memory(pid: int) -> dict[str, float]:
    """PSS and RSS of one process, in MB (from /proc/PID/smaps_rollup)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Pss", "Rss"):
            values[key.lower()] = int(rest.split()[0]) * 1024 / MB
    return values


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def start_server(folder: Path, port: int, token: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "jupyter", "server",
        f"--ServerApp.root_dir={folder / 'home'}", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(
        os.environ,
        TUTORIAL_STATE_DIR=str(folder / "state"),
        TUTORIAL_DOWNLOADS_DIR=str(folder / "home" / "downloads"),
        PYTHONPATH=str(REPO),
    )
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def wait_for(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


async def run_all(client: ServerClient) -> list[str]:
    failures = []
    for lesson in LESSONS:
        runs = await client.run_notebook(lesson, keep_open=True)
        if not runs or runs[-1].status != "ok":
            failures.append(f"{lesson}: {runs[-1].status if runs else 'no cells'}")
    return failures


def measure() -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-footprint-"))
    (folder / "home").mkdir()
    for lesson in LESSONS:
        shutil.copy(REPO / "notebooks" / lesson, folder / "home" / lesson)
    port, token = free_ports(1)[0], secrets.token_hex(16)
    server = start_server(folder, port, token)
    try:
        wait_for(f"http://127.0.0.1:{port}/api/status?token={token}")
        client = ServerClient(f"http://127.0.0.1:{port}", token)
        started = time.monotonic()
        failures = asyncio.run(run_all(client))
        run_s = time.monotonic() - started
        time.sleep(2)  # let the kernels settle after their last cell
        kernels = [memory(pid) for pid in children(server.pid)]
        sandbox_state = control.find_running(folder / "state")
        sandbox = memory(sandbox_state.pid) if sandbox_state else {"pss": 0.0, "rss": 0.0}
        jupyter = memory(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        control.stop(folder / "state")
        shutil.rmtree(folder, ignore_errors=True)
    kernel_pss = [k["pss"] for k in kernels]
    one_kernel = max(kernel_pss) if kernel_pss else 0.0
    return {
        "lessons": len(LESSONS),
        "failures": failures,
        "run_all_s": round(run_s, 1),
        "jupyter_server_mb": round(jupyter["pss"], 1),
        "jupyter_server_rss_mb": round(jupyter["rss"], 1),
        "sandbox_mb": round(sandbox["pss"], 1),
        "sandbox_rss_mb": round(sandbox["rss"], 1),
        "kernels": len(kernels),
        "kernel_mb_each": [round(k, 1) for k in kernel_pss],
        "kernel_rss_mb_max": round(max((k["rss"] for k in kernels), default=0.0), 1),
        "total_all_tabs_open_mb": round(jupyter["pss"] + sandbox["pss"] + sum(kernel_pss), 1),
        "total_one_kernel_mb": round(jupyter["pss"] + sandbox["pss"] + one_kernel, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"Run All of {result['lessons']} lessons: {result['run_all_s']} s, "
            f"failures: {result['failures'] or 'none'}"
        )
        print(
            f"  Jupyter server   {result['jupyter_server_mb']:7.1f} MB PSS "
            f"({result['jupyter_server_rss_mb']} MB RSS)"
        )
        print(
            f"  sandbox          {result['sandbox_mb']:7.1f} MB PSS "
            f"({result['sandbox_rss_mb']} MB RSS)"
        )
        print(
            f"  kernels ({result['kernels']})      "
            f"{sum(result['kernel_mb_each']):7.1f} MB PSS, each {result['kernel_mb_each']}"
        )
        print(f"  total, every tab open  {result['total_all_tabs_open_mb']:7.1f} MB")
        print(f"  total, one kernel open {result['total_one_kernel_mb']:7.1f} MB")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
