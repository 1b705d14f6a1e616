"""The wheel ships the console: templates and static files, and the ``smmock`` script.

The wheel is built offline from a copy of this checkout (no build isolation), unpacked, and
``python -m smmock serve`` runs from the unpacked copy alone (the checkout is not on the
path), serving the console page and its stylesheet.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from tests.server_fixtures import ROOT, Server, server_env

TEMPLATES = ["base.html", "error.html", "list.html", "secret.html"]


def test_a_wheel_install_serves_the_console(tmp_path: Path) -> None:
    # Built from a copy, so the build leaves nothing in the checkout.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "smmock", source / "smmock", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "wheel"]
    dist = tmp_path / "dist"
    built = subprocess.run(
        [*pip, "--no-deps", "--no-build-isolation", str(source), "-w", str(dist)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("smmock-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "smmock = smmock.server.cli:main" in archive.read(entry_points).decode()
        archive.extractall(tmp_path / "site")
    for name in TEMPLATES:
        assert f"smmock/server/templates/{name}" in names
    assert {"smmock/server/static/console.css", "smmock/server/static/console.js"} <= names

    env = {**server_env(), "PYTHONPATH": str(tmp_path / "site")}
    where = subprocess.run(
        [sys.executable, "-c", "import smmock.server; print(smmock.server.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert where.stdout.strip() == str(tmp_path / "site" / "smmock" / "server" / "__init__.py")
    process = subprocess.Popen(
        [sys.executable, "-m", "smmock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert process.stdout is not None
    server = Server(process, process.stdout.readline().split()[2], tmp_path / "none.log")
    (tmp_path / "none.log").write_text("")
    try:
        with urllib.request.urlopen(server.url + "/", timeout=10) as page:
            assert '<h1>Secrets <span class="count">(0)</span></h1>' in page.read().decode()
        with urllib.request.urlopen(server.url + "/static/console.css", timeout=10) as css:
            assert css.headers["content-type"].startswith("text/css")
    finally:
        server.stop()
