"""Shared by the form tests (test_forms*.py): fake actions, AWS-shaped errors, widget trees."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers.forms.style import to_text


def client_error(code: str, message: str = "refused", status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "Test",
    )


class Recorder:
    """A fake action: records each call's arguments, returns ``answer`` or raises ``error``."""

    def __init__(self, answer: Any = None, error: Exception | None = None) -> None:
        self.calls: list[tuple] = []
        self.kwargs: list[dict] = []
        self.answer = answer
        self.error = error

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        self.kwargs.append(kwargs)
        if self.error is not None:
            raise self.error
        return self.answer


def descendants(root: widgets.Widget) -> Iterator[widgets.Widget]:
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(getattr(widget, "children", ()))


def shown_text(root: widgets.Widget, skip: tuple[type, ...] = (widgets.Password,)) -> str:
    """Everything the widgets put on screen as text (HTML as its plain text), except inside
    ``skip`` widgets. Hidden rows count too."""
    parts = []
    for widget in descendants(root):
        if isinstance(widget, skip):
            continue
        for name in ("value", "description", "placeholder", "tooltip"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                parts.append(value)
        for option in getattr(widget, "options", ()) or ():
            parts.append(str(option))
    return to_text("\n".join(parts))
