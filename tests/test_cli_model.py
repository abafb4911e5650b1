"""`tutor model ...` as a user runs it: a real subprocess of the installed entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

TUTOR = Path(sys.executable).with_name("tutor")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TUTOR), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )


def test_list_json(default_model_path: Path) -> None:
    out = run("model", "list", "--json")
    assert out.returncode == 0, out.stderr
    models = {m["id"]: m for m in json.loads(out.stdout)["models"]}
    default = models["smollm2-135m-instruct-q4_1"]
    assert default["active"] and default["present"] and default["hash"] == "ok"
    assert default["fit"] in ("fits", "may be slow")
    assert models["phi-3.5-mini-instruct-q4_k_m"]["hash"] == "missing"
    assert all(m["fit_reason"] for m in models.values())


def test_import_truncated_leaves_nothing_and_no_traceback(
    tmp_path: Path, tutor_home: Path, default_model_path: Path
) -> None:
    cut = tmp_path / "clinic.gguf"
    with default_model_path.open("rb") as fh:
        cut.write_bytes(fh.read(40_000_000))
    out = run("model", "import", str(cut))
    assert out.returncode == 1
    assert "truncated" in out.stderr and "Traceback" not in out.stderr
    assert list(tutor_home.rglob("*.gguf*")) == []


def test_import_use_list_remove(tmp_path: Path, default_model_path: Path) -> None:
    src = tmp_path / "clinic.gguf"
    shutil.copyfile(default_model_path, src)
    out = run("model", "import", str(src))
    assert out.returncode == 0, out.stderr
    assert "clinic" in out.stdout
    assert run("model", "use", "clinic").returncode == 0
    human = run("model", "list")
    assert "* clinic" in human.stdout
    assert run("model", "remove", "clinic").returncode == 0
    refused = run("model", "remove", "smollm2-135m-instruct-q4_1")
    assert refused.returncode == 1 and "cannot be removed" in refused.stderr


def test_every_model_command_is_documented() -> None:
    from tutor.commands.model import model

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    docs = (Path(__file__).resolve().parents[1] / "docs" / "models.md").read_text(encoding="utf-8")
    for name in model.commands:
        assert f"tutor model {name}" in readme, name
    assert "tutor model import" in docs and "tutor model bench" in docs
