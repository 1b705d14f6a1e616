"""Every Python block of the README and of docs/migrating-from-moto.md runs as written,
on its own (its imports included), passes mypy strict and is ruff-formatted.

Each block becomes a module of its own in an empty directory; one pytest run in a fresh
interpreter imports them all (running their top-level code) and runs the tests they
define, with warnings as errors and no AWS settings from the machine.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = {"readme": ROOT / "README.md", "moto_guide": ROOT / "docs" / "migrating-from-moto.md"}
# How many Python blocks each document holds: a block the pattern missed (a typo in its
# fence) would otherwise go unchecked.
EXPECTED_BLOCKS = {"readme": 11, "moto_guide": 5}
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_FENCE = re.compile(r"^```(\w*)$", re.MULTILINE)


def blocks(document: str) -> list[str]:
    return _BLOCK.findall(DOCUMENTS[document].read_text())


def test_every_python_block_is_fenced_as_python() -> None:
    for document, path in DOCUMENTS.items():
        languages = _FENCE.findall(path.read_text())[::2]  # opening fences only
        # Shell sessions may be labelled; anything else must be Python, fenced as such.
        assert set(languages) <= {"", "python", "sh", "console"}, (document, languages)
        assert len(blocks(document)) == EXPECTED_BLOCKS[document], document
        # The unlabelled blocks are shell commands, not Python that escaped the check.
        for block in re.findall(r"^```\n(.*?)^```$", path.read_text(), re.M | re.S):
            assert not block.lstrip().startswith(("import ", "from ", "def ", "with ")), block


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    directory = tmp_path_factory.mktemp("documented")
    written = []
    for document in DOCUMENTS:
        for index, source in enumerate(blocks(document), 1):
            path = directory / f"test_{document}_block_{index}.py"
            path.write_text(source)
            written.append(path)
    return directory, written


def _test_functions(paths: list[Path]) -> list[str]:
    # The test ids pytest gives the blocks' test functions and test classes' methods.
    names = []
    for path in paths:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                names.append(f"{path.name}::{node.name}")
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                names += [
                    f"{path.name}::{node.name}::{method.name}"
                    for method in node.body
                    if isinstance(method, ast.FunctionDef) and method.name.startswith("test")
                ]
    return names


def test_every_block_runs_on_its_own(modules: tuple[Path, list[Path]]) -> None:
    directory, paths = modules
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    empty = directory / "empty-aws-config"
    empty.write_text("")
    env.update(
        AWS_SHARED_CREDENTIALS_FILE=str(empty),
        AWS_CONFIG_FILE=str(empty),
        AWS_EC2_METADATA_DISABLED="true",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hypothesispytest",
            "-W",
            "error",
            "-q",
            "-rA",
            "--rootdir",
            str(directory),
            *(path.name for path in paths),
        ],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    passed = sorted(re.findall(r"^PASSED (\S+)$", run.stdout, re.MULTILINE))
    assert passed == sorted(_test_functions(paths)), run.stdout
    assert len(passed) == 12  # not vacuous: the blocks' own tests ran


def test_every_block_passes_mypy_strict(modules: tuple[Path, list[Path]]) -> None:
    _, paths = modules
    stdout, stderr, status = mypy_api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--no-error-summary",
            *(str(path) for path in paths),
        ]
    )
    assert (status, stdout, stderr) == (0, "", "")


def test_every_block_is_ruff_formatted(modules: tuple[Path, list[Path]]) -> None:
    _, paths = modules
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "--diff",
            "--config",
            str(ROOT / "pyproject.toml"),
            *(str(path) for path in paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
