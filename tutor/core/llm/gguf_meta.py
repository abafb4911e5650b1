"""Read what a GGUF model file says about itself, and whether it is whole, without loading it.

Used on untrusted files from USB sticks before they are copied or run: the ``gguf`` package's
reader memory-maps the file and parses the header in pure Python, so a malformed file raises a
Python error here instead of aborting a process in native code.
"""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from gguf import (
    GGML_QUANT_SIZES,
    GGMLQuantizationType,
    GGUFEndian,
    GGUFReader,
    GGUFValueType,
    LlamaFileType,
)
from gguf.gguf_reader import ReaderField

from tutor.core.errors import KnownError
from tutor.core.i18n import _

MAGIC = b"GGUF"
# Arrays longer than this (the tokenizer's vocabulary and merges) are skipped over, not parsed.
SMALL_ARRAY = 256


@dataclass(frozen=True)
class GgufInfo:
    architecture: str
    name: str | None
    parameters: int
    size_label: str | None
    context_length: int | None
    chat_template: str | None
    file_type: str | None  # quantisation, e.g. "Q4_1"
    licence: str | None
    block_count: int | None
    kv_heads: int | None
    head_dim: int | None
    tensor_count: int
    file_size: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Truncated(Exception):
    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(expected, actual)
        self.expected, self.actual = expected, actual


class _FastReader(GGUFReader):
    # WORKAROUND: GGUFReader builds one numpy view per element of every array, which takes seconds
    # for a 50k-250k token vocabulary. We never read those arrays, so long ones are stepped over
    # in one slice (scalars) or one length-prefix walk (strings). Checked against the stock reader
    # in tests/core/test_gguf_meta.py.
    def _get_field_parts(
        self, orig_offs: int, raw_type: int
    ) -> tuple[int, list[npt.NDArray[Any]], list[int], list[GGUFValueType]]:
        if GGUFValueType(raw_type) != GGUFValueType.ARRAY:
            return super()._get_field_parts(orig_offs, raw_type)
        raw_itype = self._get(orig_offs, np.uint32)
        alen = self._get(orig_offs + 4, np.uint64)
        if len(raw_itype) != 1 or len(alen) != 1:
            raise ValueError("array header runs past the end of the file")
        count = int(alen[0])
        itype = GGUFValueType(raw_itype[0])
        if count <= SMALL_ARRAY:
            return super()._get_field_parts(orig_offs, raw_type)
        start = orig_offs + 12
        if itype == GGUFValueType.STRING:
            end = self._skip_strings(start, count)
        elif itype in self.gguf_scalar_to_np:
            itemsize = np.dtype(self.gguf_scalar_to_np[itype]).itemsize
            end = start + count * itemsize
        else:
            return super()._get_field_parts(orig_offs, raw_type)
        if end > len(self.data):
            raise ValueError("an array runs past the end of the file")
        body = self.data[start:end]
        return end - orig_offs, [raw_itype, alen, body], [], [GGUFValueType.ARRAY, itype]

    def _build_tensors(self, start_offs: int, fields: list[ReaderField]) -> None:
        # The stock reader fails on a short file with a numpy reshape error; say "truncated".
        end = start_offs
        for field in fields:
            dims, raw_dtype, offset = field.parts[3], field.parts[4], field.parts[5]
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(raw_dtype[0])]
            n_bytes = int(np.prod(dims, dtype=np.uint64)) * type_size // block
            end = max(end, start_offs + int(offset[0]) + n_bytes)
        if end > len(self.data):
            raise _Truncated(end, len(self.data))
        super()._build_tensors(start_offs, fields)

    def _skip_strings(self, offs: int, count: int) -> int:
        size = len(self.data)
        if count * 8 > size - offs:
            raise ValueError("a string array is longer than the file")
        fmt = "<Q" if self.endianess == GGUFEndian.LITTLE else ">Q"
        buf = memoryview(self.data)  # type: ignore[arg-type]
        unpack = struct.Struct(fmt).unpack_from
        for _i in range(count):
            (length,) = unpack(buf, offs)
            offs += 8 + length
            if offs > size:
                raise ValueError("a string runs past the end of the file")
        return offs


def _field(reader: GGUFReader, key: str) -> Any:
    field = reader.fields.get(key)
    if field is None or not field.data:
        return None
    return field.contents()


def _int(reader: GGUFReader, key: str) -> int | None:
    value = _field(reader, key)
    return int(value) if isinstance(value, (int, np.integer)) else None


def _str(reader: GGUFReader, key: str) -> str | None:
    value = _field(reader, key)
    return value if isinstance(value, str) else None


def _file_type(code: int | None) -> str | None:
    if code is None:
        return None
    try:
        name = LlamaFileType(code).name
    except ValueError:
        return None
    return name.removeprefix("MOSTLY_").removeprefix("ALL_")


def has_magic(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == MAGIC


def read_info(path: Path) -> GgufInfo:
    """The file's metadata, or a ``KnownError`` saying it is not GGUF, truncated or damaged."""
    # The error is raised after the except block, without chaining: the original traceback would
    # keep the reader's memory map open, and Windows cannot delete a mapped file.
    problem: str | None = None
    try:
        if not has_magic(path):
            raise KnownError(_("{file} is not a GGUF model file.").format(file=path.name))
        file_size = path.stat().st_size
        return _describe(_FastReader(path), file_size)
    except _Truncated as exc:
        problem = _(
            "{file} is truncated: it should hold {expected} bytes but has {actual}. "
            "Copy it again from its source."
        ).format(file=path.name, expected=exc.expected, actual=exc.actual)
    except OSError as exc:
        problem = _("{file} cannot be read: {reason}").format(
            file=path.name, reason=exc.strerror or exc
        )
    except (
        ValueError,
        IndexError,
        KeyError,
        OverflowError,
        UnicodeDecodeError,
        struct.error,
    ) as exc:
        problem = _("{file} is truncated or damaged and cannot be used ({reason}).").format(
            file=path.name, reason=exc
        )
    raise KnownError(problem)


def _describe(reader: GGUFReader, file_size: int) -> GgufInfo:
    parameters = sum(int(tensor.n_elements) for tensor in reader.tensors)
    arch = _str(reader, "general.architecture")
    if not arch:
        raise ValueError("no general.architecture")
    heads = _int(reader, f"{arch}.attention.head_count")
    width = _int(reader, f"{arch}.embedding_length")
    head_dim = _int(reader, f"{arch}.attention.key_length") or (
        width // heads if width and heads else None
    )
    return GgufInfo(
        architecture=arch,
        name=_str(reader, "general.name"),
        parameters=parameters,
        size_label=_str(reader, "general.size_label"),
        context_length=_int(reader, f"{arch}.context_length"),
        chat_template=_str(reader, "tokenizer.chat_template"),
        file_type=_file_type(_int(reader, "general.file_type")),
        licence=_str(reader, "general.license"),
        block_count=_int(reader, f"{arch}.block_count"),
        kv_heads=_int(reader, f"{arch}.attention.head_count_kv") or heads,
        head_dim=head_dim,
        tensor_count=len(reader.tensors),
        file_size=file_size,
    )


def human_params(n: int) -> str:
    """135M, 1.5B: the way model sizes are usually written."""
    if n >= 1_000_000_000:
        return f"{n / 1e9:.1f}B"
    return f"{round(n / 1e6)}M"
