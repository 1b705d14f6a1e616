"""The service's rules: lookup, values and labels, deletion, listing, rotation,
replication, policies, tags, passwords. Imports neither botocore nor the wire."""
