"""The wire protocol: awsJson1.1 in and out, model-driven validation, one function per
operation."""
