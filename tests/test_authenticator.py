"""The virtual authenticator: TOTP codes, QR scanning, and the phone that keeps accounts."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
import qrcode
from PIL import Image, ImageFilter, ImageOps

from helpers.authenticator import (
    Account,
    AuthenticatorError,
    Phone,
    PhoneLockedError,
    account_from_key,
    account_from_qr,
    current_code,
    decode_qr,
    forget_phone,
    format_code,
    normalize_secret,
    open_phone,
    parse_otpauth,
    phone_path,
    seconds_remaining,
    two_consecutive_codes,
)

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "Amazon Web Services"
LABEL = "root-account-mfa-device@123456789012"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OTHER_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
T = 1_700_000_000  # a fixed moment, so tests never depend on the clock


def aws_uri(secret: str = SECRET, label: str = LABEL) -> str:
    issuer = "Amazon%20Web%20Services"
    return f"otpauth://totp/{issuer}:{label}?secret={secret}&issuer={issuer}"


def qr_png(text: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(text, **options).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_image(text: str) -> Image.Image:
    return Image.open(io.BytesIO(qr_png(text))).convert("L")


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("TUTORIAL_STATE_DIR", str(folder))
    return folder


# --- TOTP ------------------------------------------------------------------------------------

RFC6238_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("moment", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_rfc6238_sha1_vectors(moment: int, eight_digits: str) -> None:
    assert current_code(RFC6238_SECRET, moment) == eight_digits[-6:]


def test_codes_match_pyotp_for_many_moments() -> None:
    totp = pyotp.TOTP(SECRET)
    for moment in range(T, T + 600, 7):
        assert current_code(SECRET, moment) == totp.at(moment)


def test_code_at_a_datetime() -> None:
    moment = datetime.fromtimestamp(59, tz=UTC)
    assert current_code(RFC6238_SECRET, moment) == "287082"


def test_current_code_defaults_to_now() -> None:
    totp = pyotp.TOTP(SECRET)
    before, code, after = totp.now(), current_code(SECRET), totp.now()
    assert code in {before, after}


def test_two_consecutive_codes_are_the_codes_30_seconds_apart() -> None:
    for moment in (T, T + 1, T + 29, T + 30, 59):
        first, second = two_consecutive_codes(SECRET, moment)
        assert first == pyotp.TOTP(SECRET).at(moment)
        assert second == pyotp.TOTP(SECRET).at(moment + 30)
    assert two_consecutive_codes(RFC6238_SECRET, 59)[0] == "287082"


def test_seconds_remaining() -> None:
    assert seconds_remaining(59) == 1
    assert seconds_remaining(60) == 30
    assert seconds_remaining(61) == 29
    assert 1 <= seconds_remaining() <= 30


def test_format_code_groups_digits() -> None:
    assert format_code("287082") == "287 082"


def test_typed_key_tolerates_spaces_lower_case_and_padding() -> None:
    typed = " ".join(SECRET[i : i + 4] for i in range(0, len(SECRET), 4)).lower()
    assert normalize_secret(typed) == SECRET
    assert normalize_secret("gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq") == OTHER_SECRET
    account = account_from_key(ISSUER, LABEL, typed)
    assert account.secret == SECRET
    assert account.code(T) == pyotp.TOTP(SECRET).at(T)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("", "empty"),
        ("JBSWY3DPEHPK3PX0", "0/O"),  # 0 is not base32
        ("JBSWY3DPEHPK3PX!", "A-Z"),
        ("JBSWY3DP", "too short"),
        ("JBSWY3DPEHPK3PXPJ", "length"),  # 17 characters cannot be base32
    ],
)
def test_bad_typed_key_is_refused_without_echoing_it(key: str, hint: str) -> None:
    with pytest.raises(AuthenticatorError, match=hint) as caught:
        account_from_key(ISSUER, LABEL, key)
    if key:
        assert key not in str(caught.value)


def test_account_repr_masks_the_secret() -> None:
    account = Account(ISSUER, LABEL, SECRET)
    assert SECRET not in repr(account)
    assert SECRET[4:12] not in repr(account)
    assert "JBSW…" in repr(account)
    assert SECRET not in str(account)


def test_label_drops_the_issuer_prefix() -> None:
    assert Account(ISSUER, f"{ISSUER}:{LABEL}", SECRET).label == LABEL
    assert Account(ISSUER, f"{ISSUER}:{LABEL}", SECRET).name == f"{ISSUER}:{LABEL}"


# --- QR codes --------------------------------------------------------------------------------


def test_aws_qr_round_trip() -> None:
    seed = pyotp.random_base32(64)
    account = account_from_qr(qr_png(aws_uri(seed)))
    assert (account.issuer, account.label, account.secret) == (ISSUER, LABEL, seed)
    for moment in (T, T + 30, T + 3600):
        assert account.code(moment) == pyotp.TOTP(seed).at(moment)


@pytest.mark.parametrize("scale", [0.35, 0.5, 1, 2.5])
def test_qr_at_other_sizes_and_as_pil_image(scale: float) -> None:
    image = qr_image(aws_uri())
    size = (int(image.width * scale), int(image.height * scale))
    assert account_from_qr(image.resize(size)).secret == SECRET


def test_qr_with_small_boxes_and_transparent_background() -> None:
    assert account_from_qr(qr_png(aws_uri(), box_size=3, border=1)).secret == SECRET
    ink = ImageOps.invert(qr_image(aws_uri()))  # dark modules opaque, the rest transparent
    black = Image.new("L", ink.size, 0)
    image = Image.merge("RGBA", (black, black, black, ink))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert account_from_qr(buffer.getvalue()).secret == SECRET


def test_decode_qr_returns_the_text() -> None:
    assert decode_qr(qr_png("https://example.com/")) == "https://example.com/"


def test_parse_otpauth_with_explicit_defaults() -> None:
    account = parse_otpauth(aws_uri() + "&algorithm=SHA1&digits=6&period=30")
    assert (account.issuer, account.label, account.secret) == (ISSUER, LABEL, SECRET)


def test_parse_otpauth_without_issuer_parameter_or_prefix() -> None:
    assert parse_otpauth(f"otpauth://totp/AWS:alice?secret={SECRET}").issuer == "AWS"
    assert parse_otpauth(f"otpauth://totp/AWS:alice?secret={SECRET}").label == "alice"
    bare = parse_otpauth(f"otpauth://totp/alice?secret={SECRET.lower()}")
    assert (bare.issuer, bare.label, bare.secret) == ("", "alice", SECRET)


@pytest.mark.parametrize(
    ("uri", "hint"),
    [
        ("https://console.aws.amazon.com/", "not an authenticator setup code"),
        (f"otpauth://hotp/AWS:alice?secret={SECRET}&counter=0", "HOTP"),
        (f"otpauth://totp/AWS:alice?secret={SECRET}&algorithm=SHA256", "algorithm"),
        (f"otpauth://totp/AWS:alice?secret={SECRET}&digits=8", "digits"),
        (f"otpauth://totp/AWS:alice?secret={SECRET}&period=60", "period"),
        ("otpauth://totp/AWS:alice?issuer=AWS", "no secret"),
        ("otpauth://totp/AWS:alice?secret=NOT-BASE32-1890", "base32"),
    ],
)
def test_parse_otpauth_refuses_what_aws_mfa_cannot_use(uri: str, hint: str) -> None:
    with pytest.raises(AuthenticatorError, match=hint) as caught:
        parse_otpauth(uri)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("https://aws.amazon.com/iam/", "not an authenticator setup code"),
        (f"otpauth://hotp/AWS:alice?secret={SECRET}&counter=0", "HOTP"),
    ],
)
def test_scanning_a_qr_that_is_not_totp_is_refused(text: str, hint: str) -> None:
    with pytest.raises(AuthenticatorError, match=hint) as caught:
        account_from_qr(qr_png(text))
    assert SECRET not in str(caught.value)


def test_scanning_a_blurred_qr_is_refused() -> None:
    blurred = qr_image(aws_uri()).filter(ImageFilter.GaussianBlur(12))
    with pytest.raises(AuthenticatorError, match="No QR code could be read"):
        account_from_qr(blurred)


@pytest.mark.parametrize("half", ["left", "top"])
def test_scanning_a_cut_qr_is_refused(half: str) -> None:
    image = qr_image(aws_uri())
    box = (0, 0, image.width // 2, image.height)
    if half == "top":
        box = (0, 0, image.width, image.height // 2)
    buffer = io.BytesIO()
    image.crop(box).save(buffer, format="PNG")
    with pytest.raises(AuthenticatorError, match="not cut off"):
        account_from_qr(buffer.getvalue())


@pytest.mark.parametrize("data", [os.urandom(2048), b"", b"\x89PNG\r\n\x1a\n broken"])
def test_scanning_something_that_is_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(AuthenticatorError, match="not an image"):
        account_from_qr(data)


def test_scanning_a_wrong_type_is_refused() -> None:
    with pytest.raises(AuthenticatorError, match="PNG bytes"):
        account_from_qr(12345)  # type: ignore[arg-type]


def test_an_image_without_a_qr_code_is_refused() -> None:
    with pytest.raises(AuthenticatorError, match="No QR code"):
        account_from_qr(Image.new("L", (300, 300), "white"))


# --- the phone -------------------------------------------------------------------------------


def test_phone_lives_in_the_state_folder(state: Path) -> None:
    assert phone_path() == state / "phone.json"
    assert open_phone().path == state / "phone.json"
    assert not phone_path().exists()  # nothing written until something changes


def test_scan_then_read_codes() -> None:
    phone = open_phone()
    added = phone.scan_qr(qr_png(aws_uri()))
    assert not added.replaced
    assert str(added) == f"Added {ISSUER} ({LABEL})."
    assert phone.code(now=T) == pyotp.TOTP(SECRET).at(T)
    assert phone.code(LABEL, now=T) == pyotp.TOTP(SECRET).at(T)
    assert phone.two_consecutive_codes(now=T) == two_consecutive_codes(SECRET, T)
    [reading] = phone.read(now=T + 5)
    assert (reading.issuer, reading.label) == (ISSUER, LABEL)
    assert reading.code == pyotp.TOTP(SECRET).at(T + 5)
    assert reading.seconds_left == seconds_remaining(T + 5)


def test_typed_key_gives_the_same_codes_as_the_scan() -> None:
    phone = open_phone()
    phone.enter_key("GitHub", "alice", OTHER_SECRET.lower())
    assert phone.code("GitHub", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)


def test_bad_typed_key_changes_nothing() -> None:
    phone = open_phone()
    with pytest.raises(AuthenticatorError):
        phone.enter_key(ISSUER, LABEL, "not a key")
    assert phone.accounts() == []


def test_same_issuer_and_label_replaces_the_entry() -> None:
    phone = open_phone()
    phone.scan_qr(qr_png(aws_uri(OTHER_SECRET)))
    added = phone.scan_qr(qr_png(aws_uri(SECRET)))
    assert added.replaced and not added.same_key
    assert "Replaced the existing entry" in added.message
    assert [a.secret for a in phone.accounts()] == [SECRET]
    assert phone.code(now=T) == pyotp.TOTP(SECRET).at(T)
    again = phone.enter_key(ISSUER, f"{ISSUER}:{LABEL}", SECRET)
    assert again.replaced and again.same_key
    assert len(phone.accounts()) == 1


def test_other_labels_are_kept_apart() -> None:
    phone = open_phone()
    phone.scan_qr(qr_png(aws_uri(SECRET)))
    phone.scan_qr(qr_png(aws_uri(OTHER_SECRET, label="alice@123456789012")))
    assert len(phone.accounts()) == 2
    with pytest.raises(AuthenticatorError, match="Which account"):
        phone.code()
    with pytest.raises(AuthenticatorError, match="No account 'bob'"):
        phone.code("bob")
    assert phone.code("alice@123456789012", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)


def test_remove_account() -> None:
    phone = open_phone()
    phone.scan_qr(qr_png(aws_uri()))
    phone.enter_key("GitHub", "alice", OTHER_SECRET)
    assert phone.remove("GitHub") == "Removed GitHub (alice)."
    assert [a.issuer for a in phone.accounts()] == [ISSUER]
    with pytest.raises(AuthenticatorError, match="No account"):
        phone.remove("GitHub")


def test_no_accounts_yet() -> None:
    with pytest.raises(AuthenticatorError, match="no accounts yet"):
        open_phone().code()


def test_pin_lock_and_unlock(state: Path) -> None:
    phone = open_phone()
    phone.scan_qr(qr_png(aws_uri()))
    with pytest.raises(AuthenticatorError, match="Set a PIN first"):
        phone.lock()
    phone.set_pin("918273")
    assert phone.has_pin and not phone.is_locked
    phone.lock()
    assert phone.is_locked
    for action in (phone.code, phone.accounts, phone.read, lambda: phone.scan_qr(b"")):
        with pytest.raises(PhoneLockedError, match="locked"):
            action()
    with pytest.raises(PhoneLockedError):
        phone.enter_key("GitHub", "alice", OTHER_SECRET)
    with pytest.raises(AuthenticatorError, match="Wrong PIN") as caught:
        phone.unlock("000000")
    assert "000000" not in str(caught.value)
    assert open_phone().is_locked  # still locked, for every reader of the file
    phone.unlock("918273")
    assert phone.code(now=T) == pyotp.TOTP(SECRET).at(T)
    saved = phone_path().read_text()
    assert "918273" not in saved
    assert json.loads(saved)["pin"]["name"] == "scrypt"
    assert "918273" not in repr(phone)


@pytest.mark.parametrize("pin", ["123", "12a4", "123456789", "", "１２３４"])
def test_bad_pins_are_refused(pin: str) -> None:
    with pytest.raises(AuthenticatorError, match="4 to 8 digits"):
        open_phone().set_pin(pin)
    assert not open_phone().has_pin


def test_clear_pin() -> None:
    phone = open_phone()
    phone.set_pin("1234")
    phone.clear_pin()
    assert not phone.has_pin


def test_phone_file_is_private(state: Path) -> None:
    open_phone().scan_qr(qr_png(aws_uri()))
    assert stat.S_IMODE(phone_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700


def test_phone_repr_hides_secrets() -> None:
    phone = open_phone()
    phone.scan_qr(qr_png(aws_uri()))
    assert SECRET not in repr(phone)
    assert SECRET[:8] not in repr(phone)
    assert "1 account" in repr(phone)
    assert SECRET not in repr(phone.accounts())
    assert SECRET not in repr(phone.read())


def test_two_phone_objects_share_one_file() -> None:
    first, second = open_phone(), open_phone()
    first.scan_qr(qr_png(aws_uri()))
    assert second.code(now=T) == pyotp.TOTP(SECRET).at(T)
    second.set_pin("4321")
    second.lock()
    with pytest.raises(PhoneLockedError):
        first.code()


def run_python(code: str, state: Path) -> str:
    env = {**os.environ, "TUTORIAL_STATE_DIR": str(state)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_two_processes_share_the_phone(state: Path) -> None:
    # This process adds the root account; another one (a second kernel) reads its code,
    # adds an account of its own, and this process sees it.
    open_phone().enter_key(ISSUER, LABEL, SECRET)
    code = run_python(
        "from helpers.authenticator import open_phone\n"
        "phone = open_phone()\n"
        f"print(phone.code(now={T}))\n"
        f"phone.enter_key('GitHub', 'alice', {OTHER_SECRET!r})\n",
        state,
    )
    assert code == pyotp.TOTP(SECRET).at(T)
    assert open_phone().code("GitHub", now=T) == pyotp.TOTP(OTHER_SECRET).at(T)


def test_concurrent_processes_lose_no_account(state: Path) -> None:
    # Both processes start adding at the same moment, so without the file lock
    # one would overwrite the other's additions.
    go = state / "go"
    script = (
        "import sys, time, pyotp\n"
        "from pathlib import Path\n"
        "from helpers.authenticator import open_phone\n"
        "phone = open_phone()\n"
        "while not Path(sys.argv[2]).exists():\n"
        "    time.sleep(0.005)\n"
        "for i in range(40):\n"
        "    phone.enter_key(sys.argv[1], f'user{i}', pyotp.random_base32())\n"
    )
    state.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TUTORIAL_STATE_DIR": str(state)}
    workers = [
        subprocess.Popen([sys.executable, "-c", script, name, str(go)], cwd=ROOT, env=env)
        for name in ("kernel-a", "kernel-b")
    ]
    go.touch()
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    assert len(open_phone().accounts()) == 80


def test_forget_phone_throws_it_away(state: Path) -> None:
    assert forget_phone() is False
    open_phone().scan_qr(qr_png(aws_uri()))
    assert forget_phone() is True
    assert not phone_path().exists()
    assert open_phone().accounts() == []


def test_damaged_phone_file_is_reported() -> None:
    phone_path().write_text("{not json")
    with pytest.raises(AuthenticatorError, match="damaged"):
        open_phone().accounts()
    assert "damaged" in repr(open_phone())


def test_phone_at_another_path(tmp_path: Path) -> None:
    spare = Phone(tmp_path / "spare" / "phone.json")
    spare.enter_key("GitHub", "alice", OTHER_SECRET)
    assert spare.path.exists() and not phone_path().exists()
    assert spare.backup_path == tmp_path / "spare" / "phone-backup.json"


def test_scrypt_keys_are_derived_once_per_process_and_the_memo_holds_no_password(
    monkeypatch,
) -> None:
    from cryptography.hazmat.primitives.kdf import scrypt

    from helpers.authenticator import crypto

    kdf = crypto.new_kdf(n=2**10)
    first = crypto.derive_key("open sesame", kdf)
    with monkeypatch.context() as patched:  # the memo answers: scrypt is not run again

        def no_scrypt(*args, **kwargs):
            raise AssertionError("scrypt ran again")

        patched.setattr(scrypt, "Scrypt", no_scrypt)
        assert crypto.derive_key("open sesame", kdf) == first
        with pytest.raises(AssertionError, match="scrypt ran again"):
            crypto.derive_key("open sesamE", kdf)
    assert crypto.derive_key("open sesamE", kdf) != first  # a wrong password: another key
    assert crypto.derive_key("open sesame", crypto.new_kdf(n=2**10)) != first  # another salt
    assert not any("open sesame" in str(memo) for memo in crypto._DERIVED)
    for i in range(crypto._DERIVED_MAX + 4):
        crypto.derive_key(f"password {i}", kdf)
    assert len(crypto._DERIVED) == crypto._DERIVED_MAX
