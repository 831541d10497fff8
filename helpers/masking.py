"""Secrets stay secret: how seeds, secret keys and passwords look in outputs."""

from __future__ import annotations

BULLET = "•"


def mask(secret: str | bytes | None, keep: int = 4) -> str:
    """``wJal••••••••`` — the first ``keep`` characters, the rest hidden (length not revealed)."""
    if secret is None:
        return ""
    text = secret.decode() if isinstance(secret, bytes) else str(secret)
    return text[: min(keep, len(text) // 4)] + BULLET * 8


def mask_access_key_id(access_key_id: str) -> str:
    """``AKIA••••••••WXYZ``: enough to tell keys apart, as the console shows them."""
    return f"{access_key_id[:4]}{BULLET * 8}{access_key_id[-4:]}"
