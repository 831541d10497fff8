"""Lesson 02 (root MFA): when to skip, and what the "Assign MFA" button runs: the same console
action as the notebook's code cell."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from botocore.exceptions import ClientError

from helpers import defaults
from helpers.authenticator import Phone
from helpers.forms.layout import note
from helpers.i18n import N_, _
from helpers.mfa_setup import device_name_of, phone_account_for

if TYPE_CHECKING:
    from helpers.status import Report

# IAM User Guide, "Enable a virtual MFA device for the root user (console)".
ROOT_MFA_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html"
REAL_ACCOUNT = N_(
    "This notebook is connected to a real AWS account. There, the root user's MFA is turned "
    "on only in the AWS console, with your real phone:\n"
    "  1. sign in to the AWS console as root (the account's email address and password);\n"
    "  2. account menu (top right) → Security credentials;\n"
    "  3. in Multi-factor authentication (MFA): Assign MFA device, give it a name;\n"
    "  4. choose Authenticator app → Next → Show QR code, and scan it with your phone's app;\n"
    "  5. type two consecutive codes from the app → Add MFA.\n"
    "({page})\n"
    "This notebook then reads the account summary (AccountMFAEnabled) to see the result."
)
ITEMS = ("console.root_mfa", "cis.1.4")
SCORE = 2  # console items green after this lesson (more when later lessons are done)
# A second device, only for showing a refusal on a re-run: AWS lets root have up to 8 ("General
# steps for enabling MFA devices", IAM User Guide), and the demonstration cancels it afterwards.
PRACTICE_DEVICE_NAME = "root-practice-device"
WRONG_CODES = ("123456", "654321")  # a typo, or two codes that are not consecutive


def start_root_mfa(aws: Any, phone: Phone) -> tuple[dict | None, str]:
    """The lesson's first step (the notebook's cell and the catch-up): a new virtual MFA device
    for root, waiting for two codes, and what happened. No device (None) when root already has
    one the phone knows, or on a real account, where only the console can do it. A device
    whose phone entry is gone is removed first, as after a lost phone."""
    if aws.console is None:
        return None, _(REAL_ACCOUNT).format(page=ROOT_MFA_PAGE)
    status = aws.console.root_status()
    removed = ""
    if status["MFAEnabled"]:
        serial = status["MFADevices"][0]
        names = [device_name_of(serial) for serial in status["MFADevices"]]
        if any(phone_account_for(phone, name) for name in names):
            return None, _(
                "Root already has an MFA device ({serial}): nothing to start. (In the sandbox,\n"
                "aws.console.deactivate_root_mfa() removes it, if you want to practise again.)"
            ).format(serial=serial)
        aws.console.deactivate_root_mfa()
        removed = _(
            "Root had an MFA device the phone no longer knows: removed it, as after a lost "
            "phone. Now a new one."
        )
        removed += "\n"
    device = aws.console.start_root_mfa(defaults.ROOT_MFA_DEVICE_NAME)
    device.pop("Base32StringSeed", None)  # the secret behind the QR code: never shown
    waits = _("A new MFA device waits for two codes: {serial}").format(
        serial=device["SerialNumber"]
    )
    return device, removed + waits


def root_mfa_enabled(aws: Any) -> bool:
    """Whether root has MFA, as any administrator can read it: ``get_account_summary``'s
    ``AccountMFAEnabled`` (the same on the sandbox and on AWS)."""
    # aws iam get-account-summary
    return aws.iam.get_account_summary()["SummaryMap"]["AccountMFAEnabled"] == 1


def wait_for_root_mfa(
    aws: Any, timeout: float = 600, every: float = 10, sleep: Callable[[float], Any] = time.sleep
) -> str:
    """On a real account: wait (up to ``timeout`` seconds) until the console step above has
    turned root's MFA on, reading the account summary every ``every`` seconds."""
    waited = 0.0
    while not root_mfa_enabled(aws):
        if waited >= timeout:
            return _(
                "Root has no MFA yet (AccountMFAEnabled is 0). Do the console steps above, then "
                "run this cell again."
            )
        sleep(every)
        waited += every
    return root_mfa_line(aws)


def root_mfa_line(aws: Any) -> str:
    """Root's MFA as the account summary says it, in one line that is the same whether this run
    turned it on or an earlier one did."""
    if root_mfa_enabled(aws):
        return _("MFA is on for root (AccountMFAEnabled is 1): signing in as root asks for a code.")
    return _("Root has no MFA yet (AccountMFAEnabled is 0).")


def try_wrong_codes(aws: Any, device: dict | None) -> ClientError | str:
    """Send two made-up codes as the console's "Add MFA" would, and return AWS's refusal. They go
    to ``device`` while it waits for codes; when root has MFA already (a re-run), to a new device
    started for the purpose, cancelled afterwards so that nothing half-made stays. On a real
    account there is no console to call: a note instead."""
    if aws.console is None:
        return _(
            "On a real account, type two wrong codes in the console's Assign MFA page to see it."
        )
    practice = not waiting(aws, device)
    if practice:
        serial = aws.console.start_root_mfa(PRACTICE_DEVICE_NAME)["SerialNumber"]
    else:
        serial = device["SerialNumber"]  # type: ignore[index]
    try:
        aws.console.enable_root_mfa(serial, *WRONG_CODES)
    except ClientError as refusal:
        return refusal
    finally:
        if practice and serial not in aws.console.root_status()["MFADevices"]:
            aws.console.cancel_root_mfa()
    return _("AWS accepted the codes {first} and {second}: {serial} is now on.").format(
        first=WRONG_CODES[0], second=WRONG_CODES[1], serial=serial
    )


def waiting(aws: Any, device: dict | None) -> bool:
    """Whether ``device`` still waits for its two codes (root has no MFA yet)."""
    return device is not None and not aws.console.root_status()["MFAEnabled"]


def enable_root_mfa(
    aws: Any, device: dict, code1: str, code2: str, then: Callable[[], Any] | None = None
) -> str:
    """Turn the waiting device on with two consecutive codes (the console's "Add MFA"), then
    ``then()`` (the checklist's refresh). The button, the code cell and the catch-up call this."""
    aws.console.enable_root_mfa(device["SerialNumber"], code1, code2)
    if then is not None:
        then()
    return _("MFA is on for root: from now on, signing in as root asks for a code.")


def enable_action(
    aws: Any, device: dict | None, then: Callable[[], Any] | None = None
) -> Callable[[str, str], str | widgets.HTML]:
    """What the CodeEntry's "Assign MFA" runs: ``enable_root_mfa`` with the two typed codes
    (a refusal is shown by the form as the friendly box)."""

    def enable(code1: str, code2: str) -> str | widgets.HTML:
        if device is None:
            return note(_("No device is waiting for codes: root already has MFA (see above)."))
        if not waiting(aws, device):
            return note(_("Root already has MFA (an earlier click or the code cell did it)."))
        return enable_root_mfa(aws, device, code1, code2, then)

    return enable


def items(report: Report) -> str:
    """This lesson's checklist lines (``ITEMS``), from an already made check."""
    return report.lesson_items(ITEMS)
