"""A bounded load test of the sandbox, on loopback only (``bench_sandbox.py --load``).

    .venv/bin/python benchmarks/bench_sandbox.py --load [--clients 8 --calls 60]

Each of the clients (threads, each with its own boto3 clients) sends exactly ``--calls`` calls
of a mixed workload, in cycles on users of its own: CreateUser, CreateAccessKey,
CreateLoginProfile, UpdateLoginProfile (a password change), CreateVirtualMFADevice,
EnableMFADevice with two real consecutive TOTP codes (pyotp, from the ``Base32StringSeed`` the
sandbox answered), ListUsers, PutUserPolicy (the user may read itself: a sandbox that
authorizes requests lets the next call through), GetUser signed with the user's new key,
ListMFADevices; every other cycle then takes it all down again (DeactivateMFADevice,
DeleteVirtualMFADevice, DeleteLoginProfile, DeleteUserPolicy, DeleteAccessKey, DeleteUser).
It reports the median and 99th percentile latency and the errors, then checks the end state:
each user kept is listed, each user deleted is gone.

Two runs, each on a fresh sandbox: undisturbed; then with the sandbox process killed (SIGKILL)
half-way. A client whose call fails to connect restarts the sandbox with
``helpers.sandbox.control.start`` (which says what it found, as ``helpers.connect()`` does),
reconnects to the new endpoint and begins a new cycle: the killed sandbox's account is gone
(moto keeps it in memory), so the end state is checked on what was made after the restart.
Both runs stop by themselves: a fixed number of calls, one kill, timeouts on every call.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pyotp
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from helpers.sandbox import control
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials

CONFIG = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30)
PASSWORDS = ("Load-Test-1a!", "Load-Test-2b!")
DISCONNECTED = (EndpointConnectionError, ConnectionClosedError)


class Sandbox:
    """The sandbox of one state folder, restarted by the first client that finds it gone."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.generation = 0
        self.endpoint = control.start(folder).endpoint
        self.restarts: list[str] = []

    def client(self, service: str, key: str | None = None, secret: str | None = None):
        root = root_credentials(self.folder)
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=key or root.access_key_id,
            aws_secret_access_key=secret or root.secret_access_key,
            config=CONFIG,
        )

    def reconnect(self, seen_generation: int) -> None:
        """Start the sandbox again unless another client already has since ``seen_generation``."""
        with self.lock:
            if self.generation != seen_generation:
                return
            state = control.start(self.folder)  # prints what it found (a stale record) on stderr
            message = (
                f"The sandbox at {self.endpoint} stopped answering; a new one was started at "
                f"{state.endpoint} (its account starts empty)."
            )
            print(message, file=sys.stderr)
            self.restarts.append(message)
            self.endpoint = state.endpoint
            self.generation += 1

    def kill(self) -> int:
        state = control.find_running(self.folder)
        assert state is not None, "no sandbox to kill"
        os.kill(state.pid, signal.SIGKILL)  # the sandbox this run started
        return state.pid


@dataclass
class Worker:
    index: int
    sandbox: Sandbox
    calls: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interrupted: int = 0
    kept: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    done: int = 0

    def run(self, progress: Callable[[], None]) -> None:
        cycle = 0
        while self.done < self.calls:
            generation = self.sandbox.generation
            iam = self.sandbox.client("iam")
            try:
                self.one_cycle(iam, f"load-{self.index}-{generation}-{cycle}", cycle, progress)
            except DISCONNECTED:
                self.interrupted += 1
                self.done += 1
                progress()
                self.sandbox.reconnect(generation)
                self.kept.clear()  # the new sandbox's account starts empty
                self.deleted.clear()
            cycle += 1

    def call(self, progress: Callable[[], None], fn: Callable, **kwargs) -> dict | None:
        """One timed call; None once this client has sent its calls."""
        if self.done >= self.calls:
            return None
        begin = time.perf_counter()
        try:
            answer = fn(**kwargs)
        except ClientError as error:
            self.errors.append(f"{fn.__name__}: {error}")
            answer = None
        self.latencies.append(time.perf_counter() - begin)
        self.done += 1
        progress()
        return answer if answer is not None else {}

    def one_cycle(self, iam, name: str, cycle: int, progress: Callable[[], None]) -> None:
        def call(fn: Callable, **kwargs) -> dict | None:
            return self.call(progress, fn, **kwargs)

        if call(iam.create_user, UserName=name) is None:
            return
        self.kept.add(name)
        key = call(iam.create_access_key, UserName=name)
        if not key:
            return
        access = key["AccessKey"]
        if call(iam.create_login_profile, UserName=name, Password=PASSWORDS[0]) is None:
            return
        if call(iam.update_login_profile, UserName=name, Password=PASSWORDS[1]) is None:
            return
        device = call(iam.create_virtual_mfa_device, VirtualMFADeviceName=f"{name}-phone")
        if not device:
            return
        serial = device["VirtualMFADevice"]["SerialNumber"]
        totp = pyotp.TOTP(device["VirtualMFADevice"]["Base32StringSeed"].decode())
        now = time.time()
        codes = {"AuthenticationCode1": totp.at(now - 30), "AuthenticationCode2": totp.at(now)}
        if call(iam.enable_mfa_device, UserName=name, SerialNumber=serial, **codes) is None:
            return
        listed = call(iam.list_users, MaxItems=1000)
        arns = {u["UserName"]: u["Arn"] for u in (listed or {}).get("Users", [])}
        if listed and name not in arns:
            self.errors.append(f"{name} is not listed right after its creation")

        def listed_arn(user: str) -> str:
            return arns.get(user, "*")

        allow_own_user = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "iam:GetUser", "Resource": listed_arn(name)}
                ],
            }
        )
        if (
            call(
                iam.put_user_policy, UserName=name, PolicyName="self", PolicyDocument=allow_own_user
            )
            is None
        ):
            return
        own = self.sandbox.client("iam", access["AccessKeyId"], access["SecretAccessKey"])
        if call(own.get_user, UserName=name) is None:
            return
        if call(iam.list_mfa_devices, UserName=name) is None or cycle % 2 == 0:
            return
        steps = [
            (iam.deactivate_mfa_device, {"UserName": name, "SerialNumber": serial}),
            (iam.delete_virtual_mfa_device, {"SerialNumber": serial}),
            (iam.delete_login_profile, {"UserName": name}),
            (iam.delete_user_policy, {"UserName": name, "PolicyName": "self"}),
            (iam.delete_access_key, {"UserName": name, "AccessKeyId": access["AccessKeyId"]}),
            (iam.delete_user, {"UserName": name}),
        ]
        for fn, kwargs in steps:
            if call(fn, **kwargs) is None:
                return
        self.kept.discard(name)
        self.deleted.add(name)


def end_state_problems(sandbox: Sandbox, workers: list[Worker]) -> list[str]:
    """What is wrong with the account at the end: kept users listed, deleted users gone."""
    iam = sandbox.client("iam")
    users = {u["UserName"] for u in iam.list_users(MaxItems=1000)["Users"]}
    problems = []
    for worker in workers:
        for name in worker.kept:
            if name not in users:
                problems.append(f"{name} was created and is not listed")
        for name in worker.deleted:
            if name in users:
                problems.append(f"{name} was deleted and is still listed")
    return problems


def run(clients: int, calls: int, kill_half_way: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    sandbox = Sandbox(folder)
    total = clients * calls
    sent = {"n": 0}
    sent_lock = threading.Lock()
    half_way = threading.Event()

    def progress() -> None:
        with sent_lock:
            sent["n"] += 1
            if sent["n"] >= total // 2:
                half_way.set()

    workers = [Worker(index, sandbox, calls) for index in range(clients)]
    threads = [threading.Thread(target=w.run, args=(progress,), daemon=True) for w in workers]
    killed = None
    begin = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        if kill_half_way:
            half_way.wait(timeout=300)
            killed = sandbox.kill()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - begin
        stuck = [t.name for t in threads if t.is_alive()]
        problems = end_state_problems(sandbox, workers)
    finally:
        control.stop(folder)
    latencies = sorted(latency for w in workers for latency in w.latencies)
    return {
        "calls": sum(len(w.latencies) for w in workers),
        "interrupted": sum(w.interrupted for w in workers),
        "errors": [error for w in workers for error in w.errors],
        "p50": statistics.median(latencies),
        "p99": statistics.quantiles(latencies, n=100)[98],
        "seconds": elapsed,
        "kept": sum(len(w.kept) for w in workers),
        "deleted": sum(len(w.deleted) for w in workers),
        "end state problems": problems,
        "stuck clients": stuck,
        "killed": killed,
        "restarts": sandbox.restarts,
    }


def report(title: str, result: dict) -> bool:
    print(f"\n{title}")
    print(
        f"  {result['calls']} calls answered in {result['seconds']:.1f} s"
        f" ({result['interrupted']} cut by the kill)"
    )
    print(f"  latency p50 {result['p50'] * 1000:.1f} ms, p99 {result['p99'] * 1000:.1f} ms")
    print(f"  errors: {len(result['errors'])}")
    for error in result["errors"][:10]:
        print(f"    {error}")
    print(f"  end state: {result['kept']} users kept and listed, {result['deleted']} deleted")
    for problem in result["end state problems"][:10]:
        print(f"    {problem}")
    if result["killed"]:
        print(f"  killed sandbox process {result['killed']}; {len(result['restarts'])} restart(s)")
        for message in result["restarts"]:
            print(f"    {message}")
    ok = not result["errors"] and not result["end state problems"] and not result["stuck clients"]
    if result["killed"]:
        ok = ok and len(result["restarts"]) == 1
    print(f"  {'OK' if ok else 'FAILED'}")
    return ok


def main(clients: int = 8, calls: int = 60) -> int:
    print(f"Load: {clients} concurrent clients x {calls} calls, loopback sandbox")
    steady = report("Undisturbed", run(clients, calls, kill_half_way=False))
    killed = report("Sandbox killed half-way, restarted", run(clients, calls, kill_half_way=True))
    return 0 if steady and killed else 1
