# %% [markdown]
# # 05 · A password policy for IAM users
#
# *Follows § 5 of the article (「Password Policyの設定」, setting the password policy), the last
# of the five Security Status items.*
#
# alice signs in to the console with a password. How long must it be, what must it contain, how
# long does it live? The account's **password policy** answers that, once, for every IAM user.
#
# **You will**
#
# - choose the rules in a form (the CIS benchmark's values to start with)
# - apply them to the account
# - watch AWS refuse a password that breaks them
# - learn what the policy does *not* do
# - see the checklist reach **5/5**
#
# **Time:** ~5 minutes
#
# **Before you start:** alice is in the Admins group (lesson 04); the catch-up does what you
# skipped.

# %%
# NBVAL_IGNORE_OUTPUT
import helpers

helpers.catch_up(lesson=5);  # earlier lessons you skipped, done for you

# %%
aws = helpers.sign_in_as("alice")  # alice's access key + a phone code: an MFA session, not root

# %% [markdown]
# ## Who the policy is for
#
# The password policy applies to **IAM users' console passwords** only. It does not apply to the
# root user, whose password follows AWS's own fixed rules (that is why root got MFA in lesson
# 02), and it has nothing to say about access keys.
#
# A new account has no policy at all. IAM then answers `NoSuchEntity`, and AWS's **default
# password policy** applies: 8 to 128 characters, at least three of upper case, lower case,
# digits and symbols, and not identical to the AWS account name or email address
# ([Set an account password policy for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html)).
# The sandbox's account has no name or email address, so it checks the **user's name** in their
# place, and only under the default policy: a custom policy has no such rule.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.lessons import lesson_05

# aws iam get-account-password-policy
try:
    print(aws.iam.get_account_password_policy()["PasswordPolicy"])
except aws.iam.exceptions.NoSuchEntityException:
    print("No password policy yet (NoSuchEntity): AWS's default rules apply.")

# %% [markdown]
# ## 1. Choose the rules
#
# The form starts from the **CIS benchmark** preset (CIS AWS Foundations Benchmark v5.0): at
# least 14 characters, all four kinds of character, no reuse of the last 24 passwords, and no
# expiry. **AWS default** chooses AWS's default password policy, which is *no* custom policy at
# all (its "three of the four kinds" cannot be written as one): applying it removes the
# account's custom policy, as the console does under IAM → Account settings → Password policy,
# or `aws iam delete-account-password-policy`.
#
# **What to look at:**
#
# - the plain-language summary under the settings, and the two CIS lines: CIS v5.0 checks the
#   length (control 1.7, 14 or more) and the reuse prevention (1.8, exactly 24);
# - the **Try a password** box: type any password and see, rule by rule, whether it would pass.
#   Nothing you type there is sent anywhere.
#
# About expiry: older versions of the CIS benchmark asked for 90 days. Current guidance (NIST SP
# 800-63B, and CIS v5.0, which no longer checks it) prefers long passwords and MFA to forced
# periodic changes, so the preset leaves it off. Tick it if your organisation requires it: the
# checklist counts either.
#
# Then click **Apply password policy**.

# %%
# NBVAL_IGNORE_OUTPUT
policy_form = lesson_05.policy_form(aws)
policy_form

# %% [markdown]
# Clicked the button? The next cell then sees the same policy in place and changes nothing. Not
# clicked? It applies the form's current settings, as the button does. `policy_form.chosen` holds
# them as the keyword arguments of `update_account_password_policy` (None for AWS's default).

# %%
# NBVAL_IGNORE_OUTPUT
POLICY = policy_form.chosen
# aws iam update-account-password-policy --minimum-password-length 14 \
#     --require-uppercase-characters --require-lowercase-characters --require-numbers \
#     --require-symbols --allow-users-to-change-password --password-reuse-prevention 24
# (what the button runs; an account that already has exactly this policy is left alone)
print(helpers.apply_or_plan(aws, lambda: lesson_05.apply_policy(aws.iam, POLICY)))

# %% [markdown]
# Read it back from the account, in words:

# %%
print(lesson_05.describe_policy(aws.iam))

# %% [markdown]
# Note one quirk of this call: every setting you leave out goes back to its default. Sending only
# `MinimumPasswordLength=16` would silently switch off the character rules, the expiry and the
# reuse prevention. Always send the whole policy, as the form does.

# %% [markdown]
# ## 2. AWS refuses a weak password
#
# `Summer2024!` looks strong: upper case, lower case, digits, a symbol. It is also 11 characters
# long, and guessed early by every password-cracking list. Try to give it to alice as an
# administrator would (`update_login_profile`); the policy stops it.

# %%
from botocore.exceptions import ClientError
from helpers.errors import FriendlyError

USER = "alice"

# aws iam update-login-profile --user-name alice --password 'Summer2024!'
try:
    aws.iam.update_login_profile(UserName=USER, Password="Summer2024!")
except ClientError as err:
    display(FriendlyError(err))
    print(err.response["Error"]["Code"])
else:
    print("AWS accepted it: your policy allows this password.")
    print(lesson_05.put_password_back(aws, USER))

# %% [markdown]
# **What to look at:** the error code, `PasswordPolicyViolation`, and AWS's message naming the
# broken rule. alice's password did not change.

# %% [markdown]
# ## What the policy does not do
#
# - **It does not re-check passwords that already exist.** The rules apply when a password is
#   *set or changed*. alice's password from lesson 03 stays valid until she changes it, or until
#   it expires (if you ticked expiry; she then picks a new one at sign-in). To make
#   everybody meet new rules now, an administrator marks their passwords for reset:
#   `aws iam update-login-profile --user-name alice --password-reset-required`.
# - **It does not cover root**, nor access keys, nor users who sign in through IAM Identity
#   Center (which has its own password rules).
# - **It is no substitute for MFA.** A long password stops guessing; it does not stop phishing.
#
# > **On a real AWS account** the same call sets the same policy, and the console shows it under
# > IAM → Account settings. "Allow users to change their own password" lets each IAM user change
# > theirs without any extra permission.

# %% [markdown]
# ## The checklist
#
# All five items of the old Security Status are ticked: the article's "all clear".

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)
checklist

# %%
print(checklist.report.console_summary())

# %% [markdown]
# ## Your turn
#
# NIST SP 800-63B asks for **length** rather than mixing kinds of characters. Change the
# account's password policy so that:
#
# - AWS **refuses** `Tr0ub4dor&3-xkcd` (today's policy accepts it: 16 characters, all four
#   kinds);
# - AWS **accepts** the passphrase `seven purple kites over tokyo bay` (today's policy refuses
#   it);
# - both CIS lines stay green.
#
# The form above (its **Try a password** box tells you what a setting does to each password),
# code or the AWS CLI all work. The check reads the account's policy. (Running this notebook's
# cells again applies the form's settings again.)

# %%
helpers.exercises.check(aws, "05-length")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
#
# <!-- solution: 05-length -->
#
# ```python
# from helpers.lessons import lesson_05
# from helpers.rules.passwords import password_problems
#
# # the whole policy, as always: what is left out goes back to its default (off)
# aws.iam.update_account_password_policy(
#     MinimumPasswordLength=20,  # 17 to 33 tells the two apart
#     RequireUppercaseCharacters=False,
#     RequireLowercaseCharacters=False,
#     RequireNumbers=False,
#     RequireSymbols=False,
#     AllowUsersToChangePassword=True,
#     PasswordReusePrevention=24,
# )
# print(lesson_05.describe_policy(aws.iam))
# policy = aws.iam.get_account_password_policy()["PasswordPolicy"]
# for password in ("Tr0ub4dor&3-xkcd", "seven purple kites over tokyo bay"):
#     print(password, "->", password_problems(password, policy) or "accepted")
# ```
#
# With the AWS CLI (each `--require-…` left out is off):
#
# ```bash
# aws iam update-account-password-policy --minimum-password-length 20 \
#     --allow-users-to-change-password --password-reuse-prevention 24
# ```
# </details>

# %%
helpers.exercises.tally(aws, 5)

# %% [markdown]
# ## What you did
#
# - chose the rules in a form and applied them (`update_account_password_policy`)
# - read them back (`get_account_password_policy`)
# - saw a too-short password refused with `PasswordPolicyViolation`
#
# **Next:** [06 · A sign-in link you can remember](06_sign_in_link.ipynb)
