"""Build the USB bundle: everything a clinic laptop with no network needs to install the tutor.

Usage: python packaging/build_bundle.py OUT_DIR [--no-zip]

Writes OUT_DIR/tutor-<version>-<platform>/ holding a wheelhouse (the tutor and every dependency,
llama-cpp-python compiled for this platform), the models present in models/, the signed content
packs from content/build/, the installer and launch scripts, a README for the clinic, and
SHA256SUMS over all of it; then a zip of that folder. Wheels are platform-specific: build a
Windows or macOS bundle on Windows or macOS (docs/usb-bundle.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
from pathlib import Path

from fetch_model import sha256  # a sibling script: this file runs as packaging/build_bundle.py

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = Path(__file__).resolve().parent / "installer"


def version() -> str:
    text = (ROOT / "tutor" / "__init__.py").read_text(encoding="utf-8")
    return text.split('__version__ = "', 1)[1].split('"', 1)[0]


def platform_tag() -> str:
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def pip_wheel(target: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Build wheels into ``target`` with this interpreter's pip."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(target), *args],
        check=True,
        env=env,
    )


def build_portable_llama(target: Path, cmake_args: str) -> None:
    """Compile llama-cpp-python for other CPUs than this one (never from pip's cache).

    The default build targets the build machine's own CPU (GGML_NATIVE), which can crash with an
    illegal instruction on an older clinic laptop; see docs/usb-bundle.md for the flags to use.
    """
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    spec = next(d for d in pyproject["project"]["dependencies"] if d.startswith("llama-cpp-python"))
    pip_wheel(
        target, "--no-cache-dir", "--no-deps", spec, env={**os.environ, "CMAKE_ARGS": cmake_args}
    )


def build_wheelhouse(target: Path) -> None:
    """The tutor and all its runtime dependencies as wheels (pip's cache avoids recompiling)."""
    # The wheel carries the model catalog as package data (a checkout reads models/ directly).
    data = ROOT / "tutor" / "_data"
    data.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "models" / "catalog.toml", data / "catalog.toml")
    pip_wheel(target, "--find-links", str(target), str(ROOT))


def copy_models(target: Path) -> list[str]:
    catalog = tomllib.loads((ROOT / "models" / "catalog.toml").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "models" / "catalog.toml", target / "catalog.toml")
    copied = []
    for entry in catalog["model"]:
        source = ROOT / "models" / entry["file"]
        if source.is_file():
            shutil.copy2(source, target / entry["file"])
            copied.append(entry["file"])
    if not any(e.get("default") and e["file"] in copied for e in catalog["model"]):
        sys.exit("error: the default model is missing from models/: run `make setup` first")
    return copied


def copy_packs(target: Path) -> list[str]:
    target.mkdir(parents=True, exist_ok=True)
    packs = sorted((ROOT / "content" / "build").glob("*.zip"))
    for pack in packs:
        shutil.copy2(pack, target / pack.name)
    return [p.name for p in packs]


def write_sums(bundle: Path) -> None:
    lines = [
        f"{sha256(path)}  {path.relative_to(bundle).as_posix()}"
        for path in sorted(bundle.rglob("*"))
        if path.is_file() and path.name != "SHA256SUMS"
    ]
    (bundle / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(out: Path, make_zip: bool = True, llama_cmake_args: str | None = None) -> Path:
    started = time.perf_counter()
    name = f"tutor-{version()}-{platform_tag()}-py{sys.version_info[0]}{sys.version_info[1]}"
    bundle = out / name
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    print(f"building {bundle}", flush=True)
    if llama_cmake_args:
        build_portable_llama(bundle / "wheelhouse", llama_cmake_args)
    build_wheelhouse(bundle / "wheelhouse")
    models = copy_models(bundle / "models")
    packs = copy_packs(bundle / "packs")
    for item in INSTALLER.iterdir():
        shutil.copy2(item, bundle / item.name)
    manifest = {
        "tutor": version(),
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "platform": sysconfig.get_platform(),
        "machine": platform.machine(),
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "models": models,
        "packs": packs,
    }
    (bundle / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    write_sums(bundle)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    print(f"bundle folder: {size / 1e6:.0f} MB", flush=True)
    if make_zip:
        archive = shutil.make_archive(str(bundle), "zip", root_dir=out, base_dir=name)
        print(f"bundle zip: {archive} ({Path(archive).stat().st_size / 1e6:.0f} MB)")
    print(f"built in {time.perf_counter() - started:.0f} s")
    return bundle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-zip", action="store_true", help="only the folder")
    parser.add_argument(
        "--llama-cmake-args",
        default=os.environ.get("LLAMA_CMAKE_ARGS"),
        help="compile llama-cpp-python with these CMAKE_ARGS (e.g. for older CPUs)",
    )
    args = parser.parse_args()
    build(args.out, make_zip=not args.no_zip, llama_cmake_args=args.llama_cmake_args)


if __name__ == "__main__":
    main()
