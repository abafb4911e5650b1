"""The model worker: the only code that touches llama-cpp-python, run in a child process.

A malformed GGUF can abort the process and a large model can exhaust memory; both end this
process, never the app. The worker keeps one ``Llama`` warm between requests, so llama-cpp-python
re-evaluates only the tokens after the longest shared prefix (the system prompt is evaluated once).

Protocol (dicts over a ``multiprocessing`` pipe):
  → {"op": "load", "path", "n_ctx", "n_threads", "chat_format"}   ← {"event": "loaded", ...}
  → {"op": "chat", "id", "messages", "max_tokens", "temperature", "response_format"?}
        ← {"event": "token", "id", "text"}* then {"event": "done", "id", "text", "stats", ...}
  → {"op": "render", "id", "messages"}  ← {"event": "rendered", "id", "prompt", "tokens"}
  → {"op": "cancel"} while a chat streams: the chat ends with {"event": "done", "cancelled": True}
  → {"op": "shutdown"}
Any failure answers {"event": "error", "id", "message"}.

Tokens are sent in batches at most ``FLUSH_S`` apart (the first one at once), so a fast model
does not spend its time on pipe messages.
"""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection
from typing import Any

FLUSH_S = 0.02
EMBEDDED_FORMAT = "chat_template.default"  # tutor.core.llm.chatformat.EMBEDDED


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
            elif op == "render":
                if llm is None:
                    raise RuntimeError("no model loaded")
                tokens = _prompt_tokens(llm, request["messages"])
                prompt = llm.detokenize(tokens, special=True).decode("utf-8", errors="replace")
                conn.send(
                    {
                        "event": "rendered",
                        "id": request.get("id"),
                        "prompt": prompt,
                        "tokens": len(tokens),
                    }
                )
            elif op == "cancel":
                continue  # arrived after the chat it meant to stop had finished
            else:
                raise RuntimeError(f"unknown op {op!r}")
        except Exception as exc:
            conn.send({"event": "error", "id": request.get("id"), "message": str(exc)})


def _load(request: dict[str, Any]) -> Any:
    from llama_cpp import Llama

    chat_format = request.get("chat_format")
    if not chat_format:
        # llama-cpp-python would guess, and fall back to llama-2 when unsure.
        raise RuntimeError("no chat format pinned for this model")
    llm = Llama(
        model_path=request["path"],
        n_ctx=request.get("n_ctx", 2048),
        n_threads=request.get("n_threads"),
        n_threads_batch=request.get("n_threads"),
        chat_format=chat_format,
        verbose=False,
    )
    _chat_handler(llm)  # fail now, not at the first question, when the format is unusable
    return llm


def _chat_handler(llm: Any) -> Any:
    """The handler ``create_chat_completion`` will use, resolved the same way it does."""
    from llama_cpp import llama_chat_format

    name = llm.chat_format
    if name == EMBEDDED_FORMAT and name not in llm._chat_handlers:
        raise RuntimeError("the model file has no chat template")
    handler = llm.chat_handler or llm._chat_handlers.get(name)
    return handler or llama_chat_format.get_chat_completion_handler(name)


class _PromptCaptured(Exception):
    def __init__(self, tokens: list[int]) -> None:
        super().__init__()
        self.tokens = tokens


class _PromptRecorder:
    """Stands in for the ``Llama`` passed to a chat handler and stops it at the completion call,
    keeping the prompt tokens: the exact prompt a chat would evaluate, without evaluating it."""

    def __init__(self, llm: Any) -> None:
        self._llm = llm

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llm, name)

    def create_completion(self, prompt: Any, **_kwargs: Any) -> Any:
        raise _PromptCaptured(list(prompt))


def _prompt_tokens(llm: Any, messages: list[dict[str, Any]]) -> list[int]:
    try:
        _chat_handler(llm)(llama=_PromptRecorder(llm), messages=messages)
    except _PromptCaptured as captured:
        return captured.tokens
    raise RuntimeError("the chat handler did not build a prompt")


def _cached_prefix(llm: Any, tokens: list[int]) -> int:
    """How many leading prompt tokens are already in the KV cache from the previous turn."""
    n = 0
    for a, b in zip(llm._input_ids, tokens, strict=False):
        if a != b:
            break
        n += 1
    return n


def _perf(llm: Any) -> Any:
    import llama_cpp

    return llama_cpp.llama_perf_context(llm._ctx.ctx)


def _perf_reset(llm: Any) -> None:
    import llama_cpp

    llama_cpp.llama_perf_context_reset(llm._ctx.ctx)


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
    prompt = _prompt_tokens(llm, request["messages"])
    cached = _cached_prefix(llm, prompt)
    _perf_reset(llm)
    first_token_at: float | None = None
    pieces: list[str] = []
    unsent: list[str] = []
    flushed_at = 0.0
    flush_s = float(request.get("flush_s", FLUSH_S))
    cancelled = False
    n_tokens = 0
    for chunk in llm.create_chat_completion(**kwargs):
        delta = chunk["choices"][0].get("delta", {}).get("content")
        if delta:
            now = time.perf_counter()
            if first_token_at is None:
                first_token_at = now
            n_tokens += 1
            pieces.append(delta)
            unsent.append(delta)
            if now - flushed_at >= flush_s:
                conn.send({"event": "token", "id": rid, "text": "".join(unsent)})
                unsent.clear()
                flushed_at = now
        if conn.poll() and conn.recv().get("op") == "cancel":
            cancelled = True
            break
    if unsent and not cancelled:
        conn.send({"event": "token", "id": rid, "text": "".join(unsent)})
    ended = time.perf_counter()
    perf = _perf(llm)
    conn.send(
        {
            "event": "done",
            "id": rid,
            "text": "".join(pieces),
            "cancelled": cancelled,
            "chunks": n_tokens,
            "ttft_s": (first_token_at - started) if first_token_at else None,
            "total_s": ended - started,
            "stats": {
                "prompt_tokens": len(prompt),
                "cached_tokens": cached,
                "prompt_eval_tokens": int(perf.n_p_eval),
                "prompt_eval_s": perf.t_p_eval_ms / 1000,
                "decode_tokens": int(perf.n_eval),
                "decode_s": perf.t_eval_ms / 1000,
            },
        }
    )
