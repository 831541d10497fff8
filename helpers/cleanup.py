"""Start again: empty the sandbox account, delete the downloaded credentials files of the old
account and, when asked, throw the virtual phone away (lesson 07's clean-up)."""

from __future__ import annotations

from typing import Any

from helpers import downloads
from helpers.authenticator import forget_phone
from helpers.i18n import _


def clean_up(aws: Any, forget_the_phone: bool = False) -> list[str]:
    """Empty the sandbox account (``helpers.sandbox.reset()``); delete the downloaded
    credentials files, whose keys and passwords belonged to the emptied account; and, when
    asked, throw the virtual phone away (its encrypted backup stays). Sandbox only."""
    if not aws.is_sandbox:
        raise RuntimeError("clean_up() empties the sandbox only; a real account is left alone.")
    from helpers.sandbox import reset

    reset()
    done = [_("Emptied the sandbox account: no users, groups, alias, password policy or root MFA.")]
    files = downloads.credentials_files()
    for path in files:
        path.unlink()
    if files:
        done.append(
            _("Deleted {count} downloaded credentials file(s) of the old account.").format(
                count=len(files)
            )
        )
    if forget_the_phone:
        if forget_phone():
            done.append(_("Threw the virtual phone away (its encrypted backup stays)."))
        else:
            done.append(_("There was no virtual phone to throw away."))
    else:
        done.append(_("Kept the virtual phone; its old entries no longer match any device."))
    return done
