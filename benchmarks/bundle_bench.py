"""Bundle size and offline install time (issue #8). Prints one JSON object.

Usage: .venv/bin/python benchmarks/bundle_bench.py
Builds the bundle (folder and zip) in a temp dir, then installs it inside `unshare -n` (root) into
a fresh target, timing each step.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "build_bundle.py"), str(out / "b")],
            check=True,
            capture_output=True,
        )
        build_s = time.perf_counter() - started
        (folder,) = [p for p in (out / "b").iterdir() if p.is_dir()]
        (archive,) = list((out / "b").glob("*.zip"))
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        zip_mb = round(archive.stat().st_size / 1e6, 1)
        started = time.perf_counter()
        subprocess.run(
            [
                "unshare",
                "-n",
                sys.executable,
                str(folder / "install.py"),
                "--target",
                str(out / "app"),
                "--data",
                str(out / "data"),
                "--no-launcher",
            ],
            check=True,
            capture_output=True,
        )
        install_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bundle_folder_mb": round(size / 1e6, 1),
                "bundle_zip_mb": zip_mb,
                "build_s_with_pip_cache": round(build_s, 1),
                "offline_install_s": round(install_s, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
