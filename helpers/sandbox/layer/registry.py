"""Where topic modules register the rules they add to moto.

- ``@before("iam", "EnableMFADevice")``: ``fn(call) -> Response | None``. Raise ``AwsError`` to
  refuse the call; return a ``Response`` to answer it without moto; return None to let moto
  answer.
- ``@after("iam", "GetAccountSummary")``: ``fn(call, response) -> Response``, to correct
  moto's answer (called for moto's successful answers only).
- ``@console_action("enable-root-mfa")``: ``fn(payload: dict) -> dict``, a console-only action
  reachable at ``POST /_sandbox/console/enable-root-mfa`` with a JSON body.
- ``@on_reset``: ``fn()``, to forget the topic's state when the sandbox is reset.
- ``@hint("iam", "CreateAccountAlias")``: ``fn(call, problems) -> str | None``, plain words
  added after AWS's message when the call breaks the service model's constraints
  (``validation.py`` checks them before any ``@before`` rule runs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from helpers.sandbox.layer.wire import Caller, Response


@dataclass
class Call:
    """One IAM or STS request as the layer sees it."""

    service: str
    action: str
    params: dict[str, str]
    caller: Caller
    environ: dict = field(default_factory=dict, repr=False)  # the HTTP request, as WSGI gives it

    def param(self, name: str, default: str | None = None) -> str | None:
        return self.params.get(name, default)

    def members(self, prefix: str) -> list[str]:
        """A query-protocol list: ``prefix.member.1``, ``prefix.member.2``, ..."""
        values, index = [], 1
        while f"{prefix}.member.{index}" in self.params:
            values.append(self.params[f"{prefix}.member.{index}"])
            index += 1
        return values


BeforeHook = Callable[[Call], Response | None]
AfterHook = Callable[[Call, Response], Response]

BEFORE: dict[tuple[str, str], list[BeforeHook]] = defaultdict(list)
AFTER: dict[tuple[str, str], list[AfterHook]] = defaultdict(list)
CONSOLE: dict[str, Callable[[dict], dict]] = {}
RESET: list[Callable[[], None]] = []
HintFn = Callable[[Call, list[str]], str | None]
HINTS: dict[tuple[str, str], list[HintFn]] = defaultdict(list)


def before(service: str, *actions: str) -> Callable[[BeforeHook], BeforeHook]:
    def register(fn: BeforeHook) -> BeforeHook:
        for action in actions:
            BEFORE[(service, action)].append(fn)
        return fn

    return register


def after(service: str, *actions: str) -> Callable[[AfterHook], AfterHook]:
    def register(fn: AfterHook) -> AfterHook:
        for action in actions:
            AFTER[(service, action)].append(fn)
        return fn

    return register


def console_action(name: str) -> Callable[[Callable[[dict], dict]], Callable[[dict], dict]]:
    def register(fn: Callable[[dict], dict]) -> Callable[[dict], dict]:
        CONSOLE[name] = fn
        return fn

    return register


def on_reset(fn: Callable[[], None]) -> Callable[[], None]:
    RESET.append(fn)
    return fn


def hint(service: str, *actions: str) -> Callable[[HintFn], HintFn]:
    def register(fn: HintFn) -> HintFn:
        for action in actions:
            HINTS[(service, action)].append(fn)
        return fn

    return register


def hint_for(call: Call, problems: list[str]) -> str | None:
    """The registered plain-words hints for a call refused by the model's constraints."""
    said = [fn(call, problems) for fn in HINTS.get((call.service, call.action), [])]
    return " ".join(text for text in said if text) or None
