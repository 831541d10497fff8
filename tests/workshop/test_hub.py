"""The workshop hub itself (deploy/jupyterhub_config.py) on loopback, with a real learner:
their sandbox starts through a kernel and ends with their server (stopped, or crashed), the
trainer's class view shows them and only trainers open it, and a reset keeps their work aside."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from deploy import cgroups, class_accounts
from deploy.cgroups import LearnerGroup
from deploy.hub_client import HubClient, ServerClient
from deploy.learners import Learner, run_as
from deploy.local_hub import LocalHub
from deploy.reset_learner import reset
from deploy.runtime import Runtime
from helpers.sandbox.state import pid_alive
from tests.workshop.conftest import TEST_GROUP

TRAINER = "trainer"


@pytest.fixture(scope="module")
def hub(runtime: Runtime) -> Iterator[LocalHub]:
    with LocalHub.start(runtime, admins=(TRAINER,), poll_s=1) as running:
        yield running


@pytest.fixture
def learner(hub: LocalHub) -> Iterator[Learner]:
    name = f"twh{os.getpid() % 10000}{int(time.time() * 1000) % 10000}"
    class_accounts.create(name, group=TEST_GROUP)
    try:
        yield Learner.named(name)
    finally:
        asyncio.run(HubClient(hub.url, hub.token).delete_user(name))
        class_accounts.remove(name)


def sandbox_pid(learner: Learner) -> int:
    return json.loads((learner.state_dir / "sandbox.json").read_text())["pid"]


def wait_until(condition, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


async def spawn_and_connect(hub: LocalHub, learner: Learner) -> ServerClient:
    """Spawn the learner's server and run lesson 00 in a kernel (its sandbox starts there)."""
    client = HubClient(hub.url, hub.token)
    await client.create_user(learner.name)
    await client.start_server(learner.name)
    server = ServerClient.on_hub(hub.url, learner.name, await client.user_token(learner.name))
    runs = await server.run_notebook("aws-mfa-tutorial/00_start_here.ipynb")
    assert [run.status for run in runs] == ["ok"] * len(runs), runs[-1].text()
    return server


def test_the_sandbox_ends_when_the_server_is_stopped(hub: LocalHub, learner: Learner) -> None:
    asyncio.run(spawn_and_connect(hub, learner))
    pid = sandbox_pid(learner)
    assert pid_alive(pid)
    if cgroups.available():  # limited together with the learner's server
        assert pid in LearnerGroup(learner.name, group=hub.cgroup).pids()
    asyncio.run(HubClient(hub.url, hub.token).stop_server(learner.name))
    assert wait_until(lambda: not pid_alive(pid), 15)
    assert not (learner.state_dir / "sandbox.json").exists()
    assert class_accounts.processes_of(learner.uid) == []


def test_the_sandbox_ends_when_the_server_dies(hub: LocalHub, learner: Learner) -> None:
    asyncio.run(spawn_and_connect(hub, learner))
    pid = sandbox_pid(learner)
    servers = [
        p
        for p in class_accounts.processes_of(learner.uid)
        if b"jupyterhub.singleuser" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    assert len(servers) == 1
    os.kill(servers[0], signal.SIGKILL)  # no clean shutdown: the hub's poll finds it gone
    assert wait_until(lambda: not pid_alive(pid), 30)
    assert wait_until(lambda: class_accounts.processes_of(learner.uid) == [], 10)


def test_the_idle_culler_takes_the_sandbox_with_the_server(runtime: Runtime, learner) -> None:
    # The culler sees the server's activity as of its spawn (the hub learns of more only every
    # 5 minutes): the timeout must leave time for lesson 00 on a loaded machine (5 s did not,
    # with two cores shared by a dozen jobs).
    with LocalHub.start(runtime, cull_timeout_s=30, cull_every_s=2) as culling:
        asyncio.run(spawn_and_connect(culling, learner))
        pid = sandbox_pid(learner)
        assert pid_alive(pid)

        async def running() -> bool:
            return bool((await HubClient(culling.url, culling.token).user(learner.name))["servers"])

        # Nobody stops it: only the idle-culler service can.
        assert wait_until(lambda: not asyncio.run(running()), 120), "not culled"
        assert wait_until(lambda: not pid_alive(pid), 15)


async def get(url: str, token: str) -> tuple[int, bytes]:
    request = HTTPRequest(url, headers={"Authorization": f"token {token}"}, follow_redirects=False)
    response = await AsyncHTTPClient().fetch(request, raise_error=False)
    return response.code, response.body


def test_the_class_view_is_for_trainers_only(hub: LocalHub, learner: Learner) -> None:
    async def scenario() -> None:
        await spawn_and_connect(hub, learner)
        client = HubClient(hub.url, hub.token)
        await client.create_user(TRAINER)
        trainer_token = await client.user_token(TRAINER)
        learner_token = await client.user_token(learner.name)
        rows_url = f"{hub.url}/services/class-view/api/rows"
        code, body = await get(rows_url, trainer_token)
        assert code == 200, body
        rows = {row["name"]: row for row in json.loads(body)}
        assert TRAINER not in rows
        row = rows[learner.name]
        assert (row["lesson"], row["checklist"], row["server"], row["sandbox"]) == (
            0,
            1,
            True,
            True,
        )
        page_code, page = await get(f"{hub.url}/services/class-view/", trainer_token)
        assert page_code == 200 and learner.name.encode() in page and b"refresh" in page
        for url in (rows_url, f"{hub.url}/services/class-view/"):
            code, body = await get(url, learner_token)
            assert code == 403, (code, body[:200])
        # Read-only: nothing but GET.
        request = HTTPRequest(
            rows_url, method="POST", body="{}", headers={"Authorization": f"token {trainer_token}"}
        )
        response = await AsyncHTTPClient().fetch(request, raise_error=False)
        assert response.code == 405
        await client.stop_server(learner.name)

    asyncio.run(scenario())


def test_reset_learner_keeps_their_work_aside(make_learner, runtime: Runtime) -> None:
    learner = make_learner()
    python, env = str(runtime.python), runtime.environment
    run_as(learner, [python, "-m", "deploy.learner_files", "install", str(runtime.notebooks)], env)
    lesson = learner.tutorial_dir / "03_iam_user.ipynb"
    run_as(learner, ["sh", "-c", f"echo edited > {lesson}"])
    made = "import helpers; aws = helpers.connect(); helpers.catch_up(aws, lesson=7)"
    run_as(learner, [python, "-c", made], env, timeout=180)
    count = "import helpers; aws = helpers.connect(); print(len(aws.iam.list_users()['Users']))"
    try:
        # alice (lesson 03) and bob (lesson 04)
        assert run_as(learner, [python, "-c", count], env).stdout.split()[-1] == "2"
        kept = reset(learner, python=python, notebooks=runtime.notebooks, runtime_env=env)
        assert kept.parent == learner.home and kept.name.startswith("before-reset-")
        assert (kept / "aws-mfa-tutorial" / "03_iam_user.ipynb").read_text() == "edited\n"
        assert any((kept / "aws-mfa-tutorial" / "downloads").glob("*_accessKeys.csv"))
        assert (kept / "state" / "phone.json").exists()
        assert lesson.read_bytes() == (runtime.notebooks / lesson.name).read_bytes()
        assert not (learner.state_dir / "phone.json").exists()
        assert run_as(learner, [python, "-c", count], env).stdout.split()[-1] == "0"
        assert kept.lstat().st_uid == learner.uid and oct(kept.lstat().st_mode)[-3:] == "700"
    finally:
        run_as(learner, [python, "-m", "helpers.sandbox", "stop"], env)
