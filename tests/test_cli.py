"""The `tutor` command as a user runs it: a real subprocess of the installed entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import tutor

TUTOR = Path(sys.executable).with_name("tutor")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TUTOR), *args],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
        timeout=120,
        check=False,
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert tutor.__version__ in out.stdout


def test_help_lists_commands() -> None:
    out = run("--help")
    assert out.returncode == 0
    assert "doctor" in out.stdout


def test_doctor_json(default_model_path: Path, tutor_home: Path) -> None:
    out = run("doctor", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["model"]["id"] == "smollm2-135m-instruct-q4_1"
    assert data["model"]["present"] is True
    assert data["model"]["sha256_ok"] is True
    assert data["data_dir"] == str(tutor_home)
    assert data["cpu"]["logical_cores"] >= 1
    assert isinstance(data["cpu"]["avx2"], bool)
    assert data["ram"]["total_bytes"] > data["ram"]["available_bytes"] > 0
    assert data["python"].startswith("3.")
    assert data["qt"] and data["llama_cpp_python"]
    assert data["cases_installed"] == 0


def test_doctor_reports_corrupt_model_without_traceback(default_model_path: Path) -> None:
    from tutor.core import paths

    bad = paths.models_dir() / default_model_path.name
    shutil.copyfile(default_model_path, bad)
    bad.write_bytes(bad.read_bytes()[: 1 << 20])  # truncated
    out = run("doctor", "--json")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    data = json.loads(out.stdout)
    assert data["model"]["present"] is True
    assert data["model"]["sha256_ok"] is False
    assert "damaged" in data["model"]["problem"]
    human = run("doctor")
    assert "damaged" in human.stdout and "Traceback" not in human.stderr


def test_doctor_reports_missing_model() -> None:
    from tutor.core import settings

    settings.set_value("active_model", "phi-3.5-mini-instruct-q4_k_m")
    out = run("doctor", "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["model"]["present"] is False
    assert "missing" in data["model"]["problem"]
