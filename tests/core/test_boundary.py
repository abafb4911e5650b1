"""The core and the server never import Qt: scripts and the school server run without it."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import tutor.core, tutor.server
names = []
for package in (tutor.core, tutor.server):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
qt = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "tutor.ui")))
assert not qt, qt
print(len(names))
"""


def test_core_and_server_import_no_qt() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 5  # the walk really found the modules
