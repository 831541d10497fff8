"""AWS errors as a learner should see them: the error code, AWS's message, and what to do."""

from __future__ import annotations

import html
from collections.abc import Callable

from botocore.exceptions import ClientError

from helpers.i18n import N_, _

WHAT_TO_DO = {
    "InvalidAuthenticationCode": N_(
        "Type the two codes the phone shows one after the other: the "
        "current one, then the next one once it changes. Check the phone's account matches the "
        "QR code."
    ),
    "AccessDenied": N_(
        "This identity is not allowed to do that (no policy allows it, or a Deny "
        "matched), or the MFA code was wrong."
    ),
    "AccessDeniedException": N_(
        "This identity is not allowed to do that: no policy allows it, or a Deny matched."
    ),
    "EntityAlreadyExists": N_(
        "That name is taken (IAM names are unique regardless of upper and "
        "lower case). Pick another name, or use the existing one."
    ),
    "NoSuchEntity": N_(
        "Nothing by that name exists here. Check the spelling (names are "
        "case-sensitive) or run the earlier lesson that creates it."
    ),
    "ValidationError": N_(
        "The value breaks one of AWS's rules, quoted above. Change it and try again."
    ),
    "PasswordPolicyViolation": N_(
        "The password breaks the account's password policy. Make it "
        "longer or add the missing kind of character."
    ),
    "DeleteConflict": N_(
        "Remove what still depends on it first (keys, password, MFA devices, "
        "policies, group memberships), then delete it."
    ),
    "LimitExceeded": N_(
        "AWS's quota is reached (2 access keys or 8 MFA devices per user). Delete one first."
    ),
    "InvalidClientTokenId": N_(
        "These credentials are unknown or inactive: the key was deleted, "
        "deactivated, or belongs to a sandbox that was reset."
    ),
    "MissingAuthenticationToken": N_("The request was not signed: no credentials were found."),
    "ExpiredToken": N_("The temporary credentials have expired: get new ones."),
    "AuthenticationFailed": N_("Check the account (id or alias), the user name and the password."),
    "PasswordResetRequired": N_("The user must choose a new password at this first sign-in."),
    "MFARequired": N_("This user has an MFA device: type the code the phone shows."),
}


REFUSALS = ("AccessDenied", "AccessDeniedException")
# Where a refusal's explanation comes from: the sandbox's ``explain`` console action, set by
# ``connect()`` for the sandbox (AWS itself explains nothing beyond its message).
_explainer: Callable[[str], str | None] | None = None


def set_explainer(explainer: Callable[[str], str | None] | None) -> None:
    global _explainer
    _explainer = explainer


def why(error: ClientError) -> str | None:
    """The sandbox's plain explanation of a refusal (which policy and statement decided it)."""
    request_id = error.response.get("ResponseMetadata", {}).get("RequestId")
    if _explainer is None or error_code(error) not in REFUSALS or not request_id:
        return None
    try:
        return _explainer(request_id)
    except Exception:  # an explanation is a bonus: never hide AWS's own answer behind it
        return None


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "Unknown")


def explain(error: ClientError) -> str:
    """One short paragraph: code, AWS's message, what to do."""
    code = error_code(error)
    message = error.response.get("Error", {}).get("Message", "")
    advice = _(WHAT_TO_DO.get(code, ""))
    reason = why(error)
    return (
        f"{code}: {message}"
        + (("\n" + _("Why (the sandbox explains):") + f" {reason}") if reason else "")
        + (f"\n→ {advice}" if advice else "")
    )


def error_html(error: ClientError) -> str:
    code = html.escape(error_code(error))
    message = html.escape(error.response.get("Error", {}).get("Message", ""))
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    advice = html.escape(_(WHAT_TO_DO.get(error_code(error), "")))
    reason = why(error)
    if reason:
        why_label = _("Why (the sandbox explains):")
        message += f"<br><i>{why_label}</i> {html.escape(reason)}"
    refused, what_to_do = _("AWS refused:"), _("What to do:")
    return (
        '<div style="border-left:4px solid #d13212;background:#fdf3f1;padding:8px 12px;'
        'margin:4px 0;border-radius:4px;font-family:sans-serif">'
        f"<b>{refused} {code}</b> <span style='color:#666'>(HTTP {status})</span><br>"
        f"{message}" + (f"<br><i>{what_to_do}</i> {advice}" if advice else "") + "</div>"
    )


class FriendlyError:
    """Displays as the friendly box in a notebook and as plain text elsewhere."""

    def __init__(self, error: ClientError) -> None:
        self.error = error

    def _repr_html_(self) -> str:
        return error_html(self.error)

    def __repr__(self) -> str:
        return explain(self.error)


def install_notebook_handler() -> bool:
    """In IPython, show an uncaught ``ClientError`` as the friendly box, not a traceback."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(shell, kind, value, tb, tb_offset=None):
        display(FriendlyError(value))
        return None

    shell.set_custom_exc((ClientError,), handler)
    return True
