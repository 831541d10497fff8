"""The first README command's program: sandbox + JupyterLab up, URL printed, Ctrl-C stops both."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from helpers.lab import LAB_OVERRIDES, install_lab_settings, lab_command
from helpers.sandbox.state import pid_alive, read_state

REPO = Path(__file__).resolve().parents[1]


def test_lab_settings_turn_off_the_news_prompt(tmp_path: Path) -> None:
    path = install_lab_settings(tmp_path)
    settings = json.loads(path.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert install_lab_settings(tmp_path).read_text() == path.read_text()  # idempotent
    assert LAB_OVERRIDES.keys() <= settings.keys()


def test_lab_command_allows_root_only_as_root() -> None:
    command = lab_command(8888, "token")
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert any(part.endswith("notebooks") for part in command)


def test_lab_starts_sandbox_and_jupyterlab_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    env = dict(os.environ, TUTORIAL_STATE_DIR=str(tmp_path), TUTORIAL_QUIET="1")
    env.pop("DISPLAY", None)
    lab = subprocess.Popen(
        [sys.executable, "-m", "helpers.lab"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        assert lab.stdout is not None
        while url is None and time.monotonic() < deadline:
            match = re.search(r"(http://127\.0\.0\.1:\d+/lab/tree/\S+)", lab.stdout.readline())
            url = match.group(1) if match else None
        assert url, "no URL printed"
        sandbox = read_state(tmp_path)
        assert sandbox is not None and pid_alive(sandbox.pid)
        status = None
        while status != 200 and time.monotonic() < deadline:
            try:
                status = urllib.request.urlopen(url, timeout=5).status
            except OSError:
                time.sleep(0.2)  # JupyterLab is still starting
        assert status == 200
    finally:
        lab.send_signal(signal.SIGINT)
        lab.wait(timeout=30)
    assert not pid_alive(sandbox.pid)
    assert read_state(tmp_path) is None
    try:
        urllib.request.urlopen(url, timeout=5)
        still_up = True
    except OSError:
        still_up = False
    assert not still_up, "JupyterLab still answers after Ctrl-C"
    assert "stopped" in lab.stdout.read()
