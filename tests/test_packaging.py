"""pyproject.toml and environment.yml must not drift apart."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI's, and PyPI extras conda spells out as packages.
CONDA_EXTRA = {"pip", "python", "flask", "flask-cors"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)", requirement)
    assert match, requirement
    return match.group(1).lower(), match.group(3).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    requirements = project["dependencies"] + extras["test"] + extras["workshop"]
    return dict(_split(r) for r in requirements)


def environment_requirements() -> dict[str, str]:
    found: dict[str, str] = {}
    text = (REPO / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = re.match(r"\s+- (?!-e )([A-Za-z0-9_.-]+.*)$", line)
        if item and not item.group(1).endswith(":"):
            name, spec = _split(
                item.group(1).replace("=", "==", 1)
                if re.match(r"[\w.-]+=[\d]", item.group(1))
                else item.group(1)
            )
            found[name] = spec
    return found


def test_every_dependency_is_in_both_files_with_the_same_bounds() -> None:
    pypi = pyproject_requirements()
    conda = {k: v for k, v in environment_requirements().items() if k not in CONDA_EXTRA}
    assert conda == pypi


def test_moto_is_pinned_to_one_minor_series() -> None:
    spec = pyproject_requirements()["moto"]
    assert re.fullmatch(r">=5\.2\.\d+,<5\.3", spec), spec


def test_environment_installs_this_repository() -> None:
    text = (REPO / "environment.yml").read_text()
    assert "- -e ." in text and "conda-forge" in text and "name: aws-mfa-tutorial" in text
