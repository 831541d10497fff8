# %% [markdown]
# # 07 · Wrap-up: your account, checked and drawn
#
# *The article's closing words (まとめ): IAM and MFA are powerful tools; learn them and run AWS
# securely.*
#
# Time to step back and look at what you built, the way an auditor would and the way a diagram
# would, and to decide what comes next on a real account.
#
# **You will**
#
# - read the full checklist: the console's five items, then the CIS benchmark's view, with the
#   reasons the few remaining failures are still there
# - see a picture of the account, drawn from what IAM says about it right now
# - get a short list of what to do next on a real AWS account
# - optionally, empty the sandbox to start again
#
# **Time:** ~5 minutes
#
# **Before you start:** lessons 00-06 done, or let the catch-up do what you skipped.

# %%
# NBVAL_IGNORE_OUTPUT
import helpers
from helpers.lessons import lesson_07

helpers.catch_up(lesson=7);  # earlier lessons you skipped, done for you

# %%
aws = helpers.sign_in_as("alice")  # alice's access key + a phone code: an MFA session, not root

# %% [markdown]
# ## The five items
#
# The old IAM console's Security Status, which the article followed item by item. Open any line
# to see why it passes and which lesson took care of it.

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)  # one look at the account, used by this whole page
checklist

# %% [markdown]
# ## The auditor's view: CIS AWS Foundations Benchmark v5.0, section 1
#
# Today's console no longer shows those five items. Auditors use the CIS benchmark instead,
# checked by tools such as Prowler or AWS Security Hub. Its first section is about identity: 21
# controls, several of which no IAM call can decide (they are marked "?", to be checked by hand).

# %%
# NBVAL_IGNORE_OUTPUT
helpers.checklist(aws, view="cis", report=checklist.report)

# %% [markdown]
# A few controls still fail after the tutorial. That is not a mistake in what you did; each one
# points at the next step:

# %%
print(lesson_07.cis_explanation(checklist.report))

# %% [markdown]
# ## A picture of your account
#
# Drawn from what the checklist above read from the account (`list_users`, `get_group`,
# `list_virtual_mfa_devices`, the credential report, …): change something in an earlier
# lesson, run the checklist cell and this one again, and the picture follows.
#
# **What to look at:** alice holds no policy herself; her only path to AdministratorAccess goes
# through the group. Root and alice each have their own MFA device, both on the one phone.

# %%
from helpers.status.diagram import account_diagram, as_markdown
from IPython.display import Markdown

Markdown(as_markdown(account_diagram(checklist.report.data, aws.account_id)))

# %% [markdown]
# ## What to do next on a real AWS account
#
# The tutorial followed the article, written when IAM users were the way to give people access.
# On a real account today:
#
# 1. **People sign in through IAM Identity Center**, not as IAM users: one place for users,
#    groups and MFA, short-lived credentials for the console and the CLI (`aws sso login`), and
#    permission sets where this tutorial used group policies. Keep IAM users for the rare case
#    that needs one.
# 2. **Phishing-resistant MFA.** Prefer passkeys or FIDO2 security keys to codes from an app,
#    above all for root. AWS requires MFA on root users now, and each user can register up to 8
#    MFA devices: add a spare.
# 3. **Root stays locked away.** No root access keys, ever (CIS 1.3). Sign in as root only for
#    the handful of tasks that need it. In AWS Organizations, member accounts can have their
#    root credentials removed altogether.
# 4. **CloudTrail.** Create a trail for all regions, so that who did what is kept beyond the 90
#    days of the console's event history.
# 5. **Billing alarms.** Set an AWS Budgets alert (or a CloudWatch billing alarm) before anything
#    else can run up a bill: a leaked key is usually found through the invoice.
# 6. **Least privilege.** Give people something narrower than AdministratorAccess. CIS 1.15
#    fails while AdministratorAccess is attached anywhere, however few people hold it: a small
#    admin group is a failure you accept knowingly. Create a support role (CIS 1.16), and turn
#    on IAM Access Analyzer (CIS 1.19).
# 7. **Contacts.** Fill in the account's alternate security contact (CIS 1.2), so AWS can reach
#    you about a security issue.
#
# `docs/status.md` in the project explains every check of the checklist and how it follows
# Prowler.

# %% [markdown]
# ## Clean up (optional)
#
# The sandbox keeps your account until you empty it. The button below deletes everything the
# tutorial made (users, groups, alias, password policy, root MFA) and the downloaded credentials
# files of the old account. Tick the box to throw the virtual phone away too; its encrypted
# backup stays. After that, every notebook still works: its catch-up cell makes what it needs
# again.

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.forms.cleanup_panel import CleanUpPanel

CleanUpPanel(aws, after=checklist.refresh)

# %% [markdown]
# Or from code: set `CLEAN_UP = True` and run the cell. Left at `False`, as it is, "Run All"
# leaves your finished account in place.

# %%
CLEAN_UP = False  # True: empty the sandbox when this cell runs
FORGET_PHONE = False  # True: also throw the virtual phone away

if CLEAN_UP:
    # python -m helpers.sandbox reset   (what helpers.sandbox.reset() does, from a terminal)
    from helpers.cleanup import clean_up

    for line in clean_up(aws, forget_the_phone=FORGET_PHONE):
        print(line)
    checklist.refresh()
else:
    print("CLEAN_UP is False: the account stays as it is.")

# %% [markdown]
# ## Where the account stands
#
# 5/5 if you kept it; 1/5 (only "no root access keys") right after a clean-up.

# %%
# NBVAL_IGNORE_OUTPUT
checklist  # refreshed by the clean-up, if it ran

# %%
print(checklist.report.console_summary())

# %% [markdown]
# ## Your turn
#
# Take one of the CIS lines still failing and turn it green: **1.16**, a support role. Make
# it so that people of this account can get help from AWS Support without holding full admin
# rights, the way CIS asks for it. Choose the names and who may use it. Code or the AWS CLI
# both work. The check runs the checklist's own CIS 1.16 control on the account.

# %%
helpers.exercises.check(aws, "07-support-role")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
#
# <!-- solution: 07-support-role -->
#
# ```python
# import json
#
# from helpers.status import check_account
#
# # who may take the role on: this account's users, and only with MFA
# trust = {
#     "Version": "2012-10-17",
#     "Statement": [
#         {
#             "Effect": "Allow",
#             "Principal": {"AWS": f"arn:aws:iam::{aws.account_id}:root"},
#             "Action": "sts:AssumeRole",
#             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
#         }
#     ],
# }
# try:
#     aws.iam.create_role(RoleName="SupportRole", AssumeRolePolicyDocument=json.dumps(trust))
# except aws.iam.exceptions.EntityAlreadyExistsException:
#     pass  # made by an earlier run
# aws.iam.attach_role_policy(
#     RoleName="SupportRole", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess"
# )
# print(check_account(aws.iam).cis_summary())
# ```
#
# With the AWS CLI (`trust.json` holds the trust policy above):
#
# ```bash
# aws iam create-role --role-name SupportRole --assume-role-policy-document file://trust.json
# aws iam attach-role-policy --role-name SupportRole \
#     --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess
# ```
#
# Run the CIS view above again: 1.16 is green.
# </details>

# %%
helpers.exercises.tally(aws, 7)

# %% [markdown]
# ## What you did
#
# Across the tutorial you took a brand-new account from 1/5 to 5/5: MFA on root, a personal IAM
# user with MFA, rights through a group, a password policy, and a sign-in link you can remember;
# then you read the same account with an auditor's eyes.
#
# **Next:** a real account, with the list above; or [00 · Start here](00_start_here.ipynb) to
# start again ·
# **How each check works:** [docs/status.md](../docs/status.md)
