# %% [markdown]
# # 01 · Set up your virtual phone
#
# *Follows § 1 of the article (「Authyのセットアップ」, setting up the authenticator app).*
#
# MFA means that signing in takes two things: something you **know** (the password) and
# something you **have** (a device that makes one-time codes). Before AWS can ask for a code,
# you need that device. The article installs the **Authy** app on an iPhone; here you get a
# virtual phone with an authenticator app that works the same way, so everyone in the room
# has an identical one.
#
# **You will**
#
# - follow the article's Authy set-up and see which of its steps a virtual phone skips, and why;
# - protect the app with a PIN and see the phone lock;
# - turn on the app's encrypted backup, protected by a backup password;
# - lose your phone (on purpose) and restore the backup onto a new one, with the same codes.
#
# **Time:** ~5 minutes.
#
# **Before you start:** lesson 00 (or nothing: the catch-up cell below does what you skipped).

# %%
import helpers

aws = helpers.connect()

# %%
# NBVAL_IGNORE_OUTPUT
helpers.catch_up(aws, lesson=1)

# %% [markdown]
# ## How the codes work
#
# An authenticator app holds one secret **setup key** per account. Every 30 seconds it mixes
# the key with the current time and shows the result as a 6-digit code (the TOTP standard,
# RFC 6238). AWS holds the same key, does the same sum, and compares. No network is involved:
# the phone works in airplane mode, and nobody who intercepts one code can make the next one.
#
# That is also the weak point. **Whoever has the setup key can make your codes**, and if the
# phone is lost with no copy of the keys, you are locked out of every account on it. Which is
# why the article chose Authy: unlike Google Authenticator at the time, Authy kept an
# **encrypted backup** of the keys, so a broken or lost phone could be replaced and restored.
#
# ## What changed since the article
#
# - **Authy's desktop apps ended on 19 March 2024**; only the phone apps remain. Google
#   Authenticator (since 2023), Microsoft Authenticator and password managers now back up or
#   sync their keys too. Any TOTP app works with AWS.
# - **Passkeys and FIDO2 security keys** are the stronger choice today. AWS accepts them for
#   root and IAM users. They cannot be phished: a fake sign-in page gets nothing it can replay,
#   whereas a 6-digit code typed into a fake page can be.
# - **One user, several devices.** Since November 2022 AWS lets each user (root included)
#   register up to 8 MFA devices, so you can keep a spare: a second phone or a security key
#   in a drawer.
# - **MFA on root is no longer optional.** Between 2024 and 2025 AWS began requiring MFA for
#   root users: a root user without it is asked to register a device when signing in.
#
# The steps you practise here (a PIN, a backup, two codes) are the same with any app.

# %% [markdown]
# ## Meet your phone
#
# This is your virtual phone. It keeps its state in a file in your own state folder, so it is
# the same phone in every notebook (and it survives restarting the kernel). It starts empty:
# no accounts and no PIN yet.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.authenticator import PhonePanel
from helpers.lessons import lesson_01

phone = helpers.open_phone()
PhonePanel(phone)

# %% [markdown]
# ## The article's set-up, and what the virtual phone skips
#
# The article sets Authy up in four steps:
#
# 1. **1-1** download Authy from the App Store;
# 2. **1-2** register a **phone number** (and an email address) with Authy;
# 3. **1-3** activate the app by **SMS or a phone call** to that number, which proves the number
#    is yours;
# 4. **1-4** set a **PIN**.
#
# Steps 1-2 and 1-3 open an account at Authy's service (Twilio): that is where Authy keeps the
# encrypted backup, and why the article restores a broken phone with "the registered phone
# number and the backup password". Your virtual phone has no phone number and no account at any
# service: its backup is an encrypted file on your own machine. So there is nothing to
# register and nothing to activate, and it skips those two steps.
#
# ## Step 1: a PIN and a backup password
#
# The virtual phone does the rest of the set-up:
#
# - a **PIN** that locks the app, so a phone left on a desk shows no codes (the article's 1-4);
# - a **backup password** that encrypts the backup of your keys (in Authy: turn on *Backups* in
#   its settings). Choose one you will remember in two years and that is not used anywhere
#   else: it is the only way back into the backup.
#
# The boxes are filled with practice values. Click **Set PIN and turn on backups**, or just
# run the next cell, which does the same with what is in the boxes.

# %%
# NBVAL_IGNORE_OUTPUT
setup = lesson_01.PhoneSetupForm(phone)
setup

# %% [markdown]
# Or, in code (what Run All does). If you already clicked the button, this finds everything
# in place and changes nothing.

# %%
# NBVAL_IGNORE_OUTPUT
for line in lesson_01.set_up_phone(phone, setup.pin, setup.backup_password):
    print(line)

# %%
print("PIN set:", phone.has_pin)
print("Encrypted backups on:", phone.backups_enabled)

# %% [markdown]
# ## Step 2: the lock
#
# Lock the phone, then try to read a code and to unlock it with a wrong PIN. On the panel above
# you can do the same with **Lock** and the PIN box.

# %%
from helpers.authenticator import AuthenticatorError

phone.lock()
print("Locked:", phone.is_locked)
try:
    phone.code()
except AuthenticatorError as refusal:
    print("Reading a code:", refusal)
try:
    phone.unlock("0000" if setup.pin != "0000" else "1111")
except AuthenticatorError as refusal:
    print("A wrong PIN:   ", refusal)
phone.unlock(setup.pin)
print("Locked:", phone.is_locked)

# %% [markdown]
# ## Step 3: something to back up
#
# Your phone has no accounts yet (lesson 02 adds the first real one). To have a code to look
# at, add a **practice** account with a random key, as if you had scanned a practice QR code.
# It appears on the panel above, with its code counting down.

# %%
added = lesson_01.add_practice_account(phone)
print(added)

# %% [markdown]
# Because backups are on, the phone has already written an encrypted copy of its accounts next
# to its own file. Peek at it without the password:

# %%
print(lesson_01.describe_backup(phone.backup_path, phone))

# %% [markdown]
# **What to look at:** the file is readable only by you, the cipher is AES-256-GCM, and the key
# comes from your backup password through scrypt, which is slow on purpose so that guessing
# passwords is expensive. No setup key can be read in it.

# %% [markdown]
# ## Step 4: lose the phone, restore the backup
#
# Your phone fell in the river. You buy a new one (here: an empty phone in a temporary folder;
# your real virtual phone is not touched) and restore the backup onto it. First with a wrong
# backup password:

# %%
from helpers.authenticator import restore

new_phone = lesson_01.new_phone()
try:
    restore(phone.backup_path, "not my backup password", new_phone)
except AuthenticatorError as refusal:
    print(refusal)

# %% [markdown]
# Nothing was restored: without the password, the backup is just noise. Now with the right one:

# %%
restore(phone.backup_path, setup.backup_password, new_phone)
print(lesson_01.compare_codes(phone, new_phone))

# %% [markdown]
# The two phones side by side: every account came back with its key, so both show the same
# codes at the same moment.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.forms import layout

layout.side_by_side(
    PhonePanel(phone), PhonePanel(new_phone), captions=("Your phone", "The new phone")
)

# %% [markdown]
# On a real phone this is the moment you are glad you chose a backup password you remember.
# Without a backup, the way back into AWS after a lost phone is slower: another registered
# MFA device (keep a spare!), or AWS's recovery by email and phone call for root, or an
# administrator who removes the lost device for an IAM user.
#
# Last, take the practice account off your phone, so only real accounts are on it when lesson
# 02 adds the first one.

# %%
print(lesson_01.remove_practice_account(phone))

# %% [markdown]
# ## Checklist
#
# The phone lives outside AWS, so the account has not changed: still 1 of 5. That changes in
# the next lesson.

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)
checklist

# %%
# NBVAL_IGNORE_OUTPUT
# 1/5 after this lesson; more if you have done later lessons.
print(checklist.report.console_summary())

# %% [markdown]
# This lesson's checks, whatever you have done after it:

# %%
print(lesson_01.items(checklist.report))

# %% [markdown]
# ## Your turn
#
# The PIN and the backup password in the boxes of step 1 are practice values: everyone can
# read them in this tutorial, so they protect nothing. Make them your own. When you are done,
# all of this must be true:
#
# - the phone's PIN is not the practice one, nor one of the PINs a thief tries first;
# - the backup is encrypted with a password that is not the practice one;
# - the phone is unlocked (the next lessons read codes from it).
#
# Remember both: the PIN opens the phone, and the backup password is the only way back into
# the backup. Use the form, the phone's panel or code; the check reads the phone's saved state.
# Running this notebook again with Run All puts the practice values back. Run the check again
# for a more specific hint.

# %%
helpers.exercises.check(aws, "01-own-pin")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
# <!-- solution: 01-own-pin -->
#
# With values of your own instead of these two. The phone is not part of AWS, so there is no
# AWS CLI equivalent.
#
# ```python
# from helpers.lessons import lesson_01
#
# my_pin = "58301"  # 4 to 8 digits, not a common PIN
# my_backup_password = "a sentence only I would write"  # 8 characters or more
# phone = helpers.open_phone()
# for line in lesson_01.set_up_phone(phone, my_pin, my_backup_password):
#     print(line)
# ```
# </details>

# %%
helpers.exercises.tally(aws, 1)

# %% [markdown]
# ## What you did
#
# - You followed the article's Authy set-up; the virtual phone skips registering a phone
#   number and activating by SMS or call, because its backup stays on your machine.
# - You set a PIN and saw the locked phone refuse to show codes.
# - You turned on the encrypted backup with a backup password.
# - You restored the backup onto a new phone and got the same codes; a wrong password
#   restored nothing.
#
# **Next:** [02 · Turn on MFA for the root user](02_root_mfa.ipynb), where the phone gets its
# first real account.
