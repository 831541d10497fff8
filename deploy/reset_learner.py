"""Reset one learner: an empty sandbox, the original lessons, their own work kept aside.

    python -m deploy.reset_learner NAME     (as root, on the hub's host; the trainer)

1. The sandbox account is emptied: reset in place when it runs (open notebooks keep working,
   on an empty account), otherwise nothing to do (the next start is empty; a sandbox is never
   started here, outside the learner's server).
2. ``~/aws-mfa-tutorial`` (their edited lessons and downloads), the virtual phone and the
   progress note move to ``~/before-reset-<date>T<time>/``, not lost; the original lessons are
   copied in again. The sandbox's root keys stay.

Everything in the learner's home is done by a process running as the learner.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from deploy.class_data import sandbox_up
from deploy.learners import Learner, run_as

REPO = Path(__file__).resolve().parent.parent


def reset(
    learner: Learner,
    python: str = sys.executable,
    notebooks: Path = REPO / "notebooks",
    runtime_env: dict[str, str] | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Reset ``learner``; the folder their previous work was moved to."""
    runtime_env = runtime_env or {}
    if sandbox_up(learner):
        run_as(learner, [python, "-m", "helpers.sandbox", "reset"], runtime_env)
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H%M%S")
    moved = run_as(
        learner,
        [python, "-m", "deploy.learner_files", "set-aside", str(notebooks), stamp],
        runtime_env,
    )
    return Path(moved.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.reset_learner",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="the learner's user name")
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=REPO / "notebooks",
        help="the original lessons (default: this installation's)",
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("Run this as root on the hub's host (it acts as the learner).", file=sys.stderr)
        return 2
    try:
        learner = Learner.named(args.name)
    except KeyError:
        print(f"No such user: {args.name}", file=sys.stderr)
        return 2
    runtime_env = {k: v for k, v in os.environ.items() if k == "LD_LIBRARY_PATH"}
    kept = reset(learner, notebooks=args.notebooks, runtime_env=runtime_env)
    print(f"{args.name}: empty sandbox, original lessons; their previous work is in {kept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
