"""Every pytest run (unit tests and nbval alike) gets a private state folder and so a private
sandbox: nbval's kernels inherit ``TUTORIAL_STATE_DIR``, and the learner's own sandbox and
virtual phone are never touched. The sandbox is stopped when the run ends."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_OWN_STATE_DIR: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _OWN_STATE_DIR
    if not os.environ.get("TUTORIAL_STATE_DIR"):
        _OWN_STATE_DIR = tempfile.mkdtemp(prefix="tutorial-test-state-")
        os.environ["TUTORIAL_STATE_DIR"] = _OWN_STATE_DIR
        os.environ.setdefault("TUTORIAL_DOWNLOADS_DIR", os.path.join(_OWN_STATE_DIR, "downloads"))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_STATE_DIR:
        from helpers.sandbox import control

        control.stop(Path(_OWN_STATE_DIR))
        shutil.rmtree(_OWN_STATE_DIR, ignore_errors=True)
