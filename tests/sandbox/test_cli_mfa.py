"""The same MFA rules through the AWS CLI, as a learner would type them in a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from helpers.sandbox.console import SandboxConsole
from helpers.sandbox.constants import ACCOUNT_ID, REGION
from helpers.sandbox.credentials import root_credentials
from tests.sandbox.test_mfa import code_at, two_codes, wrong

AWS = Path(sys.executable).parent / "aws"


def aws(
    endpoint: str, *args: str, key: str | None = None, secret: str | None = None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID=key or root_credentials().access_key_id,
        AWS_SECRET_ACCESS_KEY=secret or root_credentials().secret_access_key,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return subprocess.run(
        [str(AWS), *args, "--output", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def device(sandbox, tmp_path: Path) -> dict:
    """A user alice and a virtual MFA device made with the CLI (QR code and seed to files)."""
    assert aws(sandbox.endpoint, "iam", "create-user", "--user-name", "alice").returncode == 0
    qr = tmp_path / "qr.png"
    made = aws(
        sandbox.endpoint,
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "alice-phone",
        "--outfile",
        str(qr),
        "--bootstrap-method",
        "QRCodePNG",
    )
    assert made.returncode == 0, made.stderr
    serial = json.loads(made.stdout)["VirtualMFADevice"]["SerialNumber"]
    uri = zxingcpp.read_barcodes(Image.open(qr))[0].text
    secret = uri.split("secret=", 1)[1].split("&", 1)[0]
    return {"serial": serial, "uri": uri, "seed": secret}


def test_cli_writes_a_scannable_qr_code(device: dict) -> None:
    assert device["serial"] == f"arn:aws:iam::{ACCOUNT_ID}:mfa/alice-phone"
    assert device["uri"].startswith(
        f"otpauth://totp/Amazon%20Web%20Services:alice-phone@{ACCOUNT_ID}?secret="
    )
    assert len(device["seed"]) == 64


def test_cli_writes_the_seed_for_manual_entry(sandbox, tmp_path: Path) -> None:
    seed_file = tmp_path / "seed.txt"
    made = aws(
        sandbox.endpoint,
        "iam",
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "typed-in",
        "--outfile",
        str(seed_file),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    assert made.returncode == 0, made.stderr
    seed = seed_file.read_text().strip()
    assert len(seed) == 64 and seed.isalnum() and seed.isupper()


def test_cli_enable_with_a_wrong_code(sandbox, device: dict) -> None:
    code1, code2 = two_codes(device["seed"])
    done = aws(
        sandbox.endpoint,
        "iam",
        "enable-mfa-device",
        "--user-name",
        "alice",
        "--serial-number",
        device["serial"],
        "--authentication-code1",
        code1,
        "--authentication-code2",
        wrong(code2),
    )
    assert done.returncode != 0
    assert "InvalidAuthenticationCode" in done.stderr


def test_cli_enable_then_delete_is_a_conflict(sandbox, device: dict) -> None:
    code1, code2 = two_codes(device["seed"])
    enabled = aws(
        sandbox.endpoint,
        "iam",
        "enable-mfa-device",
        "--user-name",
        "alice",
        "--serial-number",
        device["serial"],
        "--authentication-code1",
        code1,
        "--authentication-code2",
        code2,
    )
    assert enabled.returncode == 0, enabled.stderr
    deleted = aws(
        sandbox.endpoint, "iam", "delete-virtual-mfa-device", "--serial-number", device["serial"]
    )
    assert deleted.returncode != 0 and "DeleteConflict" in deleted.stderr


def test_cli_session_token_with_mfa(sandbox, iam, device: dict) -> None:
    code1, code2 = two_codes(device["seed"])
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=device["serial"],
        AuthenticationCode1=code1,
        AuthenticationCode2=code2,
    )
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    as_alice = {"key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
    denied = aws(
        sandbox.endpoint,
        "sts",
        "get-session-token",
        "--serial-number",
        device["serial"],
        "--token-code",
        wrong(code_at(device["seed"])),
        **as_alice,
    )
    assert denied.returncode != 0 and "AccessDenied" in denied.stderr
    granted = aws(
        sandbox.endpoint,
        "sts",
        "get-session-token",
        "--serial-number",
        device["serial"],
        "--token-code",
        code_at(device["seed"]),
        **as_alice,
    )
    assert granted.returncode == 0, granted.stderr
    assert json.loads(granted.stdout)["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_cli_sees_root_mfa(sandbox) -> None:
    console = SandboxConsole(sandbox.endpoint)
    started = console.start_root_mfa()
    code1, code2 = two_codes(started["Base32StringSeed"].decode())
    console.enable_root_mfa(started["SerialNumber"], code1, code2)
    summary = aws(sandbox.endpoint, "iam", "get-account-summary")
    assert json.loads(summary.stdout)["SummaryMap"]["AccountMFAEnabled"] == 1
