"""``make lab``: start the learner's sandbox and JupyterLab on ``notebooks/``; Ctrl-C stops both."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from helpers import i18n
from helpers.i18n import _
from helpers.sandbox import control
from helpers.sandbox.constants import ACCOUNT_ID

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"

# Lab settings for the tutorial: no "get notified about Jupyter news?" prompt over the page.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
}


def install_lab_settings(prefix: Path = Path(sys.prefix)) -> Path:
    """Write the tutorial's JupyterLab overrides into this environment (idempotent, atomic)."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text()) if path.exists() else {}
    if all(current.get(key) == value for key, value in LAB_OVERRIDES.items()):
        return path
    current.update(LAB_OVERRIDES)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(current, indent=2) + "\n")
    os.replace(partial, path)
    return path


def start_page(language: str | None = None) -> str:
    """The first lesson of the edition in the learner's language (``TUTORIAL_LANG`` or the
    locale, as ``helpers.i18n`` chooses; English when that edition has no notebooks)."""
    language = language or i18n.current_language()
    first = NOTEBOOKS / language / "00_start_here.ipynb"
    return f"{language}/{first.name}" if language != i18n.ENGLISH and first.exists() else first.name


def free_port(preferred: int = 8888) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


def lab_command(
    port: int, token: str, open_browser: bool = True, notebook_dir: Path = NOTEBOOKS
) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--notebook-dir={notebook_dir}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if os.geteuid() == 0:  # containers and CI run as root; JupyterLab refuses without this
        command.append("--allow-root")
    return command


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C, a closed terminal or `kill` all end in the same clean stop of Lab and the sandbox,
    # even when started from a shell that ignores SIGINT for background jobs.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    install_lab_settings()
    state = control.start()
    print(
        _("Sandbox account {account} is running at {endpoint}").format(
            account=ACCOUNT_ID, endpoint=state.endpoint
        )
    )
    port, token = free_port(), secrets.token_hex(16)
    has_display = bool(os.environ.get("DISPLAY") or sys.platform == "darwin")
    lab = subprocess.Popen(
        lab_command(port, token, open_browser=has_display),
        cwd=REPO,
        start_new_session=True,  # Ctrl-C reaches us; we stop Lab cleanly
        stderr=subprocess.DEVNULL if os.environ.get("TUTORIAL_QUIET") else None,
    )
    url = f"http://127.0.0.1:{port}/lab/tree/{start_page()}?token={token}"
    print("\n  " + _("Open the tutorial:") + f"  {url}\n")
    print("  " + _("Press Ctrl-C to stop JupyterLab and the sandbox.") + "\n", flush=True)
    try:
        return lab.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if lab.poll() is None:
            lab.send_signal(signal.SIGTERM)
            try:
                lab.wait(timeout=15)
            except subprocess.TimeoutExpired:
                lab.kill()
        control.stop()
        print(_("JupyterLab and the sandbox are stopped."))


if __name__ == "__main__":
    sys.exit(main())
