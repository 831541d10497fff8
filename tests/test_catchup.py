"""Catch-up: each lesson's results are replayed with defaults when missing, and only then."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.authenticator import forget_phone, open_phone
from helpers.catchup import catch_up, replay
from helpers.connect import connect, sign_in_as
from helpers.mfa_setup import phone_account_for
from helpers.sandbox import control
from helpers.sandbox.constants import CONSOLE_PREFIX
from helpers.status import check_account


@pytest.fixture
def aws(sandbox):
    forget_phone(backup=True)  # a new learner: a fresh phone as well as a fresh account
    return connect(quiet=True)


def test_catch_up_before_lesson_1_does_nothing(aws) -> None:
    assert replay(aws, 1) == []


def test_catch_up_replays_every_earlier_lesson_then_nothing(aws, capsys) -> None:
    done = replay(aws, 7)
    assert {line[:2] for line in done} == {"01", "02", "03", "04", "05", "06"}
    report = check_account(aws.iam)
    assert report.console_summary() == "Security status 5/5"
    assert report.status_of("cis.1.10") == "PASS"  # lesson 06 used alice's key
    catch_up(aws, 7)
    assert "nothing to catch up" in capsys.readouterr().out
    assert replay(aws, 7) == []


def test_catch_up_says_what_it_did(aws, capsys) -> None:
    catch_up(aws, 3)
    out = capsys.readouterr().out
    assert out.startswith("Caught up") and "02: MFA is on for root" in out


def test_each_lesson_leaves_the_checklist_where_the_lesson_ends(aws) -> None:
    expected = {3: "2/5", 4: "3/5", 5: "4/5", 6: "5/5"}
    for lesson, score in expected.items():
        catch_up(aws, lesson)
        assert check_account(aws.iam).console_summary() == f"Security status {score}"


def test_user_admin_policy_moves_to_the_group(aws) -> None:
    catch_up(aws, 4)
    attached = aws.iam.list_attached_user_policies(UserName=defaults.USER_NAME)
    assert [p["PolicyName"] for p in attached["AttachedPolicies"]] == ["AdministratorAccess"]
    catch_up(aws, 5)
    attached = aws.iam.list_attached_user_policies(UserName=defaults.USER_NAME)
    assert attached["AttachedPolicies"] == []
    group = aws.iam.get_group(GroupName=defaults.GROUP_NAME)
    assert [u["UserName"] for u in group["Users"]] == [defaults.USER_NAME]


def test_a_lost_phone_entry_is_re_enrolled(aws) -> None:
    catch_up(aws, 4)
    phone = open_phone()
    for account in phone.accounts():
        phone.remove(account.name)
    done = replay(aws, 4)
    assert any("MFA is on for root" in line for line in done)
    assert any("MFA is on for alice" in line for line in done)
    assert len(open_phone().accounts()) == 2


def test_after_a_sandbox_reset_everything_is_made_again(aws, sandbox) -> None:
    from helpers.sandbox import control

    catch_up(aws, 7)
    control.reset()
    assert replay(aws, 7) != []
    assert check_account(aws.iam).console_summary() == "Security status 5/5"


def test_sign_in_as_alice_gives_an_mfa_session(aws, capsys) -> None:
    """After lesson 03 the tutorial works as alice: her key and a phone code, no root."""
    replay(aws, 4)
    alice = sign_in_as(defaults.USER_NAME)
    out = capsys.readouterr().out
    assert "signed in as IAM user alice, with MFA (a session until" in out
    assert alice.arn.endswith(":user/alice")
    assert alice.session.get_credentials().access_key.startswith("ASIA")
    assert "Users" in alice.iam.list_users()  # AdministratorAccess, through her MFA session


def test_sign_in_as_shares_one_mfa_session_per_kernel_while_the_sandbox_accepts_it(
    aws, sandbox
) -> None:
    """The catch-up and the lesson both sign alice in: the second sign-in reuses the session
    (no new GetSessionToken) until the sandbox ends it (its clock, moved past the session's
    expiry), or her MFA device changes."""
    replay(aws, 4)
    first = sign_in_as(quiet=True)
    assert sign_in_as(quiet=True) is first
    left = (first.mfa_until - datetime.now(UTC)).total_seconds()
    control.post(sandbox.endpoint, CONSOLE_PREFIX + "advance-clock", {"Seconds": left + 60})
    with pytest.raises(ClientError, match="ExpiredToken"):
        first.iam.list_users()
    renewed = sign_in_as(quiet=True)
    assert _key(renewed) != _key(first)
    assert "Users" in renewed.iam.list_users()
    assert sign_in_as(quiet=True) is renewed
    phone = open_phone()
    phone.remove(phone_account_for(phone, defaults.USER_NAME).name)
    assert any("MFA is on for alice" in line for line in replay(aws, 4))  # a new device
    after_new_device = sign_in_as(quiet=True)
    assert _key(after_new_device) not in {_key(first), _key(renewed)}
    assert "Users" in after_new_device.iam.list_users()


def _key(connection) -> str:
    return connection.session.get_credentials().access_key


def test_sign_in_as_someone_without_a_key_says_what_to_do(aws) -> None:
    with pytest.raises(LookupError, match="run lesson 03"):
        sign_in_as("nobody")


def test_sign_in_with_the_key_alone_carries_no_mfa(aws, capsys) -> None:
    replay(aws, 4)
    key_only = sign_in_as(defaults.USER_NAME, mfa=False)
    assert "alice (access key alone, no MFA)" in capsys.readouterr().out
    assert key_only.session.get_credentials().access_key.startswith("AKIA")
    assert key_only.mfa_until is None


@pytest.mark.parametrize(
    ("module", "function", "lesson"),
    [
        ("lesson_01", "set_up_phone", 2),
        ("lesson_02", "enable_root_mfa", 3),
        ("lesson_03", "give_admin", 4),
        ("lesson_03", "set_console_password", 4),
        ("lesson_03", "enable_user_mfa", 4),
        ("lesson_04", "create_group_with_policy", 5),
        ("lesson_04", "add_to_group", 5),
        ("lesson_05", "apply_policy", 6),
    ],
)
def test_catch_up_calls_the_lessons_own_steps(aws, monkeypatch, module, function, lesson) -> None:
    import importlib

    lesson_module = importlib.import_module(f"helpers.lessons.{module}")
    real, calls = getattr(lesson_module, function), []

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(lesson_module, function, spy)
    replay(aws, lesson)
    assert calls, f"the catch-up did not call {module}.{function}"
