"""Workshop mode's files agree with each other and with the project (no root needed): the
Kubernetes image and values, the one-host hub, the trainer's view and the progress note."""

from __future__ import annotations

import json
import re
import stat
import tomllib
from pathlib import Path

import yaml

from deploy.class_data import LearnerRow
from deploy.class_view import render
from deploy.learners import TUTORIAL_FOLDER
from helpers import progress
from helpers.sandbox.layer import moto_speedups

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = (REPO / "deploy" / "Dockerfile").read_text()
VALUES = yaml.safe_load((REPO / "deploy" / "z2jh-values.yaml").read_text())
HUB_CONFIG = (REPO / "deploy" / "jupyterhub_config.py").read_text()
MB = {"K": 1 / 1024, "M": 1, "G": 1024}


def megabytes(text: str) -> float:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG])", text).groups()
    return float(number) * MB[unit]


def test_the_image_uses_the_pythons_of_environment_yml_and_pyproject() -> None:
    conda_python = re.search(r"- python=(\d+\.\d+)", (REPO / "environment.yml").read_text())
    image_python = re.search(r"^FROM python:(\d+\.\d+)", DOCKERFILE, re.M)
    assert conda_python and image_python
    assert image_python.group(1) == conda_python.group(1)
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={image_python.group(1)}"


def test_the_image_installs_the_project_with_its_workshop_extra() -> None:
    # The same lists as environment.yml (tests/test_packaging.py compares those two).
    assert 'pip install --no-cache-dir "/opt/aws-mfa-tutorial[workshop]"' in DOCKERFILE
    assert "COPY . /opt/aws-mfa-tutorial" in DOCKERFILE
    hook = VALUES["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hook[-1] == "/opt/aws-mfa-tutorial/notebooks"
    assert VALUES["singleuser"]["image"]["name"].endswith("aws-mfa-tutorial-workshop")


def test_one_host_and_the_image_install_the_same_project_and_lab_settings() -> None:
    # deploy/install.sh is run for real by tests/workshop/test_install.py; the image's build
    # cannot run here (no Docker engine), so it must do the same two steps.
    install = (REPO / "deploy" / "install.sh").read_text()
    assert 'pip install --quiet "$PREFIX[workshop]"' in install
    settings = "from helpers.lab import install_lab_settings; install_lab_settings()"
    assert settings in install and settings in DOCKERFILE
    # The one-host venv is made by the system's python3, of the image's version on Debian 12.
    assert "PYTHON=/usr/bin/python3" in install
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", DOCKERFILE, re.M)


def test_the_image_leaves_out_secrets_and_local_environments() -> None:
    # Docker cleans each pattern (a trailing "/" is dropped): compare them the same way.
    ignored = {line.rstrip("/") for line in (REPO / ".dockerignore").read_text().split()}
    assert {".venv", ".git", "deploy/node_modules", "notebooks/downloads"} <= ignored
    gitignore = (REPO / ".gitignore").read_text()
    secrets = gitignore.split("# Secrets and learner state: never committed", 1)[1]
    secrets = [line.rstrip("/") for line in secrets.split("\n\n", 1)[0].split()]
    assert secrets and set(secrets) <= ignored, set(secrets) - ignored


def test_both_deployments_open_the_first_lesson_in_the_learners_copy() -> None:
    url = f"/lab/tree/{TUTORIAL_FOLDER}/00_start_here.ipynb"
    assert VALUES["singleuser"]["defaultUrl"] == url
    assert f'c.Spawner.default_url = "{url}"' in HUB_CONFIG
    downloads = f"/home/jovyan/{TUTORIAL_FOLDER}/downloads"
    assert VALUES["singleuser"]["extraEnv"]["TUTORIAL_DOWNLOADS_DIR"] == downloads


def test_memory_numbers_leave_room_for_a_learner_after_run_all() -> None:
    memory = VALUES["singleuser"]["memory"]
    # benchmarks/bench_footprint.py: about 250 MB with one lesson's kernel, 720 MB with all.
    assert 250 <= megabytes(memory["guarantee"]) <= 400
    assert megabytes(memory["limit"]) >= 800
    assert VALUES["cull"]["enabled"] and VALUES["cull"]["timeout"] <= 3600
    assert VALUES["prePuller"]["hook"]["enabled"] and VALUES["prePuller"]["continuous"]["enabled"]


def test_the_managed_policies_read_one_at_a_time_are_moto_s() -> None:
    from moto.iam import models as iam_models

    whole = json.loads(iam_models.aws_managed_policies_data)
    entries = dict(moto_speedups._entries(iam_models.aws_managed_policies_data))
    assert list(entries) == list(whole) and len(entries) > 1500
    assert entries == whole


def test_the_progress_note_is_private_and_keeps_the_highest_lesson(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(tmp_path))
    progress.record(lesson=4)
    progress.record(lesson=2)
    progress.record(checklist=3)
    note = tmp_path / progress.FILE_NAME
    data = json.loads(note.read_text())
    assert (data["lesson"], data["highest_lesson"], data["checklist"]) == (2, 4, 3)
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    assert not {"key", "secret", "password", "code"} & {k.lower() for k in data}


def test_the_class_view_page_escapes_names_and_refreshes() -> None:
    rows = [
        LearnerRow("ada", 3, 3, 2, "2026-12-02T10:00:00Z", True, True),
        LearnerRow("<b>x</b>", None, None, None, None, False, False),
    ]
    page = render(rows, "trainer")
    assert "http-equiv='refresh'" in page
    assert "03 of 07" in page and "2/5" in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert page.count("<tr>") == 3  # header + two learners
