"""Read an authenticator setup QR code: decode the image, then parse its ``otpauth://`` URI."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, unquote, urlsplit

import zxingcpp
from PIL import Image, UnidentifiedImageError

from helpers.i18n import N_, _

from .errors import AuthenticatorError
from .totp import ALGORITHM, DIGITS, PERIOD, Account

QrImage = bytes | bytearray | memoryview | Image.Image


def _open_image(image: QrImage) -> Image.Image:
    if isinstance(image, Image.Image):
        picture = image
    elif isinstance(image, bytes | bytearray | memoryview):
        try:
            picture = Image.open(io.BytesIO(bytes(image)))
            picture.load()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise AuthenticatorError(
                _("This is not an image: pass the QR code PNG the console shows (its bytes).")
            ) from None
    else:
        raise AuthenticatorError(
            _("Cannot scan a {kind}: pass the QR code as PNG bytes or a PIL image.").format(
                kind=type(image).__name__
            )
        )
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        # A transparent background would read as black; put the code on white paper.
        rgba = picture.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        picture = Image.alpha_composite(paper, rgba)
    return picture.convert("L")


def decode_qr(image: QrImage) -> str:
    """The text held by the QR code in ``image`` (PNG bytes or a PIL image)."""
    found = zxingcpp.read_barcodes(_open_image(image), formats=zxingcpp.BarcodeFormat.QRCode)
    if not found:
        raise AuthenticatorError(
            _(
                "No QR code could be read in this image. Make sure the whole code is in the "
                "picture, sharp and not cut off; or use 'Enter key manually' with the setup "
                "key instead."
            )
        )
    return found[0].text


def parse_otpauth(uri: str) -> Account:
    """The account described by an ``otpauth://totp/ISSUER:NAME?secret=...&issuer=...`` URI.

    Only what AWS virtual MFA uses is accepted: TOTP with SHA-1, 6 digits, 30 s.
    Error messages never repeat the URI, since it holds the secret.
    """
    parts = urlsplit(uri.strip())
    if parts.scheme.lower() != "otpauth":
        raise AuthenticatorError(
            _(
                "This QR code is not an authenticator setup code (it does not start with "
                "'otpauth://'). Scan the QR code shown when you set up the virtual MFA device."
            )
        )
    if parts.netloc.lower() == "hotp":
        raise AuthenticatorError(
            _(
                "This QR code sets up a counter-based (HOTP) token; AWS virtual MFA uses "
                "time-based (TOTP) codes, which is what this app supports."
            )
        )
    if parts.netloc.lower() != "totp":
        raise AuthenticatorError(
            _("This QR code is an otpauth code of an unknown type; only 'otpauth://totp/' works.")
        )
    params = {name.lower(): values[0] for name, values in parse_qs(parts.query).items()}
    _check_param(params, "algorithm", ALGORITHM, N_("algorithm"))
    _check_param(params, "digits", str(DIGITS), N_("number of digits"))
    _check_param(params, "period", str(PERIOD), N_("period (seconds)"))
    if "secret" not in params:
        raise AuthenticatorError(_("This setup QR code holds no secret key; it cannot make codes."))
    label = unquote(parts.path.lstrip("/"))
    prefix, colon, _rest = label.partition(":")
    issuer = params.get("issuer", "") or (prefix if colon else "")
    # Account drops the "ISSUER:" prefix from the label when it matches the issuer.
    return Account(issuer=issuer, label=label, secret=params["secret"])


def _check_param(params: dict[str, str], name: str, expected: str, what: str) -> None:
    value = params.get(name)
    if value is not None and value.strip().upper() != expected.upper():
        raise AuthenticatorError(
            _(
                "This QR code asks for {what} {value}, but AWS virtual MFA uses {expected}; "
                "this app only makes codes of that kind."
            ).format(what=_(what), value=f"{value!s:.10}", expected=expected)
        )


def account_from_qr(image: QrImage) -> Account:
    """Scan a setup QR code image into an account, as with "Scan QR code"."""
    return parse_otpauth(decode_qr(image))
