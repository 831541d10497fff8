"""Finding Chromium, and what happens without it: skip on a learner's machine, fail in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.lab import CHROMIUM_ENV, find_chromium, missing_browser_action

REPO = Path(__file__).resolve().parents[2]


def fake_chromium(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "chromium"
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_override_wins_and_a_missing_override_hides_the_browser(tmp_path: Path) -> None:
    chromium = fake_chromium(tmp_path)
    assert find_chromium({CHROMIUM_ENV: str(chromium)}) == str(chromium)
    assert find_chromium({CHROMIUM_ENV: "/nonexistent", "PATH": str(tmp_path)}) is None
    (tmp_path / "not-executable").write_text("")
    assert find_chromium({CHROMIUM_ENV: str(tmp_path / "not-executable")}) is None


def test_debian_chromium_comes_first_then_chromium_on_path(tmp_path: Path) -> None:
    debian = fake_chromium(tmp_path / "usr-bin")
    on_path = fake_chromium(tmp_path / "local-bin")
    env = {"PATH": f"/nonexistent:{on_path.parent}"}
    assert find_chromium(env, debian=str(debian)) == str(debian)
    assert find_chromium(env, debian="/nonexistent") == str(on_path)
    assert find_chromium({"PATH": "/nonexistent"}, debian="/nonexistent") is None
    assert find_chromium({}, debian="/nonexistent") is None  # no PATH: nothing on it


@pytest.mark.parametrize(
    ("env", "action"),
    [
        ({}, "skip"),
        ({"CI": ""}, "skip"),
        ({"CI": "false"}, "skip"),
        ({"CI": "true"}, "fail"),
        ({"CI": "True"}, "fail"),
        ({"CI": "1"}, "fail"),
    ],
)
def test_missing_browser_fails_in_ci_and_skips_elsewhere(env: dict[str, str], action: str) -> None:
    assert missing_browser_action(env) == action


def start_browser_test_without_chromium(ci: str | None) -> subprocess.Popen[str]:
    """pytest on one browser test, in a child process, with Chromium hidden (without the nbval
    plugin, which is slow to import and not needed here)."""
    env = dict(os.environ, **{CHROMIUM_ENV: "/nonexistent"})
    env.pop("CI", None)
    if ci is not None:
        env["CI"] = ci
    test = "tests/browser/test_lab_smoke.py::test_start_here_opens_cleanly_and_runs_all_cells"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:nbval",
            test,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_without_chromium_ci_fails_and_a_learner_is_told_how_to_get_it() -> None:
    in_ci, at_home = (
        start_browser_test_without_chromium("true"),
        start_browser_test_without_chromium(None),
    )
    ci_output, _ = in_ci.communicate(timeout=120)
    home_output, _ = at_home.communicate(timeout=120)

    assert in_ci.returncode == 1, ci_output
    assert ci_output.strip().splitlines()[-1].startswith("1 error in "), ci_output
    assert "Chromium not found, and CI=true" in ci_output

    assert at_home.returncode == 0, home_output
    assert home_output.strip().splitlines()[-1].startswith("1 skipped in "), home_output
    assert "sudo apt-get install chromium" in home_output
