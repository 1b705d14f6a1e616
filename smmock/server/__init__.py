"""``smmock serve``: the backend over HTTP (awsJson1.1, admin JSON, a console), on top of _wire.

Every API call, the console's included, goes through
:func:`smmock._wire.protocol.handle`; this package adds only HTTP: the ASGI application
(:mod:`.app`), the request identity (:mod:`.api`), the ``/_smmock/`` admin endpoints
(:mod:`.admin`), the console (:mod:`.console`) and the command line (:mod:`.cli`). It needs
the ``server`` extra (``pip install 'smmock[server]'``); nothing else in smmock imports it.
"""
