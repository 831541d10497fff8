"""Check an installation (``deploy/install.sh``) end to end, the day before, as root:

    sudo /opt/aws-mfa-tutorial/venv/bin/python -m deploy.check_install

It makes a throw-away learner in the learners' group, starts a second hub from the
installation's ``bin/start-hub`` on loopback (free ports, its own control group: a hub already
running for the class is not touched), logs the learner in through the hub's form (PAM; a
wrong password must be refused), waits for their server, opens their JupyterLab through the
hub's OAuth, runs lesson 07 through the Jupyter REST and kernel APIs (its catch-up brings the
new account to "Security status 5/5"), checks that the sandbox runs as the learner and ends
with the server, then stops that hub and removes the learner. Prints how long each step took.
``tests/workshop/test_install.py`` runs it on a fresh installation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from deploy import cgroups, class_accounts
from deploy.cgroups import LearnerGroup
from deploy.hub_client import Browser, HubClient, ServerClient
from deploy.learners import Learner, read_private_json
from deploy.local_hub import LocalHub

PREFIX = Path(__file__).resolve().parent.parent  # the installation this file is part of
LESSON = "aws-mfa-tutorial/07_wrap_up.ipynb"
FINAL = "Security status 5/5"


class CheckFailed(RuntimeError):
    pass


def expect(condition: object, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


async def wait_for_ready(client: HubClient, name: str, timeout_s: float = 180.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (await client.user(name)).get("servers", {}).get("", {}).get("ready"):
            return
        await asyncio.sleep(0.25)
    raise CheckFailed(f"{name}'s server was not ready after {timeout_s:.0f} s")


def check(prefix: Path = PREFIX, group: str = class_accounts.LEARNERS_GROUP) -> dict[str, float]:
    """Run the check on the installation in ``prefix``; the seconds each step took."""
    start_hub = prefix / "bin" / "start-hub"
    expect(start_hub.exists(), f"{start_hub} is missing: run deploy/install.sh first")
    python = prefix / "venv" / "bin" / "python"
    name = f"check{os.getpid() % 100000}"
    figures: dict[str, float] = {}
    made = subprocess.run(
        [str(python), "-m", "deploy.class_accounts", "create", "--group", group, name],
        capture_output=True,
        text=True,
        check=True,
    )
    password = made.stdout.strip().split(",", 1)[1]
    learner = Learner.named(name)
    try:
        started = time.monotonic()
        extra = {"TUTORIAL_HUB_LEARNERS_GROUP": group}
        with LocalHub.start(command=[str(start_hub)], poll_s=1, extra_env=extra) as hub:
            figures["hub_start_s"] = time.monotonic() - started
            client = HubClient(hub.url, hub.token)
            browser = Browser(hub.url)
            status, _ = browser.log_in(name, password + "x")
            expect(status == 403, f"a wrong password was not refused (HTTP {status})")
            started = time.monotonic()
            status, url = browser.log_in(name, password)
            expect(status == 200 and "/login" not in url, f"log-in failed: {status} {url}")
            asyncio.run(wait_for_ready(client, name))
            figures["log_in_and_spawn_s"] = time.monotonic() - started
            status, url, page = browser.open(f"/user/{name}/lab")
            expect(status == 200 and "JupyterLab" in page, f"no JupyterLab: {status} {url}")

            started = time.monotonic()
            token = asyncio.run(client.user_token(name))
            runs = asyncio.run(ServerClient.on_hub(hub.url, name, token).run_notebook(LESSON))
            figures["lesson_07_s"] = time.monotonic() - started
            expect(runs, f"{LESSON} ran no cell")
            last = runs[-1]  # Run All stops at the first cell that fails
            expect(last.status == "ok", f"{LESSON}: {last.status}: {last.text()[-500:]}")
            scores = [run.text() for run in runs if FINAL in run.text()]
            expect(scores, f"{LESSON} never printed {FINAL!r}; it ended at {last.text()[-200:]!r}")

            sandbox = read_private_json(learner.state_dir / "sandbox.json") or {}
            pid = sandbox.get("pid")
            expect(pid and pid_alive(pid), "no sandbox running after the lesson")
            expect(Path(f"/proc/{pid}").stat().st_uid == learner.uid, "sandbox not the learner's")
            if cgroups.available():
                in_group = pid in LearnerGroup(name, group=hub.cgroup).pids()
                expect(in_group, "the sandbox is outside the learner's control group")
            started = time.monotonic()
            asyncio.run(client.stop_server(name))
            expect(wait_until(lambda: not pid_alive(pid), 15), "the sandbox outlived its server")
            figures["stop_s"] = time.monotonic() - started
    finally:
        class_accounts.remove(name)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.check_install",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--prefix", type=Path, default=PREFIX)
    parser.add_argument("--group", default=class_accounts.LEARNERS_GROUP)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("Run as root: it makes a learner's account and starts a hub.", file=sys.stderr)
        return 2
    try:
        figures = check(args.prefix, args.group)
    except CheckFailed as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(json.dumps({k: round(v, 1) for k, v in figures.items()}))
    print("OK: log-in, spawn, lesson 07 at 5/5, the sandbox ended with the server.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
