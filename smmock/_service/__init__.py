"""The service's rules, in plain Python: no botocore, no wire format.

``backend`` (``SecretsBackend`` for all accounts and regions, ``RegionBackend`` assembled
from ``store``: lookup and lazy purge, ``values``: values, versions and labels,
``listing``, ``deletion``), and one module per area: ``names`` (names and ARNs),
``metadata`` (tags, policies), ``policy``, ``rotation``, ``schedule``, ``replication``,
``cross_account``, ``filters``, ``paging``, ``password``, ``env``.
"""
