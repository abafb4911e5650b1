"""Chat formats are pinned per model, never guessed as llama-2."""

from __future__ import annotations

import pytest
from llama_cpp import llama_chat_format

from tutor.core.errors import KnownError
from tutor.core.llm import catalog
from tutor.core.llm.chatformat import BUILTIN, EMBEDDED, NEVER_GUESSED, format_for, is_pinnable


def test_builtin_formats_exist_in_llama_cpp() -> None:
    registered = set(llama_chat_format.LlamaChatCompletionHandlerRegistry()._chat_handlers)
    assert registered >= BUILTIN


def test_every_catalog_model_has_a_pinned_usable_format() -> None:
    for entry in catalog.load_catalog():
        assert is_pinnable(entry.chat_format), entry.id
        assert entry.chat_format != NEVER_GUESSED


@pytest.mark.parametrize(
    ("arch", "template", "expected"),
    [
        ("llama", "{{ '<|im_start|>' + m['role'] }}", "chatml"),  # SmolLM2: llama arch, ChatML
        ("llama", "{{ '<|start_header_id|>' }}", "llama-3"),
        ("gemma3", "{{ '<start_of_turn>user' }}", EMBEDDED),
        ("phi3", "{{ '<|user|>' + content + '<|end|>' }}", EMBEDDED),
        ("llama", "{{ '[INST] <<SYS>>' }}", EMBEDDED),  # its own template, not the llama-2 guess
        ("qwen2", None, "chatml"),
        ("gemma2", None, "gemma"),
    ],
)
def test_format_for(arch: str, template: str | None, expected: str) -> None:
    assert format_for(arch, template) == expected


@pytest.mark.parametrize("arch", ["llama", "phi3", "mistral", "unknown"])
def test_refuses_to_guess_without_template(arch: str) -> None:
    with pytest.raises(KnownError, match="will not guess"):
        format_for(arch, None, "x.gguf")
