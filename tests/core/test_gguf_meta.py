"""GGUF metadata: the real default model, written test files, and broken files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gguf import GGUFReader

from tutor.core.errors import KnownError
from tutor.core.llm.gguf_meta import _FastReader, human_params, read_info


def test_default_model_metadata(default_model_path: Path) -> None:
    info = read_info(default_model_path)
    assert info.architecture == "llama"
    assert info.parameters == 134_515_008
    assert info.size_label == "135M"
    assert info.context_length == 8192
    assert info.file_type == "Q4_1"
    assert info.chat_template and "<|im_start|>" in info.chat_template
    assert (info.block_count, info.kv_heads, info.head_dim) == (30, 3, 64)
    assert info.file_size == default_model_path.stat().st_size


@pytest.mark.parametrize("vocab", [10, 5000])
def test_fast_reader_agrees_with_stock_reader(
    tmp_path: Path, vocab: int, make_gguf: Callable[..., Path]
) -> None:
    path = make_gguf(tmp_path / "t.gguf", vocab=vocab)
    fast, stock = _FastReader(path), GGUFReader(path)
    assert list(fast.fields) == list(stock.fields)
    assert fast.data_offset == stock.data_offset
    assert [(t.name, t.data_offset, t.n_bytes) for t in fast.tensors] == [
        (t.name, t.data_offset, t.n_bytes) for t in stock.tensors
    ]
    for key in ("general.architecture", "general.name", "tokenizer.chat_template"):
        assert fast.fields[key].contents() == stock.fields[key].contents()


def test_fast_reader_agrees_on_the_default_model(default_model_path: Path) -> None:
    fast, stock = _FastReader(default_model_path), GGUFReader(default_model_path)
    assert list(fast.fields) == list(stock.fields)
    assert fast.data_offset == stock.data_offset
    assert [t.data_offset for t in fast.tensors] == [t.data_offset for t in stock.tensors]


def test_written_file_metadata(tmp_path: Path, make_gguf: Callable[..., Path]) -> None:
    info = read_info(make_gguf(tmp_path / "t.gguf", arch="gemma3", vocab=300))
    assert info.architecture == "gemma3"
    assert info.name == "Tiny Test"
    assert info.parameters == 300 * 64 + 64
    assert info.file_type == "F32"
    assert info.head_dim == 16 and info.kv_heads == 2


def test_not_gguf(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("hello")
    with pytest.raises(KnownError, match="not a GGUF model file"):
        read_info(path)


@pytest.mark.parametrize("keep", [50_000_000, 97_000_000])
def test_truncated_tensor_data(tmp_path: Path, default_model_path: Path, keep: int) -> None:
    path = tmp_path / "cut.gguf"
    with default_model_path.open("rb") as fh:
        path.write_bytes(fh.read(keep))
    with pytest.raises(KnownError, match="truncated: it should hold 98362432 bytes"):
        read_info(path)


def test_truncated_header(tmp_path: Path, default_model_path: Path) -> None:
    path = tmp_path / "cut.gguf"
    with default_model_path.open("rb") as fh:
        path.write_bytes(fh.read(1000))
    with pytest.raises(KnownError, match="truncated or damaged"):
        read_info(path)


def test_garbage_after_magic(tmp_path: Path) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(b"GGUF" + bytes(range(256)) * 64)
    with pytest.raises(KnownError, match=r"damaged|truncated"):
        read_info(path)


def test_human_params() -> None:
    assert human_params(134_515_008) == "135M"
    assert human_params(1_543_714_304) == "1.5B"
