"""Sandbox speed, as medians of several runs; and a bounded load test.

    .venv/bin/python benchmarks/bench_sandbox.py [--runs 5]
    .venv/bin/python benchmarks/bench_sandbox.py --load [--clients 8 --calls 60]

- start: ``control.start()`` on a fresh state folder until the first IAM call has answered
  (target: 1.5 s on a 2-core machine);
- later call: one IAM call on a running sandbox (target: 10 ms), as root and as an IAM user
  whose group's policy is evaluated on every call;
- CreateVirtualMFADevice: one call, its QR code included (target: 0.5 s; the QR alone ~40 ms);
- security check: ``helpers.status.check_account`` on a busy account (target: 1 s);
- kernel + connect(): a notebook kernel's start plus ``helpers.connect()`` in it.

``--load`` (``bench_load.py``): 8 concurrent clients each send a fixed number of calls of a mixed
workload on a fresh loopback sandbox, twice: undisturbed, then with the sandbox killed half-way
and restarted by the clients.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import boto3
from jupyter_client.manager import start_new_kernel

from helpers.sandbox import control
from helpers.sandbox.constants import REGION
from helpers.sandbox.credentials import root_credentials
from helpers.sandbox.state import SandboxState


def iam_client(state: SandboxState):
    root = root_credentials(Path(state.state_dir))
    return boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=REGION,
        aws_access_key_id=root.access_key_id,
        aws_secret_access_key=root.secret_access_key,
    )


def time_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
        begin = time.perf_counter()
        state = control.start(folder)
        client = iam_client(state)
        client.list_users()
        times.append(time.perf_counter() - begin)
        control.stop(folder)
    return times


def time_later_call(runs: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    state = control.start(folder)
    client = iam_client(state)
    client.create_user(UserName="bench")
    client.list_users()
    times = _time_get_user(client, runs * 20)
    control.stop(folder)
    return times


def _time_get_user(client, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        begin = time.perf_counter()
        client.get_user(UserName="bench")
        times.append(time.perf_counter() - begin)
    return times


def time_user_call(runs: int) -> list[float]:
    """The same call by an IAM user whose rights come from a group: every policy is evaluated."""
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    state = control.start(folder)
    root = iam_client(state)
    root.create_user(UserName="bench")
    root.create_group(GroupName="Admins")
    root.attach_group_policy(
        GroupName="Admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    root.add_user_to_group(GroupName="Admins", UserName="bench")
    key = root.create_access_key(UserName="bench")["AccessKey"]
    client = boto3.client(
        "iam",
        endpoint_url=state.endpoint,
        region_name=REGION,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    client.get_user(UserName="bench")
    times = _time_get_user(client, runs * 20)
    control.stop(folder)
    return times


def time_create_virtual_mfa_device(runs: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    state = control.start(folder)
    client = iam_client(state)
    client.create_virtual_mfa_device(VirtualMFADeviceName="warm-up")
    times = []
    for run in range(runs * 5):
        begin = time.perf_counter()
        client.create_virtual_mfa_device(VirtualMFADeviceName=f"bench-{run}")
        times.append(time.perf_counter() - begin)
    control.stop(folder)
    return times


def time_security_check(runs: int) -> list[float]:
    # The busy account of the test suite (three users, groups, keys, MFA, a role, policies).
    from helpers.status import check_account
    from tests.test_status_sandbox import populate

    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    state = control.start(folder)
    client = iam_client(state)
    populate(client)
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        check_account(client)
        times.append(time.perf_counter() - begin)
    control.stop(folder)
    return times


def time_kernel_connect(runs: int, code: str) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    control.start(folder)
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        manager, client = start_new_kernel(
            kernel_name="python3",
            env={**__import__("os").environ, "TUTORIAL_STATE_DIR": str(folder)},
        )
        reply = client.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply
        times.append(time.perf_counter() - begin)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    control.stop(folder)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load", action="store_true", help="the bounded load test instead")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--calls", type=int, default=60, help="calls per client")
    args = parser.parse_args()
    if args.load:
        from bench_load import main as load_main

        raise SystemExit(load_main(args.clients, args.calls))
    runs = args.runs
    rows = [
        ("sandbox start until first IAM call answers", time_start(runs), 1.5),
        ("a later IAM call (get_user)", time_later_call(runs), 0.010),
        ("the same call by an IAM user (policies evaluated)", time_user_call(runs), 0.010),
        ("create_virtual_mfa_device (QR included)", time_create_virtual_mfa_device(runs), 0.5),
        ("security check on a busy account", time_security_check(runs), 1.0),
        ("kernel start alone", time_kernel_connect(runs, "pass"), None),
        (
            "kernel start + helpers.connect()",
            time_kernel_connect(runs, "import helpers; helpers.connect()"),
            None,
        ),
    ]
    print(f"{'measure':<45} {'median':>10} {'target':>10}")
    for name, times, target in rows:
        median = statistics.median(times)
        shown = f"{median * 1000:.1f} ms" if median < 1 else f"{median:.2f} s"
        goal = (
            "" if target is None else (f"{target * 1000:.0f} ms" if target < 1 else f"{target} s")
        )
        print(f"{name:<45} {shown:>10} {goal:>10}")


if __name__ == "__main__":
    main()
