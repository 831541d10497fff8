"""Lesson 00 (start here): the setup check (versions, where the notebook is connected, whether
widgets render)."""

from __future__ import annotations

import platform
import unicodedata
from importlib import metadata
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from helpers.i18n import N_, _

if TYPE_CHECKING:
    from helpers.status import Report

PACKAGES = ("boto3", "botocore", "ipywidgets", "jupyterlab", "jupyterlab_widgets")

WIDGETS_OK = N_(
    "✓ Interactive widgets work here: the forms, the phone and the checklist will show."
)
WIDGETS_MISSING = N_(
    "✗ This front end shows widgets as plain text, so the forms, the virtual phone and the "
    "checklist will not appear. Open the notebook in JupyterLab started by `make lab`, or "
    "install the widget extension into the Jupyter that serves this page: "
    "`pip install jupyterlab_widgets` (JupyterLab) or `pip install widgetsnbextension` "
    "(classic Notebook), then reload the page."
)


def versions() -> dict[str, str]:
    """Python's and the key packages' versions ("not installed" when missing)."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = _("not installed")
    return found


def where(aws: Any) -> str:
    """Which account the connection talks to, and for the sandbox where it runs."""
    if not aws.is_sandbox:
        return _("a real AWS account ({account}), through boto3's usual credentials").format(
            account=aws.account_id
        )
    from helpers.sandbox import control

    state = control.find_running()
    if state is None:  # connect() started it, so this only happens if it was stopped since
        return _("the sandbox (not running now: run the first cell again)")
    # Its address, process and start time differ on every run: the status command shows them.
    return _(
        "the sandbox, running on this machine (where and since when: "
        "`.venv/bin/python -m helpers.sandbox status` in a terminal)"
    )


def setup_report(aws: Any) -> str:
    """The setup check as text: versions, then where the notebook is connected."""
    lines = [f"{name:<20} {version}" for name, version in versions().items()]
    label = _pad(_("connected to"), 20)
    lines.append(f"{label} {where(aws)}")
    return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns (a wide character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


class WidgetCheck(widgets.HTML):
    """A green line when the front end renders widgets. A front end without the widget
    extension falls back to the plain text, which then says what to install."""

    def __init__(self) -> None:
        text = _(WIDGETS_OK)
        super().__init__(f'<div style="color:#1d8102;font-weight:600;font-size:14px">{text}</div>')

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = _(WIDGETS_MISSING)
        return bundle


# Lessons 00 and 01 change nothing in the account: item 1 passes on a new account.
ITEMS = ("console.root_access_keys", "cis.1.3")


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
