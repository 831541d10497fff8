"""The sandbox program: start, reuse, shared state, reset, stop, repair, isolation."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.sandbox import control
from helpers.sandbox.constants import ACCOUNT_ID
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import pid_alive, read_state
from tests.conftest import make_client

REPO = Path(__file__).resolve().parents[2]


def root_client(service: str, endpoint: str, folder: Path):
    """A boto3 client signed with the root keys of the sandbox of ``folder``."""
    root = root_credentials(folder)
    return make_client(service, endpoint, root.access_key_id, root.secret_access_key)


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TUTORIAL_STATE_DIR=str(folder))
    return subprocess.run(
        [sys.executable, "-m", "helpers.sandbox", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def folder(tmp_path: Path):
    yield tmp_path
    control.stop(tmp_path)


def test_start_prints_endpoint_last_and_answers_as_root(folder: Path) -> None:
    result = cli(folder, "start")
    assert result.returncode == 0, result.stderr
    endpoint = result.stdout.strip().splitlines()[-1]
    assert endpoint.startswith("http://127.0.0.1:")
    identity = root_client("sts", endpoint, folder).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
    assert identity["UserId"] == ACCOUNT_ID
    state_file = folder / "sandbox.json"
    assert state_file.stat().st_mode & 0o777 == 0o600


def test_start_reuses_the_running_sandbox(folder: Path) -> None:
    first = control.start(folder)
    second = cli(folder, "start")
    assert second.stdout.strip().splitlines()[-1] == first.endpoint
    assert read_state(folder).pid == first.pid


def test_two_processes_share_one_account(folder: Path) -> None:
    script = (
        "import sys, helpers; c = helpers.connect(quiet=True); "
        "c.iam.create_user(UserName='shared') if sys.argv[1] == 'make' else "
        "print([u['UserName'] for u in c.iam.list_users()['Users']])"
    )
    env = dict(os.environ, TUTORIAL_STATE_DIR=str(folder))
    for step in ("make", "read"):
        done = subprocess.run(
            [sys.executable, "-c", script, step],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    assert "['shared']" in done.stdout


def test_reset_empties_the_account(folder: Path) -> None:
    state = control.start(folder)
    iam = root_client("iam", state.endpoint, folder)
    iam.create_user(UserName="temporary")
    result = cli(folder, "reset")
    assert result.returncode == 0, result.stderr
    assert iam.list_users()["Users"] == []
    # AWS's managed policies are still there after a reset.
    policy = "arn:aws:iam::aws:policy/AdministratorAccess"
    assert iam.get_policy(PolicyArn=policy)["Policy"]["Arn"] == policy
    assert read_state(folder).pid == state.pid


def test_stop_ends_the_server(folder: Path) -> None:
    state = control.start(folder)
    result = cli(folder, "stop")
    assert result.returncode == 0 and "stopped" in result.stdout
    assert not pid_alive(state.pid)
    assert read_state(folder) is None
    status = cli(folder, "status")
    assert status.returncode == 1 and "not running" in status.stdout


def test_status_says_where_and_since_when(folder: Path) -> None:
    state = control.start(folder)
    status = cli(folder, "status")
    assert status.returncode == 0
    assert state.endpoint in status.stdout and "since" in status.stdout


def test_stale_state_file_is_repaired(folder: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / "sandbox.json").write_text(
        json.dumps(
            {
                "pid": dead.pid,
                "host": "127.0.0.1",
                "port": 9,
                "started_at": "2026-01-01T00:00:00+00:00",
                "state_dir": str(folder),
            }
        )
    )
    result = cli(folder, "start")
    assert result.returncode == 0, result.stderr
    assert "stale" in result.stderr
    assert read_state(folder).pid != dead.pid


def test_crashed_server_is_detected_and_replaced(folder: Path) -> None:
    state = control.start(folder)
    os.kill(state.pid, signal.SIGKILL)
    result = cli(folder, "start")
    assert result.returncode == 0, result.stderr
    assert "stale" in result.stderr
    new = read_state(folder)
    assert new.pid != state.pid
    assert root_client("sts", new.endpoint, folder).get_caller_identity()["Account"] == ACCOUNT_ID


def test_port_already_taken_falls_back_to_a_free_port(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(folder, "start", "--port", str(port))
        assert result.returncode == 0, result.stderr
        assert f"Port {port} is already taken" in (folder / "sandbox.log").read_text()
        assert read_state(folder).port != port


def test_recorded_endpoint_answered_by_someone_else_is_not_trusted(
    folder: Path, tmp_path_factory
) -> None:
    other = tmp_path_factory.mktemp("other")
    try:
        theirs = control.start(other)
        # A state file naming a live process whose endpoint is another learner's sandbox.
        (folder / "sandbox.json").write_text(
            json.dumps(
                {
                    "pid": theirs.pid,
                    "host": theirs.host,
                    "port": theirs.port,
                    "started_at": theirs.started_at,
                    "state_dir": str(folder),
                }
            )
        )
        mine = control.start(folder)
        assert mine.endpoint != theirs.endpoint
        assert pid_alive(mine.pid)
    finally:
        control.stop(other)


def test_two_state_folders_get_two_sandboxes(folder: Path, tmp_path_factory) -> None:
    other = tmp_path_factory.mktemp("second-learner")
    try:
        a, b = control.start(folder), control.start(other)
        assert a.port != b.port and a.pid != b.pid
        root_client("iam", a.endpoint, folder).create_user(UserName="only-in-a")
        assert root_client("iam", b.endpoint, other).list_users()["Users"] == []
    finally:
        control.stop(other)


def test_env_lines_point_the_aws_cli_at_the_sandbox_as_root(folder: Path) -> None:
    env_out = cli(folder, "env")
    assert env_out.returncode == 0, env_out.stderr
    aws = Path(sys.executable).parent / "aws"
    shell = f'{env_out.stdout}\n"{aws}" sts get-caller-identity --output json'
    done = subprocess.run(
        ["bash", "-c", shell],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:root"
