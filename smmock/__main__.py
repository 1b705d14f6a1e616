"""``python -m smmock serve``: the same as the ``smmock`` console script."""

from __future__ import annotations

from smmock.server.cli import main

raise SystemExit(main())
