"""The server is its own layer on top of ``_wire``: nothing below imports it.

It reaches the API only through ``smmock._wire.protocol.handle`` (never the operations
directly), so there is no second implementation of any operation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import smmock

PACKAGE = Path(smmock.__file__).parent


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_nothing_below_the_server_imports_it() -> None:
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in ("server", "__main__.py"):
            continue
        assert not any(name.startswith("smmock.server") for name in imports(path)), relative


def test_the_server_reaches_the_api_only_through_handle() -> None:
    server_modules = sorted((PACKAGE / "server").glob("*.py"))
    assert [p.name for p in server_modules] == [
        "__init__.py",
        "admin.py",
        "api.py",
        "app.py",
        "cli.py",
        "console.py",
        "state.py",
    ]
    for path in server_modules:
        for name in imports(path):
            if name.startswith("smmock._wire"):
                assert name in {
                    "smmock._wire.protocol",
                    "smmock._wire.protocol.handle",
                    "smmock._wire.protocol.CONTENT_TYPE",
                }, (path.name, name)
            assert not name.startswith("smmock._intercept"), (path.name, name)
