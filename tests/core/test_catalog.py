from __future__ import annotations

import shutil
from pathlib import Path

from tutor.core import paths
from tutor.core.llm import catalog


def test_catalog_has_default_with_hash() -> None:
    entries = catalog.load_catalog()
    default = catalog.default_model(entries)
    assert default.file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert default.sha256 == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
    assert default.chat_format == "chatml"
    assert len({e.id for e in entries}) == len(entries) >= 5


def test_default_model_present_and_intact(default_model_path: Path) -> None:
    status = catalog.check(catalog.default_model())
    assert status.present and status.sha256_ok, status.problem
    assert status.path == default_model_path


def test_corrupt_copy_in_user_dir_is_reported(default_model_path: Path) -> None:
    # A user-imported file shadows the bundled one; a damaged one must be caught by its hash.
    bad = paths.models_dir() / default_model_path.name
    shutil.copyfile(default_model_path, bad)
    with bad.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\0" * 16)
    status = catalog.check(catalog.default_model())
    assert status.present and status.sha256_ok is False
    assert status.problem and "damaged" in status.problem


def test_missing_model_is_reported() -> None:
    entry = catalog.find_model("llama-3.2-3b-instruct-q4_k_m")
    status = catalog.check(entry)
    assert not status.present
    assert status.problem and "missing" in status.problem


def test_unwritable_hash_cache_does_not_fail_the_check(default_model_path: Path) -> None:
    # The cache only saves time; e.g. two threads renaming over it at once must not make an
    # intact model look damaged (the Settings page checks files while the model loads).
    (paths.data_dir() / "hash-cache.json").mkdir()
    status = catalog.check(catalog.default_model())
    assert status.sha256_ok is True, status.problem
