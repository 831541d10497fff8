"""Facts about the sandbox that both the server and its clients need (no moto here)."""

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"

# AWS's own documentation example key pair. In the sandbox it stands for the root user's
# console session, the way the article works as root in the console; it is not a root
# access key (a new account has none, and the status checklist counts on that).
ROOT_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
ROOT_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

HEALTH_PATH = "/_sandbox/health"
RESET_PATH = "/_sandbox/reset"
CONSOLE_PREFIX = "/_sandbox/console/"
SERVER_NAME = "aws-mfa-tutorial sandbox"
