"""The USB bundle, end to end: build it, then install and run it with no network at all.

Installing happens inside a new network namespace (``unshare -n``, root only), so any attempt to
reach a package index or the internet fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.model]

OFFLINE = ["unshare", "-n"]


def offline_available() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run([*OFFLINE, "true"], capture_output=True, check=False).returncode == 0


needs_offline = pytest.mark.skipif(
    not offline_available(), reason="needs `unshare -n` (root) to cut the network"
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build_bundle.py"), str(out), "--no-zip"],
        check=True,
        capture_output=True,
        text=True,
    )
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


def run_offline(*cmd: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OFFLINE, *cmd], capture_output=True, text=True, env=env, timeout=600, check=False
    )


def test_bundle_contents(bundle: Path) -> None:
    manifest = json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))
    assert manifest["models"] == ["SmolLM2-135M-Instruct.Q4_1.gguf"]
    wheels = {p.name.split("-")[0].lower() for p in (bundle / "wheelhouse").glob("*.whl")}
    assert {"tutor", "llama_cpp_python", "pyside6_essentials", "sqlite_utils"} <= wheels
    for name in ("install.py", "install.sh", "install.bat", "install.ps1", "README-CLINIC.md"):
        assert (bundle / name).is_file()
    listed = (bundle / "SHA256SUMS").read_text(encoding="utf-8")
    assert "models/SmolLM2-135M-Instruct.Q4_1.gguf" in listed


def install_offline(bundle: Path, target: Path, data: Path) -> subprocess.CompletedProcess[str]:
    return run_offline(
        sys.executable, str(bundle / "install.py"), "--target", str(target), "--data", str(data),
        "--no-launcher",
    )  # fmt: skip


@needs_offline
def test_installs_and_runs_with_no_network(bundle: Path, tmp_path: Path) -> None:
    target, data = tmp_path / "app", tmp_path / "data"
    install = install_offline(bundle, target, data)
    assert install.returncode == 0, install.stderr + install.stdout
    assert "files verified" in install.stdout
    tutor = target / "venv" / "bin" / "tutor"
    env = {**os.environ, "TUTOR_HOME": str(data), "QT_QPA_PLATFORM": "offscreen"}
    version = run_offline(str(tutor), "--version", env=env)
    assert version.returncode == 0 and "0." in version.stdout
    doctor = run_offline(str(tutor), "doctor", "--json", env=env)
    report = json.loads(doctor.stdout)
    assert report["model"]["present"] is True
    assert report["model"]["sha256_ok"] is True
    assert report["data_dir"] == str(data)
    # The signed case pack built by `make` was carried and imported by the installer.
    assert json.loads((bundle / "bundle.json").read_text(encoding="utf-8"))["packs"]
    assert report["cases_installed"] == len(list((ROOT / "content" / "cases").glob("*.yaml")))
    # The installed copy answers as the patient of an installed case, still with no network.
    ask = run_offline(
        str(tutor),
        "patient",
        "ask",
        "pulmonary-tuberculosis",
        "how long have you been coughing?",
        "--json",
        env=env,
    )
    assert ask.returncode == 0, ask.stderr
    reply = json.loads(ask.stdout)
    assert reply["grounded"] and reply["fact_ids"] == ["cough-duration"]
    assert "6 weeks" in reply["answer"]
    # Running it again upgrades in place and keeps the data dir.
    (data / "keep-me").write_text("progress", encoding="utf-8")
    again = install_offline(bundle, target, data)
    assert again.returncode == 0, again.stderr
    assert (data / "keep-me").read_text(encoding="utf-8") == "progress"


def test_refuses_tampered_bundle(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "stick"
    shutil.copytree(bundle, copy, copy_function=os.link)  # hard links: cheap
    victim = copy / "README-CLINIC.md"
    text = victim.read_text(encoding="utf-8")
    victim.unlink()  # break the link before changing, so the original stays intact
    victim.write_text(text.replace("Python 3.11", "Python 9"), encoding="utf-8")
    target = tmp_path / "app"
    result = subprocess.run(
        [sys.executable, str(copy / "install.py"), "--target", str(target), "--no-launcher"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "README-CLINIC.md" in result.stderr and "damaged" in result.stderr
    assert not target.exists()  # nothing was installed


def test_refuses_missing_file(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "stick"
    shutil.copytree(bundle, copy, copy_function=os.link)
    next((copy / "wheelhouse").glob("click-*.whl")).unlink()
    result = subprocess.run(
        [sys.executable, str(copy / "install.py"), "--target", str(tmp_path / "app")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "missing" in result.stderr
