"""The tutorial's forms (ipywidgets): they collect input, check it against AWS's rules as it is
typed, and run a plain function given to them; results and AWS's refusals show in the form.

>>> form = NameForm("user", action=lambda name: users.create_user(iam, name))
>>> form.submit()                     # the same as clicking form.button
"""

from .alias_form import AliasForm
from .base import Form
from .code_entry import CodeEntry
from .group_form import GroupForm
from .name_form import NameForm
from .password_form import PasswordForm, console_password_action, password_checklist
from .policy_form import PolicyForm
from .qr_view import qr_image
from .sign_in_form import SignInForm

__all__ = [
    "AliasForm",
    "CodeEntry",
    "Form",
    "GroupForm",
    "NameForm",
    "PasswordForm",
    "PolicyForm",
    "SignInForm",
    "console_password_action",
    "password_checklist",
    "qr_image",
]
