"""Committed notebooks hold no secrets: no access key ids, secret keys, seeds or passwords."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from helpers.defaults import PHONE_BACKUP_PASSWORD, PHONE_PIN
from helpers.sandbox.credentials import root_credentials

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
            ("root secret", root_credentials().secret_access_key),
            ("backup password", PHONE_BACKUP_PASSWORD),
        ]
        if value in text
    ]
    return found


def qr_codes_in_images(path: Path) -> list[str]:
    """The text of every QR code in the notebook's stored images (a QR code can be a seed)."""
    notebook = json.loads(path.read_text())
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                image = Image.open(io.BytesIO(base64.b64decode(data)))
                found += [code.text for code in zxingcpp.read_barcodes(image)]
    return found


def test_every_lesson_source_has_its_committed_notebook() -> None:
    sources = sorted(p.stem for p in (NOTEBOOKS[0].parent / "src").glob("*.py"))
    assert len(sources) == 8 and sorted(p.stem for p in NOTEBOOKS) == sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_outputs_hold_no_secrets(path: Path) -> None:
    assert find_leaks(outputs_text(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_images_hold_no_qr_code(path: Path) -> None:
    assert qr_codes_in_images(path) == []


def test_the_qr_detector_finds_a_qr_code_in_an_image_output(tmp_path: Path) -> None:
    import nbformat
    import qrcode

    buffer = io.BytesIO()
    qrcode.make("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").save(buffer, format="PNG")
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(buffer.getvalue()).decode()}
        )
    ]
    notebook.cells = [cell]
    nbformat.write(notebook, tmp_path / "leaky.ipynb")
    assert qr_codes_in_images(tmp_path / "leaky.ipynb") == [
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"
    ]


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_phone_pin_is_never_shown_as_a_pin(path: Path) -> None:
    """Four digits are too common to search for alone: look for them next to the word PIN."""
    shown = re.compile(rf"PIN\W{{0,12}}{PHONE_PIN}(?!\d)", re.IGNORECASE)
    assert not shown.search(outputs_text(path))
