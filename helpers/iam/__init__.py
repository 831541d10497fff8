"""IAM operations of the tutorial: one module per resource, plain boto3 calls.

Each function takes a boto3 IAM client, so the same code runs against the sandbox and a real
account (only the session differs). Functions log what failed and re-raise ``ClientError``.
"""
