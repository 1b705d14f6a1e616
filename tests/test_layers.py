"""Imports flow one way between smmock's layers, and the rules need no botocore.

The layers, top to bottom (``LAYERS``): the public API (``smmock/__init__.py``,
``mock.py``, ``plugin.py``, ``backend.py``); interception (``_intercept/``; the HTTP
``server/`` will sit beside it, on top of the wire); the wire protocol (``_wire/``); the
service rules (``_service/``); the model (``_model/``); the leaves ``exceptions.py`` and
``_clock.py``. A module may import its own layer-package and any package in a lower row;
packages in the same row (``_intercept`` and ``server``, ``exceptions`` and ``_clock``) do
not import each other, so the leaves import nothing of smmock's. ``smmock.backend`` is
public: lower layers use ``smmock._service.backend``, never the public face.

Every import statement counts, wherever it is: at module level, inside a function (the
lazy imports on the hot path), and under ``if TYPE_CHECKING:``. A TYPE_CHECKING-only
import is held to the same rule on purpose: an annotation that names a higher layer's
type is still a dependency of the lower layer on the higher one (it breaks as soon as the
higher layer changes, and mypy then follows the cycle). A lower layer that needs such a
type should own a Protocol for it instead. ``importlib.import_module`` and ``__import__``
are checked too, and must get a literal name so they can be.

``import smmock`` registers the botocore hook by design (the public ``__init__`` imports
``mock``), so the botocore-free test stands a bare module in for the ``smmock`` package
itself and then runs every module of ``_service/``, ``_model/`` and the leaves for real.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "smmock"

# Rows, top to bottom. The public modules at the package's top are one layer-package.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("public",),
    ("_api",),
    ("_intercept", "server"),
    ("_wire",),
    ("_service",),
    ("_model",),
    ("exceptions", "_clock"),
)
PUBLIC = frozenset({"smmock", "smmock.__main__", "smmock.mock", "smmock.plugin", "smmock.backend"})
ROW = {name: row for row, names in enumerate(LAYERS) for name in names}

# Where the service, the model and the leaves may reach outside smmock: the standard
# library only. Checked statically here and by running them with botocore blocked.
BOTTOM = frozenset({"_service", "_model", "exceptions", "_clock"})


def module_name(path: Path) -> str:
    """``smmock/_wire/protocol.py`` -> ``smmock._wire.protocol``; a package's
    ``__init__.py`` -> the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer-package a module of smmock belongs to, ``None`` if it has no place."""
    if module in PUBLIC:
        return "public"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROW else None


def is_module(name: str) -> bool:
    """Whether ``name`` (``smmock.x.y``) is a module or package of the source tree."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module ``source`` imports, with its line: all import statements wherever
    they are, and ``importlib.import_module``/``__import__`` calls. ``from a import b``
    yields ``a.b`` when that is a module of smmock, else ``a``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                name = f"{base}.{alias.name}"
                yield node.lineno, name if is_module(name) else base
        elif isinstance(node, ast.Call):
            func = node.func
            called = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            if called in ("import_module", "__import__"):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield node.lineno, first.value
                else:
                    yield node.lineno, "<not a literal name>"


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """What in ``source`` (the text of ``module``) breaks the layering, one line each."""
    own = layer_of(module)
    found = []
    for line, target in sorted(imports(source, module, is_package)):
        where = f"{module}:{line}"
        if target == "<not a literal name>":
            found.append(f"{where}: a dynamic import this test cannot check")
            continue
        root = target.partition(".")[0]
        if root != "smmock":
            if own in BOTTOM and root not in sys.stdlib_module_names:
                found.append(f"{where}: imports {target} (only the standard library here)")
            continue
        theirs = layer_of(target)
        if own is None or theirs is None:
            found.append(f"{where}: {module} -> {target}: not in LAYERS")
        elif theirs != own and ROW[theirs] <= ROW[own]:
            found.append(f"{where}: {own} imports {theirs} ({target})")
    return found


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    lost = [module_name(p) for p in sources() if layer_of(module_name(p)) is None]
    assert lost == [], "place these in LAYERS (tests/test_layers.py): " + ", ".join(lost)


def test_no_layer_imports_a_higher_one() -> None:
    found = [
        problem
        for path in sources()
        for problem in violations(
            path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"
        )
    ]
    assert found == []


def test_the_check_sees_every_kind_of_import() -> None:
    # The checker itself: each of these is one violation it must report.
    source = textwrap.dedent(
        """
        from typing import TYPE_CHECKING
        import botocore
        from smmock._model import Secret
        from smmock import backend
        from .. import mock
        from .._wire import protocol

        if TYPE_CHECKING:
            from smmock._intercept.state import Activation

        def later():
            import smmock.plugin
            from smmock import SecretsBackend
            from smmock._service.store import Store

        def dynamic(name):
            importlib.import_module("smmock._wire.protocol")
            __import__(name)
        """
    )
    assert violations(source, "smmock._service.values") == [
        "smmock._service.values:3: imports botocore (only the standard library here)",
        "smmock._service.values:5: _service imports public (smmock.backend)",
        "smmock._service.values:6: _service imports public (smmock.mock)",
        "smmock._service.values:7: _service imports _wire (smmock._wire.protocol)",
        "smmock._service.values:10: _service imports _intercept (smmock._intercept.state)",
        "smmock._service.values:13: _service imports public (smmock.plugin)",
        "smmock._service.values:14: _service imports public (smmock)",
        "smmock._service.values:18: _service imports _wire (smmock._wire.protocol)",
        "smmock._service.values:19: a dynamic import this test cannot check",
    ]
    # Siblings in one row, and the leaves, import nothing of each other.
    assert violations("from smmock import _clock", "smmock.exceptions") == [
        "smmock.exceptions:1: exceptions imports _clock (smmock._clock)"
    ]
    assert violations("from smmock._intercept import hook", "smmock.server.app") == [
        "smmock.server.app:1: server imports _intercept (smmock._intercept.hook)"
    ]
    # Down is fine, and so is a relative import inside a package's own __init__.
    assert violations("from . import homes\nimport json", "smmock._model", is_package=True) == []
    assert violations("from smmock import exceptions, _clock", "smmock._wire.context") == []


BOTOCORE_FREE = textwrap.dedent(
    """
    import importlib
    import pkgutil
    import sys
    import types

    class Blocked:
        # Any attempt to import botocore or boto3 fails, as it would where they are not
        # installed.
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in ("botocore", "boto3"):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, Blocked())

    # ``import smmock`` would run the public __init__ (which registers the botocore
    # hook); a bare package with the same path lets the layers below run on their own.
    package = types.ModuleType("smmock")
    package.__path__ = [sys.argv[1]]
    sys.modules["smmock"] = package
    before = set(sys.modules)

    for sub in ("_service", "_model"):
        importlib.import_module(f"smmock.{sub}")
        for info in pkgutil.iter_modules([f"{sys.argv[1]}/{sub}"]):
            importlib.import_module(f"smmock.{sub}.{info.name}")

    from smmock._service.backend import SecretsBackend

    backend = SecretsBackend("123456789012", "eu-west-1")
    secret = backend.create_secret("db", "first")
    second = backend.put_secret_value("db", "second")
    _, read = backend.region_backend().get_secret_value("db")
    _, previous = backend.region_backend().get_secret_value("db", version_stage="AWSPREVIOUS")
    print(read.secret_string, previous.secret_string, read is second)
    print(secret.arn.rpartition("-")[0])
    print(sorted(backend.labels("db")))
    outside = sorted(
        name for name in set(sys.modules) - before
        if name.partition(".")[0] not in sys.stdlib_module_names
        and name.partition(".")[0] not in ("smmock", "__main__")
    )
    print(outside)
    print(sorted({".".join(n.split(".")[:2]) for n in sys.modules if n.startswith("smmock.")}))
    """
)


def test_service_and_model_run_without_botocore(tmp_path: Path) -> None:
    script = tmp_path / "botocore_free.py"
    script.write_text(BOTOCORE_FREE)
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(PACKAGE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "second first True",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        "['AWSCURRENT', 'AWSPREVIOUS']",
        "[]",
        "['smmock._clock', 'smmock._model', 'smmock._service', 'smmock.exceptions']",
    ]


def test_the_blocker_blocks(tmp_path: Path) -> None:
    # Without the stand-in package, the public __init__ runs and needs botocore: proof
    # that the test above really ran with botocore out of reach.
    script = tmp_path / "blocked.py"
    script.write_text(
        BOTOCORE_FREE.replace('sys.modules["smmock"] = package', 'sys.path.insert(0, ".")')
    )
    result = subprocess.run(
        [sys.executable, "-I", str(script), str(PACKAGE)],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().endswith("ImportError: botocore is blocked in this test")


def test_import_smmock_loads_only_what_registering_the_hook_needs(tmp_path: Path) -> None:
    # ``import smmock`` runs in every pytest session with the plugin installed, so it
    # loads only what registering the hook needs: of the lower layers, two leaves of
    # ``_model`` (defaults, request ids) and the environment patch. The wire, the rules
    # and the model's classes load on the first start. (When ``_model/__init__`` still
    # imported every model module, the defaults pulled in the whole model: ``import
    # smmock`` cost about twice as much.)
    script = tmp_path / "import_only.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(PACKAGE.parent)!r})\nimport smmock\n"
        f"assert smmock.__file__ == {str(PACKAGE / '__init__.py')!r}, smmock.__file__\n"
        "print(sorted(m for m in sys.modules if m.startswith('smmock')))\n"
        "print('responses' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded, responses = result.stdout.splitlines()
    assert loaded == str(
        [
            "smmock",
            "smmock._intercept",
            "smmock._intercept.environment",
            "smmock._intercept.hook",
            "smmock._intercept.response",
            "smmock._intercept.retries",
            "smmock._intercept.state",
            "smmock._intercept.tokens",
            "smmock._model",
            "smmock._model.defaults",
            "smmock._model.ids",
            "smmock._service",
            "smmock._service.env",
            "smmock.exceptions",
            "smmock.mock",
        ]
    )
    assert responses == "False"
