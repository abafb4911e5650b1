"""Smoke test: start the real app as a user would and read its log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.slow]


def wait_for(path: Path, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in (content := path.read_text(encoding="utf-8")):
            return content
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in {path} after {timeout} s")


def test_window_opens_before_model_is_loaded(tutor_home: Path, default_model_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TUTOR_HOME": str(tutor_home)}
    tutor = Path(sys.executable).with_name("tutor")
    proc = subprocess.Popen([str(tutor)], env=env, stderr=subprocess.PIPE, text=True)
    log = tutor_home / "logs" / "tutor.log"
    try:
        content = wait_for(log, ": ready")
        shown = content.index("window shown")
        loading = content.index("smollm2-135m-instruct-q4_1: loading")
        ready = content.index("smollm2-135m-instruct-q4_1: ready")
        assert shown < loading < ready  # the window did not wait for the model
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    final = log.read_text(encoding="utf-8")
    assert "smollm2-135m-instruct-q4_1: stopped" in final  # worker shut down with the app
