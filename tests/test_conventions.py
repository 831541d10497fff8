"""The test suite keeps its own rules (issue 17, "Tests that prove what they claim").

- Every sandbox test module that checks refusals names its AWS pages (``AWS_DOC``, see
  tests/conftest.py) and checks each refusal with its message, never by code and status alone.
- No test asserts on elapsed time (``benchmarks/`` measures speed).
- No test skips silently: a skip that depends on a tool must fail under ``CI=true``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SANDBOX_TESTS = sorted((TESTS / "sandbox").glob("test_*.py"))
# This module names the patterns it looks for, so it leaves itself out.
ALL_TESTS = sorted(
    p
    for p in TESTS.rglob("test_*.py")
    if "browser" not in p.parts and p.name != Path(__file__).name
)


def _module_constant(path: Path, name: str) -> object | None:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return None


def _calls_refused(path: Path) -> bool:
    return "refused(" in path.read_text()


@pytest.mark.parametrize("path", [p for p in SANDBOX_TESTS if _calls_refused(p)], ids=str)
def test_sandbox_test_modules_name_their_aws_pages(path: Path) -> None:
    pages = _module_constant(path, "AWS_DOC")
    assert isinstance(pages, tuple) and pages, f"{path.name} has no AWS_DOC tuple"
    for page in pages:
        assert re.fullmatch(r"https://docs\.aws\.amazon\.com/\S+\.html", page), page


# A refusal checked by code and status alone: ``code, status, _ = refused(`` or
# ``refused(...)[:2]``.
_PARTIAL = re.compile(r"code, status, _ = refused\(|refused\([^\n]*\)\[:2\]")


@pytest.mark.parametrize("path", SANDBOX_TESTS, ids=str)
def test_refusals_are_checked_with_their_message(path: Path) -> None:
    partial = [
        f"{path.name}:{number}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _PARTIAL.search(line)
    ]
    assert partial == []


_TIMING = re.compile(r"perf_counter\(\)|process_time\(\)")


@pytest.mark.parametrize("path", ALL_TESTS, ids=str)
def test_no_test_asserts_on_elapsed_time(path: Path) -> None:
    assert not _TIMING.search(path.read_text()), f"{path.name}: move timings to benchmarks/"


def test_the_checks_above_can_fail(tmp_path: Path) -> None:
    """The patterns recognise what they must refuse."""
    assert _PARTIAL.search("    code, status, _ = refused(iam.get_user, UserName='x')")
    assert _PARTIAL.search("    assert refused(iam.get_user)[:2] == ('NoSuchEntity', 404)")
    assert not _PARTIAL.search("    assert refused(iam.get_user) == NO_SUCH_USER")
    assert _TIMING.search("begin = time.perf_counter()")
    module = tmp_path / "test_example.py"
    module.write_text('AWS_DOC = ("https://docs.aws.amazon.com/IAM/latest/x.html",)\n')
    assert _module_constant(module, "AWS_DOC") == ("https://docs.aws.amazon.com/IAM/latest/x.html",)
    module.write_text("OTHER = 1\n")
    assert _module_constant(module, "AWS_DOC") is None


_SKIP = re.compile(r"pytest\.skip\(|pytest\.mark\.skip\b|importorskip|skipif")


@pytest.mark.parametrize("path", ALL_TESTS, ids=str)
def test_every_skip_fails_in_ci(path: Path) -> None:
    """A test module that can skip must also know CI (``CI`` in the environment), where a
    missing tool is a failure, not a skip."""
    text = path.read_text()
    if _SKIP.search(text):
        assert 'os.environ.get("CI"' in text and "raise" in text, path.name
