"""A new access key made on a real account by "Apply": AWS shows its secret once, so the form
offers the console's "Download .csv file" (``<user>_accessKeys.csv``, mode 0600) on the
learner's click. The secret is never drawn on screen; without the click nothing is written and
the key can be deleted again (``python -m helpers.undo``)."""

from __future__ import annotations

import warnings
from typing import Any

from helpers.i18n import _
from helpers.iam.access_keys import AccessKey, load_access_key_csv, save_access_key_csv
from helpers.masking import mask_access_key_id

from . import style
from .base import Form


def unsaved_keys(result: Any) -> list[AccessKey]:
    """The access keys in what a step answered whose secret is in no file yet."""
    found = result if isinstance(result, list | tuple) else [result]
    return [
        key
        for key in found
        if isinstance(key, AccessKey) and load_access_key_csv(key.user_name) != key
    ]


def save_key_file(key: AccessKey) -> str:
    """Save ``key`` as the console's download does; the line that says where."""
    with warnings.catch_warnings():  # the line below says it, in the learner's language
        warnings.simplefilter("ignore")
        path = save_access_key_csv(key, real_account=True, allow_write=True)
    return _(
        "Saved to {path} (mode 0600: only you can read it). Move the key to a password "
        "manager, then delete the file: anyone who reads it can act as {user}."
    ).format(path=path, user=key.user_name)


class KeyFileForm(Form):
    """The "Download .csv file" step for a key ``Apply`` made on a real account."""

    def __init__(self, key: AccessKey) -> None:
        super().__init__(
            _("The new access key of {user}").format(user=key.user_name),
            _("Save the key file"),
            _(
                "AWS shows the secret access key of {key} only now. Save it to a file only you "
                "can read, or it is lost (you would then make another key)."
            ).format(key=mask_access_key_id(key.access_key_id)),
        )
        self.key, self.saved = key, False
        self.finish([])

    def run(self) -> str:
        line = save_key_file(self.key)
        self.saved = True
        return style.ok(line)

    def refresh(self) -> list[str]:
        problems = super().refresh()
        if self.saved:  # saved once: a second click has nothing to do
            self.button.disabled = True
        return problems
