"""Import a GGUF model file from a folder or USB stick into the data dir, all or nothing.

The file is checked before copying (GGUF header, whole tensor data, a chat format we can pin),
copied to a ``.part`` file while its sha256 is computed, checked again, and only then renamed into
place and recorded in the registry. Any failure or cancel removes the ``.part`` file, so a broken
or interrupted import leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.core import paths
from tutor.core.errors import Interrupted, KnownError
from tutor.core.hashing import remember_sha256
from tutor.core.i18n import _
from tutor.core.llm import chatformat, gguf_meta, registry
from tutor.core.llm.catalog import ModelEntry, check, find_model, load_catalog
from tutor.core.llm.client import CancelFlag

ProgressCallback = Callable[[int, int], None]  # (bytes copied, total bytes)

CHUNK = 4 << 20
MIB = 1 << 20
# The context the tutor loads models with, and what llama.cpp needs beyond weights and KV cache
# (compute buffers, tokenizer, the worker's Python); used to estimate an imported model's RAM need.
RUN_CONTEXT = 2048
OVERHEAD_BYTES = 200 * MIB
DISK_MARGIN_BYTES = 64 * MIB


def import_model(
    source: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelFlag | None = None,
) -> ModelEntry:
    """Copy ``source`` into the models dir and record it; return its catalog entry."""
    source = Path(source)
    if not source.is_file():
        raise KnownError(_("{path} is not a file.").format(path=source))
    info = gguf_meta.read_info(source)
    known = _catalog_match(source.name)
    # A catalog model's format is pinned in the catalog; any other must be told from the file.
    chat_format = (
        known.chat_format
        if known
        else chatformat.format_for(info.architecture, info.chat_template, source.name)
    )
    model_id = known.id if known else _slug(source.name)
    dest = paths.models_dir() / (known.file if known else _file_name(source.name))
    if known is not None and known.sha256 and check(known).sha256_ok:
        raise KnownError(_("{name} is already installed.").format(name=known.name))
    if model_id in registry.load():
        raise KnownError(
            _(
                "The model {id} is already imported. Remove it first: tutor model remove {id}"
            ).format(id=model_id)
        )
    if dest.exists():
        raise KnownError(
            _("A file named {file} is already in {folder}; remove or rename it first.").format(
                file=dest.name, folder=dest.parent
            )
        )
    free = shutil.disk_usage(dest.parent).free
    if free < info.file_size + DISK_MARGIN_BYTES:
        raise KnownError(
            _("Not enough disk space: the model needs {need} MB and {free} MB is free.").format(
                need=info.file_size // MIB, free=free // MIB
            )
        )
    part = dest.with_name(dest.name + ".part")
    try:
        sha256 = _copy(source, part, info.file_size, progress, cancel or CancelFlag())
        _check_copy(part, info)
        if known is not None and known.sha256 and sha256 != known.sha256:
            raise KnownError(
                _(
                    "{file} is not the file the catalog knows as {name} (its sha256 differs); "
                    "it may be damaged or a different build."
                ).format(file=source.name, name=known.name)
            )
        os.replace(part, dest)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    try:
        remember_sha256(dest, sha256)
        registry.add(_record(model_id, dest, sha256, info, chat_format, known, source))
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return find_model(model_id)


def _catalog_match(file_name: str) -> ModelEntry | None:
    for entry in load_catalog():
        if entry.file.casefold() == file_name.casefold():
            return entry
    return None


def _slug(file_name: str) -> str:
    stem = file_name[: -len(".gguf")] if file_name.lower().endswith(".gguf") else file_name
    return re.sub(r"[^a-z0-9.]+", "-", stem.lower()).strip("-.") or "model"


def _file_name(name: str) -> str:
    return name if name.lower().endswith(".gguf") else name + ".gguf"


def _copy(
    source: Path, part: Path, total: int, progress: ProgressCallback | None, cancel: CancelFlag
) -> str:
    digest = hashlib.sha256()
    done = 0
    with source.open("rb") as src, part.open("wb") as dst:
        while chunk := src.read(CHUNK):
            if cancel.is_set():
                raise Interrupted(_("Import cancelled."))
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        dst.flush()
        os.fsync(dst.fileno())
    if done != total:
        raise KnownError(
            _("{file} changed while it was being copied; try again.").format(file=source.name)
        )
    return digest.hexdigest()


def _check_copy(part: Path, expected: gguf_meta.GgufInfo) -> None:
    """Read the copy back: a failing USB stick can return other bytes than it did a moment ago."""
    try:
        copied = gguf_meta.read_info(part)
    except KnownError as exc:
        raise KnownError(
            _("The copied model file could not be read back ({reason}).").format(reason=exc)
        ) from exc
    if (copied.tensor_count, copied.parameters) != (expected.tensor_count, expected.parameters):
        raise KnownError(_("The copied model file differs from the original; try again."))


def estimate_ram_mb(info: gguf_meta.GgufInfo) -> int:
    """Weights, plus an f16 KV cache for the tutor's context, plus runtime overhead."""
    kv = 0
    if info.block_count and info.kv_heads and info.head_dim:
        kv = 2 * info.block_count * RUN_CONTEXT * info.kv_heads * info.head_dim * 2
    return -(-(info.file_size + kv + OVERHEAD_BYTES) // MIB)


def _record(
    model_id: str,
    dest: Path,
    sha256: str,
    info: gguf_meta.GgufInfo,
    chat_format: str,
    known: ModelEntry | None,
    source: Path,
) -> dict[str, Any]:
    quant = info.file_type or "?"
    return {
        "id": model_id,
        "name": known.name if known else f"{info.name or dest.stem} ({quant})",
        "file": dest.name,
        "sha256": sha256,
        "size_bytes": info.file_size,
        "params": known.params
        if known
        else info.size_label or gguf_meta.human_params(info.parameters),
        "quant": known.quant if known else quant,
        "context_length": known.context_length if known else info.context_length or RUN_CONTEXT,
        "licence": known.licence if known else info.licence or "unknown",
        "chat_format": chat_format,
        "min_ram_mb": known.min_ram_mb if known else estimate_ram_mb(info),
        "metadata": info.as_dict(),
        "imported_from": str(source),
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
