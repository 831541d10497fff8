"""The root user's findings, and the whole tutorial's account.

These need the sandbox's AWS layer: root MFA and root access keys through the sandbox console
(``SandboxConsole``), ``get_account_summary`` reporting them, the credential report's
``<root_account>`` row, and root's virtual MFA device in ``list_virtual_mfa_devices``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.state import SandboxState
from helpers.status import check_account
from tests.test_status_sandbox import (
    ADMIN_ARN,
    add_console_user,
    add_user_mfa,
    set_cis_password_policy,
    statuses,
    two_codes,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def console(sandbox: SandboxState) -> SandboxConsole:
    return SandboxConsole(sandbox.endpoint)


def enable_root_mfa(console: SandboxConsole) -> str:
    device = console.start_root_mfa()
    code1, code2 = two_codes(device["Base32StringSeed"])
    console.enable_root_mfa(device["SerialNumber"], code1, code2)
    return device["SerialNumber"]


Step = Callable[[SandboxConsole, dict], Any]

ROOT_FLIPS: dict[str, tuple[tuple[str, ...], Step, Step, Step]] = {
    "root access key created and deleted": (
        ("console.root_access_keys", "cis.1.3"),
        lambda console, ctx: ctx.update(key=console.create_root_access_key()["AccessKeyId"]),
        lambda console, ctx: console.delete_root_access_key(ctx["key"]),
        lambda console, ctx: console.create_root_access_key(),
    ),
    "root MFA on and off": (
        ("console.root_mfa", "cis.1.4"),
        lambda console, ctx: None,
        lambda console, ctx: enable_root_mfa(console),
        lambda console, ctx: console.deactivate_root_mfa(),
    ),
}


@pytest.mark.parametrize("case", list(ROOT_FLIPS))
def test_root_finding_flips(iam: Any, console: SandboxConsole, case: str) -> None:
    finding_ids, arrange, fix, unfix = ROOT_FLIPS[case]
    ctx: dict = {}
    arrange(console, ctx)
    assert statuses(iam, *finding_ids) == ["FAIL"] * len(finding_ids)
    fix(console, ctx)
    assert statuses(iam, *finding_ids) == ["PASS"] * len(finding_ids)
    unfix(console, ctx)
    assert statuses(iam, *finding_ids) == ["FAIL"] * len(finding_ids)


def test_root_with_virtual_mfa_fails_hardware_mfa_like_prowler(
    iam: Any, console: SandboxConsole
) -> None:
    """Prowler's iam_root_hardware_mfa_enabled: root's device shows up among the virtual MFA
    devices (its user is ``arn:aws:iam::ACCOUNT:root``), so it is not a hardware one."""
    enable_root_mfa(console)
    report = check_account(iam)
    assert report.status_of("cis.1.4") == "PASS"
    assert report.status_of("cis.1.5") == "FAIL"
    assert "virtual" in report.find("cis.1.5").reason


def do_the_whole_tutorial(iam: Any, console: SandboxConsole) -> None:
    enable_root_mfa(console)  # 02
    add_console_user(iam, "alice")  # 03: user, key, password, MFA
    iam.create_access_key(UserName="alice")
    add_user_mfa(iam, "alice")
    iam.create_group(GroupName="Admins")  # 04: permissions through a group only
    iam.attach_group_policy(GroupName="Admins", PolicyArn=ADMIN_ARN)
    iam.add_user_to_group(GroupName="Admins", UserName="alice")
    set_cis_password_policy(iam)  # 05: 14, all classes, reuse 24, max age 90
    iam.create_account_alias(AccountAlias="my-tutorial-account")  # 06


def test_the_whole_tutorial_gives_5_of_5(iam: Any, console: SandboxConsole) -> None:
    do_the_whole_tutorial(iam, console)
    report = check_account(iam)
    assert report.console_summary() == "Security status 5/5"
    assert report.console_ok
    cis = {finding.cis: finding.status for finding in report.cis}
    for number in (
        "1.3",
        "1.4",
        "1.7",
        "1.8",
        "1.9",
        "1.11",
        "1.12",
        "1.13",
        "1.14",
        "1.18",
        "1.21",
    ):
        assert cis[number] == "PASS", (number, report.find(f"cis.{number}").reason)
    # What the tutorial leaves for later, each as Prowler would report it:
    assert cis["1.5"] == "FAIL"  # root's MFA is a virtual device (the phone app)
    assert cis["1.10"] == "FAIL"  # alice's access key was made with her and never used yet
    assert cis["1.15"] == "FAIL"  # AdministratorAccess is *:*, even through a group
    assert cis["1.16"] == "FAIL"  # no AWSSupportAccess role
    # 1.6: the sandbox works as root, as the article's console did, and the credential report
    # says so (root's password_last_used is today): Prowler fails root use within a day.
    assert cis["1.6"] == "FAIL"
    assert "today" in report.find("cis.1.6").reason
    for number in ("1.1", "1.2", "1.17", "1.19", "1.20"):
        assert cis[number] == "MANUAL"


def test_the_cli_exits_0_after_the_tutorial(
    iam: Any, console: SandboxConsole, sandbox: SandboxState
) -> None:
    do_the_whole_tutorial(iam, console)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-m", "helpers.status", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["console"]["passed"] == 5
