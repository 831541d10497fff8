# %% [markdown]
# # 03 · Create an IAM user for everyday work
#
# *Follows § 3 of the article (「IAMユーザーを作成する」), item 3 of the old console's Security
# Status: "Create individual IAM users".*
#
# Root now has MFA, and from here on it should stay in the drawer. For everyday work you need
# an identity of your own: an **IAM user**. The article gives it four things, and so will you.
#
# **You will**
#
# - create the user `alice` (or a name you choose);
# - make an **access key** for the AWS CLI and SDKs, and save it like the console's download;
# - give the user **AdministratorAccess**, as the article does;
# - set a **console password**;
# - give the user a **virtual MFA device** on your phone, the same way as root.
#
# **Time:** ~10 minutes.
#
# **Before you start:** root has MFA (lesson 02); the catch-up does it if you skipped it.

# %%
import helpers

aws = helpers.connect()

# %%
# NBVAL_IGNORE_OUTPUT
helpers.catch_up(aws, lesson=3)

# %% [markdown]
# A word on today's advice first. For people who sign in, AWS now recommends **IAM Identity
# Center**: one sign-in portal, short-lived credentials, no long-lived keys to leak. It needs
# AWS Organizations and is more than a first hour. An IAM user with MFA, as in the article, is
# still the classic first step and exactly what the checklist asks for.
#
# ## Step 1: the user
#
# A user name is 1 to 64 letters, digits and `_+=,.@-`, and unique in the account regardless of
# upper or lower case (`Alice` and `alice` cannot both exist). The form checks as you type.
# Click **Create user**, or run the cell after it.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.lessons import lesson_03

user_form = lesson_03.user_form(aws)
user_form

# %% [markdown]
# Or, in code (what Run All does), with the name in the form:

# %%
# NBVAL_IGNORE_OUTPUT
user_name = user_form.value
# aws iam create-user --user-name alice   (the button runs the same function)
print(helpers.apply_or_plan(aws, lambda: lesson_03.create_user(aws.iam, user_name)))

# %%
# aws iam get-user --user-name alice
aws.iam.get_user(UserName=user_name)["User"]["Arn"]

# %% [markdown]
# **What to look at:** the ARN ends in `:user/alice`, where root's ended in `:root`. A new user
# can do nothing at all yet: no password, no keys, no permissions.
#
# ## Step 2: an access key
#
# The AWS CLI and the SDKs (boto3 here) do not use a password: they sign each request with an
# **access key**, a pair of an *access key ID* (`AKIA…`, not secret, like a user name) and a
# *secret access key*. AWS shows the secret **exactly once**, when the key is made; the console
# offers a `.csv` download at that moment, and so does this cell: the file goes to
# `notebooks/downloads/` (never committed), readable only by you. Here the secret is masked on
# screen.
#
# Because the secret cannot be read back, running this cell again **rotates** the key: it
# deletes the old one and makes a new one.

# %%
import stat

from helpers.masking import mask_access_key_id

# aws iam delete-access-key --user-name alice --access-key-id AKIA…   (the earlier run's keys)
# aws iam create-access-key --user-name alice, then the console's "Download .csv file"
key, csv_file, earlier = helpers.apply_or_plan(
    aws, lambda: lesson_03.new_access_key(aws.iam, user_name)
)
for old in earlier:
    print("Deleted the key of an earlier run:", mask_access_key_id(old))
print(key)
print("Saved to", csv_file.name, stat.filemode(csv_file.stat().st_mode))

# %% [markdown]
# The user has one key now, shown as the console shows it: only the start and the end of the ID.

# %%
# aws iam list-access-keys --user-name alice
for meta in aws.iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]:
    print(mask_access_key_id(meta["AccessKeyId"]), meta["Status"])

# %% [markdown]
# Does it work? Ask "who am I?" again, this time signing with alice's key instead of root's
# (on AWS a brand-new key can take a few seconds before it works):

# %%
from helpers.connect import open_connection, session_for

# AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… aws sts get-caller-identity
as_user = open_connection(session_for(key.access_key_id, key.secret_access_key), aws.endpoint)
print(as_user.arn)

# %% [markdown]
# **The truth about access keys.** A key never expires and works from anywhere, without MFA.
# Leaked keys (in a Git repository, a screenshot, a laptop backup) are one of the most common
# ways into AWS accounts. So: keep the CSV out of Git and chat, make keys only for the user
# who needs them, and rotate them. Today's guidance goes further: CIS **1.10** says *Do not
# create access keys during initial setup for IAM users with a console password*, the article's
# very step. Auditing tools (Prowler, which the checklist follows) can only see a key that was
# made and **never used**, so in the CIS view below 1.10 passes: alice's key was used a moment
# ago, by the "who am I?" call. A key made "just in case" and left unused would fail it. AWS's
# own advice is the same: prefer short-lived credentials to long-lived access keys
# ([IAM best practices](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)),
# such as those of IAM Identity Center (`aws configure sso`) or AWS CloudShell in the browser.
#
# ## Step 3: permissions
#
# The article attaches the AWS managed policy **AdministratorAccess** to the user: full rights,
# like root, except the few things only root can do (closing the account, for one). You do the
# same here, so that alice can take over from root.
#
# Lesson 04 then moves this policy from the user to a **group** and puts alice in it: rights
# given to a role ("admins") rather than to a person are easier to review and to take away,
# and a new colleague gets them by joining the group. That is item 4 of the checklist.

# %%
# NBVAL_IGNORE_OUTPUT
# aws iam attach-user-policy --user-name alice
#     --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
# (not when a group gives it already: lesson 04 moves it there)
print(helpers.apply_or_plan(aws, lambda: lesson_03.give_admin(aws.iam, user_name)))

# %%
print(lesson_03.admin_rights(aws.iam, user_name))

# %% [markdown]
# ## Step 4: a console password
#
# To sign in to the AWS console, the user needs a password (AWS calls it a *login profile*).
# Choose **Autogenerated** (a random password, saved to `alice_credentials.csv` in the
# downloads folder, readable only by you, never shown) or type your own: it is checked against
# the account's password policy as you type. There is no policy yet (lesson 05 sets one), so
# AWS's default rules apply: at least 8 characters and three of the four kinds.
#
# Click **Set password**, or run the cell after it.

# %%
# NBVAL_IGNORE_OUTPUT
password_form = lesson_03.password_form(aws, user_name)
password_form

# %% [markdown]
# Or, in code (what Run All does). A user who already has a password keeps it; the button
# above changes it.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.iam import login

if login.has_console_password(aws.iam, user_name):
    print(f"{user_name} already has a console password (the button or an earlier run set it).")
else:
    # aws iam create-login-profile --user-name alice --password '…' --no-password-reset-required
    # (what the button runs; the password goes to alice_credentials.csv, never on screen)
    password = lesson_03.typed_password(password_form)  # None: autogenerated
    reset = password_form.reset.value
    print(
        helpers.apply_or_plan(
            aws, lambda: lesson_03.set_console_password(aws, user_name, password, reset)
        )
    )

# %%
# aws iam get-login-profile --user-name alice
profile = aws.iam.get_login_profile(UserName=user_name)["LoginProfile"]
print("Console password set for:", profile["UserName"])
print("Must change it at first sign-in:", profile.get("PasswordResetRequired", False))

# %% [markdown]
# For a real colleague, tick *Require password reset*: then only they know their password.
# Here it stays off, because in lesson 06 you sign in as alice with this very password.
#
# ## Step 5: MFA for the user
#
# The article's last step: the same as for root, this time through the IAM API, which any
# administrator can call for a user. On a real account your **own phone** scans the QR code and
# you type its codes: the virtual phone is not used there, and no setup key is kept. Create the
# device:

# %%
# NBVAL_IGNORE_OUTPUT
phone = helpers.open_phone() if aws.is_sandbox else None  # None: your own phone, on AWS
# aws iam create-virtual-mfa-device --virtual-mfa-device-name alice
#     --outfile alice-qr.png --bootstrap-method QRCodePNG
# (None when alice already has a device the phone knows; an unfinished one is replaced)
device, message = lesson_03.start_user_mfa(aws.iam, phone, user_name)
print(message)

# %% [markdown]
# Scan the QR code with the phone (**Scan QR code**). A second *Amazon Web Services* entry
# appears, labelled with the user's name, so you can tell it from root's.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.authenticator import PhonePanel
from helpers.forms import CodeEntry, layout
from IPython.display import display

checklist = helpers.checklist(aws)
entry = CodeEntry(
    action=lesson_03.enable_action(aws.iam, user_name, device, then=checklist.refresh)
)
if phone is None:  # a real account: Apply makes the device and shows its QR code
    lesson_03.real_phone_step(aws, user_name)
else:
    qr = layout.qr_or_note(device)
    layout.screen_and_phone(qr, PhonePanel(phone, qr_source=qr.image, copy_target=entry.boxes))

# %% [markdown]
# Copy two consecutive codes of **the user's entry** (not root's!) into the boxes, then
# **Assign MFA**.

# %%
# NBVAL_IGNORE_OUTPUT
display(entry, checklist)

# %% [markdown]
# ## What happens with a wrong code?
#
# A typo, an old code, or codes copied from the wrong entry (root's, say) are all wrong to AWS:
# it answers `InvalidAuthenticationCode`, exactly as for root, and the device keeps waiting.
# boto3 has an exception class for each IAM error code: the lesson's function catches just
# this one. The cell sends two made-up codes to the device waiting above. If alice has MFA
# already (you run the notebook again), it makes a second device just for this (AWS allows up to
# 8 per user), sends the codes there, and deletes that device afterwards.

# %%
from helpers.errors import FriendlyError

# aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::…:mfa/alice
#     --authentication-code1 123456 --authentication-code2 654321
refusal = lesson_03.try_wrong_codes(aws.iam, user_name, device)
if isinstance(refusal, str):
    print(refusal)
else:
    display(FriendlyError(refusal))
    print(refusal.response["Error"]["Code"])

# %% [markdown]
# ## Or, in code (what Run All does)
#
# If you have not assigned the device with the boxes above, this cell reads two consecutive
# codes from the phone and sends them; if you already did, it changes nothing. Either way, it
# ends with what AWS says about alice's MFA.

# %%
if lesson_03.waiting(aws.iam, user_name, device):  # not assigned with the boxes above yet
    if phone is None:  # a real account: two codes from your own phone, typed in
        code1, code2 = lesson_03.typed_codes()
    else:
        added = phone.scan_qr(device["QRCodePNG"])  # "+ Add Account" → "Scan QR Code"
        code1, code2 = phone.two_consecutive_codes(f"{added.issuer}:{added.label}")
    # aws iam enable-mfa-device --user-name alice --serial-number arn:aws:iam::…:mfa/alice
    #     --authentication-code1 CODE1 --authentication-code2 CODE2   (as the button does)
    lesson_03.enable_user_mfa(aws.iam, user_name, device, code1, code2, checklist.refresh)
print(lesson_03.user_mfa_line(aws.iam, user_name))

# %%
# aws iam list-mfa-devices --user-name alice
for found in aws.iam.list_mfa_devices(UserName=user_name)["MFADevices"]:
    print(found["SerialNumber"])

# %% [markdown]
# ## Checklist
#
# **What to look at:** item 3, *Create individual IAM users*, is green: 3 of 5. In the CIS view,
# 1.9 (*MFA for every user with a console password*) passes because you did step 5; without
# it, alice's password alone would open the console. 1.10 passes too, because alice's access
# key has been used (step 2): a console user's key that was never used would fail it.

# %%
# NBVAL_IGNORE_OUTPUT
checklist  # refreshed by the button or the code cell that turned MFA on

# %%
# 3/5 after this lesson; more if you have done later lessons.
print(checklist.report.console_summary_after(lesson_03.SCORE))

# %% [markdown]
# This lesson's checks, whatever you have done after it:

# %%
print(lesson_03.items(checklist.report))

# %% [markdown]
# ## Your turn
#
# Someone else will work in this account too. Give them an IAM user of their own, with a name
# you choose. When you are done, all of this must be true:
#
# - they can sign in to the console with a password;
# - signing in asks them for an MFA code;
# - they have **no access key** (they work in the console, and CIS 1.10 counts an unused key
#   as a risk);
# - they have no policy of their own (lesson 04 gives rights through groups).
#
# (In lesson 06's Your turn, this person can be the one who signs in with MFA.)
#
# Use code or the AWS CLI in a terminal. The check reads the account, whichever way you did it;
# run it again for a more specific hint.

# %%
helpers.exercises.check(aws, "03-second-person")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
# <!-- solution: 03-second-person -->
#
# In the sandbox, with the phone; the AWS CLI equivalent is in the comments.
#
# ```python
# from helpers.lessons import lesson_03
# from helpers.mfa_setup import give_user_mfa
#
# person = "carol"  # the name you chose
# # aws iam create-user --user-name carol
# aws.iam.create_user(UserName=person)
# # aws iam create-login-profile --user-name carol --password '...' --password-reset-required
# print(lesson_03.set_console_password(aws, person, None, reset_required=True))
# # aws iam create-virtual-mfa-device --virtual-mfa-device-name carol ..., scan the QR code,
# # aws iam enable-mfa-device --user-name carol --serial-number ... --authentication-code1 ...
# print(give_user_mfa(aws.iam, helpers.open_phone(), person))
# ```
#
# No `create_access_key`: that is the point. `aws iam list-access-keys --user-name carol`
# answers with an empty list.
# </details>

# %%
helpers.exercises.tally(aws, 3)

# %% [markdown]
# ## What you did
#
# - You created the IAM user `alice`, its access key (secret shown once, saved 0600) and
#   checked that the key signs requests as `user/alice`.
# - You attached AdministratorAccess to the user, as the article does.
# - You set a console password and put a virtual MFA device on the phone: checklist 3 of 5.
#
# **Next:** [04 · Give rights through a group](04_groups.ipynb), which moves
# AdministratorAccess from alice to a group.
