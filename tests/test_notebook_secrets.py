"""Committed notebooks hold no secrets: no access key ids, secret keys, seeds or passwords."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.defaults import PHONE_BACKUP_PASSWORD, PHONE_PIN
from helpers.sandbox.constants import ROOT_SECRET_ACCESS_KEY

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

LEAKS = {
    "access key id": re.compile(r"(?<![A-Z0-9])(AKIA|ASIA)(?!IOSFODNN7EXAMPLE)[A-Z0-9]{16}"),
    "secret access key": re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
    "MFA seed (base32)": re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{32,}(?![A-Za-z0-9])"),
    "otpauth secret": re.compile(r"secret=[A-Z2-7]{16,}"),
}


def outputs_text(path: Path) -> str:
    """Every output of every cell (text, HTML, JSON, widget state), as one string."""
    notebook = json.loads(path.read_text())
    parts = [json.dumps(cell.get("outputs", [])) for cell in notebook["cells"]]
    parts.append(json.dumps(notebook.get("metadata", {}).get("widgets", {})))
    return "\n".join(parts)


def find_leaks(text: str) -> list[str]:
    found = [name for name, pattern in LEAKS.items() if pattern.search(text)]
    found += [
        name
        for name, value in [
            ("root secret", ROOT_SECRET_ACCESS_KEY),
            ("backup password", PHONE_BACKUP_PASSWORD),
        ]
        if value in text
    ]
    return found


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_outputs_hold_no_secrets(path: Path) -> None:
    assert find_leaks(outputs_text(path)) == []


@pytest.mark.parametrize(
    "leak",
    [
        "AKIA" + "Q" * 16,
        "ASIA" + "Z3" * 8,
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYZZZZZZZZZZ",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
        PHONE_BACKUP_PASSWORD,
    ],
)
def test_the_detector_finds_each_kind_of_secret(leak: str) -> None:
    assert find_leaks(f"some output {leak} more output") != []


def test_the_detector_lets_masked_values_and_the_docs_example_key_pass() -> None:
    assert find_leaks("AKIAIOSFODNN7EXAMPLE AKIA••••••••WXYZ wJal•••••••• 123456 root") == []
    assert PHONE_PIN  # the PIN is 4 digits: too common to search for; it is never printed
