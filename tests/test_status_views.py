"""The three ways to see a report: the widget (buttons clicked), text and JSON, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from botocore.exceptions import ClientError

from helpers.sandbox.__main__ import env_lines
from helpers.sandbox.state import SandboxState
from helpers.status import StatusPanel, check_account
from helpers.status.__main__ import choose_target
from tests.test_status_sandbox import add_console_user

REPO = Path(__file__).resolve().parents[1]


# ----- the widget -----


def test_panel_shows_the_five_items_with_progress(iam: Any) -> None:
    panel = StatusPanel(SimpleNamespace(iam=iam))  # a Connection works the same: uses .iam
    assert "Security status 1/5" in panel.heading.value
    assert (panel.bar.value, panel.bar.max) == (1, 5)
    assert [row.finding.id for row in panel.rows][0] == "console.root_access_keys"
    assert len(panel.rows) == 5
    assert "✓" in panel.rows[0].mark.value and "#1a7f37" in panel.rows[0].mark.value
    assert "✗" in panel.row("console.root_mfa").mark.value
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].splitlines()[:2] == [
        "Security status 1/5",
        "  [PASS] Delete your root access keys",
    ]


def test_a_line_opens_to_its_reason_and_fix_and_closes(iam: Any) -> None:
    panel = StatusPanel(iam)
    row = panel.row("console.root_mfa")
    assert not row.expanded
    row.toggle.click()
    assert row.expanded
    assert "The root user has no MFA device." in row.details.value
    assert 'href="02_root_mfa.ipynb"' in row.details.value
    row.toggle.click()
    assert not row.expanded


def test_refresh_checks_the_account_again(iam: Any) -> None:
    panel = StatusPanel(iam)
    add_console_user(iam)
    assert "1/5" in panel.heading.value
    panel.refresh_button.click()
    assert "Security status 2/5" in panel.heading.value
    assert panel.bar.value == 2
    assert "✓" in panel.row("console.iam_users").mark.value


def test_switching_to_the_cis_view(iam: Any) -> None:
    panel = StatusPanel(iam)
    panel.view_switch.value = "cis"
    assert len(panel.rows) == 21
    assert panel.heading.value.startswith("<b>CIS v5.0 §1")
    manual = panel.row("cis.1.1")
    assert "?" in manual.mark.value
    manual.toggle.click()
    assert "account_maintain_current_contact_details" in manual.details.value
    panel.view_switch.value = "console"
    assert len(panel.rows) == 5


def test_a_failed_check_shows_the_error_and_keeps_the_last_result(iam: Any) -> None:
    answers = iter([check_account(iam)])

    def flaky(client: Any) -> Any:
        for report in answers:
            return report
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "ListUsers")

    panel = StatusPanel(iam, check=flaky)
    panel.refresh_button.click()
    assert "AccessDenied" in panel.message.value
    assert "1/5" in panel.heading.value
    assert not panel.refresh_button.disabled


# ----- text and JSON -----


def test_text_form(iam: Any) -> None:
    text = check_account(iam).as_text()
    assert text.startswith("Security status 1/5")
    assert "[PASS] Delete your root access keys" in text
    assert "[FAIL] Activate MFA on your root account" in text
    assert "Fix: 02_root_mfa.ipynb" in text
    assert "CIS AWS Foundations Benchmark v5.0, section 1" in text
    assert "[ ?? ] 1.1   Maintain current contact details" in text
    assert "Prowler: iam_password_policy_minimum_length_14" in text


def test_json_form(iam: Any) -> None:
    data = json.loads(check_account(iam).as_json())
    assert data["console"]["passed"] == 1
    assert data["console"]["total"] == 5
    assert data["console"]["summary"] == "Security status 1/5"
    findings = {f["id"]: f for f in data["cis"]["findings"]}
    assert len(findings) == 21
    assert findings["cis.1.7"] == {
        "id": "cis.1.7",
        "title": "Ensure IAM password policy requires minimum length of 14 or greater",
        "status": "FAIL",
        "reason": "The account has no password policy (AWS's default: 8).",
        "fix": "05_password_policy.ipynb",
        "advice": "Set the password policy's minimum length to 14 or more.",
        "cis": "1.7",
        "prowler": ["iam_password_policy_minimum_length_14"],
    }
    assert findings["cis.1.11"]["prowler"] == [
        "iam_user_accesskey_unused",
        "iam_user_console_access_unused",
    ]
    counts = data["cis"]
    assert counts["passed"] + counts["failed"] + counts["manual"] == 21


# ----- the CLI -----


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers.status", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def without_aws_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


def sandbox_env(endpoint: str) -> dict[str, str]:
    """The environment after ``eval "$(python -m helpers.sandbox env)"``."""
    env = without_aws_env()
    for line in env_lines(endpoint):
        if line.startswith("export "):
            name, value = line[len("export ") :].split("=", 1)
            env[name] = value.strip("'")
    return env


def test_cli_checks_the_aws_env_and_prints_json(sandbox: SandboxState) -> None:
    result = run_cli("--json", env=sandbox_env(sandbox.endpoint))
    assert result.returncode == 1, result.stderr  # 1/5: not all five items pass
    data = json.loads(result.stdout)
    assert data["console"]["passed"] == 1
    assert data["account_id"] == "123456789012"


def test_cli_defaults_to_the_sandbox_and_prints_text(sandbox: SandboxState) -> None:
    result = run_cli(env=without_aws_env())  # the test run's own sandbox (TUTORIAL_STATE_DIR)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("Security status 1/5")
    assert "Fix: 02_root_mfa.ipynb" in result.stdout
    brief = run_cli("--brief", "--require", "none", env=without_aws_env())
    assert brief.returncode == 0
    assert "Fix:" not in brief.stdout


def test_cli_exits_2_when_the_account_cannot_be_reached() -> None:
    env = without_aws_env() | {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
    }
    result = run_cli(env=env)
    assert result.returncode == 2
    assert "Could not check the account" in result.stderr


def test_choose_target() -> None:
    assert choose_target("auto", {}) == "sandbox"
    assert choose_target("auto", {"AWS_PROFILE": "work"}) == "env"
    assert choose_target("auto", {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}) == "env"
    assert choose_target("sandbox", {"AWS_PROFILE": "work"}) == "sandbox"


def _sanitized(text: str) -> str:
    """``text`` through tests/nbval_sanitize.cfg, read and applied as nbval does."""
    import re

    from nbval.plugin import get_sanitize_patterns

    config = (Path(__file__).parent / "nbval_sanitize.cfg").read_text()
    for regex, replace in get_sanitize_patterns(config):
        text = re.sub(regex, replace, text)
    return text


def test_score_after_a_lesson_compares_the_same_when_later_lessons_ran(iam: Any) -> None:
    report = check_account(iam)  # 1/5: no root access keys
    reached = report.console_summary_after(1)
    assert reached == "Security status 1/5: at least 1/5, as this lesson leaves it"
    missed = report.console_summary_after(2)
    assert missed == "Security status 1/5: below the 2/5 this lesson leaves"
    # nbval sees the same line at 1/5 and at 5/5, and a different one when the score is short.
    later = reached.replace("1/5:", "5/5:", 1)
    assert (
        _sanitized(reached)
        == _sanitized(later)
        == "Security status N/5: at least 1/5, as this lesson leaves it"
    )
    assert _sanitized(missed) == missed



def test_score_after_a_lesson_in_japanese_is_masked_the_same_way(iam: Any) -> None:
    from helpers import i18n

    i18n.use_language("ja")
    try:
        report = check_account(iam)  # 1/5: no root access keys
        reached, missed = report.console_summary_after(1), report.console_summary_after(2)
    finally:
        i18n.use_language(None)
    assert reached == "セキュリティステータス 1/5: このレッスン後の 1/5 以上"
    assert missed == "セキュリティステータス 1/5: このレッスン後の 2/5 に届いていません"
    later = reached.replace("1/5:", "5/5:", 1)
    assert (
        _sanitized(reached)
        == _sanitized(later)
        == "セキュリティステータス N/5: このレッスン後の 1/5 以上"
    )
    assert _sanitized(missed) == missed

def test_force_mfa_is_masked_only_in_lesson_04s_read_outs() -> None:
    alice = "alice's own policies: none\nthrough the group Admins: AdministratorAccess, ForceMFA"
    assert (
        _sanitized(alice)
        == "alice's own policies: none\nthrough the group Admins: AdministratorAccess"
    )
    bob = "through the group PowerUsers: ForceMFA, PowerUserAccess"
    assert _sanitized(bob) == "through the group PowerUsers: PowerUserAccess"
    assert _sanitized("['AdministratorAccess', 'ForceMFA']") == "['AdministratorAccess']"
    considered = "(policies considered: PowerUserAccess, ForceMFA). Nothing allowed it"
    assert _sanitized(considered) == "(policies considered: PowerUserAccess). Nothing allowed it"
    lesson_06 = "A Deny statement matched iam:ListUsers for user/alice: ForceMFA statement 9"
    assert _sanitized(lesson_06) == lesson_06
    assert _sanitized("Admins now requires MFA (ForceMFA attached).") == (
        "Admins now requires MFA (ForceMFA attached)."
    )


def test_a_key_rotated_by_a_re_run_compares_like_a_first_key() -> None:
    first = "AccessKey(user='alice', id='AKIA••••••••XLVX', secret='••••••••')\nSaved to x.csv"
    again = (
        "Deleted the key of an earlier run: AKIA••••••••XLVX\n"
        "AccessKey(user='alice', id='AKIA••••••••Q7ZA', secret='••••••••')\nSaved to x.csv"
    )
    assert _sanitized(first) == _sanitized(again)
    shown = "AccessKey(user='alice', id='AKIA••••••••Q7ZA', secret='wJalrXUtnFEMI')"
    assert _sanitized(shown) != _sanitized(first)  # a secret on screen is still a difference


def test_the_session_end_time_is_masked_in_both_editions() -> None:
    """A kernel's MFA session ends at a different minute on each run: nbval compares the rest."""
    from helpers import i18n
    from helpers.i18n import _

    line = ", with MFA (a session until {time} UTC)"
    for language in ("en", "ja"):
        i18n.use_language(language)
        try:
            early, late = (_(line).format(time=t) for t in ("20:09", "20:17"))
        finally:
            i18n.use_language(None)
        assert early != late and _sanitized(early) == _sanitized(late)
        assert "hh:mm" in _sanitized(early)
