"""Values built from botocore's model, for tests that call every IAM and STS operation.

``valid_params`` fills an operation's required members with values the sandbox's own model
checks (``layer/validation.py``) accept; ``invalid_cases`` lists, for each constrained member,
values that break one constraint and the member name AWS's message must name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from botocore.model import Shape

from helpers.sandbox.layer.validation import (
    lower_camel,
    member_shapes,
    operation_model,
    value_problems,
)

# Tried in order; the first that passes a string's length, pattern and enum is used.
_STRING_CANDIDATES = [
    "a",
    "arn:aws:iam::123456789012:policy/sample",
    "/",
    "123456789012",
    "v1",
    "https://example.com",
    "p-abcdefgh",
    "o-abcdefghij/r-abcd",
    "AKIAEXAMPLE",
    "0",
]
_BAD_CHARACTERS = [" ", "\x07", "!", "é", "A", "-"]


def _fit(text: str, low: int, high: int | None) -> str:
    if len(text) < low:
        text = text + text[-1] * (low - len(text))
    return text if high is None else text[:high]


def valid_string(shape: Shape) -> str | None:
    if shape.enum:
        return shape.enum[0]
    low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
    for candidate in _STRING_CANDIDATES:
        text = _fit(candidate, max(low, 1), high)
        if not value_problems(shape, text):
            return text
    return None


def valid_value(shape: Shape) -> Any:
    """A Python value boto3 serialises into something the model accepts."""
    kind = shape.type_name
    if kind == "string":
        return valid_string(shape)
    if kind in ("integer", "long"):
        return shape.metadata.get("min", 1)
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    if kind == "blob":
        return b"a" * max(shape.metadata.get("min", 1), 1)
    if kind == "list":
        return [valid_value(shape.member) for _ in range(max(shape.metadata.get("min", 1), 1))]
    if kind == "map":
        return {valid_value(shape.key): valid_value(shape.value)}
    if kind == "structure":
        names = shape.required_members or list(shape.members)[:1]  # never an empty structure
        return {name: valid_value(shape.members[name]) for name in names}
    raise ValueError(kind)


def valid_params(service: str, action: str) -> dict[str, Any]:
    """The operation's required members, each with a value the model accepts."""
    operation = operation_model(service, action)
    shape = operation.input_shape if operation is not None else None
    if shape is None:
        return {}
    return {name: valid_value(shape.members[name]) for name in shape.required_members}


@dataclass
class InvalidCase:
    action: str
    params: dict[str, Any]  # valid values, serialised by boto3
    raw: dict[str, str]  # query keys then set as they are: the broken value
    label: str  # the member's name in AWS's message
    broken: str  # which constraint: "too long", "pattern", ...


def _string_cases(shape: Shape) -> list[tuple[str, str]]:
    cases = []
    low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
    if high is not None and high < 100_000:
        cases.append(("too long", "a" * (high + 1)))
    if low > 1:
        cases.append(("too short", "a" * (low - 1)))
    if shape.enum:
        cases.append(("enum", "NotAnEnumValue"))
    elif shape.metadata.get("pattern"):
        base = valid_string(shape)
        for bad in _BAD_CHARACTERS:
            text = (bad + (base or "a"))[: high or None]
            if text != base and any("regular expression" in p for p in value_problems(shape, text)):
                cases.append(("pattern", text))
                break
    return cases


def _scalar_cases(shape: Shape) -> list[tuple[str, str]]:
    kind = shape.type_name
    if kind == "string":
        return _string_cases(shape)
    if kind in ("integer", "long"):
        cases = [("type", "not-a-number")]
        if "min" in shape.metadata:
            cases.append(("below minimum", str(shape.metadata["min"] - 1)))
        if "max" in shape.metadata:
            cases.append(("above maximum", str(shape.metadata["max"] + 1)))
        return cases
    if kind == "boolean":
        return [("type", "maybe")]
    if kind == "timestamp":
        return [("type", "yesterday")]
    return []


def invalid_cases(service: str, action: str) -> list[InvalidCase]:
    """One case per broken constraint of each top-level scalar member, each list's string
    elements and each member of a list's structures (tags), in the query protocol's keys."""
    cases = []
    base = valid_params(service, action)
    for name, shape in member_shapes(service, action).items():
        label = lower_camel(name)
        if shape.type_name == "list":
            element = shape.member
            if element.type_name == "structure":
                params = {**base, name: [valid_value(element)]}
                for sub, sub_shape in element.members.items():
                    for broken, value in _scalar_cases(sub_shape):
                        key, where = (
                            f"{name}.member.1.{sub}",
                            f"{label}.1.member.{lower_camel(sub)}",
                        )
                        cases.append(InvalidCase(action, params, {key: value}, where, broken))
            else:
                params = {**base, name: [valid_value(element)]}
                for broken, value in _scalar_cases(element):
                    raw = {f"{name}.member.1": value}
                    cases.append(InvalidCase(action, params, raw, f"{label}.1.member", broken))
            continue
        for broken, value in _scalar_cases(shape):
            params = {key: item for key, item in base.items() if key != name}
            cases.append(InvalidCase(action, params, {name: value}, label, broken))
    return cases
