"""Which chat format a model is prompted with, pinned per model instead of guessed at load time.

llama-cpp-python falls back to the llama-2 format when it cannot recognise a model's template,
which silently garbles prompts for most small models. So the catalog names a format for each
model, and an imported model gets one from its GGUF template or architecture here, or is refused.
"""

from __future__ import annotations

from tutor.core.errors import KnownError
from tutor.core.i18n import _

# The model's own Jinja template from its GGUF (``tokenizer.chat_template``), run by
# llama-cpp-python: used where its built-in format would be wrong (Gemma's drops the system
# prompt, and there is no Phi-3 one) or where the template is not one we recognise.
EMBEDDED = "chat_template.default"

# Built-in llama-cpp-python formats we pin; tests/core/test_chatformat.py checks they exist there.
BUILTIN = frozenset({"chatml", "llama-3", "gemma", "mistral-instruct", "qwen", "zephyr"})
NEVER_GUESSED = "llama-2"

# Markers of well-known templates, checked in order. ChatML and Llama 3 have exact built-in
# formats; anything else with a template uses the template itself.
_TEMPLATE_MARKERS = (
    ("<|im_start|>", "chatml"),
    ("<|start_header_id|>", "llama-3"),
)
# Used only when a file carries no template at all.
_ARCHITECTURE_FORMATS = {
    "qwen2": "chatml",
    "qwen3": "chatml",
    "qwen2moe": "chatml",
    "gemma": "gemma",
    "gemma2": "gemma",
    "gemma3": "gemma",
}


def is_pinnable(chat_format: str) -> bool:
    """True for a format the tutor may load a model with."""
    return chat_format == EMBEDDED or chat_format in BUILTIN


def format_for(architecture: str, template: str | None, file_name: str = "") -> str:
    """The chat format for a model file; a ``KnownError`` when it cannot be told safely."""
    if template:
        for marker, name in _TEMPLATE_MARKERS:
            if marker in template:
                return name
        return EMBEDDED
    mapped = _ARCHITECTURE_FORMATS.get(architecture.lower())
    if mapped is not None:
        return mapped
    raise KnownError(
        _(
            "{file} has no chat template and its architecture ({arch}) does not tell how to "
            "prompt it; the tutor will not guess. Use a GGUF file that includes its chat template."
        ).format(file=file_name or _("The model"), arch=architecture)
    )
