# %% [markdown]
# # 00 · Start here: who are you signed in as?
#
# *Follows § 0 of the article (「AWSのアカウントの種類」, the two kinds of AWS identity).*
#
# A brand-new AWS account has exactly one identity in it, and that identity can do anything.
# This tutorial is the first hour of a new account: it takes you, step by step, from "one
# all-powerful login" to an account you can use safely every day.
#
# **You will**
#
# - meet the two kinds of identity: the **root user** and **IAM users**;
# - connect to your own private practice account (the *sandbox*) and ask AWS who you are;
# - check that your setup works (versions, widgets, the sandbox);
# - see the security checklist you will complete over the next lessons.
#
# **Time:** ~5 minutes.
#
# **Before you start:** nothing: a fresh sandbox starts by itself. Open this notebook in
# JupyterLab (`make lab`).

# %% [markdown]
# ## Two kinds of identity
#
# When you sign up for AWS with an email address and a password, AWS creates the account and
# its **root user**. Root is special:
#
# - it signs in with the account's email address and password;
# - it can do *everything*: every service, billing, closing the account, even locking every
#   other identity out. IAM policies cannot limit it;
# - if someone steals its password, they own the account (and its bill).
#
# An **IAM user** is an identity you create *inside* the account. It has its own name,
# password and keys, and it can do only what its policies allow.
#
# So the rule, then and now: put a second factor (**MFA**) on root, lock root away, and do
# daily work as an identity with only the rights it needs. The next lessons do exactly that.
#
# | lesson | what you do |
# |---|---|
# | 01 | set up an authenticator app on a (virtual) phone |
# | 02 | turn on MFA for the root user |
# | 03 | create an IAM user for yourself, with a password, keys and MFA |
# | 04 | give rights through a group instead of to the user |
# | 05 | set a password policy for IAM users |
# | 06 | give the account a memorable sign-in link and sign in as your user |
# | 07 | look back at the account as an auditor would, and plan what comes next |

# %% [markdown]
# ## Connect
#
# Every notebook starts with the same cell. It finds your **sandbox** (starting it if needed)
# and signs in as its root user, just as you are signed in as root right after creating an
# account. It also makes AWS's refusals show as a short box instead of a long traceback.
#
# Run it with **Shift+Enter**.

# %%
import helpers

aws = helpers.connect()

# %% [markdown]
# The second cell of every lesson **catches up**: if you skipped an earlier lesson, it quietly
# does that lesson's steps with their default values, so each notebook works on its own. Here,
# at the very start, there is nothing to catch up on.

# %%
# NBVAL_IGNORE_OUTPUT
helpers.catch_up(aws, lesson=0)

# %% [markdown]
# ## Who am I?
#
# `sts get-caller-identity` is the question "who is making this call?". It needs no rights at
# all, so it always works, and it is the first thing to run when something is denied.
# Next to each AWS call in this tutorial, a comment shows the AWS CLI command that does the
# same.

# %%
# aws sts get-caller-identity
identity = aws.sts.get_caller_identity()
print("Account:", identity["Account"])
print("UserId: ", identity["UserId"])
print("Arn:    ", identity["Arn"])

# %% [markdown]
# **What to look at:** the ARN (Amazon Resource Name) ends in `:root`. That is the root user of
# account `123456789012` (every sandbox has this account number). For root, the `UserId` is the
# account number itself. In lesson 03 you will run the same call with your IAM user's keys and
# see `:user/alice` instead.
#
# An ARN always reads `arn:aws:<service>:<region>:<account>:<resource>`; IAM is global, so the
# region part is empty.

# %% [markdown]
# ## Check your setup
#
# Two quick checks before the real work. First, the versions this notebook runs with and where
# it is connected (paste this when you ask for help):

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.lessons import lesson_00

print(lesson_00.setup_report(aws))

# %% [markdown]
# Second, the lessons use **interactive widgets**: forms, a virtual phone and a checklist. Below
# you should see a green line. If you see a red ✗ message in plain text instead, the browser
# side of ipywidgets is missing: follow what it says, then reload the page.

# %%
# NBVAL_IGNORE_OUTPUT
lesson_00.WidgetCheck()

# %% [markdown]
# ## The sandbox, and a real account
#
# The **sandbox** is a private AWS account that runs on your machine: the open-source
# [moto](https://github.com/getmoto/moto) server behind a layer that follows AWS's rules
# closely. A wrong MFA code, a weak password or an invalid name is refused the way AWS refuses
# it, with the same error codes. Nothing costs money, nothing leaves your machine, and
# `.venv/bin/python -m helpers.sandbox reset` (in a terminal) empties it if you want to start
# over.
#
# The calls you see are ordinary `boto3` calls, so the same notebooks can point at a **real
# account**:
#
# ```bash
# TUTORIAL_TARGET=aws AWS_PROFILE=my-admin make lab   # or, in the first cell:
# aws = helpers.connect("aws", profile="my-admin")
# ```
#
# What is different there:
#
# - **Root MFA is done in the AWS console**, signed in as root; there is no API for it.
#   Lesson 02 tells you where to click and then checks the result.
# - **The catch-up changes nothing** on a real account: it only tells you what is missing.
# - **Use an administrator's profile, never a root access key.** The first item of the
#   checklist below is precisely "root has no access keys". A profile from IAM Identity Center
#   (`aws configure sso`) is today's recommended way to get one.
# - The steps create real users and keys. IAM itself is free, but clean up what you do not
#   keep.

# %%
print("Sandbox:", aws.is_sandbox)
print("Console actions available:", aws.console is not None)

# %% [markdown]
# ## Your security checklist
#
# The IAM console of the article's time showed a **Security Status** box with five items, ticked
# one by one. It is this tutorial's progress bar. Today's console shows "Security
# recommendations" instead, and auditors use the **CIS AWS Foundations Benchmark**: switch the
# view to *CIS v5.0 §1* to see how the same account looks to them. Click a line to see why it
# passes or fails and which lesson fixes it.
#
# **What to look at:** a new account already passes item 1, *Delete your root access keys*,
# because it has none. Keep it that way: a root access key is a password to everything that
# never asks for MFA.

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)
checklist

# %%
# NBVAL_IGNORE_OUTPUT
# 1/5 now; more once you have done later lessons.
print(checklist.report.console_summary())

# %% [markdown]
# This lesson's checks, whatever you have done after it:

# %%
print(lesson_00.items(checklist.report))

# %% [markdown]
# ## What you did
#
# - You met the root user (can do anything, signs in with the account's email) and IAM users
#   (only what their policies allow).
# - You connected to your sandbox and asked AWS who you are: `arn:aws:iam::123456789012:root`.
# - You checked your setup and saw the checklist at 1 of 5.
#
# **Next:** [01 · Set up your virtual phone](01_virtual_phone.ipynb), the authenticator app
# that will make the codes for MFA.
