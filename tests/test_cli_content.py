"""`tutor content` as a user runs it: real subprocesses of the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tutor.core import paths

TUTOR = Path(sys.executable).with_name("tutor")
AGENTCLINIC = (
    paths.source_root().parent / "shared/data/agentclinic/agentclinic_medqa_extended.jsonl"
)
AUTHORED = paths.source_root() / "content" / "cases"
EXAMPLE = paths.source_root() / "docs" / "examples" / "example-case.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TUTOR), *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


@pytest.mark.skipif(not AGENTCLINIC.is_file(), reason="../shared/data/agentclinic is absent")
def test_import_agentclinic_then_list_json() -> None:
    out = run("content", "import", str(AGENTCLINIC))
    assert out.returncode == 0, out.stderr
    reported = [line for line in out.stderr.splitlines() if line.startswith("Not imported:")]
    listed = json.loads(run("content", "list", "--json").stdout)
    ids = {c["id"] for c in listed["cases"]}
    assert all(i.startswith("agentclinic-") for i in ids)
    assert len(ids) + len(reported) == 214
    assert {c["pack_id"] for c in listed["cases"]} == {"agentclinic"}
    hits = json.loads(run("content", "search", "double vision", "--json").stdout)["hits"]
    assert hits[0]["id"] == "agentclinic-001"


def test_keygen_build_trust_import_export(tmp_path: Path) -> None:
    src = tmp_path / "cases"
    src.mkdir()
    (src / "a.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    key = tmp_path / "pub.key"
    assert run("content", "keygen", str(key)).returncode == 0
    pack = tmp_path / "pack.zip"
    out = run("content", "build", str(src), str(pack), "--key", str(key), "--id", "demo")
    assert out.returncode == 0, out.stderr
    refused = run("content", "import", str(pack))
    assert refused.returncode == 1 and "unknown publisher key" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("content", "trust", f"{key}.pub").returncode == 0
    assert run("content", "validate", str(pack)).returncode == 0
    imported = run("content", "import", str(pack))
    assert imported.returncode == 0 and "demo version 1" in imported.stdout
    hits = json.loads(run("content", "search", "agriculteur", "--lang", "fr", "--json").stdout)
    assert [h["id"] for h in hits["hits"]] == ["example-uncomplicated-malaria"]
    assert hits["hits"][0]["title_language"] == "fr"
    again = run("content", "import", str(pack))
    assert again.returncode == 1 and "already installed" in again.stderr
    exported = tmp_path / "export.zip"
    assert run("content", "export", "demo", str(exported), "--key", str(key)).returncode == 0
    assert run("content", "validate", str(exported)).returncode == 0


def test_validate_reports_file_field_reason(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["difficulty"] = "impossible"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    out = run("content", "validate", str(tmp_path))
    assert out.returncode == 1
    assert "bad.yaml" in out.stderr and "difficulty" in out.stderr
    assert "Traceback" not in out.stderr


AUTHORED_FILES = sorted(AUTHORED.glob("*.yaml")) if AUTHORED.is_dir() else []


@pytest.mark.skipif(not AUTHORED_FILES, reason="no authored cases in content/cases yet")
def test_search_finds_each_authored_case_in_each_of_its_languages() -> None:
    from tutor.core.content.library import Library

    assert run("content", "import", str(AUTHORED)).returncode == 0
    library = Library()
    for path in AUTHORED_FILES:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang in case["languages"]:
            word = max(case["title"][lang].split(), key=len).strip(",.;:()")
            hits = library.search(word, lang)
            assert case["id"] in [h.case.id for h in hits], (case["id"], lang, word)
    # and once per language through the command itself
    case = yaml.safe_load(AUTHORED_FILES[0].read_text(encoding="utf-8"))
    for lang in case["languages"]:
        word = max(case["title"][lang].split(), key=len).strip(",.;:()")
        out = run("content", "search", word, "--lang", lang, "--json")
        assert case["id"] in [h["id"] for h in json.loads(out.stdout)["hits"]]


def test_every_content_command_is_documented() -> None:
    from tutor.commands.content import content

    docs = (paths.source_root() / "docs" / "content-packs.md").read_text(encoding="utf-8")
    readme = (paths.source_root() / "README.md").read_text(encoding="utf-8")
    for name in content.commands:
        assert f"tutor content {name}" in docs, name
        assert name in readme, name


def test_trust_refuses_a_file_that_is_not_a_key(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pub"
    bogus.write_text("not a key", encoding="utf-8")
    out = run("content", "trust", str(bogus))
    assert out.returncode == 1 and "not a usable public key" in out.stderr
    assert "Traceback" not in out.stderr
