"""Two real learners on one host (docs/workshop.md, "Isolation"): B can neither read A's
files nor use A's sandbox with any key B can get.

Each learner works as the tutorial does (``helpers.connect()`` and the catch-up of every lesson,
which makes the phone, the root MFA, the IAM user and its downloaded credentials), under the
ordinary umask 022, so the modes checked are the ones the tutorial itself sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deploy.learner_files import install
from deploy.learners import Learner, run_as
from deploy.runtime import Runtime
from tests.workshop.conftest import private

WORK_THROUGH_THE_TUTORIAL = """
import json, helpers
aws = helpers.connect()
helpers.catch_up(aws, lesson=7)
print(json.dumps({"status": helpers.security_status(aws), "account": aws.account_id}))
"""

TRY_TO_READ = """
import json, sys
from pathlib import Path
results = {}
for name in sys.argv[1:]:
    path = Path(name)
    try:
        if path.is_dir():
            list(path.iterdir())
        else:
            path.read_bytes()
        results[name] = "read"
    except PermissionError:
        results[name] = "refused"
    except FileNotFoundError:
        results[name] = "not found"
print(json.dumps(results))
"""

USE_ANOTHER_SANDBOX = """
import json, sys, urllib.request, urllib.error
import boto3
from botocore.exceptions import ClientError
from helpers.sandbox import control
from helpers.sandbox.credentials import root_credentials
endpoint = sys.argv[1]
own = root_credentials()   # B's own sandbox keys: all B has
answers = {}
for service, call in (("sts", "get_caller_identity"), ("iam", "list_users")):
    client = boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=own.access_key_id,
                          aws_secret_access_key=own.secret_access_key)
    try:
        getattr(client, call)()
        answers[call] = "answered"
    except ClientError as error:
        answers[call] = error.response["Error"]["Code"]
for path in ("/_sandbox/reset", "/_sandbox/console/root-status"):
    answers[path] = control.post(endpoint, path, credentials=own).get("error", {}).get("code")
try:
    urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=5)
    answers["/moto-api/"] = "answered"
except urllib.error.HTTPError as error:
    answers["/moto-api/"] = error.code
answers["health"] = control.health(endpoint)
print(json.dumps(answers))
"""


def as_learner(learner: Learner, runtime: Runtime, code: str, *args: str) -> dict:
    done = run_as(
        learner,
        [str(runtime.python), "-c", code, *args],
        runtime.environment,
        timeout=180,
        umask=0o022,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def stop_sandbox(learner: Learner, runtime: Runtime) -> None:
    run_as(learner, [str(runtime.python), "-m", "helpers.sandbox", "stop"], runtime.environment)


@pytest.fixture
def two_learners(make_learner, runtime: Runtime):
    """A and B, each through the whole tutorial (catch-up to lesson 07) in their own sandbox."""
    a, b = make_learner(), make_learner()
    for learner in (a, b):
        run_as(
            learner,
            [str(runtime.python), "-m", "deploy.learner_files", "install", str(runtime.notebooks)],
            runtime.environment,
        )
        worked = as_learner(learner, runtime, WORK_THROUGH_THE_TUTORIAL)
        assert worked["status"] == "Security status 5/5"
    try:
        yield a, b
    finally:
        for learner in (a, b):
            stop_sandbox(learner, runtime)


def everything_under(*folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        found.append(folder)
        found += sorted(folder.rglob("*"))
    return found


def test_what_the_tutorial_writes_is_the_learners_alone(two_learners) -> None:
    a, _ = two_learners
    written = everything_under(a.state_dir, a.downloads_dir)
    names = {path.name for path in written}
    # The tutorial really wrote its secrets here: the sandbox keys, the phone, the CSVs.
    for expected in (
        "root-credentials.json",
        "sandbox.json",
        "sandbox.log",
        "phone.json",
        "phone-backup.json",
        "progress.json",
    ):
        assert expected in names
    assert any(name.endswith("_accessKeys.csv") for name in names)
    assert any(name.endswith("_credentials.csv") for name in names)
    loose = [f"{path} {oct(path.lstat().st_mode)}" for path in written if not private(path)]
    assert loose == []
    assert private(a.home)
    for path in written:
        assert path.lstat().st_uid == a.uid


def test_b_cannot_read_as_files(two_learners, runtime) -> None:
    a, b = two_learners
    targets = [
        a.home,
        a.tutorial_dir,
        a.state_dir,
        a.downloads_dir,
        *everything_under(a.state_dir, a.downloads_dir, a.tutorial_dir),
    ]
    answers = as_learner(b, runtime, TRY_TO_READ, *map(str, targets))
    assert set(answers.values()) == {"refused"}, answers
    # The check itself works: B reads B's own files.
    own = as_learner(b, runtime, TRY_TO_READ, str(b.state_dir / "phone.json"))
    assert set(own.values()) == {"read"}


def test_b_cannot_use_as_sandbox_with_bs_keys(two_learners, runtime) -> None:
    a, b = two_learners
    state = json.loads((a.state_dir / "sandbox.json").read_text())
    assert state["host"] == "127.0.0.1"
    endpoint = f"http://127.0.0.1:{state['port']}"
    answers = as_learner(b, runtime, USE_ANOTHER_SANDBOX, endpoint)
    assert answers["get_caller_identity"] == "InvalidClientTokenId"
    assert answers["list_users"] == "InvalidClientTokenId"
    assert answers["/_sandbox/reset"] == "AccessDenied"
    assert answers["/_sandbox/console/root-status"] == "AccessDenied"
    assert answers["/moto-api/"] == 403
    health = json.dumps(answers["health"])
    assert answers["health"]["pid"] == state["pid"]
    keys = json.loads((a.state_dir / "root-credentials.json").read_text())
    assert keys["AccessKeyId"] not in health and keys["SecretAccessKey"] not in health


def listening_addresses(port: int) -> list[str]:
    """Local addresses with a TCP socket listening on ``port`` (/proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_the_sandbox_listens_on_loopback_only(two_learners) -> None:
    a, _ = two_learners
    state = json.loads((a.state_dir / "sandbox.json").read_text())
    assert listening_addresses(state["port"]) == ["0100007F"]  # 127.0.0.1, and nothing else


def test_install_keeps_a_learners_edited_notebook(tmp_path: Path, runtime) -> None:
    first = install(runtime.notebooks, tmp_path)
    assert "00_start_here.ipynb" in first
    (tmp_path / "aws-mfa-tutorial" / "00_start_here.ipynb").write_text("edited")
    assert install(runtime.notebooks, tmp_path) == []
    assert (tmp_path / "aws-mfa-tutorial" / "00_start_here.ipynb").read_text() == "edited"
