"""No committed picture holds a readable QR code: the QR code of a virtual MFA device holds its
secret key (issue 13, §3: "QR blurred"). The README's screenshots are made by the browser tests
(``TUTORIAL_DOCS_SCREENSHOTS=1``, see tests/browser/test_lessons.py), which blur the code; this
checks what is committed, screenshots and notebook outputs alike, with the same QR reader the
virtual phone uses.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import nbformat
import pytest
import qrcode
import zxingcpp
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = sorted((REPO / "docs").rglob("*.png"))
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def readable_qr_codes(picture: Image.Image) -> list[str]:
    """The QR codes zxing-cpp reads in ``picture`` (it tries harder: rotated, scaled down)."""
    return [
        found.text
        for found in zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def notebook_pictures(path: Path) -> list[tuple[str, Image.Image]]:
    """Every PNG or JPEG output stored in the notebook at ``path``: (where, picture)."""
    found = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg"):
                if mime in output.get("data", {}):
                    data = base64.b64decode(output["data"][mime])
                    found.append((f"cell {index}", Image.open(io.BytesIO(data)).convert("RGB")))
    return found


def test_the_qr_reader_reads_a_code_in_a_screenshot_sized_picture() -> None:
    """The check below can fail: an unblurred code on a white page is read."""
    page = Image.new("RGB", (988, 515), "white")
    page.paste(qrcode.make("otpauth://totp/AWS:test?secret=JBSWY3DPEHPK3PXP").get_image(), (12, 20))
    assert readable_qr_codes(page) == ["otpauth://totp/AWS:test?secret=JBSWY3DPEHPK3PXP"]


def test_the_readme_shows_committed_screenshots() -> None:
    shown = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", (REPO / "README.md").read_text())
    assert shown, "the README shows no screenshot"
    assert [name for name in shown if not (REPO / name).is_file()] == []


@pytest.mark.parametrize("path", SCREENSHOTS, ids=lambda p: p.name)
def test_no_readable_qr_code_in_a_screenshot(path: Path) -> None:
    with Image.open(path) as picture:
        assert readable_qr_codes(picture.convert("RGB")) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_readable_qr_code_in_a_notebook_output(path: Path) -> None:
    readable = [where for where, picture in notebook_pictures(path) if readable_qr_codes(picture)]
    assert readable == []
