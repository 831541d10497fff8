"""``python -m helpers.status`` — the account's security status, for terminals, logs and CI.

Which account: with AWS_* settings in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE or
AWS_ENDPOINT_URL, e.g. after ``eval "$(python -m helpers.sandbox env)"``) the one they point
at, through boto3's usual credential chain; otherwise the tutorial's sandbox (started if
needed). ``--target`` chooses explicitly. Only read-only IAM calls are made.

Exit status: 0 when all five console items pass (with ``--require cis``: when no CIS control
fails; with ``--require none``: always), 1 when not, 2 when the account could not be checked
(unreachable, no credentials, or none of the five items readable).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from helpers.i18n import _
from helpers.status.check import check_account
from helpers.status.model import Report

ENV_SIGNS = ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_ENDPOINT_URL")


def choose_target(target: str, environ: dict[str, str] | None = None) -> str:
    """ "env" or "sandbox": "auto" means env when AWS_* settings are present."""
    environ = os.environ if environ is None else environ
    if target != "auto":
        return target
    return "env" if any(environ.get(name) for name in ENV_SIGNS) else "sandbox"


def iam_client_for(target: str) -> Any:
    """An IAM client for the chosen target."""
    if target == "env":
        return boto3.Session().client("iam")
    from helpers.connect import connect

    return connect("sandbox", quiet=True).iam


def exit_code(report: Report, require: str) -> int:
    if require == "none":
        return 0
    if require == "cis":
        return 0 if report.cis_counts()["FAIL"] == 0 else 1
    return 0 if report.console_ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.status",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    parser.add_argument(
        "--target",
        choices=("auto", "env", "sandbox"),
        default="auto",
        help=_(
            "env: the AWS_* environment / boto3 defaults; sandbox: the tutorial's sandbox; "
            "auto (default): env when AWS_* settings are present, else sandbox"
        ),
    )
    parser.add_argument(
        "--require",
        choices=("console", "cis", "none"),
        default="console",
        help=_("what must pass for exit status 0 (default: the five console items)"),
    )
    parser.add_argument(
        "--brief", action="store_true", help=_("text form without reasons and fixes")
    )
    args = parser.parse_args(argv)

    try:
        iam = iam_client_for(choose_target(args.target))
        report = check_account(iam)
    except (ClientError, BotoCoreError, RuntimeError) as error:
        print(_("Could not check the account:"), error, file=sys.stderr)
        return 2
    print(report.as_json() if args.json else report.as_text(details=not args.brief))
    if all(finding.status == "MANUAL" for finding in report.console):
        print(_("Could not read the account (see the errors above)."), file=sys.stderr)
        return 2
    return exit_code(report, args.require)


if __name__ == "__main__":
    sys.exit(main())
