"""The model worker, for real: the embedded default model in a child process."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tutor.core import paths
from tutor.core.errors import KnownError
from tutor.core.llm import catalog
from tutor.core.llm.client import (
    READY,
    CancelFlag,
    ModelClient,
    WorkerCrashed,
    last_load_crashed,
)

pytestmark = pytest.mark.model

HELLO = [{"role": "user", "content": "Say hello."}]


@pytest.fixture
def client(default_model_path: Path) -> ModelClient:
    c = ModelClient(catalog.default_model(), n_ctx=512, n_threads=2)
    yield c
    c.shutdown()


def test_generates_text_in_child_process(client: ModelClient) -> None:
    pieces: list[str] = []
    result = client.chat(HELLO, on_token=pieces.append, max_tokens=16, temperature=0, seed=1)
    assert client.state == READY
    assert client.pid and client.pid != os.getpid()
    assert result.text.strip()
    assert "".join(pieces) == result.text
    assert not result.cancelled


def test_cancel_stops_long_generation(client: ModelClient) -> None:
    client.load()
    flag = CancelFlag()
    seen: list[str] = []

    def on_token(text: str) -> None:
        seen.append(text)
        if len(seen) == 5:
            flag.set()

    long_task = [{"role": "user", "content": "Count from 1 to 1000, one number per line."}]
    result = client.chat(long_task, on_token=on_token, cancel=flag, max_tokens=2000)
    assert result.cancelled
    assert len(seen) <= 6  # nothing delivered after the cancel
    # The client is usable again afterwards.
    assert client.chat(HELLO, max_tokens=4).text


def test_cancel_from_another_thread(client: ModelClient) -> None:
    client.load()
    timer = threading.Timer(0.3, client.cancel)
    timer.start()
    started = time.perf_counter()
    long_task = [{"role": "user", "content": "Write a very long story about a river."}]
    result = client.chat(long_task, max_tokens=4000)
    timer.join()
    assert result.cancelled
    assert time.perf_counter() - started < 30  # it did not run to 4000 tokens


def test_killed_worker_is_reported_then_restarted(client: ModelClient) -> None:
    client.load()
    client.kill()
    with pytest.raises(WorkerCrashed, match="stopped unexpectedly"):
        client.chat(HELLO, max_tokens=4)
    # The next request starts a fresh worker.
    assert client.chat(HELLO, max_tokens=4).text
    assert client.state == READY


def test_corrupt_gguf_is_isolated(default_model_path: Path) -> None:
    # A file that passes no hash check is refused before loading...
    bad = paths.models_dir() / default_model_path.name
    data = bytearray(default_model_path.read_bytes()[: 4 << 20])
    bad.write_bytes(bytes(data))
    c = ModelClient(catalog.default_model(), n_ctx=256)
    with pytest.raises(KnownError, match="damaged"):
        c.load()


def test_corrupt_gguf_without_hash_fails_in_worker_not_app(tmp_path: Path) -> None:
    # ...and a model with no recorded hash (imported) that is broken fails in the worker.
    entry = catalog.find_model("qwen2.5-0.5b-instruct-q4_k_m")
    bad = paths.models_dir() / entry.file
    bad.write_bytes(b"GGUF" + os.urandom(4096))
    c = ModelClient(entry, n_ctx=256)
    with pytest.raises(KnownError):
        c.load()
    assert c.state == "failed"
    assert last_load_crashed() is None or last_load_crashed() == entry.id
    c.shutdown()
