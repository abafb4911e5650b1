"""``tutor doctor``: one report of everything that decides whether the tutor can run here."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import Any

import tutor
from tutor.core import hardware, paths
from tutor.core.content import installed_case_count
from tutor.core.errors import KnownError
from tutor.core.llm import catalog


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def report() -> dict[str, Any]:
    """A JSON-ready dict; each part degrades to an error message rather than raising."""
    hw = hardware.probe()
    result: dict[str, Any] = {
        "tutor": tutor.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "qt": _version("PySide6-Essentials") or _version("PySide6"),
        "llama_cpp_python": _version("llama_cpp_python"),
        "platform": platform.platform(),
        "cpu": {
            "logical_cores": hw.logical_cores,
            "physical_cores": hw.physical_cores,
            "avx": hw.avx,
            "avx2": hw.avx2,
            "avx512": hw.avx512,
            "machine": hw.machine,
        },
        "ram": {"total_bytes": hw.ram_total_bytes, "available_bytes": hw.ram_available_bytes},
        "data_dir": str(paths.data_dir()),
        "portable": paths.is_portable(),
    }
    try:
        entry = catalog.active_model()
        result["model"] = catalog.check(entry).as_dict()
    except KnownError as exc:
        result["model"] = {"present": False, "sha256_ok": False, "problem": str(exc)}
    try:
        result["cases_installed"] = installed_case_count()
    except Exception as exc:  # a damaged library must not stop the report
        result["cases_installed"] = None
        result["cases_problem"] = str(exc)
    result["ok"] = bool(result["model"].get("present") and result["model"].get("sha256_ok"))
    return result
