"""How a call reaches smmock: the botocore, aiobotocore and plain-requests patches.

``hook`` (botocore's handlers, starting and stopping mocks, the class-level patches),
``state`` (the stack of activations and their one backend), ``response`` (the
``AWSResponse`` a mocked call gets), ``environment`` (fake keys and a region while
active), ``plain_requests``, ``aio`` (aiobotocore) and ``speedups`` (client set-up
memoised while active). Everything here hands the request to ``smmock._wire.protocol``.
"""
