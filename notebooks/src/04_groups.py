# %% [markdown]
# # 04 · Give rights through a group
#
# *Follows § 4 of the article (「IAM Groupの作成」, creating an IAM group), item 4 of the five in
# the IAM console's old Security Status.*
#
# In lesson 03 you gave **alice** her rights directly: AdministratorAccess attached to her as a
# person. That works, but it does not scale. Here you hand the rights to a **group** instead, put
# alice in it, and take her personal copy away. She can do exactly what she could before; only
# the place her rights come from changes.
#
# **You will**
#
# - work as **alice** from now on, with an MFA session, not as root
# - name a group and choose the policy it carries, in a form
# - put alice in the group
# - detach alice's own AdministratorAccess, so her rights come only from the group
# - add a second person, **bob**, to a **PowerUsers** group, and see what PowerUserAccess lets
#   him do and refuses him, with the sandbox's explanation and the IAM policy simulator
# - see the checklist reach **4/5**
#
# **Time:** ~10 minutes
#
# **Before you start:** alice exists with a password, an access key, AdministratorAccess and
# MFA (lesson 03); the catch-up does what you skipped.

# %%
# NBVAL_IGNORE_OUTPUT
import helpers

helpers.catch_up(lesson=4);  # earlier lessons you skipped, done for you with their defaults

# %% [markdown]
# ## From now on, you are alice
#
# Lessons 00 to 03 had to run as root: root is the only identity a new account has, and only
# root can turn on root's MFA. Now alice exists, with AdministratorAccess, an access key and an
# MFA device on the phone, so you stop using root, as the article and AWS advise. The next cell
# signs in as alice the way the AWS CLI and SDKs do with MFA: her access key (from the CSV file
# of lesson 03) and a code from the phone give **temporary credentials** (`get_session_token`).
# Every call after it is alice's, and AWS checks her permissions on each one.

# %%
# aws sts get-session-token --serial-number arn:aws:iam::123456789012:mfa/alice \
#     --token-code 123456 --profile alice
aws = helpers.sign_in_as("alice")

# %% [markdown]
# ## Where alice's rights come from today
#
# Ask IAM which managed policies are attached to alice herself. After lesson 03 you should see
# AdministratorAccess (an empty list means an earlier run of this notebook already moved it).

# %%
# NBVAL_IGNORE_OUTPUT
from helpers.lessons import lesson_04

USER = "alice"  # the IAM user of lesson 03

# aws iam list-attached-user-policies --user-name alice
aws.iam.list_attached_user_policies(UserName=USER)["AttachedPolicies"]

# %% [markdown]
# ## Why a group?
#
# A policy attached to a person stays with that person until someone remembers to remove it.
# With ten people and five kinds of job, nobody can tell any more who may do what. A **group**
# gives a name to a job ("Admins", "Developers", "ReadOnly"): the policies hang on the group,
# and people join and leave it.
#
# The article puts it this way: a user can have **no rights of her own at all**, yet do
# everything a power user does, because the group she is in carries PowerUserAccess. Auditors
# ask for exactly that: the CIS AWS Foundations Benchmark's control **1.14** says IAM users
# should receive permissions *only* through groups (or roles), never attached to themselves.
#
# A few facts worth knowing:
#
# - A group is not an identity. Nobody signs in as a group, and a policy cannot name a group as
#   its principal. It is only a way to give the same policies to several users.
# - Groups do not nest (no group inside a group), and a user can be in up to 10 groups.
# - A user's rights are the union of her own policies and those of all her groups; an explicit
#   Deny anywhere wins.

# %% [markdown]
# ## 1. Name the group and choose its policy
#
# The form checks the name as you type, against AWS's rules (1-128 characters, letters, digits
# and `_+=,.@-`, unique regardless of upper and lower case). The drop-down says in one line what
# each policy allows. Keep **Admins** with **AdministratorAccess** to follow the lesson, then
# click **Create group**.

# %%
# NBVAL_IGNORE_OUTPUT
group_form = lesson_04.group_form(aws)
group_form

# %% [markdown]
# Clicked the button? Then the next cell finds the group already there and leaves it alone. Not
# clicked? The next cell does the same as the button, with the form's current values: create the
# group, then attach its policy.

# %%
# NBVAL_IGNORE_OUTPUT
GROUP, POLICY = group_form.value, group_form.policy_arn

# aws iam create-group --group-name Admins
# aws iam attach-group-policy --group-name Admins \
#     --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
# (what the button runs; an existing group is kept, attaching twice changes nothing)
print(
    helpers.apply_or_plan(aws, lambda: lesson_04.create_group_with_policy(aws.iam, GROUP, POLICY))
)

# %% [markdown]
# Look at what the group carries now:

# %%
# (after lesson 06, the group also carries ForceMFA)
# aws iam list-attached-group-policies --group-name Admins
attached = aws.iam.list_attached_group_policies(GroupName=GROUP)["AttachedPolicies"]
[policy["PolicyName"] for policy in attached]

# %% [markdown]
# ## 2. Put alice in the group
#
# Adding a user who is already a member changes nothing, so this cell is safe to run again.

# %%
# aws iam add-user-to-group --group-name Admins --user-name alice
helpers.apply_or_plan(aws, lambda: lesson_04.add_to_group(aws.iam, GROUP, USER))  # kept if so

# aws iam get-group --group-name Admins
members = [user["UserName"] for user in aws.iam.get_group(GroupName=GROUP)["Users"]]
print(f"Members of {GROUP}: {', '.join(members)}")

# %% [markdown]
# ## 3. Take alice's own policy away
#
# alice now holds AdministratorAccess twice: on herself, and through the group. Detach her
# personal copy. The order matters on a real account: first give the rights through the group,
# *then* remove the personal ones, so that she is never left without access in between.

# %%
# (after lesson 06, alice's groups also carry ForceMFA)
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"

# aws iam list-attached-user-policies --user-name alice
# aws iam detach-user-policy --user-name alice \
#     --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
helpers.apply_or_plan(aws, lambda: lesson_04.drop_own_policy(aws.iam, USER, ADMIN))  # if any
print(lesson_04.rights_of(aws.iam, USER))

# %% [markdown]
# **What to look at:** alice has no policy of her own any more, and exactly the same rights as
# before, now through the group. That is the article's point in one picture. Had you chosen
# PowerUserAccess in the form, she would now be a power user: everything except managing IAM
# users, groups and permissions.
#
# > **On a real AWS account**
# >
# > - IAM is *eventually consistent*: a change can take a few seconds to apply everywhere.
# > - AdministratorAccess is still `*:*` (every action on every resource), even through a group:
# >   CIS 1.15 fails wherever a policy that allows `*:*` is attached (to a user, a group or a
# >   role), however few people hold it. It passes only once nobody has full admin through a
# >   policy. Lesson 07 comes back to this.
# > - For people, AWS now recommends **IAM Identity Center**: its *permission sets* play the role
# >   of the group's policies, and nobody needs a long-lived IAM user.

# %% [markdown]
# ## 4. A second person: a power user
#
# The article's example group is **PowerUsers** with the AWS managed policy
# **PowerUserAccess**: everything in every service *except* managing IAM users, groups and
# permissions (and Organizations and the account itself). Add **bob** to it, with no policy of
# his own. Like alice he gets an access key (saved to `bob_accessKeys.csv`, 0600) and an MFA
# device on the virtual phone: lesson 03 showed each of those steps for alice, so here they run
# in one go. alice does all this: her group's AdministratorAccess allows it.

# %%
# NBVAL_IGNORE_OUTPUT
# aws iam create-user --user-name bob
# aws iam create-group --group-name PowerUsers
# aws iam attach-group-policy --group-name PowerUsers \
#     --policy-arn arn:aws:iam::aws:policy/PowerUserAccess
# aws iam add-user-to-group --group-name PowerUsers --user-name bob
# aws iam create-access-key --user-name bob
# aws iam create-virtual-mfa-device ... ; aws iam enable-mfa-device --user-name bob ...
phone = helpers.open_phone() if aws.is_sandbox else None  # None: bob's own phone, on AWS
for outcome in helpers.apply_or_plan(aws, lambda: lesson_04.add_power_user(aws.iam, phone)):
    print(outcome)

# %%
# (after lesson 06, his group also carries ForceMFA)
print(lesson_04.rights_of(aws.iam, "bob"))

# %% [markdown]
# Now work as bob, signed in the same way as alice: his key and a code from the phone. S3 is his
# to use: he makes a bucket and lists the account's buckets.

# %%
bob = helpers.sign_in_as("bob")
bucket = lesson_04.team_bucket_name(aws.account_id)

# aws s3api create-bucket --bucket team-notes-123456789012 --profile bob
lesson_04.make_bucket(bob.client("s3"), bucket)  # kept if an earlier run made it
# aws s3api list-buckets --profile bob
[b["Name"] for b in bob.client("s3").list_buckets()["Buckets"]]

# %% [markdown]
# And IAM? bob tries to create a user. AWS refuses with `AccessDenied` and says why in its own
# words; below AWS's message, the sandbox explains which policies it looked at. Nothing
# allowed `iam:CreateUser`, so it is an *implicit* deny.

# %%
from botocore.exceptions import ClientError
from helpers.errors import FriendlyError

try:
    # aws iam create-user --user-name carol --profile bob
    bob.iam.create_user(UserName="carol")
except ClientError as err:
    refusal = err
    display(FriendlyError(err))

# %%
print(refusal.response["Error"]["Code"], "·", refusal.response["Error"]["Message"])

# %% [markdown]
# The **IAM policy simulator** answers the same question without trying: give it a person and
# some actions, and it evaluates their policies. Administrators use it before they hand out a
# policy. It needs no permission of bob's: alice asks it about bob, for a request made with MFA
# as bob's are.

# %%
# aws iam simulate-principal-policy \
#     --policy-source-arn arn:aws:iam::123456789012:user/bob \
#     --action-names s3:CreateBucket iam:CreateUser \
#     --context-entries ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean
lesson_04.simulate(aws.iam, bob.arn, ["s3:CreateBucket", "iam:CreateUser"])

# %% [markdown]
# ## The checklist
#
# "Use groups to assign permissions" is ticked: a group with at least one member and at least
# one policy exists. Open a line to see why it passes and what each item checks.

# %%
# NBVAL_IGNORE_OUTPUT
checklist = helpers.checklist(aws)
checklist

# %%
# 4/5 after this lesson; 5/5 if you have already done lesson 05.
print(checklist.report.console_summary_after(lesson_04.SCORE))

# %% [markdown]
# This lesson's two checks, whatever you have done after it:

# %%
print(lesson_04.items(checklist.report))

# %% [markdown]
# ## Your turn
#
# Your company's auditors want to look around the account. Give them a **group** of their own:
# its members may **read** the account's settings but **change nothing**, not even create a
# user. Put one new person in it, and show, working as that person, that AWS refuses to let
# them create a user. Name the group and the person yourself, and choose the policy. The form of
# step 1, code or the AWS CLI all work. The check reads the account: the groups, their policies
# and members, and what the IAM policy simulator answers for each member.

# %%
helpers.exercises.check(aws, "04-auditors")

# %% [markdown]
# <details><summary>Solution (open it once you have tried)</summary>
#
# <!-- solution: 04-auditors -->
#
# ```python
# from botocore.exceptions import ClientError
# from helpers.iam import access_keys, users
# from helpers.lessons import lesson_04
#
# AUDITORS, AUDITOR = "Auditors", "dave"
# READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"  # or .../SecurityAudit
#
# print(lesson_04.create_group_with_policy(aws.iam, AUDITORS, READ_ONLY))
# users.create_user(aws.iam, AUDITOR)  # no policy of his own, in no other group
# print(lesson_04.add_to_group(aws.iam, AUDITORS, AUDITOR))
#
# # dave's access key, saved like the console's download (dave_accessKeys.csv, 0600)
# access_keys.save_access_key_csv(access_keys.rotate_access_key(aws.iam, AUDITOR))
# dave = helpers.sign_in_as(AUDITOR, mfa=False)  # his key alone: he has no MFA device
# print("dave reads:", len(dave.iam.list_users()["Users"]), "users")
# try:
#     dave.iam.create_user(UserName="mallory")
# except ClientError as err:
#     print("dave may not create a user:", err.response["Error"]["Code"])
# ```
#
# With the AWS CLI:
#
# ```bash
# aws iam create-group --group-name Auditors
# aws iam attach-group-policy --group-name Auditors \
#     --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
# aws iam create-user --user-name dave
# aws iam add-user-to-group --group-name Auditors --user-name dave
# aws iam create-access-key --user-name dave    # then a profile "dave" with that key
# aws iam create-user --user-name mallory --profile dave    # AccessDenied
# ```
# </details>

# %%
helpers.exercises.tally(aws, 4)

# %% [markdown]
# ## What you did
#
# - created the group **Admins** carrying **AdministratorAccess** (`create_group`,
#   `attach_group_policy`)
# - put alice in it (`add_user_to_group`)
# - detached her own policy (`detach_user_policy`): her rights now come only from the group,
#   as CIS 1.14 asks
# - worked as alice with an MFA session (`get_session_token`), not as root
# - added bob to **PowerUsers** (PowerUserAccess): S3 works for him, `iam:CreateUser` is
#   refused, and the policy simulator (`simulate_principal_policy`) says the same
#
# **Next:** [05 · A password policy for IAM users](05_password_policy.ipynb)
