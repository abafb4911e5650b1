"""Importing model files: all or nothing, hash recorded and verified, list/use/remove."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tutor.core import paths, settings
from tutor.core.errors import Interrupted, KnownError
from tutor.core.llm import catalog, registry
from tutor.core.llm.client import CancelFlag
from tutor.core.llm.gguf_meta import read_info
from tutor.core.llm.importer import estimate_ram_mb, import_model
from tutor.core.llm.manage import list_models, remove_model, use_model


def models_dir_files() -> list[str]:
    return sorted(p.name for p in paths.models_dir().iterdir())


def test_truncated_file_leaves_nothing_behind(tmp_path: Path, default_model_path: Path) -> None:
    cut = tmp_path / "usb" / "qwen2.5-0.5b-instruct-q4_k_m.gguf"
    cut.parent.mkdir()
    with default_model_path.open("rb") as fh:
        cut.write_bytes(fh.read(60_000_000))
    with pytest.raises(KnownError, match="truncated"):
        import_model(cut)
    assert models_dir_files() == []
    assert registry.load() == {}
    assert not catalog.check(catalog.find_model("qwen2.5-0.5b-instruct-q4_k_m")).present


def test_file_cut_short_while_copying_leaves_nothing(
    tmp_path: Path, default_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header is whole when checked, then the USB stick loses the rest: the copy must go.
    src = tmp_path / "renamed.gguf"
    shutil.copyfile(default_model_path, src)

    def cut_after_first_chunk(done: int, total: int) -> None:
        with src.open("r+b") as fh:
            fh.truncate(done)

    with pytest.raises(KnownError, match="changed while it was being copied"):
        import_model(src, progress=cut_after_first_chunk)
    assert models_dir_files() == []
    assert registry.load() == {}


def test_non_gguf_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "photo.gguf"
    src.write_bytes(b"\x89PNG\r\n" + b"\0" * 100)
    with pytest.raises(KnownError, match="not a GGUF model file"):
        import_model(src)
    assert models_dir_files() == []


def test_cancel_leaves_nothing(tmp_path: Path, default_model_path: Path) -> None:
    src = tmp_path / "renamed.gguf"
    shutil.copyfile(default_model_path, src)
    flag = CancelFlag()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        flag.set()

    with pytest.raises(Interrupted):
        import_model(src, progress=progress, cancel=flag)
    assert seen and seen[-1] < src.stat().st_size
    assert models_dir_files() == []


def test_import_unknown_model_records_metadata_and_hash(
    tmp_path: Path, default_model_path: Path
) -> None:
    src = tmp_path / "My Clinic Model.gguf"
    shutil.copyfile(default_model_path, src)
    progress: list[tuple[int, int]] = []
    entry = import_model(src, progress=lambda d, t: progress.append((d, t)))
    assert entry.id == "my-clinic-model"
    assert entry.imported and entry.chat_format == "chatml"
    assert entry.sha256 == catalog.default_model().sha256
    assert entry.params == "135M" and entry.quant == "Q4_1"
    assert progress[-1] == (src.stat().st_size, src.stat().st_size)
    assert models_dir_files() == ["My Clinic Model.gguf", "registry.json"]
    record = registry.load()["my-clinic-model"]
    assert record["metadata"]["architecture"] == "llama"
    assert record["metadata"]["context_length"] == 8192
    assert record["metadata"]["parameters"] == 134_515_008
    assert "<|im_start|>" in record["metadata"]["chat_template"]
    # The catalog verifies the recorded hash from now on.
    status = catalog.check(catalog.find_model("my-clinic-model"))
    assert status.present and status.sha256_ok
    with (paths.models_dir() / src.name).open("r+b") as fh:
        fh.seek(5_000_000)
        fh.write(b"\xff" * 64)
    status = catalog.check(catalog.find_model("my-clinic-model"))
    assert status.sha256_ok is False and status.problem and "damaged" in status.problem


def test_import_catalog_model_fills_its_hash(
    tmp_path: Path, make_gguf: Callable[..., Path]
) -> None:
    src = make_gguf(tmp_path / "qwen2.5-0.5b-instruct-q4_k_m.gguf")
    entry = import_model(src)
    assert entry.id == "qwen2.5-0.5b-instruct-q4_k_m"
    assert entry.name == "Qwen2.5 0.5B Instruct (Q4_K_M)"  # the catalog's, not the file's
    assert entry.sha256 and len(entry.sha256) == 64
    assert entry.min_ram_mb == 1000
    assert catalog.check(entry).sha256_ok is True
    with pytest.raises(KnownError, match="already installed"):
        import_model(src)


def test_default_model_is_not_imported_twice(default_model_path: Path) -> None:
    with pytest.raises(KnownError, match="already installed"):
        import_model(default_model_path)
    assert models_dir_files() == []


def test_model_without_template_is_refused(tmp_path: Path, make_gguf: Callable[..., Path]) -> None:
    src = make_gguf(tmp_path / "mystery.gguf", arch="llama", chat_template=None)
    with pytest.raises(KnownError, match="will not guess"):
        import_model(src)
    assert models_dir_files() == []


def test_ram_estimate_of_default_model_is_close_to_catalog(default_model_path: Path) -> None:
    estimate = estimate_ram_mb(read_info(default_model_path))
    assert abs(estimate - catalog.default_model().min_ram_mb) < 50


def test_use_and_remove(tmp_path: Path, default_model_path: Path) -> None:
    src = tmp_path / "second.gguf"
    shutil.copyfile(default_model_path, src)
    import_model(src)
    use_model("second")
    assert settings.get("active_model") == "second"
    rows = {row.entry.id: row for row in list_models()}
    assert rows["second"].active and rows["second"].hash_state == "ok"
    assert json.dumps([r.as_dict() for r in rows.values()])
    remove_model("second")
    assert settings.get("active_model") == catalog.default_model().id
    assert models_dir_files() == ["registry.json"]
    with pytest.raises(KnownError, match="No model called second"):
        use_model("second")


def test_default_cannot_be_removed() -> None:
    with pytest.raises(KnownError, match="cannot be removed"):
        remove_model(catalog.default_model().id)


def test_use_refuses_missing_and_too_big() -> None:
    with pytest.raises(KnownError, match="not installed"):
        use_model("phi-3.5-mini-instruct-q4_k_m")


def test_damaged_registry_is_reported() -> None:
    registry.registry_path().write_text("{not json", encoding="utf-8")
    with pytest.raises(KnownError, match="damaged"):
        catalog.load_catalog()
