"""The wire protocol: awsJson1.1 bytes in and out, validated against botocore's model.

``protocol`` (``handle``: decode, validate, lock, dispatch, errors to their wire form),
``validation`` (every constraint of the service model, compiled on first use),
``context`` (what the operations share: the request's context, the wire renderers) and
one function per API call in ``ops_values``, ``ops_lifecycle``, ``ops_policy``,
``ops_rotation`` and ``ops_replication``. The rules themselves are ``smmock._service``'s.
"""
