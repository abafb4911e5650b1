"""Shared fixtures: every test gets its own data dir; Qt runs offscreen."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import gguf
import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_MODEL = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(autouse=True)
def tutor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data dir at a fresh temporary folder for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    from tutor.core.i18n import setup_i18n

    setup_i18n("en")
    return home


@pytest.fixture
def default_model_path() -> Path:
    if not DEFAULT_MODEL.is_file():
        pytest.fail(f"{DEFAULT_MODEL} is missing: run `make setup` (make test does it)")
    return DEFAULT_MODEL


def write_gguf(
    path: Path,
    *,
    arch: str = "qwen2",
    chat_template: str | None = "{% for m in messages %}<|im_start|>{{ m.content }}{% endfor %}",
    vocab: int = 1000,
    name: str = "Tiny Test",
) -> Path:
    """A structurally valid GGUF (metadata, a vocabulary, two tensors); it is no usable model."""
    writer = gguf.GGUFWriter(str(path), arch=arch)
    writer.add_name(name)
    writer.add_context_length(4096)
    writer.add_block_count(2)
    writer.add_embedding_length(64)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_token_list([f"tok{i}" for i in range(vocab)])
    writer.add_token_scores([float(i) for i in range(vocab)])
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    writer.add_tensor("token_embd.weight", np.ones((vocab, 64), dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.ones(64, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def make_gguf() -> Callable[..., Path]:
    """``write_gguf``: a small, structurally valid GGUF file with chosen metadata."""
    return write_gguf
