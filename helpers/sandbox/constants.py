"""Facts about the sandbox that both the server and its clients need (no moto here)."""

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"

# The root user's credentials are random for each sandbox: helpers/sandbox/credentials.py.

HEALTH_PATH = "/_sandbox/health"
RESET_PATH = "/_sandbox/reset"
CONSOLE_PREFIX = "/_sandbox/console/"
SERVER_NAME = "aws-mfa-tutorial sandbox"
# The service name the sandbox's own endpoints (console actions, reset) are signed for.
SANDBOX_SERVICE = "sandbox"
