# %% [markdown]
# # 02 · Turn on MFA for the root user
#
# *Follows § 2 of the article (「rootアカウントにMFAで2段階認証を導入する」), item 2 of the five
# in the old console's Security Status: "Activate MFA on your root account".*
#
# Root's password alone opens everything in the account. After this lesson, the password is
# not enough: signing in as root also takes the 6-digit code on your phone.
#
# **You will**
#
# - start assigning a virtual MFA device to root and see its QR code;
# - scan the QR code with your virtual phone;
# - see AWS refuse wrong codes, then type two consecutive codes from the phone;
# - watch item 2 of the checklist turn green.
#
# **Time:** ~5 minutes.
#
# **Before you start:** your virtual phone from lesson 01, with its PIN and backup (the
# catch-up sets them up if you skipped it).

# %%
import helpers

aws = helpers.connect()

# %%
# NBVAL_IGNORE_OUTPUT
helpers.catch_up(aws, lesson=2)

# %% [markdown]
# ## Where this happens on AWS
#
# On a real account there is **no API call** that turns on root's MFA: you do it in the AWS
# console, signed in as root. In today's console: the account menu (top right) → **Security
# credentials** → **Assign MFA device** → give the device a name → choose **Authenticator app**
# (or a passkey or security key) → **Show QR code**, then two codes. The article's console
# (IAM dashboard → "Activate MFA on your root account" → Manage MFA → "A virtual MFA device")
# did the same steps in another order.
#
# Before you do it for real, check that the account's email address and phone number are
# current: if you ever lose every MFA device, those are how AWS lets root back in.
#
# The sandbox offers those console steps as `aws.console`. On a real account there is no
# `aws.console`: the next cell prints the console steps, and the code cell further down waits
# until the account summary says root has MFA. Start the assignment:

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.lessons import lesson_02

phone = helpers.open_phone()
# Console: Security credentials → Assign MFA device → Authenticator app → Show QR code
# (aws.console.start_root_mfa; None when root already has a device the phone knows)
device, message = lesson_02.start_root_mfa(aws, phone)
print(message)

# %% [markdown]
# **What to look at:** the device has a **serial number**, an ARN ending in `mfa/` and the
# device's name. AWS also made a random setup key and put it in a QR code, together with the
# account's name. The console shows the QR code exactly once; if you close the page, you start
# again with a new key.

# %% [markdown]
# ## Scan the QR code
#
# On the left, the QR code as the console shows it; on the right, your phone. Click **Scan QR
# code** on the phone (the article: "+ Add Account" → "Scan QR Code"). A new entry appears,
# *Amazon Web Services*, with a code that changes every 30 seconds.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.authenticator import PhonePanel
from helpers.forms import CodeEntry, layout
from IPython.display import display

checklist = helpers.checklist(aws)
entry = CodeEntry(action=lesson_02.enable_action(aws, device, then=checklist.refresh))
qr = layout.qr_or_note(device)
layout.screen_and_phone(qr, PhonePanel(phone, qr_source=qr.image, copy_target=entry.boxes))

# %% [markdown]
# ## Type two consecutive codes
#
# AWS wants **two codes in a row**: the one the phone shows now, then the next one, after it
# changes. That proves the phone's clock and the key agree. Click **Copy code** on the phone
# to put the current code into the first box, wait for the countdown to run out, click
# **Copy code** again for the second box, then **Assign MFA**. Watch the checklist below it.

# %%
# NBVAL_IGNORE_OUTPUT
display(entry, checklist)

# %% [markdown]
# ## What happens with a wrong code?
#
# A typo, an old code, or two codes that are not consecutive: AWS refuses them all the same
# way, with `InvalidAuthenticationCode`, and the device keeps waiting. This cell sends two
# made-up codes to the device waiting above. If root has MFA already (you run the notebook
# again), it starts a second device just for this (AWS lets root have up to 8), sends the codes
# there, and cancels that device afterwards. You can also type any two codes in the boxes above.

# %%
from botocore.exceptions import ClientError
from helpers.errors import FriendlyError

# Console: type two codes that are not the phone's, then "Add MFA"
refusal = lesson_02.try_wrong_codes(aws, device)
if isinstance(refusal, ClientError):
    display(FriendlyError(refusal))
    print(refusal.response["Error"]["Code"])
else:
    print(refusal)

# %% [markdown]
# ## Or, in code (what Run All does)
#
# If you have not assigned the device with the boxes above, this cell does what a person does:
# scan the QR code with the phone, read two consecutive codes, and send them. If you already
# did, it changes nothing. Either way, it ends with what the account summary says about root.

# %%
if aws.console is None:  # a real account: you do the console steps above with your phone
    print(lesson_02.wait_for_root_mfa(aws))  # reads AccountMFAEnabled every 10 s, up to 10 min
else:
    if lesson_02.waiting(aws, device):  # not assigned with the boxes above yet
        added = phone.scan_qr(device["QRCodePNG"])  # "+ Add Account" → "Scan QR Code"
        code1, code2 = phone.two_consecutive_codes(f"{added.issuer}:{added.label}")
        # Console: type Code 1 and Code 2, then "Add MFA" (aws.console.enable_root_mfa): the
        # same function the button above runs
        lesson_02.enable_root_mfa(aws, device, code1, code2, then=checklist.refresh)
    print(lesson_02.root_mfa_line(aws))

# %% [markdown]
# ## Check it
#
# The account summary, which any administrator can read with the API, now says that root has
# MFA. This is what security tools (and the checklist) look at.

# %%
# aws iam get-account-summary
summary = aws.iam.get_account_summary()["SummaryMap"]
print("AccountMFAEnabled:", summary["AccountMFAEnabled"])
if aws.console is not None:  # the sandbox's console view; on AWS, the console's own page
    print("Root MFA enabled (console):", aws.console.root_status()["MFAEnabled"])

# %% [markdown]
# From now on, signing in as root takes the email address, the password **and** the code on
# your phone. The phone now holds the only way to make those codes, together with its backup
# from lesson 01. On a real account, register a second device too (AWS allows up to 8): a
# passkey or a security key kept somewhere safe.
#
# ## Checklist
#
# **What to look at:** item 2, *Activate MFA on your root account*, is green: 2 of 5. In the CIS
# view, 1.4 passes too, while 1.5 (*hardware* MFA for root) still fails: CIS asks for a
# physical device on root, which a phone app is not.

# %%
# NBVAL_IGNORE_OUTPUT
checklist  # refreshed by the button or the code cell that turned MFA on

# %%
# 2/5 after this lesson; more if you have done later lessons.
print(checklist.report.console_summary_after(lesson_02.SCORE))

# %% [markdown]
# This lesson's checks, whatever you have done after it:

# %%
print(lesson_02.items(checklist.report))

# %% [markdown]
# ## Your turn
#
# Your phone now holds the only key to root's codes. AWS lets root, like any user, register up
# to **8 MFA devices**
# ([IAM User Guide](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable-overview.html)),
# so that a lost phone does not lock you out. Register a spare. When you are done, all of this
# must be true:
#
# - root has a second MFA device, with a name you choose;
# - the spare's key is **not** on the phone that holds the first one (a spare lost together
#   with the phone is no spare): put it on a second phone, kept wherever you decide.
#
# In the sandbox, `aws.console` does the console's steps and
# `helpers.authenticator.open_phone(PATH)` gives you a second phone kept in another file. On a
# real account you do it in the console, and the check counts authenticator-app devices. Run
# the check again for a more specific hint.

# %%
helpers.exercises.check(aws, "02-spare-device")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
# <!-- solution: 02-spare-device -->
#
# In the sandbox. On AWS, root's MFA devices are managed only in the console (no AWS CLI
# command adds one); `aws iam list-virtual-mfa-devices --assignment-status Assigned` lists them.
#
# ```python
# from helpers.authenticator import open_phone
# from helpers.mfa_setup import scan_and_read
# from helpers.paths import state_dir
#
# spare_phone = open_phone(state_dir() / "spare-phone.json")  # the phone in the drawer
# # Console: Security credentials -> Assign MFA device -> a new name -> Authenticator app
# spare = aws.console.start_root_mfa("root-spare-phone")
# _, code1, code2 = scan_and_read(spare_phone, spare["QRCodePNG"])  # with the spare phone
# # Console: the two codes from the spare phone -> Add MFA
# aws.console.enable_root_mfa(spare["SerialNumber"], code1, code2)
# print(aws.console.root_status()["MFADevices"])
# ```
#
# Keep the spare phone somewhere else than the first one: a drawer at home, a safe.
# </details>

# %%
helpers.exercises.tally(aws, 2)

# %% [markdown]
# ## What you did
#
# - You started a virtual MFA device for root and saw its QR code (shown once).
# - You scanned it with the phone and saw wrong codes refused with `InvalidAuthenticationCode`.
# - Two consecutive codes turned MFA on for root: checklist 2 of 5.
#
# **Next:** [03 · Create an IAM user for everyday work](03_iam_user.ipynb), so that you can
# stop signing in as root.
