"""The one exception the virtual authenticator raises."""


class AuthenticatorError(ValueError):
    """Something the learner can fix: the message says what happened and what to do.

    Messages never contain a setup key (seed), a PIN or a password.
    """


class PhoneLockedError(AuthenticatorError):
    """The phone is locked: unlock it with its PIN first."""
