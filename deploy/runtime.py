"""A Python environment every learner's Unix user can run: the tutorial's, made readable.

A hub runs each learner's server as that learner's Unix user, so the interpreter, the installed
packages and the tutorial must be readable by every user. A real host installs them in a shared
place (``deploy/install.sh``: ``/opt/aws-mfa-tutorial``). Tests and benchmarks run from a
checkout whose interpreter may sit in a private folder (pyenv under ``/root``, mode 0700): there
``build_runtime`` makes a readable copy next to them, with hard links where it can (same file
system: no copying, seconds), and a venv whose site-packages point at the project's packages.

    runtime = build_runtime(Path("/tmp/aws-mfa-workshop-runtime"))
    runtime.python   # run it as any user; `import helpers` gives this checkout's helpers
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What a learner's server needs from the checkout: the helpers and the lessons (not .git, .venv).
REPO_PARTS = ("helpers", "notebooks", "deploy", "pyproject.toml")


@dataclass(frozen=True)
class Runtime:
    root: Path
    python: Path  # the venv's interpreter
    repo: Path  # the readable copy of the tutorial (helpers/, notebooks/)
    environment: dict[str, str]  # what a process needs to run ``python`` (library path)

    @property
    def notebooks(self) -> Path:
        return self.repo / "notebooks"

    @property
    def bin(self) -> Path:
        return self.python.parent


def readable_by_all(path: Path) -> bool:
    """True when any user can reach ``path`` (every folder above it searchable by others) and
    read it."""
    path = path.resolve()
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat().st_mode
        needed = stat.S_IXOTH if folder.is_dir() else stat.S_IROTH
        if not mode & needed:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH)


def _copy_tree(source: Path, target: Path) -> None:
    """Hard links when ``target`` is on the same file system (instant), else a real copy."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    linked = subprocess.run(["cp", "-al", str(source), str(partial)], capture_output=True)
    if linked.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(source, partial, symlinks=True)
    os.replace(partial, target)


def _readable(path: Path, copy_to: Path) -> Path:
    if readable_by_all(path):
        return path
    _copy_tree(path, copy_to)
    return copy_to


def _copy_repo(target: Path) -> None:
    """A fresh copy of the tutorial's own files (small): always this checkout's version."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    ignore = shutil.ignore_patterns(
        "__pycache__", ".ipynb_checkpoints", "downloads", "node_modules"
    )
    for part in REPO_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, partial / part, ignore=ignore)
        else:
            shutil.copy2(source, partial / part)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)


def build_runtime(root: Path) -> Runtime:
    """Make (or refresh) a runtime under ``root`` that every user can run; idempotent."""
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    base = _readable(Path(sys.base_prefix), root / "python")
    packages = _readable(Path(sysconfig.get_paths()["purelib"]), root / "site-packages")
    venv = root / "venv"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if not (venv / "bin" / "python").exists():
        interpreter = base / "bin" / version
        subprocess.run(
            [str(interpreter), "-m", "venv", "--without-pip", str(venv)],
            check=True,
            capture_output=True,
        )
    repo = root / "repo"
    _copy_repo(repo)
    site = venv / "lib" / version / "site-packages"
    # Read in name order: the tutorial's copy comes first on sys.path, then the project's packages
    # (whose own .pth files, e.g. an editable install of another checkout, come after).
    (site / "00_tutorial_repo.pth").write_text(f"{repo}\n")
    (site / "10_tutorial_packages.pth").write_text(
        f"import site; site.addsitedir({str(packages)!r})\n"
    )
    # A copied interpreter still names its original library folder (RUNPATH); the copy's comes
    # first through LD_LIBRARY_PATH, which every child (kernel, sandbox) inherits.
    environment = {"LD_LIBRARY_PATH": str(base / "lib")} if base != Path(sys.base_prefix) else {}
    return Runtime(root=root, python=venv / "bin" / "python", repo=repo, environment=environment)


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/aws-mfa-workshop-runtime")
    runtime = build_runtime(target)
    print(runtime.python)


if __name__ == "__main__":
    main()
