"""A trainer's host, for real: ``deploy/install.sh`` into its own prefix (the system's Python,
readable by every learner; the proxy from npm), then ``python -m deploy.check_install`` as
docs/workshop.md shows it (a learner logs in through the hub's form, spawns, runs lesson 07 to
5/5 through the Jupyter REST and kernel APIs, their sandbox ends with their server), then
``install.sh --uninstall`` leaving nothing behind. The check runs beside the class's own hub
(its state folder, a learner's server up), which it must leave alone.

It downloads the packages (PyPI, npm) as a trainer's host does: a minute or two. The figures are
printed (``pytest -s``) and written to $TUTORIAL_INSTALL_FIGURES when it is set."""

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

from deploy import class_accounts
from deploy.hub_client import HubClient, ServerClient
from deploy.local_hub import LocalHub
from deploy.runtime import readable_by_all

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "deploy" / "install.sh"
GROUP = "tutorial-install-test"  # not the real learners' group


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def test_a_trainer_installs_the_hub_checks_it_with_a_learner_and_removes_it() -> None:
    assert not group_exists(GROUP), f"{GROUP} is left from an earlier run: groupdel it"
    folder = Path(tempfile.mkdtemp(prefix="aws-mfa-install-"))
    os.chmod(folder, 0o755)
    prefix, state = folder / "opt" / "aws-mfa-tutorial", folder / "hub"
    options = ["--prefix", str(prefix), "--state", str(state), "--group", GROUP]
    python = prefix / "venv" / "bin" / "python"
    learner = f"twi{os.getpid() % 100000}"
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

        # The class's hub (its state folder, a learner at work) runs while the check runs.
        start_hub = [str(prefix / "bin" / "start-hub")]
        class_accounts.create(learner, group=GROUP)
        with LocalHub.start(command=start_hub, state_dir=state) as hub:
            client = HubClient(hub.url, hub.token)
            asyncio.run(client.create_user(learner))
            asyncio.run(client.start_server(learner))
            server = ServerClient.on_hub(hub.url, learner, asyncio.run(client.user_token(learner)))
            assert (state / "jupyterhub.sqlite").exists()

            checked = subprocess.run(
                [str(python), "-m", "deploy.check_install", "--prefix", str(prefix)]
                + ["--group", GROUP],
                capture_output=True,
                text=True,
                timeout=600,
                cwd="/",
                env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
            )
            assert checked.returncode == 0, checked.stdout + checked.stderr[-3000:]
            figures.update(json.loads(checked.stdout.splitlines()[0]))
            # Untouched: the learner's server still runs and answers through the class's proxy.
            assert asyncio.run(client.user(learner))["servers"][""]["ready"]
            assert asyncio.run(server.notebook("aws-mfa-tutorial/00_start_here.ipynb"))["cells"]
        class_accounts.remove(learner)

        started = time.monotonic()
        removed = subprocess.run(
            [str(INSTALL), *options, "--uninstall"], capture_output=True, text=True, timeout=300
        )
        figures["uninstall_s"] = time.monotonic() - started
        assert removed.returncode == 0, removed.stderr
        assert not prefix.exists() and not state.exists() and not group_exists(GROUP)
    finally:
        class_accounts.remove(learner)
        subprocess.run([str(INSTALL), *options, "--uninstall"], capture_output=True)
        subprocess.run(["groupdel", GROUP], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\ninstall figures: {json.dumps({k: round(v, 1) for k, v in figures.items()})}")
        if os.environ.get("TUTORIAL_INSTALL_FIGURES"):
            Path(os.environ["TUTORIAL_INSTALL_FIGURES"]).write_text(json.dumps(figures))
