"""The lesson logic speaks the learner's language: in the Japanese edition the lessons' step
lines, the catch-up, the plans of a real account and the password policy's summary come out in
Japanese, and in English they stay exactly as they were. The sandbox answers as AWS does, in
AWS's English, whatever the learner's language."""

from __future__ import annotations

import pytest

from helpers import i18n
from helpers.authenticator import forget_phone
from helpers.catchup import catch_up, replay
from helpers.connect import connect
from helpers.guard import Plan, PlannedCall, describe_plan, forbidden_reason, plan_html
from helpers.lessons import lesson_00, lesson_04, lesson_05, lesson_06
from helpers.rules import passwords
from helpers.sandbox.layer import passwords as sandbox_passwords
from helpers.steps import NotApplied, step_title
from tests.conftest import refused

ACCOUNT = "123456789012"
POLICY = {"MinimumPasswordLength": 14, "RequireSymbols": True, "PasswordReusePrevention": 24}


@pytest.fixture
def japanese():
    i18n.use_language("ja")
    yield
    i18n.use_language(None)


@pytest.fixture
def english():
    i18n.use_language("en")
    yield
    i18n.use_language(None)


@pytest.fixture
def aws(sandbox):
    forget_phone(backup=True)
    return connect(quiet=True)


def _plan() -> Plan:
    return Plan(
        ACCOUNT,
        [
            PlannedCall("iam:CreateUser", {"UserName": "alice"}, note=""),
            PlannedCall("iam:CreateAccountAlias", {"AccountAlias": "lab"}, {"alias": "old-lab"}),
            PlannedCall("iam:UpdateAccountPasswordPolicy", {}, {"password_policy": None}),
        ],
    )


def test_the_catch_up_speaks_japanese(aws, japanese, capsys) -> None:
    catch_up(aws, 5)
    out = capsys.readouterr().out
    assert out.startswith("前のレッスンの手順をデフォルトの値で実行して追いつきました:")
    assert "03: IAM ユーザー alice を作成しました。" in out
    assert "04: AdministratorAccess 付きのグループ Admins を作成しました。" in out
    assert "04: alice を Admins に追加しました。" in out
    assert "Created" not in out and "Added" not in out


def test_the_catch_up_stays_english_in_english(aws, english) -> None:
    done = replay(aws, 5)
    assert "03: Created the IAM user alice." in done
    assert "04: Created the group Admins with AdministratorAccess." in done
    assert "04: Added alice to Admins." in done


def test_lesson_steps_that_change_nothing_say_so_in_japanese(aws, japanese) -> None:
    replay(aws, 7)
    again = lesson_04.add_to_group(aws.iam, "Admins", "alice")
    assert again == "alice はすでに Admins に入っています。何もしません。"
    assert not again.changed
    assert lesson_06.set_alias(aws.iam, "my-first-aws-account") == (
        "アカウントエイリアスはすでに my-first-aws-account です (ボタンか前の実行で設定済み)。"
        "そのままにします。"
    )
    assert lesson_04.rights_of(aws.iam).splitlines()[0] == "alice 自身のポリシー: なし"
    described = lesson_05.describe_policy(aws.iam)
    assert "✓ CIS: 最小文字数 14 以上 (現在 14)" in described
    assert "✓ CIS: 直近 24 個の再利用を禁止 (現在 24)" in described


def test_setup_report_in_japanese_keeps_its_columns(aws, japanese) -> None:
    report = lesson_00.setup_report(aws)
    last = report.splitlines()[-1]
    assert last.startswith("接続先" + " " * 14 + " サンドボックス、このマシンで動作中")
    assert "`.venv/bin/python -m helpers.sandbox status`" in last  # commands stay as they are


def test_plans_and_refusals_of_a_real_account_in_japanese(japanese) -> None:
    text = describe_plan(_plan())
    assert text.splitlines()[0] == "アカウント 123456789012 での計画 (まだ何も送信していません):"
    assert "  1. iam:CreateUser(UserName='alice')" in text  # API names stay as they are
    assert "     エイリアス 'old-lab' を置き換えます" in text
    assert "     以前のパスワードポリシーはありません" in text
    assert "<b>123456789012</b> での計画" in plan_html(_plan())
    assert forbidden_reason(ACCOUNT, "acme-prod").startswith(
        "アカウント 123456789012 のエイリアスは「acme-prod」で、本番アカウントを示しています。"
    )
    assert NotApplied().startswith("まだ適用していません")
    assert step_title(_plan()) == (
        "計画: iam:CreateUser, iam:CreateAccountAlias, iam:UpdateAccountPasswordPolicy"
    )


def test_plans_stay_english_in_english(english) -> None:
    text = describe_plan(_plan())
    assert text.splitlines()[0] == "Planned on account 123456789012 (nothing sent yet):"
    assert "     replaces the alias 'old-lab'" in text
    assert "     no password policy before" in text
    assert NotApplied() == (
        "Not applied yet: on a real account a step changes the account only when you click Apply."
    )


def test_the_wrap_up_explains_in_japanese_lines_that_fit(aws, japanese) -> None:
    from helpers.lessons import lesson_07
    from helpers.status import check_account

    replay(aws, 7)
    text = lesson_07.cis_explanation(check_account(aws.iam))
    assert "まだ不合格の項目とその理由:" in text
    assert "      理由: AWSSupportAccess ポリシーを持つロールがありません。" in text
    assert "Still failing" not in text and "why:" not in text
    wrapped = [line for line in text.splitlines() if line.startswith("      ")]
    assert wrapped and all(lesson_07._columns(line) <= 88 + 2 for line in wrapped)
    assert not any(line.lstrip()[0] in "、。ー" for line in wrapped)


def test_hours_in_japanese(japanese) -> None:
    import datetime as dt

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert lesson_06.expires_in(now + dt.timedelta(hours=12), now) == "12 時間"
    assert lesson_06.expires_in(now + dt.timedelta(minutes=15), now) == "0.25 時間"


def test_the_password_summary_is_translated_only_where_a_learner_reads_it(japanese) -> None:
    """The rules' texts are English unless the caller passes ``say``: the sandbox, which uses
    the same module, must keep AWS's English."""
    assert passwords.summary_line(POLICY) == ("14+ characters · symbols · no reuse of the last 24")
    assert passwords.summary_line(POLICY, say=i18n._) == (
        "14 文字以上 · 記号 · 直近 24 個は再利用不可"
    )
    assert passwords.summary_line(None, say=i18n._).startswith("なし: AWS のデフォルトのルール")
    assert passwords.password_problems("short", POLICY, say=i18n._)[0] == (
        "14 文字以上 (これは 5 文字です)。"
    )
    assert passwords.password_problems("short", POLICY)[0] == (
        "At least 14 characters (this one has 5)."
    )


def test_the_sandbox_refuses_a_password_in_aws_english_even_in_japanese(iam, japanese) -> None:
    iam.update_account_password_policy(MinimumPasswordLength=12)
    iam.create_user(UserName="alice")
    code, status, message = refused(
        iam.create_login_profile, UserName="alice", Password="Sh0rt!pass"
    )
    assert (code, status) == ("PasswordPolicyViolation", 400)
    assert message == "Password should have a minimum length of 12."
    # in this process too: the sandbox's rules never go through the catalogue
    assert sandbox_passwords.check_password("abc", "alice")[0] == (
        "Password should have a minimum length of 8"
    )


def test_the_sandbox_refuses_an_alias_in_aws_english_even_in_japanese(iam, japanese) -> None:
    code, status, message = refused(iam.create_account_alias, AccountAlias="My--Co")
    assert (code, status) == ("ValidationError", 400)
    assert message.isascii() and "Use lower-case letters only (no capitals)." in message
