"""The forms in the Japanese edition: built in Japanese they show Japanese titles, labels,
buttons, hints, checks and results, their buttons named as the Japanese lessons name them;
built in English they show exactly the English as before."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import ipywidgets as widgets
import pytest

from helpers import i18n
from helpers.forms import (
    AliasForm,
    CodeEntry,
    GroupForm,
    NameForm,
    PasswordForm,
    PolicyForm,
    SignInForm,
    password_checklist,
    password_form,
    policy_form,
    qr_image,
)
from helpers.forms.picture import LIVE_NOTE, picture_html
from helpers.rules import alias as alias_rules
from helpers.rules import names, passwords

from .test_forms_support import Recorder, descendants, shown_text

REPO = Path(__file__).resolve().parents[1]
LESSONS_JA = REPO / "notebooks" / "src" / "ja"

FORMS: dict[str, Callable[[], widgets.Widget]] = {
    "user": lambda: NameForm("user", action=Recorder()),
    "group": lambda: GroupForm(action=Recorder()),
    "password": lambda: PasswordForm(action=Recorder(), policy=lambda: None),
    "policy": lambda: PolicyForm(action=Recorder()),
    "alias": lambda: AliasForm(
        action=Recorder(), current_link=lambda: "https://1.signin.aws.amazon.com/console"
    ),
    "sign-in": lambda: SignInForm(action=Recorder({"UserName": "alice", "MFAUsed": True})),
    "codes": lambda: CodeEntry(action=Recorder()),
}
# The button (or box) each lesson tells the learner to use, as the Japanese lessons call it.
LESSON_NAMES = {
    "user": ("Create user", "ユーザーを作成"),
    "group": ("Create group", "グループを作成"),
    "password": ("Set password", "パスワードを設定"),
    "policy": ("Apply password policy", "パスワードポリシーを適用"),
    "alias": ("Set alias", "エイリアスを設定"),
    "sign-in": ("Sign in", "サインイン"),
    "codes": ("Assign MFA", "MFA を割り当て"),
}


@pytest.fixture
def japanese() -> Iterator[None]:
    i18n.use_language("ja")
    yield
    i18n.use_language(None)


@pytest.fixture
def english() -> Iterator[None]:
    i18n.use_language("en")
    yield
    i18n.use_language(None)


def _forms_messages() -> list[str]:
    """The English strings helpers/forms/ wraps, without placeholders (as they would show)."""
    spec = importlib.util.spec_from_file_location("i18n_tool", REPO / "tools" / "i18n.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return [
        message.id
        for message in tool.extract_helpers()
        if isinstance(message.id, str)
        and any(path.startswith("helpers/forms/") for path, _line in message.locations)
        and "{" not in message.id
    ]


def _labels_and_texts(root: widgets.Widget) -> str:
    """``shown_text``, but a choice shows its labels (its values are the program's, not text
    the learner reads)."""
    choices = [w for w in descendants(root) if isinstance(w, widgets.widget_selection._Selection)]
    labels = "\n".join(
        [w.description for w in choices] + [str(x) for w in choices for x in w._options_labels]
    )
    return shown_text(root, skip=(widgets.Password, *{type(w) for w in choices})) + "\n" + labels


def _lessons_ja() -> str:
    return "".join(path.read_text() for path in sorted(LESSONS_JA.glob("*.po")))


@pytest.mark.parametrize("kind", sorted(LESSON_NAMES))
def test_buttons_are_named_as_the_japanese_lessons_name_them(japanese, kind: str) -> None:
    _english, name = LESSON_NAMES[kind]
    form = FORMS[kind]()
    assert form.button.description == name
    assert f"**{name}**" in _lessons_ja(), f"the Japanese lessons never say **{name}**"


@pytest.mark.parametrize("kind", sorted(LESSON_NAMES))
def test_english_buttons_are_unchanged(english, kind: str) -> None:
    name, _japanese = LESSON_NAMES[kind]
    assert FORMS[kind]().button.description == name


def test_the_policy_forms_preset_buttons_match_lesson_05(japanese) -> None:
    form = PolicyForm()
    assert (form.cis_button.description, form.default_button.description) == (
        "CIS ベンチマーク",
        "AWS のデフォルト",
    )
    assert form.trial.description == "パスワードを試す"
    lesson = (LESSONS_JA / "05_password_policy.po").read_text()
    for name in ("CIS ベンチマーク", "AWS のデフォルト", "パスワードを試す"):
        assert f"**{name}**" in lesson


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_no_wrapped_english_is_left_on_a_japanese_form(japanese, kind: str) -> None:
    shown = _labels_and_texts(FORMS[kind]())
    left = [m for m in _forms_messages() if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", shown)]
    assert left == []
    assert re.search(r"[ぁ-んァ-ン]", shown)


def test_a_japanese_name_form_checks_and_answers_in_japanese(japanese) -> None:
    form = NameForm("user", value="alice", action=Recorder())
    assert form.title_text == "IAM ユーザーを作成"
    assert form.name.description == "ユーザー名"
    assert "'alice' はユーザー名として有効です。" in form.check_text
    assert form.submit()
    assert form.status_text == "✓ ユーザー alice を作成しました。"
    kept = NameForm("group", value="Admins", action=Recorder((None, False)))
    kept.submit()
    assert kept.status_text == "ℹ グループ Admins はすでに存在します。そのまま残します。"


def test_name_and_alias_problems_in_japanese_and_the_rules_english_stays(japanese) -> None:
    """One source (helpers.rules) for the form's Japanese and the sandbox's AWS English."""
    form = NameForm("user", value="al ice!", action=Recorder())
    assert "✗ 使えるのは英字、数字、_+=,.@- だけです。使えない文字: スペース !。" in form.check_text
    assert names.name_problems("al ice!") == [
        "Only letters, digits and _+=,.@- are allowed; not: space !."
    ]
    alias = AliasForm(value="My--Co")
    assert "✗ 小文字だけを使ってください (大文字は使えません)。" in shown_text(alias)
    assert "✗ ハイフンを 2 つ続けることはできません。" in shown_text(alias)
    assert alias_rules.alias_problems("My--Co") == [
        "Use lower-case letters only (no capitals).",
        "Two hyphens in a row are not allowed.",
    ]


def test_the_password_checklist_speaks_japanese_and_keeps_the_rules_english(japanese) -> None:
    policy = {"MinimumPasswordLength": 14, "RequireSymbols": True}
    assert password_checklist("short", policy, "alice") == [
        ("14 文字以上 (これは 5 文字です)。", False),
        (f"記号 ({passwords.SYMBOLS}) を 1 文字以上。", False),
    ]
    assert password_checklist("alice", None, "alice")[1:] == [
        ("大文字、小文字、数字、記号のうち 3 種類以上 (これは 1 種類です)。", False),
        ("ユーザー名と同じでないこと。", False),
    ]
    form = PasswordForm(policy=lambda: None)
    form.choice.value = password_form.CUSTOM  # the value stays English; the label is Japanese
    assert form.choice.label == "カスタムパスワード"
    form.password.value = "abc"
    assert "✗ 8 文字以上 (これは 3 文字です)。" in form.check_text


POLICIES = [
    None,
    {},
    {"MinimumPasswordLength": 14, "RequireSymbols": True, "RequireNumbers": True},
    {
        "MinimumPasswordLength": 6,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "PasswordReusePrevention": 24,
    },
]
PASSWORDS = ["", "abc", "alice", "Passw0rd!", "ÄÖ ü 😀", "x" * 129, "Correct-Horse-Battery-9"]


@pytest.mark.parametrize("policy", POLICIES)
def test_the_forms_rule_words_are_the_rules_english(english, policy: dict | None) -> None:
    for password in PASSWORDS:
        for rule in [*passwords.rules_for(policy, "alice"), passwords.MAX_LENGTH_RULE]:
            for given in (None, password):
                assert password_form.rule_words(rule, policy, given) == passwords.rule_text(
                    rule, policy, given
                )
    assert policy_form.cis_words(policy or {}) == passwords.cis_checks(policy or {})


def test_the_forms_say_the_rules_in_japanese(japanese) -> None:
    """One source: the form asks the rules module to translate; its English stays AWS's."""
    assert password_form.rule_words(passwords.MIN_LENGTH_RULE, None) == "8 文字以上。"
    assert passwords.rule_text(passwords.MIN_LENGTH_RULE, None) == "At least 8 characters."
    assert [kept for _text, kept in policy_form.cis_words({})] == [False, False]
    assert all("CIS:" in text and "(" in text for text, _kept in policy_form.cis_words({}))


def test_the_policy_summary_in_japanese(japanese) -> None:
    policy = {
        "MinimumPasswordLength": 12,
        "RequireUppercaseCharacters": True,
        "RequireNumbers": True,
        "MaxPasswordAge": 90,
        "PasswordReusePrevention": 5,
    }
    assert policy_form.summarize(policy) == [
        "パスワードは 12 文字以上で、大文字、数字を含む必要があります。",
        "90 日で有効期限が切れます。その後、ユーザーはサインイン時に新しいパスワードを選びます。",
        "直近 5 個のパスワードは再利用できません。",
        "ユーザーのパスワードを変更できるのは管理者だけです。",
    ]
    assert policy_form.cis_words(policy) == [
        ("CIS: 最小文字数 14 以上 (現在 12)", False),
        ("CIS: 直近 24 個の再利用を禁止 (現在 5)", False),
    ]


def test_the_policy_summary_in_english_is_unchanged(english) -> None:
    policy = {
        "MinimumPasswordLength": 12,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "RequireNumbers": True,
    }
    assert policy_form.summarize(policy)[0] == (
        "Passwords need at least 12 characters with upper-case letters, lower-case letters and "
        "digits."
    )
    assert policy_form.CLASS_TICKS["RequireSymbols"] == f"a symbol ({' '.join(passwords.SYMBOLS)})"
    form = PolicyForm()
    labels = [box.description for box in form.classes.values()]
    assert labels == list(policy_form.CLASS_TICKS.values())


def test_sign_in_and_codes_answer_in_japanese(japanese) -> None:
    form = SignInForm(action=Recorder({"UserName": "alice", "MFAUsed": True}), password="pw")
    form.mfa_code.value = "123456"
    assert form.submit()
    assert form.status_text == "✓ alice としてサインインしました — MFA を使用。"
    entry = CodeEntry(action=Recorder())
    assert [box.description for box in entry.boxes] == ["MFA コード 1", "MFA コード 2"]
    entry.boxes[0].value = "12a"
    assert "✗ 数字だけで入力してください。" in entry.check_text
    entry.boxes[0].value, entry.boxes[1].value = "123456", "654321"
    assert entry.submit()
    assert entry.status_text == "✓ 両方のコードが受け入れられました。MFA が有効です。"


def test_pictures_and_the_qr_caption_in_japanese(japanese) -> None:
    form = AliasForm(action=Recorder())
    markup = picture_html(form)
    assert "ウィジェットの画像です" in markup and LIVE_NOTE not in markup
    assert "エイリアスを設定" in markup
    box = qr_image(b"\x89PNG")
    assert "QR コードをスキャン" in shown_text(box)
    assert "QR コード: ここでは隠しています" in picture_html(box)


def test_english_pictures_are_unchanged(english) -> None:
    markup = picture_html(AliasForm(action=Recorder()))
    assert LIVE_NOTE in markup and "Set alias" in markup
    assert shown_text(qr_image(b"\x89PNG")).count("Scan QR code") == 1


def test_the_clean_up_panel_in_japanese(japanese, monkeypatch) -> None:
    import helpers.sandbox
    from helpers import cleanup, downloads
    from helpers.forms.cleanup_panel import CleanUpPanel

    monkeypatch.setattr(helpers.sandbox, "reset", lambda: None)  # nothing to empty here
    monkeypatch.setattr(downloads, "credentials_files", lambda: [])
    monkeypatch.setattr(cleanup, "forget_phone", lambda: False)
    panel = CleanUpPanel(SimpleNamespace(is_sandbox=True))
    assert (panel.button.description, panel.forget.description) == (
        "サンドボックスを空にする",
        "仮想の電話も捨てる",
    )
    assert "後片付け" in shown_text(panel)
    panel.forget.value = True
    panel.button.click()
    assert panel.status_text.splitlines() == [
        "✓ サンドボックスのアカウントを空にしました。ユーザー、グループ、エイリアス、パスワード"
        "ポリシー、ルートユーザーの MFA はもうありません。",
        "✓ 捨てる仮想の電話はありませんでした。",
    ]
