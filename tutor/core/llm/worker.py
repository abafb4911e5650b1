"""The model worker: the only code that touches llama-cpp-python, run in a child process.

A malformed GGUF can abort the process and a large model can exhaust memory; both end this
process, never the app. The worker keeps one ``Llama`` warm between requests, so llama-cpp-python
re-evaluates only the tokens after the longest shared prefix (the system prompt is evaluated once).

Protocol (dicts over a ``multiprocessing`` pipe):
  → {"op": "load", "path", "n_ctx", "n_threads", "chat_format"}   ← {"event": "loaded", ...}
  → {"op": "chat", "id", "messages", "max_tokens", "temperature", "response_format"?}
        ← {"event": "token", "id", "text"}* then {"event": "done", "id", "text", "usage", ...}
  → {"op": "cancel"} while a chat streams: the chat ends with {"event": "done", "cancelled": True}
  → {"op": "shutdown"}
Any failure answers {"event": "error", "id", "message"}.
"""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection
from typing import Any


def main(conn: Connection) -> None:
    """Serve requests until shutdown or until the parent goes away."""
    llm: Any = None
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        op = request.get("op")
        try:
            if op == "shutdown":
                return
            if op == "load":
                llm = None  # free the old model before loading a new one
                llm = _load(request)
                conn.send({"event": "loaded", "pid": os.getpid(), **_describe(llm, request)})
            elif op == "chat":
                if llm is None:
                    raise RuntimeError("no model loaded")
                _chat(conn, llm, request)
            elif op == "cancel":
                continue  # arrived after the chat it meant to stop had finished
            else:
                raise RuntimeError(f"unknown op {op!r}")
        except Exception as exc:
            conn.send({"event": "error", "id": request.get("id"), "message": str(exc)})


def _load(request: dict[str, Any]) -> Any:
    from llama_cpp import Llama

    return Llama(
        model_path=request["path"],
        n_ctx=request.get("n_ctx", 2048),
        n_threads=request.get("n_threads"),
        n_threads_batch=request.get("n_threads"),
        chat_format=request.get("chat_format"),
        verbose=False,
    )


def _describe(llm: Any, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "n_ctx": llm.n_ctx(),
        "chat_format": llm.chat_format,
        "path": request["path"],
        "n_threads": llm.n_threads,
    }


def _chat(conn: Connection, llm: Any, request: dict[str, Any]) -> None:
    rid = request["id"]
    kwargs: dict[str, Any] = {
        "messages": request["messages"],
        "max_tokens": request.get("max_tokens", 256),
        "temperature": request.get("temperature", 0.2),
        "stream": True,
    }
    if request.get("response_format"):
        kwargs["response_format"] = request["response_format"]
    if request.get("seed") is not None:
        kwargs["seed"] = request["seed"]
    started = time.perf_counter()
    first_token_at: float | None = None
    pieces: list[str] = []
    cancelled = False
    n_tokens = 0
    for chunk in llm.create_chat_completion(**kwargs):
        delta = chunk["choices"][0].get("delta", {}).get("content")
        if delta:
            if first_token_at is None:
                first_token_at = time.perf_counter()
            n_tokens += 1
            pieces.append(delta)
            conn.send({"event": "token", "id": rid, "text": delta})
        if conn.poll() and conn.recv().get("op") == "cancel":
            cancelled = True
            break
    ended = time.perf_counter()
    conn.send(
        {
            "event": "done",
            "id": rid,
            "text": "".join(pieces),
            "cancelled": cancelled,
            "chunks": n_tokens,
            "ttft_s": (first_token_at - started) if first_token_at else None,
            "total_s": ended - started,
        }
    )
