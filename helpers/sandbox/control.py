"""Start, find, reset and stop the learner's sandbox server (a separate process running moto).

Nothing here imports moto: notebook kernels stay light, and the server runs on its own.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from helpers.paths import state_dir
from helpers.sandbox.constants import (
    HEALTH_PATH,
    REGION,
    RESET_PATH,
    SANDBOX_SERVICE,
    SERVER_NAME,
)
from helpers.sandbox.credentials import RootCredentials, root_credentials
from helpers.sandbox.state import (
    SandboxState,
    clear_state,
    locked,
    log_path,
    pid_alive,
    read_state,
)

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


class SandboxError(RuntimeError):
    """The sandbox could not be started, reached or stopped; the message says what to do."""


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def health(endpoint: str, timeout: float = 2.0) -> dict | None:
    """The server's health answer, or None when nothing (or not our sandbox) answers there."""
    try:
        with urllib.request.urlopen(endpoint + HEALTH_PATH, timeout=timeout) as response:
            data = json.loads(response.read())
    except (OSError, ValueError):
        return None
    return data if data.get("server") == SERVER_NAME else None


def post(
    endpoint: str,
    path: str,
    payload: dict | None = None,
    timeout: float = 30.0,
    credentials: RootCredentials | None = None,
) -> dict:
    """POST JSON to one of the sandbox's own endpoints, signed (SigV4, by botocore) with the
    root credentials of the sandbox (default: the learner's), and return its JSON answer."""
    root = credentials or root_credentials()
    signed = AWSRequest(
        method="POST",
        url=endpoint + path,
        data=json.dumps(payload or {}).encode(),
        headers={"Content-Type": "application/json"},
    )
    SigV4Auth(
        Credentials(root.access_key_id, root.secret_access_key), SANDBOX_SERVICE, REGION
    ).add_auth(signed)
    request = urllib.request.Request(
        signed.url, data=signed.body, headers=dict(signed.headers.items()), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return json.loads(error.read())
        except ValueError:
            raise SandboxError(f"The sandbox answered HTTP {error.code} on {path}.") from error
    except OSError as error:
        raise SandboxError(
            f"The sandbox at {endpoint} does not answer ({error}). "
            "Run `python -m helpers.sandbox start` and try again."
        ) from error


def find_running(folder: Path | None = None) -> SandboxState | None:
    """The running sandbox of this state folder; repairs a stale state file on the way."""
    folder = folder or state_dir()
    state = read_state(folder)
    if state is None:
        return None
    if pid_alive(state.pid):
        answer = health(state.endpoint)
        if answer and answer.get("pid") == state.pid and answer.get("state_dir") == str(folder):
            return state
        _say(
            f"The sandbox process {state.pid} no longer answers on {state.endpoint}; "
            "stopping it and starting afresh."
        )
        _terminate(state.pid)
    else:
        _say(
            f"Found a stale sandbox record (process {state.pid} has ended, "
            "perhaps it crashed or the machine restarted); starting a new sandbox."
        )
    clear_state(folder)
    return None


def start(folder: Path | None = None, port: int = 0) -> SandboxState:
    """Return the running sandbox of this state folder, starting one if there is none."""
    folder = folder or state_dir()
    with locked(folder):
        running = find_running(folder)
        if running:
            return running
        return _spawn(folder, port)


def _spawn(folder: Path, port: int) -> SandboxState:
    # The log may quote requests: the learner's alone (0600), whatever the umask.
    log_fd = os.open(log_path(folder), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(log_fd, 0o600)
    log = os.fdopen(log_fd, "ab")  # handed to the child process
    env = dict(os.environ, TUTORIAL_STATE_DIR=str(folder), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.sandbox.server", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # outlives the command or kernel that started it
    )
    log.close()
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_S)
    line = process.stdout.readline().decode().strip() if ready else ""
    process.stdout.close()
    state = read_state(folder)
    if not line.startswith("READY") or state is None or state.pid != process.pid:
        if process.poll() is None:
            process.kill()
        raise SandboxError(
            f"The sandbox did not start (see {log_path(folder)} for details). "
            "Check that the project's environment is installed: `make lab` sets it up."
        )
    return state


def _terminate(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)


def stop(folder: Path | None = None) -> bool:
    """Stop this state folder's sandbox; True when one was running."""
    folder = folder or state_dir()
    with locked(folder):
        state = read_state(folder)
        if state is None:
            return False
        was_running = pid_alive(state.pid)
        if was_running:
            _terminate(state.pid)
        clear_state(folder)
        return was_running


def reset(folder: Path | None = None) -> SandboxState:
    """Empty the sandbox account: no users, groups, policies of its own, alias or root MFA."""
    state = start(folder)
    answer = post(state.endpoint, RESET_PATH, credentials=root_credentials(folder))
    if answer.get("status") != "ok":
        raise SandboxError(f"The sandbox could not be reset: {answer}")
    return state
