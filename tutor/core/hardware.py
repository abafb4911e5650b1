"""What this computer can do: cores, memory and the CPU vector extensions llama.cpp relies on.

Read cheaply and without loading any model, so the tutor can say whether a model fits before
trying it.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil


@dataclass(frozen=True)
class Hardware:
    logical_cores: int
    physical_cores: int
    ram_total_bytes: int
    ram_available_bytes: int
    avx: bool
    avx2: bool
    avx512: bool
    machine: str
    system: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def probe() -> Hardware:
    memory = psutil.virtual_memory()
    flags = cpu_flags()
    logical = os.cpu_count() or 1
    return Hardware(
        logical_cores=logical,
        physical_cores=psutil.cpu_count(logical=False) or logical,
        ram_total_bytes=memory.total,
        ram_available_bytes=memory.available,
        avx="avx" in flags,
        avx2="avx2" in flags,
        avx512="avx512f" in flags,
        machine=platform.machine(),
        system=platform.system(),
    )


def cpu_flags() -> frozenset[str]:
    """Lower-case CPU feature names (``avx``, ``avx2``, ``avx512f``); empty when unknown."""
    if sys.platform.startswith("linux"):
        return _linux_flags(Path("/proc/cpuinfo"))
    if sys.platform == "darwin":
        return _mac_flags()
    if sys.platform == "win32":
        return _windows_flags()
    return frozenset()


def _linux_flags(cpuinfo: Path) -> frozenset[str]:
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        key, _sep, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.lower().split())
    return frozenset()


def _mac_flags() -> frozenset[str]:
    try:
        out = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names = {word.lower().replace(".", "_") for word in out.split()}
    if "avx1_0" in names:
        names.add("avx")
    return frozenset(names)


def _windows_flags() -> frozenset[str]:
    import ctypes

    # IsProcessorFeaturePresent constants from winnt.h.
    features = {"avx": 39, "avx2": 40, "avx512f": 41}
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
    return frozenset(
        name for name, code in features.items() if kernel32.IsProcessorFeaturePresent(code)
    )
