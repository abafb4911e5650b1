"""The prompt the default model really sees, and prefix reuse between turns (real model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.core.llm import catalog
from tutor.core.llm.client import ModelClient

pytestmark = pytest.mark.model

SYSTEM = "You are Mr Banda, 54, with chest pain since this morning. Answer as the patient."


@pytest.fixture
def client(default_model_path: Path) -> Iterator[ModelClient]:
    c = ModelClient(catalog.default_model(), n_ctx=1024, n_threads=2)
    yield c
    c.shutdown()


def test_default_model_prompt_is_chatml_exactly(client: ModelClient) -> None:
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "What brings you here today?"},
    ]
    rendered = client.render(messages)
    assert client.load_info["chat_format"] == "chatml"
    assert rendered.text == (
        "<|im_start|>system\n"
        "You are Mr Banda, 54, with chest pain since this morning. Answer as the patient."
        "<|im_end|>\n"
        "<|im_start|>user\n"
        "What brings you here today?<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    # No BOS for SmolLM2 (add_bos_token is false), and special tokens are single tokens.
    assert rendered.tokens < len(rendered.text) // 3


def test_follow_up_turn_evaluates_only_new_tokens(client: ModelClient) -> None:
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "What brings you here today?"},
    ]
    first = client.chat(messages, max_tokens=24, temperature=0, seed=7)
    assert first.stats["cached_tokens"] == 0
    assert first.stats["prompt_eval_tokens"] == first.stats["prompt_tokens"]
    messages += [
        {"role": "assistant", "content": first.text},
        {"role": "user", "content": "Does the pain spread anywhere?"},
    ]
    second = client.chat(messages, max_tokens=8, temperature=0, seed=7)
    stats = second.stats
    # Everything up to the end of the first answer is reused from the KV cache...
    assert stats["cached_tokens"] >= first.stats["prompt_tokens"] + 1
    # ...and llama.cpp evaluates only what follows (counted by its own perf counters).
    assert stats["prompt_eval_tokens"] == stats["prompt_tokens"] - stats["cached_tokens"]
    assert stats["prompt_eval_tokens"] < 25
