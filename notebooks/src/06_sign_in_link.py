# %% [markdown]
# # 06 · A sign-in link you can remember
#
# *Follows § 6 of the article (「おまけ:IAM users sign-in linkのカスタマイズ」, a bonus: customising
# the "IAM users sign-in link"), then signing in through it as the IAM user, with MFA.*
#
# Root signs in with an email address. IAM users sign in differently: besides their name and
# password they must say **which account** they belong to. The IAM users' sign-in link carries
# the account in its address. Out of the box that is a 12-digit number; give the account an
# **alias** and the link becomes a name you can remember.
#
# **You will**
#
# - choose an account alias in a form and get the new sign-in link
# - sign in as alice through the sandbox's console, with her password and a code from the phone
# - do the same from code, as the AWS CLI and SDKs do: alice's access key plus an MFA code give
#   temporary credentials
# - see a wrong code refused
# - require MFA for everyone with AWS's own example policy, and see a key alone refused
#
# **Time:** ~10 minutes
#
# **Before you start:** the account has a password policy and alice's password meets it
# (lesson 05); the catch-up does what you skipped.

# %%
# NBVAL_IGNORE_OUTPUT
import helpers

helpers.catch_up(lesson=6);  # earlier lessons you skipped, done for you

# %%
aws = helpers.sign_in_as("alice")  # alice's access key + a phone code: an MFA session, not root

# %% [markdown]
# ## The link you have today
#
# Every account has a sign-in link built from its ID. It keeps working whatever else you do:

# %%
from helpers.lessons import lesson_06
from helpers.rules.alias import sign_in_url

sign_in_url(aws.account_id)

# %% [markdown]
# ## 1. Choose an alias
#
# An alias is 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a
# letter or a digit. The form checks that as you type and shows the link you will get. Keep
# `my-first-aws-account` and click **Set alias**.

# %%
# NBVAL_IGNORE_OUTPUT
alias_form = lesson_06.alias_form(aws)
alias_form

# %% [markdown]
# Clicked? The next cell then finds the alias in place. Not clicked? It sets the form's alias,
# as the button does.

# %%
# NBVAL_IGNORE_OUTPUT
ALIAS = alias_form.value

# aws iam list-account-aliases
# aws iam create-account-alias --account-alias my-first-aws-account   (as the button does)
print(helpers.apply_or_plan(aws, lambda: lesson_06.set_alias(aws.iam, ALIAS)))

# %%
# aws iam list-account-aliases
print("Aliases:", aws.iam.list_account_aliases()["AccountAliases"])
print("IAM users sign in at:", sign_in_url(ALIAS))
print("and still at:        ", sign_in_url(aws.account_id))

# %% [markdown]
# > **On a real AWS account**
# >
# > - An alias is unique across **all** of AWS. `my-first-aws-account` is certainly taken there:
# >   AWS would answer `EntityAlreadyExists`. Pick something like `yourcompany-sandbox`.
# > - An account has one alias. Setting another replaces it, and links with the old alias stop
# >   working (the ID link never does).
# > - The alias is not a secret: it is in the address bar of everyone who signs in. Don't put
# >   anything in it you would not print on a business card.

# %% [markdown]
# ## 2. Sign in as alice, with MFA
#
# This is the sandbox's version of the console sign-in page, filled in from what lesson 03 left
# you: the account alias, the user name, and the password from alice's credentials file (it goes
# straight into the password box; it is never shown). Only the MFA code is missing.
#
# **Do this:** on the phone, click **Copy code** on alice's entry (*Amazon Web Services,
# alice@…*). The code lands in the form's MFA box. Click **Sign in**. Try a wrong code too, or no
# code: see what AWS says.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.iam import login

USER = "alice"
phone = helpers.open_phone()
password = login.load_credentials_csv(USER)["Password"]  # from alice_credentials.csv
sign_in, phone_panel, page = lesson_06.sign_in_page(aws, phone, password, USER)
page

# %% [markdown]
# The next cell signs in the same way without clicking: it reads alice's current code from the
# phone. (There is no CLI command for this: the console's sign-in page is for people.)

# %%
entry = lesson_06.phone_entry(aws, phone, USER)  # alice's entry on the phone

if aws.console is None:
    print("On a real account: open the link above in a browser and sign in there as alice.")
else:
    answer = aws.console.sign_in(sign_in.account.value, USER, password, phone.code(entry))
    print(f"Signed in as {answer['UserName']}, MFA used: {answer['MFAUsed']}")
    print("Identity:", answer["Arn"])

# %% [markdown]
# ## 3. The same user from code, with MFA
#
# The AWS CLI and the SDKs do not sign in with a password. They sign each request with an
# **access key**: alice's is in the CSV file from lesson 03. Load it (its ID is shown masked, the
# secret not at all) and ask AWS who that key belongs to.

# %%
from helpers.connect import session_for
from helpers.iam import access_keys
from helpers.masking import mask_access_key_id

key = access_keys.load_access_key_csv(USER)  # alice_accessKeys.csv
alice = session_for(key.access_key_id, key.secret_access_key)
alice_iam = alice.client("iam", endpoint_url=aws.endpoint)
alice_sts = alice.client("sts", endpoint_url=aws.endpoint)
print("alice's access key:", mask_access_key_id(key.access_key_id))

# aws sts get-caller-identity --profile alice   (what the catch-up does for a skipped lesson)
print("This key is:", lesson_06.key_identity(alice_sts))

# %% [markdown]
# An access key on its own asks for no MFA: whoever holds the file *is* alice. To prove the
# phone is there too, alice trades her key and a current code for **temporary credentials** with
# `get_session_token`. First she needs her MFA device's ARN (its serial number):

# %%
# aws iam list-mfa-devices --user-name alice --profile alice
serial = alice_iam.list_mfa_devices(UserName=USER)["MFADevices"][0]["SerialNumber"]
serial

# %%
# aws sts get-session-token --profile alice \
#     --serial-number arn:aws:iam::123456789012:mfa/alice --token-code 123456
session = alice_sts.get_session_token(SerialNumber=serial, TokenCode=phone.code(entry))
credentials = session["Credentials"]
print("AccessKeyId:", mask_access_key_id(credentials["AccessKeyId"]))
print("Expires in: ", lesson_06.expires_in(credentials["Expiration"]))  # "Expiration": a UTC time

# %% [markdown]
# **What to look at:** the new key starts with `ASIA`, not `AKIA`: it is temporary, and it comes
# with a session token. By default it lasts 12 hours (an IAM user may ask for 15 minutes to 36
# hours). Sign a request with it, and AWS sees alice:

# %%
alice_mfa = session_for(
    credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
)
# aws sts get-caller-identity --profile alice-mfa
alice_mfa.client("sts", endpoint_url=aws.endpoint).get_caller_identity()["Arn"]

# %% [markdown]
# And a wrong code? AWS refuses to hand out credentials:

# %%
from botocore.exceptions import ClientError
from helpers.errors import FriendlyError

try:
    alice_sts.get_session_token(SerialNumber=serial, TokenCode=lesson_06.wrong_code(phone, entry))
except ClientError as err:
    display(FriendlyError(err))
    print(err.response["Error"]["Code"])

# %% [markdown]
# This is exactly what `helpers.sign_in_as("alice")` did at the top of this notebook, and of
# lessons 04 and 05: you have been working with an MFA session all along.
#
# ## 4. Require MFA for everyone
#
# Temporary credentials carry the fact that MFA was used: the condition key
# `aws:MultiFactorAuthPresent`. A policy can insist on it. AWS's own example policy for this,
# *"Allows MFA-authenticated IAM users to manage their own credentials"*
# ([IAM User Guide](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html)),
# lets people manage their own password, keys and MFA device, and its last statement,
# `DenyAllExceptListedIfNoMFA`, denies everything else unless the request was signed with MFA.
# It is the usual next step after this article. Attach it, as a customer managed policy named
# **ForceMFA**, to both groups of people:

# %%
from helpers.iam.policies import FORCE_MFA_POLICY

FORCE_MFA_POLICY["Statement"][-1]  # the statement that requires MFA

# %%
# NBVAL_IGNORE_OUTPUT
# aws iam create-policy --policy-name ForceMFA --policy-document file://force-mfa.json
# aws iam attach-group-policy --group-name Admins \
#     --policy-arn arn:aws:iam::123456789012:policy/ForceMFA
# aws iam attach-group-policy --group-name PowerUsers \
#     --policy-arn arn:aws:iam::123456789012:policy/ForceMFA
for outcome in helpers.apply_or_plan(aws, lambda: lesson_06.require_mfa(aws.iam)):
    print(outcome)

# %% [markdown]
# Now try alice's access key on its own, as a script would use it. A long-term key carries *no*
# `aws:MultiFactorAuthPresent` at all, and the policy's `BoolIfExists` treats a missing key as
# `false`: the Deny applies. (A plain `Bool` would not catch it: that is why AWS's example says
# `BoolIfExists`.) An explicit Deny wins over her AdministratorAccess:

# %%
alice_key_only = helpers.sign_in_as("alice", mfa=False)
try:
    # aws iam list-users --profile alice
    alice_key_only.iam.list_users()
except ClientError as err:
    display(FriendlyError(err))

# %% [markdown]
# The same call with her MFA session (`aws`, since the top of this notebook) works, and so does
# everything else her group allows:

# %%
# aws iam list-users --profile alice-mfa
[user["UserName"] for user in aws.iam.list_users()["Users"]]

# %% [markdown]
# The same for bob: his key alone can no longer reach S3, which he used in lesson 04; his MFA
# session can.

# %%
bob_key_only = helpers.sign_in_as("bob", mfa=False)
try:
    # aws s3api list-buckets --profile bob
    bob_key_only.client("s3").list_buckets()
except ClientError as err:
    display(FriendlyError(err))

# %%
bob = helpers.sign_in_as("bob")
# aws s3api list-buckets --profile bob-mfa
answer = bob.client("s3").list_buckets()
print("bob's MFA session lists the buckets: HTTP", answer["ResponseMetadata"]["HTTPStatusCode"])

# %% [markdown]
# > **On a real AWS account**
# >
# > - Attach ForceMFA to your groups only after their members have MFA devices, or tell them
# >   first: their access keys stop working for anything else the moment it is attached.
# > - In the CLI, put the three values of `get-session-token` in a profile
# >   (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`) and use `--profile`.
# > - Better still for people: **IAM Identity Center**. `aws configure sso` then `aws sso login`
# >   give the CLI short-lived credentials after a browser sign-in with MFA, and no access key
# >   file exists at all.

# %% [markdown]
# ## The checklist
#
# Still all clear. The alias is not one of the five items; it makes the safe path (signing in as
# alice, not as root) the easy one.

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)
checklist

# %%
print(checklist.report.console_summary())

# %% [markdown]
# ## Your turn
#
# alice should not be the only person who can sign in. Sign in to the console as **someone
# else**, with MFA: a person with a console password and an MFA device on the phone, who then
# signs in with a code. Choose who it is; anybody but alice counts. The sign-in form above,
# code or the AWS CLI (for the user, password and device) all work. The check reads what AWS
# records: the person's password, MFA device, and when the password was last used to sign in.

# %%
helpers.exercises.check(aws, "06-second-person")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
#
# <!-- solution: 06-second-person -->
#
# ```python
# from helpers.iam import login, password_policy, users
# from helpers.lessons import lesson_06
# from helpers.mfa_setup import give_user_mfa
# from helpers.rules.alias import sign_in_url
# from helpers.rules.passwords import generate_password
#
# NEW = "carol"
# phone = helpers.open_phone()
# users.create_user(aws.iam, NEW)
# carol_password = generate_password(password_policy.get_password_policy(aws.iam))
# login.set_console_password(aws.iam, NEW, carol_password)
# login.save_credentials_csv(NEW, carol_password, sign_in_url(aws.account_id))  # 0600
# give_user_mfa(aws.iam, phone, NEW)  # a device on the phone, enabled with two codes
#
# code = phone.code(lesson_06.phone_entry(aws, phone, NEW))
# answer = aws.console.sign_in(aws.account_id, NEW, carol_password, code)
# print(f"Signed in as {answer['UserName']}, MFA used: {answer['MFAUsed']}")
# ```
#
# In the form above: type `carol` and the password from `carol_credentials.csv`, click
# **Copy code** on carol's phone entry, then **Sign in**. The AWS CLI makes the person and the
# device (signing in to the console is for people, in a browser):
#
# ```bash
# aws iam create-user --user-name carol
# aws iam create-login-profile --user-name carol --password '…'
# aws iam create-virtual-mfa-device --virtual-mfa-device-name carol \
#     --outfile carol-qr.png --bootstrap-method QRCodePNG
# aws iam enable-mfa-device --user-name carol \
#     --serial-number arn:aws:iam::123456789012:mfa/carol \
#     --authentication-code1 123456 --authentication-code2 654321
# ```
# </details>

# %%
helpers.exercises.tally(aws, 6)

# %% [markdown]
# ## What you did
#
# - gave the account an alias (`create_account_alias`) and got the link
#   `https://my-first-aws-account.signin.aws.amazon.com/console`
# - signed in to the console as alice with her password and an MFA code
# - used her access key and an MFA code for temporary `ASIA…` credentials
#   (`get_session_token`), and saw a wrong code refused (`AccessDenied`)
# - required MFA for everyone with AWS's example policy (ForceMFA on both groups): alice's key
#   alone and bob's are refused by its Deny statement, their MFA sessions work
#
# **Next:** [07 · Wrap-up](07_wrap_up.ipynb)
