"""``tutor model bench``: the engine's speed and memory against plain llama-cpp-python, same run.

Each round runs one two-turn encounter (a long system prompt, a question, a follow-up) through the
engine (``ModelClient``, worker process, pipe) and then through ``raw_baseline`` in the same kind of
child process, with the same model, threads, prompt and seed. Rounds alternate so background load
on the machine hits both alike, and each number is the best of its rounds (load from other programs
only ever slows a run down, so the best round is the closest to what the code itself costs).
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.llm import raw_baseline
from tutor.core.llm.catalog import ModelEntry, check
from tutor.core.llm.client import ModelClient
from tutor.core.llm.memory import peak_rss_bytes

# Targets from issue #3, checked on every run and reported, never asserted in unit tests.
DECODE_RATIO_MIN = 0.95
FOLLOWUP_RATIO_MAX = 1.5
WORKER_RSS_MB_MAX = 300

SYSTEM = (
    "You are role-playing a patient in a clinical examination for medical students. Stay in "
    "character and answer only what you are asked, in plain words, as the patient would. "
    "Case: Mr Joseph Banda, 54, a farmer from Zomba. Since six o'clock this morning he has had "
    "a heavy, squeezing pain in the centre of his chest that spreads to his left arm and jaw. "
    "It started while he was carrying maize and has not gone away with rest. He feels sweaty "
    "and sick and vomited once. He smokes twenty cigarettes a day and has done so for thirty "
    "years. He was told two years ago that his blood pressure was high but stopped the tablets "
    "after a month. His father died suddenly at fifty-five. He drinks beer at weekends. He has "
    "no allergies. He lives with his wife and four children and is worried about the harvest."
)
TURNS = [
    [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": "Good morning, I am the student doctor. Tell me about your pain, from the "
            "very beginning, in as much detail as you can.",
        },
    ],
    [{"role": "user", "content": "Does anything make the pain better or worse?"}],
]

Progress = Callable[[str], None]


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_total_gib": round(psutil.virtual_memory().total / 1024**3, 1),
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "system": platform.platform(),
    }


def _stamper(arrivals: list[float]) -> Callable[[str], None]:
    return lambda _text: arrivals.append(time.perf_counter())


def _engine_round(
    entry: ModelEntry, n_ctx: int, n_threads: int, max_tokens: int, seed: int, flush_s: float
) -> dict[str, Any]:
    client = ModelClient(entry, n_ctx=n_ctx, n_threads=n_threads, flush_s=flush_s)
    try:
        started = time.perf_counter()
        client.load()
        load_s = time.perf_counter() - started
        turns: list[dict[str, Any]] = []
        messages = list(TURNS[0])
        for index, turn in enumerate(TURNS):
            if index:
                messages += [{"role": "assistant", "content": turns[-1]["text"]}, *turn]
            arrivals: list[float] = []
            t0 = time.perf_counter()
            result = client.chat(
                messages,
                on_token=_stamper(arrivals),
                max_tokens=max_tokens,
                temperature=0,
                seed=seed,
            )
            end = time.perf_counter()
            turns.append(
                {
                    "text": result.text,
                    "chunks": result.chunks,
                    "ttft_s": arrivals[0] - t0 if arrivals else None,
                    "stream_s": end - arrivals[0] if arrivals else None,
                    **result.stats,
                }
            )
        assert client.pid is not None
        rss = peak_rss_bytes(client.pid)
    finally:
        client.shutdown()
    return {"load_s": load_s, "turns": turns, "peak_rss_bytes": rss}


def _raw_round(
    entry: ModelEntry, path: Path, n_ctx: int, n_threads: int, max_tokens: int, seed: int
) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    request = {
        "path": str(path),
        "n_ctx": n_ctx,
        "n_threads": n_threads,
        "chat_format": entry.chat_format,
        "turns": TURNS,
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": seed,
    }
    # Like the engine's, the load time counts from starting the process (wall clock: two processes).
    request["started_at"] = time.time()
    process = ctx.Process(target=raw_baseline.main, args=(child, request), name="tutor-raw-bench")
    process.start()
    child.close()
    try:
        if not parent.poll(600):
            raise KnownError(_("The raw llama-cpp-python baseline did not finish in time."))
        result: dict[str, Any] = parent.recv()
    except EOFError as exc:
        raise KnownError(_("The raw llama-cpp-python baseline crashed.")) from exc
    finally:
        process.join(10)
        if process.is_alive():
            process.kill()
        parent.close()
    if "error" in result:
        raise KnownError(result["error"])
    return result


def _rate(tokens: int, seconds: float | None) -> float | None:
    return tokens / seconds if seconds else None


def _fastest(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _highest(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def run_bench(
    entry: ModelEntry,
    *,
    n_threads: int,
    n_ctx: int = 2048,
    max_tokens: int = 160,
    rounds: int = 5,
    seed: int = 42,
    flush_s: float = 0.02,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Benchmark ``entry``; one JSON-ready dict with engine and raw numbers and their ratios."""
    status = check(entry)
    if status.path is None or status.sha256_ok is False:
        raise KnownError(status.problem or _("The model file is not usable."))
    engine: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    for index in range(rounds):
        if progress:
            progress(_("Round {n} of {total}: engine").format(n=index + 1, total=rounds))
        engine.append(_engine_round(entry, n_ctx, n_threads, max_tokens, seed, flush_s))
        if progress:
            progress(
                _("Round {n} of {total}: raw llama-cpp-python").format(n=index + 1, total=rounds)
            )
        raw.append(_raw_round(entry, status.path, n_ctx, n_threads, max_tokens, seed))
    return summarise(
        entry,
        engine,
        raw,
        n_threads=n_threads,
        n_ctx=n_ctx,
        max_tokens=max_tokens,
        seed=seed,
        flush_s=flush_s,
    )


def summarise(
    entry: ModelEntry,
    engine: list[dict[str, Any]],
    raw: list[dict[str, Any]],
    **settings: Any,
) -> dict[str, Any]:
    def first(runs: list[dict[str, Any]], key: str) -> list[Any]:
        return [r["turns"][0].get(key) for r in runs]

    def follow(runs: list[dict[str, Any]], key: str) -> list[Any]:
        return [r["turns"][1].get(key) for r in runs]

    def decode(runs: list[dict[str, Any]]) -> float | None:
        return _highest(
            [_rate(r["turns"][0]["chunks"] - 1, r["turns"][0]["stream_s"]) for r in runs]
        )

    def prompt_rate(runs: list[dict[str, Any]]) -> float | None:
        return _highest(
            [
                _rate(r["turns"][0]["prompt_eval_tokens"], r["turns"][0]["prompt_eval_s"])
                for r in runs
            ]
        )

    def decode_internal(runs: list[dict[str, Any]]) -> float | None:
        # llama.cpp's own decode time, without sampling, Python or the pipe: the floor for both.
        return _highest(
            [_rate(r["turns"][0]["decode_tokens"], r["turns"][0]["decode_s"]) for r in runs]
        )

    decode_tok_s, raw_decode_tok_s = decode(engine), decode(raw)
    ttft_followup_s = _fastest(follow(engine, "ttft_s"))
    raw_followup_eval_s = _fastest(follow(raw, "prompt_eval_s"))
    rss_mb = max(r["peak_rss_bytes"] for r in engine) / 1024**2
    decode_ratio = _ratio(decode_tok_s, raw_decode_tok_s)
    followup_ratio = _ratio(ttft_followup_s, raw_followup_eval_s)
    return {
        "model": entry.id,
        **settings,
        "rounds": len(engine),
        "machine": machine(),
        "load_s": _fastest([r["load_s"] for r in engine]),
        "raw_load_s": _fastest([r["process_load_s"] for r in raw]),
        "prompt_tokens": engine[0]["turns"][0]["prompt_tokens"],
        "prompt_tok_s": prompt_rate(engine),
        "raw_prompt_tok_s": prompt_rate(raw),
        "decode_tokens": engine[0]["turns"][0]["chunks"],
        "raw_decode_tokens": raw[0]["turns"][0]["chunks"],
        "decode_tok_s": decode_tok_s,
        "raw_decode_tok_s": raw_decode_tok_s,
        "decode_ratio": decode_ratio,
        "llama_decode_tok_s": decode_internal(engine),
        "raw_llama_decode_tok_s": decode_internal(raw),
        "ttft_first_s": _fastest(first(engine, "ttft_s")),
        "raw_ttft_first_s": _fastest(first(raw, "ttft_s")),
        "followup_prompt_tokens": engine[0]["turns"][1]["prompt_tokens"],
        "followup_cached_tokens": engine[0]["turns"][1]["cached_tokens"],
        "followup_new_tokens": engine[0]["turns"][1]["prompt_eval_tokens"],
        "raw_followup_new_tokens": raw[0]["turns"][1]["prompt_eval_tokens"],
        "ttft_followup_s": ttft_followup_s,
        "raw_ttft_followup_s": _fastest(follow(raw, "ttft_s")),
        "raw_followup_eval_s": raw_followup_eval_s,
        "ttft_followup_ratio": followup_ratio,
        "worker_peak_rss_mb": round(rss_mb, 1),
        "raw_peak_rss_mb": round(max(r["peak_rss_bytes"] for r in raw) / 1024**2, 1),
        "same_output": [t["text"] for t in engine[0]["turns"]]
        == [t["text"] for t in raw[0]["turns"]],
        "targets": {
            "decode_ratio_min": DECODE_RATIO_MIN,
            "ttft_followup_ratio_max": FOLLOWUP_RATIO_MAX,
            "worker_peak_rss_mb_max": WORKER_RSS_MB_MAX,
        },
        "targets_met": {
            "decode_ratio": decode_ratio is not None and decode_ratio >= DECODE_RATIO_MIN,
            "ttft_followup_ratio": followup_ratio is not None
            and followup_ratio <= FOLLOWUP_RATIO_MAX,
            "worker_peak_rss_mb": rss_mb <= WORKER_RSS_MB_MAX,
        },
    }
