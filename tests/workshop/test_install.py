"""A trainer's fresh host, for real: ``deploy/install.sh`` into its own prefix (the system's
Python, readable by every learner; the proxy from npm), a learner's account made with the
command docs/workshop.md shows, the hub started by the installation's ``bin/start-hub`` on
loopback, a log-in through the hub's form (PAM), a spawn, lesson 07 run through the Jupyter
REST and kernel APIs (its catch-up brings a fresh account to 5/5), the server stopped with its
sandbox, and ``install.sh --uninstall`` leaving nothing behind.

It downloads the packages (PyPI, npm) like a trainer's host: about a minute here; the figures
are printed (``pytest -s``) and written to $TUTORIAL_INSTALL_FIGURES when it is set."""

from __future__ import annotations

import asyncio
import grp
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from deploy import cgroups, class_accounts
from deploy.cgroups import LearnerGroup
from deploy.hub_client import Browser, HubClient, ServerClient
from deploy.learners import Learner, read_private_json
from deploy.local_hub import LocalHub
from deploy.runtime import readable_by_all
from helpers.sandbox.state import pid_alive

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "deploy" / "install.sh"
GROUP = "tutorial-install-test"  # not the real learners' group
LESSON = "aws-mfa-tutorial/07_wrap_up.ipynb"
FINAL = "Security status 5/5"


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def wait_until(condition, timeout_s: float) -> bool:
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
    raise AssertionError(f"{name}'s server was not ready after {timeout_s:.0f} s")


def test_a_trainer_installs_the_hub_runs_a_learner_and_removes_it() -> None:
    assert not group_exists(GROUP), f"{GROUP} is left from an earlier run: groupdel it"
    folder = Path(tempfile.mkdtemp(prefix="aws-mfa-install-"))
    os.chmod(folder, 0o755)
    prefix, state = folder / "opt" / "aws-mfa-tutorial", folder / "hub"
    options = ["--prefix", str(prefix), "--state", str(state), "--group", GROUP]
    python = prefix / "venv" / "bin" / "python"
    name = f"twi{os.getpid() % 100000}"
    figures: dict[str, float] = {}
    try:
        started = time.monotonic()
        installed = subprocess.run(
            [str(INSTALL), *options], capture_output=True, text=True, timeout=900
        )
        figures["install_s"] = time.monotonic() - started
        assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
        # The learners' interpreter is the system's, not this checkout's (pyenv in /root here).
        assert readable_by_all(python) and readable_by_all(python.resolve())
        assert not python.resolve().is_relative_to(Path.home())
        assert group_exists(GROUP)

        made = subprocess.run(
            [str(python), "-m", "deploy.class_accounts", "create", "--group", GROUP, name],
            capture_output=True,
            text=True,
            check=True,
        )
        password = made.stdout.strip().split(",", 1)[1]
        learner = Learner.named(name)

        started = time.monotonic()
        with LocalHub.start(command=[str(prefix / "bin" / "start-hub")], poll_s=1) as hub:
            figures["hub_start_s"] = time.monotonic() - started
            client = HubClient(hub.url, hub.token)
            browser = Browser(hub.url)
            status, _ = browser.log_in(name, password + "x")
            assert status == 403  # PAM refuses a wrong password
            started = time.monotonic()
            status, url = browser.log_in(name, password)
            assert status == 200 and "/login" not in url, (status, url)
            asyncio.run(wait_for_ready(client, name))
            figures["log_in_and_spawn_s"] = time.monotonic() - started
            # The learner's default page, through the hub's OAuth, as the browser opens it.
            status, url, page = browser.open(f"/user/{name}/lab")
            assert status == 200 and "JupyterLab" in page, (status, url)

            started = time.monotonic()
            token = asyncio.run(client.user_token(name))
            runs = asyncio.run(ServerClient.on_hub(hub.url, name, token).run_notebook(LESSON))
            figures["lesson_07_s"] = time.monotonic() - started
            assert [run.status for run in runs] == ["ok"] * len(runs), runs[-1].text()[-2000:]
            assert FINAL in runs[-1].text()

            sandbox = read_private_json(learner.state_dir / "sandbox.json") or {}
            pid = sandbox.get("pid")
            assert pid and pid_alive(pid) and Path(f"/proc/{pid}").stat().st_uid == learner.uid
            if cgroups.available():  # limited with the learner's server
                assert pid in LearnerGroup(name, group=hub.cgroup).pids()
            started = time.monotonic()
            asyncio.run(client.stop_server(name))
            assert wait_until(lambda: not pid_alive(pid), 15)
            figures["stop_s"] = time.monotonic() - started
        subprocess.run(
            [str(python), "-m", "deploy.class_accounts", "remove", name], check=True, timeout=60
        )
        removed = subprocess.run(
            [str(INSTALL), *options, "--uninstall"], capture_output=True, text=True, timeout=60
        )
        assert removed.returncode == 0, removed.stderr
        assert not prefix.exists() and not state.exists() and not group_exists(GROUP)
    finally:
        class_accounts.remove(name)
        subprocess.run([str(INSTALL), *options, "--uninstall"], capture_output=True)
        subprocess.run(["groupdel", GROUP], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\ninstall figures: {json.dumps({k: round(v, 1) for k, v in figures.items()})}")
        if os.environ.get("TUTORIAL_INSTALL_FIGURES"):
            Path(os.environ["TUTORIAL_INSTALL_FIGURES"]).write_text(json.dumps(figures))
