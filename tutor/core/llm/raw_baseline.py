"""The benchmark's baseline: plain llama-cpp-python, in a spawned child like the model worker.

``tutor model bench`` compares the engine (``ModelClient`` → pipe → ``worker``) with this: the same
model, threads, context, prompt, seed and conversation, driven directly with no pipe or protocol,
timed inside the child. It is only ever run by the benchmark, in its own process.
"""

from __future__ import annotations

import os
import time
from multiprocessing.connection import Connection
from typing import Any

from tutor.core.llm.memory import peak_rss_bytes


def main(conn: Connection, request: dict[str, Any]) -> None:
    """Run the conversation in ``request`` and send back one dict of timings."""
    try:
        conn.send(_run(request))
    except Exception as exc:  # process boundary: the parent reports it
        conn.send({"error": str(exc)})
    finally:
        conn.close()


def _run(request: dict[str, Any]) -> dict[str, Any]:
    import llama_cpp
    from llama_cpp import Llama

    started = time.perf_counter()
    llm: Any = Llama(
        model_path=request["path"],
        n_ctx=request["n_ctx"],
        n_threads=request["n_threads"],
        n_threads_batch=request["n_threads"],
        chat_format=request["chat_format"],
        verbose=False,
    )
    loaded_s = time.perf_counter() - started
    process_load_s = time.time() - request["started_at"]
    turns: list[dict[str, Any]] = []
    messages = list(request["turns"][0])
    for index, turn in enumerate(request["turns"]):
        if index:
            messages += [{"role": "assistant", "content": turns[-1]["text"]}, *turn]
        llama_cpp.llama_perf_context_reset(llm._ctx.ctx)
        t0 = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        for chunk in llm.create_chat_completion(
            messages=messages,
            max_tokens=request["max_tokens"],
            temperature=request["temperature"],
            seed=request["seed"],
            stream=True,
        ):
            delta = chunk["choices"][0].get("delta", {}).get("content")
            if delta:
                if first is None:
                    first = time.perf_counter()
                pieces.append(delta)
        end = time.perf_counter()
        perf = llama_cpp.llama_perf_context(llm._ctx.ctx)
        turns.append(
            {
                "text": "".join(pieces),
                "chunks": len(pieces),
                "ttft_s": (first - t0) if first else None,
                "stream_s": (end - first) if first else None,
                "prompt_eval_tokens": int(perf.n_p_eval),
                "prompt_eval_s": perf.t_p_eval_ms / 1000,
                "decode_tokens": int(perf.n_eval),
                "decode_s": perf.t_eval_ms / 1000,
            }
        )
    return {
        "load_s": loaded_s,
        "process_load_s": process_load_s,
        "turns": turns,
        "peak_rss_bytes": peak_rss_bytes(os.getpid()),
    }
