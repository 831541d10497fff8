"""NameForm and GroupForm: live name checks, the button, fake and real actions."""

from __future__ import annotations

from helpers import defaults
from helpers.forms import GroupForm, NameForm
from helpers.iam import groups, users

from .test_forms_support import Recorder, client_error, shown_text


def test_defaults_are_valid_and_ready() -> None:
    form = NameForm()
    assert form.value == defaults.USER_NAME
    assert not form.button.disabled
    assert form.button.description == "Create user"
    assert "✓" in form.check_text
    assert form.status_text == ""


def test_bad_name_disables_the_button_and_quotes_the_rule() -> None:
    form = NameForm()
    form.name.value = "bad name!"
    assert form.button.disabled
    assert "✗" in form.check_text
    assert "not: space !" in form.check_text
    form.name.value = "x" * 65
    assert "at most 64 characters" in form.check_text
    form.name.value = ""
    assert form.button.disabled
    form.name.value = "bob"
    assert not form.button.disabled
    assert "✗" not in form.check_text


def test_group_names_may_be_longer() -> None:
    form = NameForm("group")
    form.value = "g" * 128
    assert not form.button.disabled
    form.value = "g" * 129
    assert "at most 128 characters" in form.check_text


def test_same_name_in_other_case_is_refused_but_the_same_name_is_kept() -> None:
    form = NameForm(existing=lambda: ["alice"])
    assert not form.button.disabled
    assert "already exists" in form.check_text and "✗" not in form.check_text
    form.value = "Alice"
    assert form.button.disabled
    assert "regardless of upper/lower case" in form.check_text


def test_click_runs_the_action_with_the_name() -> None:
    action = Recorder()
    form = NameForm(value="carol", action=action)
    form.button.click()
    assert action.calls == [("carol",)]
    assert form.status_text == "✓ Created the user carol."


def test_the_actions_message_is_shown() -> None:
    form = NameForm(action=Recorder("Made <alice>"))
    assert form.submit()
    assert form.status_text == "✓ Made <alice>"
    assert "&lt;alice&gt;" in form.status.value
    form = NameForm(action=Recorder(({"UserName": "alice"}, False)))
    form.submit()
    assert "already exists" in form.status_text


def test_invalid_input_never_reaches_the_action() -> None:
    action = Recorder()
    form = NameForm(action=action)
    form.value = "no spaces"
    form.button.click()  # a disabled button's click() still fires in Python
    assert form.submit() is False
    assert action.calls == []
    assert "Fix what is marked ✗ first" in form.status_text
    assert form.value == "no spaces"


def test_aws_refusal_shows_the_friendly_box_and_keeps_the_value() -> None:
    form = NameForm(value="Alice", action=Recorder(error=client_error("EntityAlreadyExists")))
    assert form.submit() is False
    assert "AWS refused: EntityAlreadyExists" in form.status.value
    assert "Traceback" not in form.status.value
    assert form.value == "Alice"
    assert not form.button.disabled


def test_other_failures_show_in_the_form() -> None:
    form = NameForm(action=Recorder(error=RuntimeError("sandbox down")))
    assert form.submit() is False
    assert form.status_text == "✗ RuntimeError: sandbox down"


def test_existing_names_are_read_again_after_each_submit() -> None:
    names: list[str] = []
    form = NameForm(value="dave", action=names.append, existing=lambda: list(names))
    assert form.existing_names == []
    form.submit()
    assert form.existing_names == ["dave"]
    form.value = "DAVE"
    assert form.button.disabled


def test_a_failing_existing_source_does_not_break_the_form() -> None:
    def broken() -> list[str]:
        raise ConnectionError("no sandbox")

    form = NameForm(existing=broken)
    assert form.existing_names == []
    assert not form.button.disabled


def test_real_create_user_then_other_case_via_local_check(iam) -> None:
    listed = lambda: [u["UserName"] for u in iam.list_users()["Users"]]  # noqa: E731
    form = NameForm(action=lambda n: users.create_user(iam, n), existing=listed)
    assert form.submit()
    assert users.get_user(iam, "alice") is not None
    assert form.status_text == "✓ Created the user alice."
    assert form.submit()  # running the lesson again keeps the user
    assert "already exists" in form.status_text
    form.value = "Alice"
    assert form.button.disabled
    assert "'alice' already exists" in form.check_text


def test_real_other_case_refused_by_the_sandbox(iam) -> None:
    iam.create_user(UserName="alice")
    form = NameForm(value="Alice", action=lambda n: iam.create_user(UserName=n))
    assert form.submit() is False
    assert "EntityAlreadyExists" in form.status.value
    assert form.value == "Alice"


def test_group_form_defaults_and_policy_hint() -> None:
    form = GroupForm()
    assert form.value == defaults.GROUP_NAME
    assert form.policy_arn == defaults.GROUP_POLICY_ARN
    assert "Full access" in shown_text(form)
    form.policy.value = defaults.GROUP_POLICIES["ReadOnlyAccess"]
    assert "change nothing" in shown_text(form)


def test_group_form_click_passes_name_and_policy() -> None:
    action = Recorder()
    form = GroupForm(action=action)
    form.policy.value = defaults.GROUP_POLICIES["PowerUserAccess"]
    form.button.click()
    assert action.calls == [("Admins", defaults.GROUP_POLICIES["PowerUserAccess"])]
    assert form.status_text == "✓ Created the group Admins with PowerUserAccess."
    form.value = "Has space"
    assert form.button.disabled


def test_group_form_real_action(iam) -> None:
    def create(name: str, policy_arn: str) -> str:
        groups.create_group(iam, name)
        groups.attach_group_policy(iam, name, policy_arn)
        return f"{name} carries {policy_arn.rsplit('/', 1)[-1]}."

    listed = lambda: [g["GroupName"] for g in iam.list_groups()["Groups"]]  # noqa: E731
    form = GroupForm(action=create, existing=listed)
    assert form.submit()
    assert groups.group_policy_names(iam, "Admins") == ["AdministratorAccess"]
    assert form.status_text == "✓ Admins carries AdministratorAccess."
    form.value = "admins"
    assert form.button.disabled
