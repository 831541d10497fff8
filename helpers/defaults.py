"""The values every form starts with, so that Run All works and leaves a well-set-up account."""

from __future__ import annotations

USER_NAME = "alice"
GROUP_NAME = "Admins"
GROUP_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"
ACCOUNT_ALIAS = "my-first-aws-account"
ROOT_MFA_DEVICE_NAME = "root-account-mfa-device"

# Lesson 04's second person: a power user (everything but IAM), in the article's PowerUsers
# group; and the bucket he makes to show that S3 works for him.
POWER_USER_NAME = "bob"
POWER_GROUP_NAME = "PowerUsers"
POWER_GROUP_POLICY_ARN = "arn:aws:iam::aws:policy/PowerUserAccess"
TEAM_BUCKET_PREFIX = "team-notes"

# Lesson 06: the customer managed policy that requires MFA (AWS's example, helpers.iam.policies),
# attached to every group of people.
FORCE_MFA_GROUPS = (GROUP_NAME, POWER_GROUP_NAME)

# The virtual phone (lesson 01). Practice values: on a real phone, choose your own.
PHONE_PIN = "2468"
PHONE_BACKUP_PASSWORD = "correct horse battery staple"

# The policies a learner can pick from for the group (lesson 04).
GROUP_POLICIES = {
    "AdministratorAccess": "arn:aws:iam::aws:policy/AdministratorAccess",
    "PowerUserAccess": "arn:aws:iam::aws:policy/PowerUserAccess",
    "ReadOnlyAccess": "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "IAMUserChangePassword": "arn:aws:iam::aws:policy/IAMUserChangePassword",
}

# Password policies (lesson 05), as keyword arguments of update_account_password_policy.
# CIS AWS Foundations Benchmark v5.0 checks the length (1.7, 14 or more) and the reuse
# prevention (1.8, 24); it no longer asks for expiry, so the preset sets none (passwords never
# expire), as NIST SP 800-63B advises.
CIS_PASSWORD_POLICY = {
    "MinimumPasswordLength": 14,
    "RequireSymbols": True,
    "RequireNumbers": True,
    "RequireUppercaseCharacters": True,
    "RequireLowercaseCharacters": True,
    "AllowUsersToChangePassword": True,
    "PasswordReusePrevention": 24,
    "HardExpiry": False,
}
# AWS's default password policy is *no* custom policy: 8-128 characters, at least three of the
# four kinds, not identical to the account name or email
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html).
# The form's "AWS default" removes the custom policy (PolicyForm.chosen is None). "Three of
# four" cannot be written as a custom policy: this is the nearest custom one (all four kinds,
# so stricter), which the rules' tests compare with the default.
AWS_DEFAULT_PASSWORD_POLICY = {
    "MinimumPasswordLength": 8,
    "RequireSymbols": True,
    "RequireNumbers": True,
    "RequireUppercaseCharacters": True,
    "RequireLowercaseCharacters": True,
    "AllowUsersToChangePassword": True,
    "HardExpiry": False,
}
