"""Helpers for driving JupyterLab in a real browser, the way a learner does.

Plain functions, so the lesson tests can read like the lesson: open a notebook by its URL, wait
for its kernel, Run → Run All Cells, then look at what the page shows (outputs, widgets, images),
type into a widget's text box, click a widget's button and read the answer.

What the learner does goes through the page (URL, menu, clicks, typing). Only *waiting* asks
JupyterLab itself (``window.jupyterapp``, exposed by ``--LabApp.expose_app_in_browser``): whether
the notebook's kernel is idle is not shown reliably in the page (the toolbar reads "idle" before
the kernel has even started).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from playwright.sync_api import Locator, Page

from helpers.lab import NOTEBOOKS, REPO, free_port, install_lab_settings, lab_command
from helpers.sandbox import control

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# --- finding the browser ---------------------------------------------------------------------

CHROMIUM_ENV = "TUTORIAL_CHROMIUM"  # a Chromium binary to use instead of the one found
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's own sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}

SKIP_MESSAGE = (
    "Chromium not found: the browser tests (JupyterLab as a learner sees it) need it. "
    "On Debian/Ubuntu: `sudo apt-get install chromium`, then `make test`. "
    f"{CHROMIUM_ENV}=/path/to/chromium points at another Chromium."
)
FAIL_MESSAGE = (
    "Chromium not found, and CI=true: in CI the browser tests must run, not be skipped. "
    "Install it (`apt-get install -y chromium`; .ci/run does this before `make test`)"
    f" or set {CHROMIUM_ENV}=/path/to/chromium."
)


def _executable(path: str | None) -> bool:
    return path is not None and os.path.isfile(path) and os.access(path, os.X_OK)


def find_chromium(env: Mapping[str, str], debian: str = DEBIAN_CHROMIUM) -> str | None:
    """The Chromium to drive: ``$TUTORIAL_CHROMIUM`` when set (even if it does not exist: that
    is how a test hides the browser), else Debian's ``/usr/bin/chromium``, else ``chromium``
    on ``env``'s PATH. Playwright's own downloaded browsers are never used."""
    override = env.get(CHROMIUM_ENV)
    if override:
        return override if _executable(override) else None
    candidates = [debian, shutil.which("chromium", path=env.get("PATH", ""))]
    return next((path for path in candidates if path and _executable(path)), None)


def missing_browser_action(env: Mapping[str, str]) -> Literal["skip", "fail"]:
    """Without Chromium: CI must fail (a skipped browser test proves nothing); a learner's or
    developer's machine skips, with a message saying how to get it."""
    return "fail" if env.get("CI", "").strip().lower() in {"true", "1", "yes"} else "skip"


# --- the JupyterLab server -------------------------------------------------------------------


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab (on a copy of notebooks/) and its private sandbox."""

    base_url: str  # http://127.0.0.1:PORT
    token: str
    notebook_dir: Path  # a temporary copy of notebooks/: tests may add or change files here
    state_dir: Path  # TUTORIAL_STATE_DIR of Lab and its kernels
    log: Path  # JupyterLab's own output

    def url(self, path: str, **query: str) -> str:
        """``path`` on this server with the token (and ``query``) in the query string."""
        parts = [
            f"{key}={urllib.parse.quote(value)}" if value else key for key, value in query.items()
        ]
        parts.append(f"token={self.token}")
        return f"{self.base_url}/{path.lstrip('/')}?{'&'.join(parts)}"

    def api(self, method: str, path: str, timeout: float = 10.0) -> Any:
        """Call Jupyter Server's REST API; the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class RunningLab:
    server: LabServer
    process: subprocess.Popen[bytes]


def lab_browser_command(port: int, token: str, notebook_dir: Path) -> list[str]:
    """``make lab``'s command (helpers.lab.lab_command) on ``notebook_dir``, without opening a
    browser, with the app exposed to the page as ``window.jupyterapp`` (for waiting only)."""
    command = lab_command(port, token, open_browser=False, notebook_dir=notebook_dir)
    return [*command, "--LabApp.expose_app_in_browser=True"]


def launch_lab(workdir: Path) -> RunningLab:
    """Start JupyterLab the way ``make lab`` does, on a copy of notebooks/ in ``workdir``, with
    state, settings and workspaces of its own, and a fresh sandbox while Lab boots. Does not
    wait for Lab to answer: see ``wait_for_lab``."""
    notebook_dir = workdir / "notebooks"
    shutil.copytree(
        NOTEBOOKS,
        notebook_dir,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "downloads"),
    )
    state_dir = workdir / "state"
    state_dir.mkdir(mode=0o700)
    install_lab_settings()  # as `make lab`: the overrides (no news prompt) live in the venv
    port, token = free_port(0), secrets.token_hex(16)
    env = dict(
        os.environ,
        TUTORIAL_STATE_DIR=str(state_dir),
        TUTORIAL_DOWNLOADS_DIR=str(workdir / "downloads"),
        TUTORIAL_TARGET="sandbox",  # never a real account, whatever the shell says
        JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"),  # not the developer's ~/.jupyter
        JUPYTERLAB_SETTINGS_DIR=str(workdir / "lab-user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(workdir / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(workdir / "jupyter-runtime"),
        # Not ~/.local/share/jupyter: the notebooks a test trusts (nbsignatures.db) stay its own.
        JUPYTER_DATA_DIR=str(workdir / "jupyter-data"),
    )
    log = workdir / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            lab_browser_command(port, token, notebook_dir),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = RunningLab(
        LabServer(f"http://127.0.0.1:{port}", token, notebook_dir, state_dir, log), process
    )
    try:
        control.start(state_dir)
    except BaseException:
        stop_lab(running)
        raise
    return running


def wait_for_lab(running: RunningLab, timeout_s: float = 90.0) -> LabServer:
    """Wait until JupyterLab answers; stops it (and the sandbox) and fails if it does not."""
    server, process = running.server, running.process
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            server.api("GET", "api/status", timeout=2)
            return server
        except (OSError, ValueError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_lab(running)
            why = "exited" if process.returncode is not None else f"no answer in {timeout_s:.0f} s"
            raise RuntimeError(f"JupyterLab did not start ({why}):\n{server.log_tail()}")
        time.sleep(0.1)


def start_lab(workdir: Path, timeout_s: float = 90.0) -> RunningLab:
    """``launch_lab`` and ``wait_for_lab``."""
    running = launch_lab(workdir)
    wait_for_lab(running, timeout_s)
    return running


def shutdown_kernels(server: LabServer) -> None:
    """End every notebook session and kernel, so the next test starts from fresh kernels."""
    try:
        for session in server.api("GET", "api/sessions") or []:
            server.api("DELETE", f"api/sessions/{session['id']}", timeout=30)
        for kernel in server.api("GET", "api/kernels") or []:
            server.api("DELETE", f"api/kernels/{kernel['id']}", timeout=30)
    except (OSError, ValueError):
        pass  # Lab is gone already; stopping it ends its kernels


def stop_lab(running: RunningLab) -> None:
    """Stop the kernels, JupyterLab and the sandbox."""
    process = running.process
    if process.poll() is None:
        shutdown_kernels(running.server)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    control.stop(running.server.state_dir)


def reset_sandbox(server: LabServer) -> None:
    """Empty the sandbox account behind this Lab (a lesson test that wants a new account)."""
    control.reset(server.state_dir)


# --- waiting ---------------------------------------------------------------------------------

T = TypeVar("T")


def poll(check: Callable[[], T], timeout_s: float, what: str, interval_s: float = 0.1) -> T:
    """``check()``'s first truthy answer, tried every ``interval_s``; fails after ``timeout_s``
    saying ``what`` was awaited and the last answer."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Timed out after {timeout_s:.0f} s waiting for {what}: {answer!r}"
            )
        time.sleep(interval_s)


# --- the page --------------------------------------------------------------------------------

_APP = "window.jupyterapp"
_WIDGET_BY_PATH = """(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  const widget = [...app.shell.widgets('main')].find((w) => w.context && w.context.path === path);
  return widget ? widget.id : null;
}"""
_KERNEL_STATE = """(id) => {
  const widget = [...window.jupyterapp.shell.widgets('main')].find((w) => w.id === id);
  const context = widget && widget.sessionContext;
  const kernel = context && context.session && context.session.kernel;
  if (!kernel) return context ? 'no kernel (yet): ' + context.kernelDisplayName : 'no tab';
  return kernel.status + '/' + kernel.connectionStatus;
}"""
_RUN_STATE = """(panel) => ({
  prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map((p) => p.textContent.trim()),
  indicator: (panel.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}})
    .dataset.status || '',
})"""
_OUTPUTS = """(panel) => [...panel.querySelectorAll('.jp-OutputArea-output')]
  .map((o) => ({mime: o.dataset.mimeType || '', text: o.textContent}))"""
_DIALOGS = """() => [...document.querySelectorAll('.jp-Dialog')].map((d) => ({
  title: (d.querySelector('.jp-Dialog-header') || d).textContent.trim(),
  text: d.textContent.trim(),
}))"""
_TOASTS = """() => [...document.querySelectorAll('.Toastify__toast')]
  .filter((t) => t.offsetParent !== null)
  .map((t) => t.textContent.trim())"""


@dataclass(frozen=True)
class Notebook:
    """A notebook open in the page: ``panel`` is its tab's content (toolbar, cells, outputs)."""

    page: Page
    name: str
    panel_id: str

    @property
    def panel(self) -> Locator:
        return self.page.locator(f"[id='{self.panel_id}']")


def open_lab(page: Page, server: LabServer, path: str = "lab", timeout_s: float = 60.0) -> None:
    """Go to ``path`` (``?reset``: a clean workspace, no tabs from earlier tests) and wait until
    JupyterLab has started and restored its layout."""
    page.goto(server.url(path, reset=""), wait_until="domcontentloaded")
    page.wait_for_function(_APP, timeout=timeout_s * 1000)
    page.evaluate(
        "async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }"
    )


def open_notebook(page: Page, server: LabServer, name: str, timeout_s: float = 90.0) -> Notebook:
    """Open ``name`` by its URL (as `make lab` prints it) and wait until its kernel is idle,
    accepting a "Select Kernel" dialog should one come up."""
    open_lab(page, server, f"lab/tree/{name}", timeout_s)
    panel_id = poll(lambda: page.evaluate(_WIDGET_BY_PATH, name), timeout_s, f"the tab of {name}")
    notebook = Notebook(page, name, panel_id)
    wait_for_kernel_idle(notebook, timeout_s)
    return notebook


def follow_link(notebook: Notebook, name: str, timeout_s: float = 90.0) -> Notebook:
    """Click the link to notebook ``name`` in ``notebook``'s text (the lessons end with
    "**Next:** [...](NAME)"), as a learner does: JupyterLab opens it in a new tab of the same
    page, no reload. Waits until its kernel is idle."""
    page = notebook.page
    link = notebook.panel.locator(f'.jp-RenderedMarkdown a[href*="/{name}"]').last
    link.scroll_into_view_if_needed()
    link.click()
    panel_id = poll(lambda: page.evaluate(_WIDGET_BY_PATH, name), timeout_s, f"the tab of {name}")
    following = Notebook(page, name, panel_id)
    wait_for_kernel_idle(following, timeout_s)
    return following


def shut_down_kernel(notebook: Notebook, timeout_s: float = 30.0) -> None:
    """Kernel → Shut Down Kernel for the notebook on show (its tab stays open, kernel-less),
    accepting a confirmation should one come up."""
    page = notebook.page
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Kernel$")).click()
    page.locator('.lm-Menu-item[data-command="kernelmenu:shutdown"]').click()

    def gone() -> bool:
        if dialogs(page):
            page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").first.click()
        return page.evaluate(_KERNEL_STATE, notebook.panel_id).startswith("no kernel")

    poll(gone, timeout_s, f"the kernel of {notebook.name} to shut down", interval_s=0.2)


def is_kernel_choice(dialog: dict[str, str]) -> bool:
    """JupyterLab's "Select Kernel" dialog (a notebook whose kernel it does not know)."""
    title = dialog["title"].lower()
    return "select" in title and "kernel" in title


def wait_for_kernel_idle(notebook: Notebook, timeout_s: float = 60.0) -> None:
    """Wait until the notebook's kernel has started and is idle. A "Select Kernel" dialog is
    accepted (its default is the notebook's own kernel); any other dialog fails the test, as it
    would stand in a learner's way."""
    page, state = notebook.page, ""

    def idle() -> bool:
        nonlocal state
        for dialog in dialogs(page):
            if not is_kernel_choice(dialog):
                raise AssertionError(f"A dialog came up opening {notebook.name}: {dialog}")
            page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").first.click()
        state = page.evaluate(_KERNEL_STATE, notebook.panel_id)
        return state == "idle/connected"

    try:
        poll(idle, timeout_s, f"the kernel of {notebook.name} to be idle", interval_s=0.2)
    except AssertionError as error:
        raise AssertionError(f"{error} (kernel: {state})") from None


def dialogs(page: Page) -> list[dict[str, str]]:
    """JupyterLab's open dialogs: title and full text of each."""
    return page.evaluate(_DIALOGS)


def dismiss_dialogs(page: Page) -> list[str]:
    """Close open dialogs: accept "Select Kernel", cancel any other (Cancel, else Escape).
    Returns the titles of the dialogs closed."""
    closed = []
    for dialog in dialogs(page):
        box = page.locator(".jp-Dialog").first
        accept = is_kernel_choice(dialog)
        button = box.locator(".jp-Dialog-button.jp-mod-accept" if accept else ".jp-mod-reject")
        if button.count():
            button.first.click()
        else:
            page.keyboard.press("Escape")
        closed.append(dialog["title"])
    return closed


def toasts(page: Page) -> list[str]:
    """The text of every notification toast on show (bottom right)."""
    return page.evaluate(_TOASTS)


def run_all_cells(notebook: Notebook, timeout_s: float = 120.0) -> None:
    """Run → Run All Cells from the menu bar, then wait until every cell has finished."""
    page = notebook.page
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    wait_until_cells_finished(notebook, timeout_s)


_ACTIVE_CELL = """(panel) => [...panel.querySelectorAll('.jp-Notebook .jp-Cell')]
  .findIndex((cell) => cell.classList.contains('jp-mod-active'))"""


def cells(notebook: Notebook) -> Locator:
    """Every cell of the notebook, markdown and code, in order (index 0 is the first cell)."""
    return notebook.panel.locator(".jp-Notebook .jp-Cell")


def cell(notebook: Notebook, index: int) -> Locator:
    """The cell at ``index`` (counting markdown cells too, as in the .ipynb file)."""
    return cells(notebook).nth(index)


def cell_index(notebook: Notebook, text_or_index: str | int) -> int:
    """``text_or_index`` itself, or the index of the first cell whose input shows that text
    (a code cell's source or a rendered markdown cell; give text from the cell's first lines:
    an editor draws only the lines near the screen)."""
    if isinstance(text_or_index, int):
        return text_or_index
    texts = cells(notebook).evaluate_all(
        "(cells) => cells.map((c) => (c.querySelector('.jp-Cell-inputWrapper') || c).textContent)"
    )
    for index, text in enumerate(texts):
        if text_or_index in text:
            return index
    raise AssertionError(f"No cell of {notebook.name} shows {text_or_index!r}")


def active_cell_index(notebook: Notebook) -> int:
    """The index of the selected cell (-1 when none is)."""
    return notebook.panel.evaluate(_ACTIVE_CELL)


def run_cells_until(
    notebook: Notebook,
    text_or_index: str | int,
    timeout_s: float = 120.0,
    *,
    start: str | int = 0,
) -> Locator:
    """Run the notebook as a learner does, Shift+Enter cell after cell, from the cell ``start``
    (the top by default) up to and including the cell ``text_or_index`` (see ``cell_index``);
    wait until they have finished. Returns that cell. The cells after it are not run (unlike
    Run All), nor those before ``start`` (a widget the learner filled in stays as it is)."""
    target = cell_index(notebook, text_or_index)
    first_index = cell_index(notebook, start)
    page = notebook.page
    first = cell(notebook, first_index)
    first.scroll_into_view_if_needed()
    first.locator(".jp-InputPrompt").first.click()  # selects the cell, without editing it
    page.keyboard.press("Escape")  # command mode, whatever the click did
    poll(
        lambda: active_cell_index(notebook) == first_index,
        10,
        f"cell {first_index} of {notebook.name} to be selected",
    )
    while (active := active_cell_index(notebook)) <= target:
        page.keyboard.press("Shift+Enter")  # run the cell, select the next one
        poll(
            lambda before=active: active_cell_index(notebook) != before,
            10,
            f"Shift+Enter to move on from cell {active} of {notebook.name}",
        )
    wait_until_cells_finished(notebook, timeout_s)
    return cell(notebook, target)


def cell_prompts(notebook: Notebook) -> list[str]:
    """The code cells' prompts: "[3]:" ran, "[*]:" running or queued, "[ ]:" not run."""
    return notebook.panel.evaluate(_RUN_STATE)["prompts"]


def wait_until_cells_finished(notebook: Notebook, timeout_s: float = 120.0) -> None:
    """Wait until no cell is running or queued and the kernel is idle (seen twice in a row, so
    a pause between two cells does not count). A dialog meanwhile (say, the kernel died) fails
    at once with its text."""
    seen_done = 0

    def finished() -> bool:
        nonlocal seen_done
        if open_dialogs := dialogs(notebook.page):
            raise AssertionError(f"A dialog came up while {notebook.name} ran: {open_dialogs}")
        state = notebook.panel.evaluate(_RUN_STATE)
        prompts = state["prompts"]
        done = (
            state["indicator"] == "idle"
            and not any("*" in prompt for prompt in prompts)
            and (not prompts or re.fullmatch(r"\[\d+\]:", prompts[0]) is not None)
        )
        seen_done = seen_done + 1 if done else 0
        return seen_done >= 2

    poll(finished, timeout_s, f"all cells of {notebook.name} to finish", interval_s=0.2)


# --- what the page shows ---------------------------------------------------------------------


def outputs(notebook: Notebook) -> list[dict[str, str]]:
    """Every output shown: its MIME type (``data-mime-type``) and text."""
    return notebook.panel.evaluate(_OUTPUTS)


def output_text(notebook: Notebook) -> str:
    """All the outputs' text (printed lines, results, widgets), one after the other."""
    return "\n".join(output["text"] for output in outputs(notebook))


def tracebacks(notebook: Notebook) -> list[str]:
    """Error outputs: JupyterLab shows an exception as a stderr output with the traceback."""
    return [text for text in stderr_outputs(notebook) if "Traceback" in text]


def stderr_outputs(notebook: Notebook) -> list[str]:
    """Every stderr output: tracebacks, warnings, logging, friendly error messages."""
    return [
        output["text"]
        for output in outputs(notebook)
        if output["mime"] == "application/vnd.jupyter.stderr"
    ]


_ERROR_BOXES = """(panel) => {
  const text = (box) => box.textContent.replace(/\\s+/g, ' ').trim();
  return [...panel.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, index) => [
    ...[...cell.querySelectorAll('.jp-OutputArea-output b')]
      .filter((b) => b.textContent.trim().startsWith('AWS refused:'))
      .map((b) => ({cell: index, kind: 'refusal', text: text(b.parentElement)})),
    ...[...cell.querySelectorAll('.jp-OutputArea-output .tut-exception')]
      .map((box) => ({cell: index, kind: 'exception', text: text(box)})),
  ]);
}"""


def error_boxes(notebook: Notebook) -> list[dict[str, Any]]:
    """Every friendly error box on show (AWS's refusal, "AWS refused: CODE ...", printed by a
    cell or in a form's status line; kind "refusal") and every exception a form or panel caught
    (its red line, class ``tut-exception``; kind "exception"): the index of the cell showing it
    (as in the .ipynb file), its kind and its text. A ``ClientError`` a cell does not catch
    shows as the box too, not as a traceback."""
    return notebook.panel.evaluate(_ERROR_BOXES)


def wait_for_output_text(notebook: Notebook, text: str, timeout_s: float = 30.0) -> str:
    """Wait until ``text`` shows among the outputs (a widget's answer, say); the outputs' text."""

    def shown() -> str | None:
        found = output_text(notebook)
        return found if text in found else None

    return poll(shown, timeout_s, f"{text!r} in the outputs of {notebook.name}")


def widgets(notebook: Notebook) -> Locator:
    """The ipywidgets on show (only there when the JupyterLab widget extension is installed)."""
    return notebook.panel.locator(".jp-OutputArea-output .jupyter-widgets")


def widget_images(notebook: Notebook) -> Locator:
    """``<img>`` elements of ipywidgets: an ``ipywidgets.Image`` (itself an ``<img
    class="jupyter-widgets widget-image">``) or a picture inside an HTML widget."""
    return notebook.panel.locator(
        ".jp-OutputArea-output :is(img.jupyter-widgets, .jupyter-widgets img)"
    )


def image_natural_width(image: Locator, timeout_s: float = 30.0) -> int:
    """Scroll ``image`` into view and wait until it has loaded a picture; its natural width
    in pixels (0 never comes back: a broken image times out)."""
    image.scroll_into_view_if_needed(timeout=timeout_s * 1000)
    return poll(
        lambda: image.evaluate("(img) => img.complete ? img.naturalWidth : 0"),
        timeout_s,
        "the image to load",
    )


def text_input(notebook: Notebook, label_or_placeholder: str) -> Locator:
    """A widget's text box (Text, Password, Textarea...) found by its placeholder or by its
    description label."""
    outputs_area = notebook.panel.locator(".jp-OutputArea-output")
    return (
        outputs_area.get_by_placeholder(label_or_placeholder, exact=True)
        .or_(outputs_area.get_by_label(label_or_placeholder, exact=True))
        .first
    )


def fill_text(notebook: Notebook, label_or_placeholder: str, value: str) -> None:
    """Type ``value`` into a widget's text box, as a learner would, and leave the box so a
    widget with ``continuous_update=False`` takes the value too."""
    box = text_input(notebook, label_or_placeholder)
    box.fill(value)
    box.dispatch_event("change")


def button(notebook: Notebook, text: str) -> Locator:
    """A widget button whose text is ``text`` (whole text, spaces aside)."""
    return notebook.panel.locator(".jp-OutputArea-output button.jupyter-button").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")
    )


def click_button(notebook: Notebook, text: str) -> None:
    """Click the widget button labelled ``text`` (waits until it is shown and enabled)."""
    button(notebook, text).click()


def read_text(locator: Locator) -> str:
    """The text of ``locator`` (a widget, an output...), whitespace collapsed."""
    return " ".join((locator.text_content() or "").split())


def screenshot(page: Page, name: str, mask: tuple[Locator, ...] = ()) -> Path:
    """Save what the page shows to test-artifacts/screenshots/NAME.png (git-ignored), with the
    elements of ``mask`` covered (a QR code holds a secret key)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), mask=list(mask))
    return path


def element_screenshot(
    locator: Locator,
    name: str,
    *,
    blur: tuple[Locator, ...] = (),
    caption: str = "",
    margin: int = 10,
) -> Path:
    """Save just ``locator`` (scrolled to mid-screen, with ``margin`` CSS pixels around it) to
    test-artifacts/screenshots/NAME.png, with each of ``blur`` (say, a QR code: it holds a
    secret) blurred beyond reading and ``caption`` written over the blurred part."""
    from PIL import Image, ImageDraw, ImageFilter  # only the tests that crop need PIL

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    # In the middle of the notebook's scroll area: the margin shows page, not the toolbar.
    locator.evaluate("(element) => element.scrollIntoView({block: 'center'})")
    outer = locator.bounding_box()
    assert outer is not None, f"{name}: the element is not on show"
    size = locator.page.viewport_size or VIEWPORT
    left, top = max(outer["x"] - margin, 0), max(outer["y"] - margin, 0)
    clip = {
        "x": left,
        "y": top,
        "width": min(outer["x"] + outer["width"] + margin, size["width"]) - left,
        "height": min(outer["y"] + outer["height"] + margin, size["height"]) - top,
    }
    locator.page.screenshot(path=str(path), clip=clip, animations="disabled", caret="hide")
    with Image.open(path) as shot:
        taken = shot.convert("RGB")
    scale = taken.width / clip["width"]  # device pixels per CSS pixel
    # The margin is plain white (the notebook's colour): neighbours' edges (a prompt, the
    # selected cell's bar) are left out.
    picture = Image.new("RGB", taken.size, "white")
    inside = tuple(
        round(value * scale)
        for value in (
            outer["x"] - left,
            outer["y"] - top,
            outer["x"] - left + outer["width"],
            outer["y"] - top + outer["height"],
        )
    )
    picture.paste(taken.crop(inside), inside[:2])
    draw = ImageDraw.Draw(picture)
    for part in blur:
        inner = part.bounding_box()
        assert inner is not None, f"{name}: a part to blur is not on show"
        box = tuple(
            round(value * scale)
            for value in (
                inner["x"] - left,
                inner["y"] - top,
                inner["x"] - left + inner["width"],
                inner["y"] - top + inner["height"],
            )
        )
        # Averaged down to 8×8 squares, then blurred: no module of the code survives.
        region = picture.crop(box).resize((8, 8)).resize((box[2] - box[0], box[3] - box[1]))
        picture.paste(region.filter(ImageFilter.GaussianBlur(12)), box[:2])
        if caption:
            _caption(draw, box, caption)
    picture.save(path, optimize=True)
    return path


def _caption(draw: Any, box: tuple[int, ...], text: str) -> None:
    """``text`` in a white band across the middle of ``box``, wrapped to its width."""
    from PIL import ImageFont

    font = ImageFont.load_default(size=14)
    width = box[2] - box[0] - 16
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    height = 18 * len(lines) + 12
    top = (box[1] + box[3] - height) // 2
    draw.rectangle((box[0], top, box[2], top + height), fill="white", outline="#6e7781")
    for number, line in enumerate(lines):
        draw.text((box[0] + 8, top + 6 + 18 * number), line, fill="#24292f", font=font)


DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"
DOCS_SCREENSHOTS_ENV = "TUTORIAL_DOCS_SCREENSHOTS"  # =1: tests refresh docs/screenshots/


def publish_screenshot(path: Path, docs_name: str) -> Path | None:
    """Copy a screenshot to docs/screenshots/DOCS_NAME when ``TUTORIAL_DOCS_SCREENSHOTS=1``
    (so a plain test run never changes committed files); the copy's path, else None."""
    if os.environ.get(DOCS_SCREENSHOTS_ENV, "").strip() not in {"1", "true", "yes"}:
        return None
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(path, DOCS_SCREENSHOTS / docs_name))


# --- notebooks -------------------------------------------------------------------------------


def write_notebook(path: Path, code_cells: list[str]) -> Path:
    """A notebook of ``code_cells`` with the lessons' kernel (python3), for scratch tests."""
    import nbformat  # slow to import (jsonschema): only when a test writes a notebook

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in code_cells],
        metadata={
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            }
        },
    )
    nbformat.write(notebook, path)
    return path
