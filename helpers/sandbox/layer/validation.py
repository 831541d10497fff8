"""Every IAM and STS request checked against botocore's service model, as AWS checks it.

Before any topic rule runs, ``require_valid(call)`` checks the call's parameters against the
operation's input shape in botocore's model (the same model the AWS SDKs are generated from,
shipped with botocore; no hand-written table): required members, string lengths, patterns,
enums, integer ranges, the types of integers, booleans and timestamps, lists
(``Name.member.N``), maps (``Name.entry.N.key`` / ``.value``) and nested structures
(``Name.Member``), in the query protocol's flattened form
(https://docs.aws.amazon.com/IAM/latest/APIReference/CommonParameters.html).

A broken constraint is AWS's ``ValidationError`` (400) worded as AWS words it, e.g.
``1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member
must not be null``; several are joined by ``; `` (``wire.validation_error``). Member names are
written as AWS writes them: the model's name with its first letter in lower case
(``userName``), ``tags.1.member.key`` inside lists. A member the model marks ``sensitive``
(passwords, private keys) is never echoed. A topic can add a plain-words hint after AWS's
message with ``registry.hint`` (the account alias does).

An ``Action`` the model does not know is AWS's ``InvalidAction`` (400), no ``Action`` at all
``MissingAction`` (400), both worded as the Common errors page
(https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).

Patterns are Java regular expressions, matched against the whole value (Java's ``matches``).
They are translated once: ``\\w`` and ``\\d`` stay ASCII as in Java (``re.ASCII``: no ``é`` in a
user name, as ``helpers/rules/names.py`` says), ``\\uXXXX`` is kept, a code point written with
five or six hex digits (``\\u10000-\\u10FFFF``, the model's way of naming the supplementary
planes) becomes Python's ``\\U0001000``, and Unicode classes ``\\p{L}``, ``\\p{Z}``, ``\\p{N}``
(letters, separators, numbers; tag keys and values) are matched by Unicode category. An empty
string is reported once, for its length, not again for a ``+`` pattern (as the topic modules
and AWS's answers quoted there do).

Each operation's checks are built once, on its first call, and cached: a later call walks
prepared checks only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.model import OperationModel, Shape

from helpers.sandbox.layer import registry
from helpers.sandbox.layer.registry import Call
from helpers.sandbox.layer.wire import AwsError, constraint, missing, validation_error

INVALID_ACTION = (
    "The action or operation requested is invalid. Verify that the action is typed correctly."
)
MISSING_ACTION = "The request is missing an action or a required parameter."

Params = dict[str, str]


def lower_camel(name: str) -> str:
    """AWS's name of a member in its messages: ``UserName`` -> ``userName``."""
    return name[:1].lower() + name[1:]


# --- Java patterns, in Python --------------------------------------------------------------

_UNICODE_CLASS = re.compile(r"\\p\{(\w+)\}")
_LONG_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{5,6})(?![0-9A-Fa-f])")


@dataclass(frozen=True)
class JavaPattern:
    """One pattern of the model: its text (quoted in messages) and a matcher for whole values."""

    text: str
    fullmatch: Callable[[str], bool]


@functools.cache
def java_pattern(text: str) -> JavaPattern:
    """Compile one of the model's (Java) patterns once."""
    if _UNICODE_CLASS.search(text):
        return JavaPattern(text, _unicode_class_matcher(text))
    python = _LONG_ESCAPE.sub(lambda found: f"\\U{int(found.group(1), 16):08X}", text)
    compiled = re.compile(python, re.ASCII)
    return JavaPattern(text, lambda value: compiled.fullmatch(value) is not None)


def _unicode_class_matcher(text: str) -> Callable[[str], bool]:
    """``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`` and the like: one character class with Unicode
    categories and literal characters, repeated (``*`` or ``+``)."""
    found = re.fullmatch(r"\[(.*)\]([*+])", text)
    if not found:
        raise ValueError(f"unsupported Java pattern with a Unicode class: {text}")
    body, repeat = found.groups()
    categories = tuple(_UNICODE_CLASS.findall(body))
    literals = set(re.sub(r"\\(.)", r"\1", _UNICODE_CLASS.sub("", body)))
    minimum = 1 if repeat == "+" else 0

    def fullmatch(value: str) -> bool:
        return len(value) >= minimum and all(
            char in literals or unicodedata.category(char).startswith(categories) for char in value
        )

    return fullmatch


# --- the checks of one operation -------------------------------------------------------------


@dataclass
class MemberCheck:
    """How to read and check one member of a structure from the flattened parameters."""

    wire_name: str  # the query key's part: ``UserName``, ``Tags``
    label: str  # AWS's name in messages: ``userName`` (nested names are built while checking:
    # they carry the element's number, ``tags.1.member.key``)
    shape: Shape
    required: bool
    sensitive: bool
    children: list[MemberCheck] = field(default_factory=list)  # structure members
    element: MemberCheck | None = None  # list member / map value
    key: MemberCheck | None = None  # map key
    flattened: bool = False
    list_member_name: str = "member"


def _member_check(
    name: str, label: str, shape: Shape, required: bool, depth: int = 0
) -> MemberCheck:
    sensitive = bool(shape.metadata.get("sensitive"))
    check = MemberCheck(
        wire_name=shape.serialization.get("name", name),
        label=label,
        shape=shape,
        required=required,
        sensitive=sensitive,
    )
    if depth > 8:  # recursive shapes: stop checking deeper than any real request goes
        return check
    if shape.type_name == "structure":
        wanted = set(shape.required_members)
        check.children = [
            _member_check(sub, lower_camel(sub), sub_shape, sub in wanted, depth + 1)
            for sub, sub_shape in shape.members.items()
        ]
    elif shape.type_name == "list":
        check.flattened = bool(shape.serialization.get("flattened"))
        check.list_member_name = shape.member.serialization.get("name", "member")
        check.element = _member_check("member", "member", shape.member, False, depth + 1)
    elif shape.type_name == "map":
        check.key = _member_check("key", "key", shape.key, False, depth + 1)
        check.element = _member_check("value", "value", shape.value, False, depth + 1)
    return check


@dataclass
class OperationCheck:
    members: list[MemberCheck]

    def problems(self, params: Params) -> list[str]:
        found: list[str] = []
        for member in self.members:
            _check(member, member.wire_name, member.label, params, found)
        return found


@functools.cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.cache
def operation_model(service: str, action: str) -> OperationModel | None:
    """botocore's model of ``service``'s ``action``; None when the model has no such action."""
    model = _session().get_service_model(service)
    if action not in model.operation_names:
        return None
    return model.operation_model(action)


@functools.cache
def operation_check(service: str, action: str) -> OperationCheck | None:
    """The prepared checks of one operation (built once); None for an unknown action."""
    operation = operation_model(service, action)
    if operation is None:
        return None
    shape = operation.input_shape
    if shape is None:
        return OperationCheck([])
    wanted = set(shape.required_members)
    return OperationCheck(
        [
            _member_check(name, lower_camel(name), member, name in wanted)
            for name, member in shape.members.items()
        ]
    )


# --- reading and checking values -------------------------------------------------------------


def _present(params: Params, key: str) -> bool:
    if key in params:
        return True
    prefix = key + "."
    return any(name.startswith(prefix) for name in params)


def _check(member: MemberCheck, key: str, label: str, params: Params, found: list[str]) -> None:
    kind = member.shape.type_name
    if not _present(params, key):
        if member.required:
            found.append(missing(label))
        return
    if kind == "structure":
        for child in member.children:
            _check(
                child,
                f"{key}.{child.wire_name}",
                f"{label}.{lower_camel(child.wire_name)}",
                params,
                found,
            )
    elif kind == "list":
        _check_list(member, key, label, params, found)
    elif kind == "map":
        _check_map(member, key, label, params, found)
    else:
        _check_scalar(member, params[key] if key in params else "", label, found)


def _indexes(params: Params, prefix: str) -> list[int]:
    """The element numbers N present under ``prefix.N`` (``N`` from 1, as sent)."""
    numbers = set()
    start = len(prefix) + 1
    for name in params:
        if name.startswith(prefix + "."):
            head = name[start:].split(".", 1)[0]
            if head.isdigit():
                numbers.add(int(head))
    return sorted(numbers)


def _check_list(
    member: MemberCheck, key: str, label: str, params: Params, found: list[str]
) -> None:
    element = member.element
    assert element is not None
    prefix = key if member.flattened else f"{key}.{member.list_member_name}"
    indexes = _indexes(params, prefix)
    _check_size(
        member, len(indexes), label, [params.get(f"{prefix}.{n}", "") for n in indexes], found
    )
    for number in indexes:
        _check(element, f"{prefix}.{number}", f"{label}.{number}.member", params, found)


def _check_map(member: MemberCheck, key: str, label: str, params: Params, found: list[str]) -> None:
    assert member.key is not None and member.element is not None
    prefix = f"{key}.entry"
    indexes = _indexes(params, prefix)
    _check_size(member, len(indexes), label, None, found)
    for number in indexes:
        entry = f"{prefix}.{number}"
        _check(member.key, f"{entry}.key", f"{label}.{number}.key", params, found)
        _check(member.element, f"{entry}.value", f"{label}.{number}.value", params, found)


def _check_size(
    member: MemberCheck, size: int, label: str, shown: list[str] | None, found: list[str]
) -> None:
    low, high = member.shape.metadata.get("min"), member.shape.metadata.get("max")
    value = None if member.sensitive or shown is None else "[" + ", ".join(shown) + "]"
    if low is not None and size < low:
        found.append(constraint(label, value, f"have length greater than or equal to {low}"))
    elif high is not None and size > high:
        found.append(constraint(label, value, f"have length less than or equal to {high}"))


_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_TIMESTAMP_KINDS = "an ISO 8601 date and time or seconds since the epoch"


def _check_scalar(member: MemberCheck, value: str, label: str, found: list[str]) -> None:
    shape = member.shape
    kind = shape.type_name
    shown = None if member.sensitive else value
    if kind == "string":
        _check_string(shape, value, shown, label, found)
    elif kind in ("integer", "long"):
        if not _INTEGER.fullmatch(value.strip()):
            found.append(constraint(label, shown, "be an integer"))
            return
        number = int(value)
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and number < low:
            found.append(constraint(label, shown, f"have value greater than or equal to {low}"))
        elif high is not None and number > high:
            found.append(constraint(label, shown, f"have value less than or equal to {high}"))
    elif kind == "boolean":
        if value.strip().lower() not in ("true", "false"):
            found.append(constraint(label, shown, "be a boolean (true or false)"))
    elif kind == "timestamp":
        if not _is_timestamp(value):
            found.append(constraint(label, shown, f"be a timestamp: {_TIMESTAMP_KINDS}"))
    elif kind == "blob":
        _check_blob(shape, value, shown, label, found)


def _check_string(
    shape: Shape, value: str, shown: str | None, label: str, found: list[str]
) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        found.append(constraint(label, shown, f"have length greater than or equal to {low}"))
    elif high is not None and len(value) > high:
        found.append(constraint(label, shown, f"have length less than or equal to {high}"))
    if shape.enum and value not in shape.enum:
        found.append(constraint(label, shown, f"satisfy enum value set: [{', '.join(shape.enum)}]"))
    pattern = shape.metadata.get("pattern")
    if pattern and value and not java_pattern(pattern).fullmatch(value):
        found.append(constraint(label, shown, f"satisfy regular expression pattern: {pattern}"))


def _check_blob(shape: Shape, value: str, shown: str | None, label: str, found: list[str]) -> None:
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        found.append(constraint(label, shown, "be base64-encoded binary data"))
        return
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(data) < low:
        found.append(constraint(label, shown, f"have length greater than or equal to {low}"))
    elif high is not None and len(data) > high:
        found.append(constraint(label, shown, f"have length less than or equal to {high}"))


def _is_timestamp(value: str) -> bool:
    text = value.strip()
    try:
        float(text)
        return True
    except ValueError:
        pass
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


# --- the one entry point of app.py -----------------------------------------------------------


def require_valid(call: Call) -> None:
    """Refuse ``call`` as AWS would when its action is unknown or a parameter breaks the model:
    ``MissingAction`` / ``InvalidAction`` / ``ValidationError`` (400)."""
    if not call.action:
        raise AwsError("MissingAction", MISSING_ACTION, 400)
    checks = operation_check(call.service, call.action)
    if checks is None:
        raise AwsError("InvalidAction", INVALID_ACTION, 400)
    problems = checks.problems(call.params)
    if problems:
        raise validation_error(problems, registry.hint_for(call, problems))


def problems_of(service: str, action: str, params: Params) -> list[str]:
    """The broken constraints of these parameters (for tests and tools); [] when valid."""
    checks = operation_check(service, action)
    if checks is None:
        raise KeyError(f"{service} has no action {action}")
    return checks.problems(params)


def member_shapes(service: str, action: str) -> dict[str, Any]:
    """The top-level members of an operation's input, by name (for tests and tools)."""
    operation = operation_model(service, action)
    if operation is None or operation.input_shape is None:
        return {}
    return dict(operation.input_shape.members)


def value_problems(shape: Shape, value: str, label: str = "value") -> list[str]:
    """The broken constraints of one scalar value (as sent on the wire) of ``shape``."""
    found: list[str] = []
    member = MemberCheck(label, label, shape, False, bool(shape.metadata.get("sensitive")))
    _check_scalar(member, value, label, found)
    return found
