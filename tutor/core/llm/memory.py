"""The peak memory of a process, for the benchmark's worker RSS target.

psutil gives the current RSS everywhere but the peak only on Windows; Linux keeps the high-water
mark in ``/proc/<pid>/status``. Elsewhere the current RSS is the best available answer.
"""

from __future__ import annotations

from pathlib import Path

import psutil


def peak_rss_bytes(pid: int) -> int:
    info = psutil.Process(pid).memory_info()
    peak = getattr(info, "peak_wset", None)  # Windows
    if peak:
        return int(peak)
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return int(info.rss)
