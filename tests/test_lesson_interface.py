"""Every lesson module has the same small interface, and shared pieces live where they belong."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from helpers.forms import layout
from helpers.status import check_account

LESSONS = sorted(
    p.stem for p in (Path(__file__).parents[1] / "helpers" / "lessons").glob("lesson_*.py")
)


@pytest.fixture
def aws(sandbox):
    from helpers.connect import connect

    return connect(quiet=True)


def test_there_is_a_module_per_lesson() -> None:
    assert LESSONS == [f"lesson_0{n}" for n in range(8)]


@pytest.mark.parametrize("name", LESSONS)
def test_each_lesson_has_items_of_a_report(name: str, aws) -> None:
    module = importlib.import_module(f"helpers.lessons.{name}")
    assert isinstance(module.ITEMS, tuple) and module.ITEMS
    assert list(inspect.signature(module.items).parameters) == ["report"]
    lines = module.items(check_account(aws.iam)).splitlines()
    assert len(lines) == len(module.ITEMS)
    assert all(line.startswith(("[PASS] ", "[FAIL] ")) for line in lines)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_modules_neither_install_the_handler_nor_import_other_lessons(name: str) -> None:
    source = (Path(__file__).parents[1] / "helpers" / "lessons" / f"{name}.py").read_text()
    assert "install_notebook_handler" not in source
    imported = [
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert not [module for module in imported if module.startswith("helpers.lessons.lesson_")]


def test_notebook_sources_leave_the_handler_to_connect() -> None:
    sources = (Path(__file__).parents[1] / "notebooks" / "src").glob("*.py")
    assert not [p.name for p in sources if "install_notebook_handler" in p.read_text()]


def test_connect_installs_the_friendly_handler(monkeypatch) -> None:
    module = importlib.import_module("helpers.connect")
    calls = []
    monkeypatch.setattr(module, "install_notebook_handler", lambda: calls.append(1))
    module.connect(quiet=True)
    assert calls == [1]


def test_screen_and_phone_keeps_the_qr_at_its_width() -> None:
    qr = layout.qr_or_note(None)
    row = layout.screen_and_phone(qr, layout.note("phone"))
    assert qr.layout.width == "420px"
    assert [child.layout.flex for child in row.children] == ["0 0 auto", "0 0 auto"]


def test_what_a_lesson_imports_leaves_moto_out() -> None:
    import subprocess
    import sys

    code = (
        "import sys, helpers, helpers.connect, helpers.catchup, helpers.status.widget, "
        "helpers.status.diagram, helpers.forms.cleanup_panel, helpers.cleanup\n"
        + "".join(f"import helpers.lessons.{name}\n" for name in LESSONS)
        + "print(sorted(m for m in sys.modules if m == 'moto' or m.startswith('moto.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_functions_stay_functions_after_their_modules_are_imported() -> None:
    import helpers
    import helpers.catchup
    import helpers.connect  # noqa: F401

    assert callable(helpers.connect) and callable(helpers.catch_up)
    assert helpers.connect.__module__ == "helpers.connect"
