"""Lesson 05 on a "real" account in JupyterLab, as a learner runs it: Run All sends nothing and
shows the step's plan; typing the account id and clicking Apply makes exactly that change.

The account is the test run's sandbox playing a real one (an owner's password policy and
alias), reached the way aws mode reaches AWS: ``TUTORIAL_TARGET=aws`` and boto3's usual
settings (``AWS_ENDPOINT_URL`` and keys in the environment) for Lab and its kernels.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from helpers.lab import NOTEBOOKS, REPO, free_port, install_lab_settings
from helpers.sandbox.credentials import root_credentials
from tests.browser.lab import (
    VIEWPORT,
    LabServer,
    RunningLab,
    element_screenshot,
    lab_browser_command,
    open_notebook,
    run_all_cells,
    stop_lab,
    tracebacks,
    wait_for_lab,
)
from tests.conftest import make_client

ACCOUNT = "123456789012"
OWNERS_POLICY = {"MinimumPasswordLength": 12, "RequireNumbers": True, "MaxPasswordAge": 90}


@pytest.fixture
def owner(sandbox) -> object:
    iam = make_client("iam", sandbox.endpoint)
    iam.update_account_password_policy(**OWNERS_POLICY)
    iam.create_account_alias(AccountAlias="acme-lab")
    return iam


@pytest.fixture
def aws_lab(sandbox, owner, tmp_path: Path) -> Iterator[LabServer]:
    """JupyterLab whose kernels are in aws mode, pointed at the sandbox as a real account."""
    notebook_dir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebook_dir, ignore=shutil.ignore_patterns("downloads"))
    state_dir = tmp_path / "state"
    state_dir.mkdir(mode=0o700)
    install_lab_settings()
    port, token = free_port(0), secrets.token_hex(16)
    root = root_credentials()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TUTORIAL_"))}
    env.update(
        TUTORIAL_TARGET="aws",
        AWS_ENDPOINT_URL=sandbox.endpoint,
        AWS_ACCESS_KEY_ID=root.access_key_id,
        AWS_SECRET_ACCESS_KEY=root.secret_access_key,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        TUTORIAL_STATE_DIR=str(state_dir),
        TUTORIAL_DOWNLOADS_DIR=str(tmp_path / "downloads"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
    )
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            lab_browser_command(port, token, notebook_dir),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = RunningLab(
        LabServer(f"http://127.0.0.1:{port}", token, notebook_dir, state_dir, log), process
    )
    server = wait_for_lab(running, 120)
    try:
        yield server
    finally:
        process.send_signal(15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            stop_lab(running)


def test_run_all_shows_the_plan_and_apply_makes_the_change(
    aws_lab: LabServer, owner, browser: Browser
) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        notebook = open_notebook(page, aws_lab, "05_password_policy.ipynb", 120)
        run_all_cells(notebook, 240)
        assert tracebacks(notebook) == []
        policy = owner.get_account_password_policy()["PasswordPolicy"]
        assert policy["MinimumPasswordLength"] == 12  # Run All changed nothing
        assert not (aws_lab.state_dir / "aws-journal.jsonl").exists()

        form = page.locator(".tut-form", has_text="Plan: iam:UpdateAccountPasswordPolicy").first
        form.scroll_into_view_if_needed()
        expect(form).to_contain_text("replaces the password policy {'MinimumPasswordLength': 12")
        expect(form).to_contain_text("Run All applies nothing on a real account: click Apply")
        element_screenshot(form, "real-account-plan")
        form.locator("input").first.fill(ACCOUNT)
        form.get_by_role("button", name="Confirm account").click()
        expect(form).to_contain_text(f"Account {ACCOUNT} confirmed for this kernel")
        form.get_by_role("button", name="Apply").click()
        expect(form).to_contain_text("Applied, and written in the journal.")
        element_screenshot(form, "real-account-applied")
        policy = owner.get_account_password_policy()["PasswordPolicy"]
        assert policy["MinimumPasswordLength"] == 14
        journal = (aws_lab.state_dir / "aws-journal.jsonl").read_text().splitlines()
        assert len(journal) == 1 and "iam:UpdateAccountPasswordPolicy" in journal[0]
    finally:
        page.close()
