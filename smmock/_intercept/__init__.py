"""Interception: botocore's hook and patches, plain ``requests``, aiobotocore, the
environment while a mock is active, and client set-up speedups."""
