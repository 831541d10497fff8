"""The sandbox server process: moto's server behind the layer that makes it answer like AWS.

Started by ``helpers.sandbox.control`` (``python -m helpers.sandbox start``), never imported by a
notebook kernel. It prints one ``READY <endpoint>`` line on stdout once it answers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import signal
import socket
import sys
import threading

from helpers.sandbox.constants import ACCOUNT_ID

# AWS's managed policies (AdministratorAccess, PowerUserAccess, ...) always exist on AWS;
# moto loads them only when this is set before it is imported.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
# One account per sandbox. Without this, moto finds the account of each request by scanning the
# IAM backends of all five partitions, creating each (with its 1,500 managed policies) on the way.
os.environ["MOTO_ACCOUNT_ID"] = ACCOUNT_ID

from moto.moto_api._internal.models import moto_api_backend  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402

from helpers.paths import state_dir  # noqa: E402
from helpers.sandbox.layer import AwsLayer, moto_speedups, moto_state  # noqa: E402
from helpers.sandbox.state import SandboxState, clear_state, read_state, write_state  # noqa: E402

HOST = "127.0.0.1"


def reset_moto() -> None:
    moto_api_backend.reset()
    moto_state.warm()


def bind(app: AwsLayer, port: int):
    try:
        return make_server(HOST, port, app, threaded=True)
    except (OSError, SystemExit) as error:
        if port == 0 or getattr(error, "errno", errno.EADDRINUSE) not in (errno.EADDRINUSE, None):
            raise
        print(
            f"Port {port} is already taken by another program; using a free port instead.",
            file=sys.stderr,
        )
        return make_server(HOST, 0, app, threaded=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args(argv)

    folder = state_dir()
    moto_speedups.install()
    moto_state.warm()
    app = AwsLayer(
        DomainDispatcherApplication(create_backend_app), reset_moto, {"state_dir": str(folder)}
    )
    server = bind(app, args.port)
    host, port = server.server_address[:2]
    state = SandboxState(
        pid=os.getpid(),
        host=str(host),
        port=int(port),
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        state_dir=str(folder),
    )
    write_state(state, folder)

    def shut_down(signum: int, frame: object) -> None:
        recorded = read_state(folder)
        if recorded is not None and recorded.pid == os.getpid():
            clear_state(folder)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)

    print(f"READY {state.endpoint}", flush=True)
    # Our starter stops reading after READY: from now on, output goes to the log (stderr).
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    socket.setdefaulttimeout(None)
    server.serve_forever()


if __name__ == "__main__":
    main()
