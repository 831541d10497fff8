"""mfa rules of the sandbox (to be written)."""
