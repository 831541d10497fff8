"""A throw-away hub on loopback, for the workshop tests and ``benchmarks/bench_workshop.py``:
this checkout's ``deploy/jupyterhub_config.py`` with free ports, a private folder for its
database, a runtime every learner can run, and an admin service token for the API.

    with LocalHub.start(runtime) as hub:
        ...  # hub.url, hub.token, hub.cgroup

or the hub of an installation (``deploy/install.sh``), started by its own command:

    with LocalHub.start(command=["/opt/aws-mfa-tutorial/bin/start-hub"]) as hub:
    # stopped: JupyterHub stops every server first (cleanup_servers), so no sandbox is left
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from deploy import cgroups
from deploy.runtime import Runtime

DEPLOY = Path(__file__).resolve().parent
PROXY = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
START_TIMEOUT_S = 60.0


def free_ports(count: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        sockets.append(probe)
        ports.append(probe.getsockname()[1])
    for probe in sockets:
        probe.close()
    return ports


@dataclass
class LocalHub:
    url: str
    token: str
    cgroup: str
    folder: Path
    process: subprocess.Popen

    @classmethod
    @contextlib.contextmanager
    def start(
        cls,
        runtime: Runtime | None = None,
        admins: tuple[str, ...] = (),
        mem_limit: str = "1G",
        poll_s: int = 2,
        cull_timeout_s: int = 3600,
        cull_every_s: int = 60,
        command: Sequence[str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        state_dir: Path | None = None,
    ) -> Iterator[LocalHub]:
        """This checkout's hub with ``runtime`` as the learners' python, or (``command``) an
        installation's, which sets its python and lessons itself. Its database, cookie secret
        and proxy pid file go to ``state_dir``, by default a new folder: never those of a hub
        already running (a second hub there would stop its servers and its proxy)."""
        if command is None and not PROXY.exists():
            raise RuntimeError(f"{PROXY} is missing: run `npm ci` in deploy/ (make test does).")
        folder = Path(tempfile.mkdtemp(prefix="aws-mfa-hub-"))
        public, internal, proxy_api, class_view = free_ports(4)
        token = secrets.token_hex(32)
        cgroup = f"aws-mfa-tutorial-test-{os.getpid()}"
        env = dict(
            os.environ,
            TUTORIAL_HUB_IP="127.0.0.1",
            TUTORIAL_HUB_PORT=str(public),
            TUTORIAL_HUB_INTERNAL_PORT=str(internal),
            TUTORIAL_HUB_PROXY_API_PORT=str(proxy_api),
            TUTORIAL_HUB_CLASS_VIEW_PORT=str(class_view),
            TUTORIAL_HUB_ADMINS=",".join(admins),
            TUTORIAL_HUB_MEM_LIMIT=mem_limit,
            TUTORIAL_HUB_CGROUP=cgroup,
            TUTORIAL_HUB_SERVICE_TOKEN=token,
            TUTORIAL_HUB_POLL_S=str(poll_s),
            TUTORIAL_HUB_CULL_TIMEOUT=str(cull_timeout_s),
            TUTORIAL_HUB_CULL_EVERY=str(cull_every_s),
        )
        if command is None:
            if runtime is None:
                raise ValueError("a runtime, or the command of an installation")
            config = DEPLOY / "jupyterhub_config.py"
            command = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
            env.update(
                TUTORIAL_HUB_PYTHON=str(runtime.python),
                TUTORIAL_HUB_NOTEBOOKS=str(runtime.notebooks),
                TUTORIAL_HUB_LD_LIBRARY_PATH=runtime.environment.get("LD_LIBRARY_PATH", ""),
                PYTHONPATH=str(DEPLOY.parent),
            )
        else:  # nothing of this checkout's environment leaks into the installation's
            for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
                env.pop(name, None)
            env["TUTORIAL_HUB_STATE"] = str(state_dir or folder)
        env.update(extra_env or {})
        env.pop("TUTORIAL_STATE_DIR", None)  # each learner's own, from their HOME
        env.pop("TUTORIAL_DOWNLOADS_DIR", None)
        log = open(folder / "hub.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            list(command),
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        hub = cls(f"http://127.0.0.1:{public}", token, cgroup, folder, process)
        try:
            hub._wait_until_up()
            yield hub
        finally:
            hub.stop()
            cgroups.remove_parent(cgroup)
            log.close()
            if os.environ.get("TUTORIAL_KEEP_HUB_LOG"):
                print(f"hub log: {folder / 'hub.log'}", file=sys.stderr)
            else:
                shutil.rmtree(folder, ignore_errors=True)

    def log_text(self) -> str:
        return (self.folder / "hub.log").read_text(errors="replace")

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/hub/api/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the hub did not answer:\n{self.log_text()[-3000:]}")

    def stop(self, timeout_s: float = 60.0) -> None:
        """SIGTERM: JupyterHub stops every server (and so every sandbox), then its proxy."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
