"""Files like the console's downloads (credentials CSVs), written 0600 to a git-ignored folder."""

from __future__ import annotations

import csv
import io
import os
import warnings
from pathlib import Path

from helpers.paths import write_private

REPO = Path(__file__).resolve().parent.parent
DOWNLOADS = REPO / "notebooks" / "downloads"


def downloads_dir() -> Path:
    """``notebooks/downloads`` (git-ignored); ``TUTORIAL_DOWNLOADS_DIR`` overrides it."""
    folder = Path(os.environ.get("TUTORIAL_DOWNLOADS_DIR") or DOWNLOADS)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def write_csv(name: str, header: list[str], row: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(row)
    return write_private(downloads_dir() / name, buffer.getvalue())


def write_secret_csv(
    name: str,
    header: list[str],
    row: list[str],
    *,
    real_account: bool = False,
    allow_write: bool = False,
) -> Path | None:
    """``write_csv`` for a file holding a secret. In the sandbox it is always written (as
    before). On a real account only when ``allow_write`` says so, with a warning: a real
    credential on disk is yours to protect. Returns the path, or None when not written."""
    if real_account and not allow_write:
        print(
            f"Not saved: {name} would hold a real secret. Copy it now (it is shown once), or "
            "pass allow_write=True to save it in a file only you can read."
        )
        return None
    path = write_csv(name, header, row)
    if real_account:
        warnings.warn(
            f"A real credential was saved to {path} (mode 0600). Move it to a password "
            "manager and delete the file; anyone who reads it can act as this user.",
            stacklevel=3,
        )
    return path


def read_csv(name: str) -> dict[str, str] | None:
    path = downloads_dir() / name
    if not path.exists():
        return None
    rows = list(csv.DictReader(path.read_text().splitlines()))
    return rows[0] if rows else None


def access_keys_file(user_name: str) -> str:
    return f"{user_name}_accessKeys.csv"


def credentials_file(user_name: str) -> str:
    return f"{user_name}_credentials.csv"


def credentials_files() -> list[Path]:
    """The downloaded credentials files (every user's access keys and password CSVs)."""
    folder = downloads_dir()
    patterns = (access_keys_file("*"), credentials_file("*"))
    return sorted(path for pattern in patterns for path in folder.glob(pattern))
