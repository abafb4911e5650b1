"""Install the offline clinical tutor from this USB bundle. Needs only Python 3.11; no network.

    python3 install.py                 # install for this user, with a menu/desktop launcher
    python3 install.py --portable      # run from the stick, keeping data on the stick
    python3 install.py --target DIR --data DIR --no-launcher

Steps: verify every file against SHA256SUMS (a damaged or changed file stops everything), create
or upgrade a virtual environment from the wheelhouse with no package index, copy the models and
import the content packs into the data dir, create a launcher, and print what was done. Running it
again upgrades in place and keeps learners' progress.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent


class InstallError(Exception):
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(bundle: Path) -> int:
    """Check every file listed in SHA256SUMS; raise naming the first bad or missing file."""
    sums = bundle / "SHA256SUMS"
    if not sums.is_file():
        raise InstallError("SHA256SUMS is missing: this is not a complete tutor bundle.")
    count = 0
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, _sep, name = line.partition("  ")
        path = bundle / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise InstallError(f"SHA256SUMS names a path outside the bundle: {name}")
        if not path.is_file():
            raise InstallError(f"The file {name} is missing from the bundle. Copy it again.")
        if sha256(path) != expected:
            raise InstallError(
                f"The file {name} is damaged or was changed (its sha256 does not match "
                "SHA256SUMS). Nothing was installed. Copy the bundle again from a good source."
            )
        count += 1
    return count


def check_python(bundle: Path) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
    wanted = str(manifest["python"])
    have = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if have != wanted:
        raise InstallError(
            f"This bundle was built for Python {wanted}; this is Python {have}. "
            f"Run it with python{wanted}."
        )
    return manifest


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise InstallError(f"{' '.join(cmd[:3])} … failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def pip_install(bundle: Path, python: Path, extra: list[str]) -> None:
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(bundle / "wheelhouse"),
            "--upgrade",
            *extra,
            "tutor",
        ]
    )


def install_venv(bundle: Path, target: Path) -> Path:
    env = target / "venv"
    python = bin_dir(env) / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=False).create(env)
    pip_install(bundle, python, [])
    return bin_dir(env) / ("tutor.exe" if os.name == "nt" else "tutor")


def install_portable(bundle: Path) -> Path:
    lib = bundle / "portable" / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    pip_install(bundle, Path(sys.executable), ["--target", str(lib)])
    return lib


def copy_models(bundle: Path, data: Path) -> list[str]:
    target = data / "models"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for model in sorted((bundle / "models").glob("*.gguf")):
        dest = target / model.name
        same_size = dest.is_file() and dest.stat().st_size == model.stat().st_size
        if same_size and sha256(dest) == sha256(model):
            continue
        part = dest.with_name(dest.name + ".part")
        shutil.copyfile(model, part)
        os.replace(part, dest)
        copied.append(model.name)
    return copied


def import_packs(tutor_cmd: list[str], bundle: Path, env: dict[str, str]) -> str:
    packs = sorted((bundle / "packs").glob("*.zip"))
    if not packs:
        return "no content packs in this bundle"
    return run([*tutor_cmd, "content", "import", str(bundle / "packs")], env=env).strip()


def make_launcher(tutor_cmd: list[str], env_vars: dict[str, str]) -> str | None:
    home = Path.home()
    if sys.platform.startswith("linux"):
        apps = home / ".local" / "share" / "applications"
        apps.mkdir(parents=True, exist_ok=True)
        prefix = " ".join(f"{k}={v}" for k, v in env_vars.items())
        exec_line = f"env {prefix} {' '.join(tutor_cmd)}" if prefix else " ".join(tutor_cmd)
        desktop = apps / "offline-clinical-tutor.desktop"
        desktop.write_text(
            "[Desktop Entry]\nType=Application\nName=Offline clinical tutor\n"
            f"Exec={exec_line}\nTerminal=false\nCategories=Education;MedicalSoftware;\n",
            encoding="utf-8",
        )
        return str(desktop)
    if sys.platform == "win32":
        desktop = home / "Desktop" / "Offline clinical tutor.bat"
        lines = [f'set "{k}={v}"' for k, v in env_vars.items()]
        desktop.write_text(
            "@echo off\r\n" + "\r\n".join(lines) + f'\r\nstart "" "{tutor_cmd[0]}"\r\n',
            encoding="utf-8",
        )
        return str(desktop)
    if sys.platform == "darwin":
        desktop = home / "Desktop" / "Offline clinical tutor.command"
        lines = [f'export {k}="{v}"' for k, v in env_vars.items()]
        desktop.write_text(
            "#!/bin/sh\n" + "\n".join(lines) + f'\nexec "{tutor_cmd[0]}"\n', encoding="utf-8"
        )
        desktop.chmod(0o755)
        return str(desktop)
    return None


def default_target() -> Path:
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "OfflineClinicalTutor"
    return Path.home() / ".local" / "share" / "offline-clinical-tutor"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install the offline clinical tutor.")
    parser.add_argument("--target", type=Path, default=None, help="where to install the program")
    parser.add_argument("--data", type=Path, default=None, help="data dir (sets TUTOR_HOME)")
    parser.add_argument("--portable", action="store_true", help="run from this stick")
    parser.add_argument("--no-launcher", action="store_true", help="create no launcher")
    args = parser.parse_args(argv)
    bundle = HERE
    try:
        print("Checking the bundle…", flush=True)
        count = verify(bundle)
        manifest = check_python(bundle)
        print(f"  {count} files verified against SHA256SUMS")
        env = dict(os.environ)
        env_vars: dict[str, str] = {}
        if args.portable:
            data = args.data or bundle / "portable" / "data"
            lib = install_portable(bundle)
            env["PYTHONPATH"] = str(lib)
            python = Path(sys.executable)
            tutor_cmd = [str(python), "-m", "tutor"]
            where = f"on this stick ({lib})"
        else:
            target = args.target or default_target()
            tutor_exe = install_venv(bundle, target)
            python = tutor_exe.with_name("python.exe" if os.name == "nt" else "python")
            tutor_cmd = [str(tutor_exe)]
            data = args.data
            where = str(target)
        if data is not None:
            env["TUTOR_HOME"] = str(data)
            env_vars["TUTOR_HOME"] = str(data)
        data_dir = Path(
            run(
                [str(python), "-c", "from tutor.core.paths import data_dir; print(data_dir())"],
                env=env,
            ).strip()
        )
        print(f"Installed tutor {manifest['tutor']} {where}")
        copied = copy_models(bundle, data_dir)
        print(f"Models in {data_dir / 'models'}: {', '.join(copied) or 'already up to date'}")
        print(f"Content: {import_packs(tutor_cmd, bundle, env)}")
        if args.portable:
            print(
                "Start it with launch-portable.sh (Linux/macOS) or launch-portable.bat (Windows)."
            )
        elif not args.no_launcher:
            launcher = make_launcher(tutor_cmd, env_vars)
            print(f"Launcher: {launcher or 'none on this system'}")
        print(f"Learners' progress is kept in {data_dir}; running this again upgrades in place.")
    except InstallError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
