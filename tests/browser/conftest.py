"""One JupyterLab (on a copy of notebooks/, with its own sandbox) and one headless Chromium per
test session; a new page per test, and fresh kernels after each test.

Without Chromium the browser tests skip, saying how to install it, except in CI (``CI=true``),
where they fail: a skipped browser test proves nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.lab import (
    CHROMIUM_ARGS,
    FAIL_MESSAGE,
    SKIP_MESSAGE,
    VIEWPORT,
    LabServer,
    RunningLab,
    find_chromium,
    launch_lab,
    missing_browser_action,
    screenshot,
    shutdown_kernels,
    stop_lab,
    wait_for_lab,
)

PAGE_ERRORS = pytest.StashKey[list[str]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """When a browser test fails: a screenshot of the page as it was, the page's script errors
    and the end of JupyterLab's log, in the failure report."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and isinstance(page, Page):
        try:
            shot: Path | str = screenshot(page, f"FAILED-{item.name}")
        except Exception as error:  # the page may be gone
            shot = f"(no screenshot: {error})"
        lab = item.funcargs.get("lab")
        log = lab.log_tail() if isinstance(lab, LabServer) else "(no Lab)"
        errors = item.stash.get(PAGE_ERRORS, [])
        report.sections.append(
            ("browser", f"screenshot: {shot}\npage errors: {errors}\n--- lab.log ---\n{log}")
        )
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Chromium's path; skips (or, in CI, fails) the browser tests when there is none."""
    path = find_chromium(os.environ)
    if path is None:
        if missing_browser_action(os.environ) == "fail":
            pytest.fail(FAIL_MESSAGE, pytrace=False)
        pytest.skip(SKIP_MESSAGE)
    return path


@pytest.fixture(scope="session")
def lab_process(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLab]:
    """JupyterLab as ``make lab`` starts it, on a temporary copy of notebooks/ and a fresh
    sandbox of its own, still booting; stopped (with the sandbox) at the end of the session."""
    running = launch_lab(tmp_path_factory.mktemp("browser-lab"))
    try:
        yield running
    finally:
        stop_lab(running)


@pytest.fixture(scope="session")
def lab(lab_process: RunningLab, browser: Browser) -> LabServer:
    """The running JupyterLab (Chromium starts while it boots)."""
    return wait_for_lab(lab_process)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for the session, so JupyterLab's scripts come from the browser's cache
    after the first page (each page still opens a clean workspace: see lab.open_lab)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(
    lab: LabServer, browser_context: BrowserContext, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A new page (1400×1000); afterwards every kernel is shut down, so each test starts from
    fresh kernels. A failure report shows a screenshot's path
    (test-artifacts/screenshots/FAILED-*.png), the page's errors and the end of Lab's log."""
    page = browser_context.new_page()
    errors = request.node.stash.setdefault(PAGE_ERRORS, [])
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        page.close()
        shutdown_kernels(lab)
