"""``python -m helpers.sandbox start|status|env|reset|stop`` — the learner's local AWS account.

``eval "$(python -m helpers.sandbox env)"`` makes the AWS CLI or any boto3 script talk to the
sandbox as the account's root user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
from pathlib import Path

from helpers.paths import state_dir
from helpers.sandbox import control
from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.credentials import root_credentials


def env_lines(endpoint: str, folder: Path | None = None) -> list[str]:
    """Shell lines that point AWS clients at the sandbox, signed in as root (with this
    sandbox's own random root keys)."""
    root = root_credentials(folder)
    values = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": root.access_key_id,
        "AWS_SECRET_ACCESS_KEY": root.secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }
    lines = [f"export {name}={shlex.quote(value)}" for name, value in values.items()]
    lines.append("unset AWS_SESSION_TOKEN AWS_PROFILE")
    return lines


def _since(started_at: str) -> str:
    started = dt.datetime.fromisoformat(started_at)
    seconds = int((dt.datetime.now(dt.UTC) - started).total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{started_at} ({hours} h {rest // 60} min ago)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.sandbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start", help="start the sandbox, or reuse the running one")
    start.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: a free one)"
    )
    commands.add_parser("status", help="say whether the sandbox runs, where, and since when")
    commands.add_parser("env", help="print export lines for the AWS CLI and boto3 (as root)")
    reset = commands.add_parser("reset", help="empty the sandbox account")
    reset.add_argument(
        "--phone",
        action="store_true",
        help="also forget the virtual phone (its accounts, PIN and backup password)",
    )
    commands.add_parser("stop", help="stop the sandbox server")
    args = parser.parse_args(argv)

    try:
        if args.command == "start":
            state = control.start(port=args.port)
            print(f"Sandbox account {ACCOUNT_ID} runs at (process {state.pid}):")
            print(state.endpoint)
        elif args.command == "status":
            state = control.find_running()
            if state is None:
                print(f"The sandbox is not running (state folder {state_dir()}).")
                return 1
            print(f"The sandbox is running at {state.endpoint} (process {state.pid}),")
            print(f"since {_since(state.started_at)}; state folder {state.state_dir}.")
        elif args.command == "env":
            state = control.start()
            print("\n".join(env_lines(state.endpoint, Path(state.state_dir))))
        elif args.command == "reset":
            state = control.reset()
            print(f"Sandbox account {ACCOUNT_ID} at {state.endpoint} is empty again.")
            if args.phone:
                from helpers.authenticator import forget_phone

                forget_phone()
                print("The virtual phone is forgotten too.")
        elif args.command == "stop":
            if control.stop():
                print("The sandbox is stopped.")
            else:
                print("The sandbox was not running.")
    except control.SandboxError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
