"""``ModelClient``: the one owner of the model worker process.

It starts the worker (``tutor.core.llm.worker``) in a spawned child process, loads a model, streams
chat completions back as callbacks, cancels a generation (politely first, then by killing the
worker), and turns a worker crash or out-of-memory kill into a ``WorkerCrashed`` error instead of
taking the app down. Methods block; the UI calls them through its background task helper and the
CLI calls them directly. Requests are serialised by a lock.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from tutor.core import paths, settings
from tutor.core.errors import BugError, KnownError
from tutor.core.i18n import _
from tutor.core.llm.catalog import ModelEntry, check

log = logging.getLogger(__name__)

# Model states, shown in the status bar.
STOPPED, LOADING, READY, BUSY, FAILED = "stopped", "loading", "ready", "busy", "failed"

CANCEL_GRACE_S = 0.12  # after this the worker is killed; the whole stop stays under 200 ms
POLL_S = 0.01

StateCallback = Callable[[str, str], None]
TokenCallback = Callable[[str], None]


class WorkerCrashed(KnownError):
    """The model process died (bad model file, out of memory, killed)."""


@dataclass(frozen=True)
class ChatResult:
    text: str
    cancelled: bool
    ttft_s: float | None
    total_s: float
    chunks: int
    # From the worker: prompt_tokens, cached_tokens (reused from the previous turn),
    # prompt_eval_tokens and prompt_eval_s (what was evaluated), decode_tokens, decode_s.
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPrompt:
    text: str  # the prompt exactly as the model sees it, special tokens written out
    tokens: int


class CancelFlag:
    """A cancel request shared between the caller's thread and a running generation."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()


def _marker_path() -> Path:
    return paths.data_dir() / "model-loading.json"


def last_load_crashed() -> str | None:
    """The model id whose last load never finished (the worker died while loading), if any."""
    try:
        data = json.loads(_marker_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(data.get("model")) if data.get("model") else None


def clear_crash_marker() -> None:
    _marker_path().unlink(missing_ok=True)


class ModelClient:
    def __init__(
        self,
        entry: ModelEntry,
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        on_state: StateCallback | None = None,
        flush_s: float = 0.02,
    ) -> None:
        self.entry = entry
        # Tokens are batched into one pipe message per this many seconds (0: one per token).
        self.flush_s = flush_s
        self.n_ctx = n_ctx
        self.n_threads = n_threads or configured_threads() or default_threads()
        self._on_state = on_state
        self._lock = threading.RLock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ids = itertools.count(1)
        self._current_cancel: CancelFlag | None = None
        self.state = STOPPED
        self.load_info: dict[str, Any] = {}

    # -- lifecycle ------------------------------------------------------------------------------

    def _set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        log.info("model %s: %s %s", self.entry.id, state, detail)
        if self._on_state:
            self._on_state(state, detail)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def load(self, timeout: float = 300) -> dict[str, Any]:
        """Start the worker if needed and load the model; return what the worker reports."""
        with self._lock:
            if self.state == READY and self._alive():
                return self.load_info
            status = check(self.entry)
            if not status.present or status.sha256_ok is False or status.path is None:
                self._set_state(FAILED, status.problem or "")
                raise KnownError(status.problem or _("The model file is not usable."))
            self._set_state(LOADING)
            self._start_process()
            _marker_path().write_text(json.dumps({"model": self.entry.id}), encoding="utf-8")
            self._send(
                {
                    "op": "load",
                    "path": str(status.path),
                    "n_ctx": self.n_ctx,
                    "n_threads": self.n_threads,
                    "chat_format": self.entry.chat_format,
                }
            )
            started = time.perf_counter()
            reply = self._receive(timeout=timeout)
            if reply["event"] != "loaded":
                clear_crash_marker()  # the worker refused the file cleanly: not a crash
                self._stop_process()
                message = _("The model {name} could not be loaded: {reason}").format(
                    name=self.entry.name, reason=reply.get("message", "")
                )
                self._set_state(FAILED, message)
                raise KnownError(message)
            clear_crash_marker()
            self.load_info = {**reply, "load_s": time.perf_counter() - started}
            self._set_state(READY)
            return self.load_info

    def shutdown(self) -> None:
        """Stop the worker and free its memory. Safe to call twice."""
        with self._lock:
            if self._process is None and self.state == STOPPED:
                return
            if self._conn is not None and self._alive():
                with contextlib.suppress(OSError):
                    self._conn.send({"op": "shutdown"})
            self._stop_process()
            self._set_state(STOPPED)

    def kill(self) -> None:
        """Kill the worker at once (used by tests and by a stuck cancel)."""
        if self._process is not None:
            self._process.kill()

    # -- requests -------------------------------------------------------------------------------

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelFlag | None = None,
        max_tokens: int = 256,
        temperature: float = 0.2,
        response_format: dict[str, Any] | None = None,
        seed: int | None = None,
        timeout: float = 300,
    ) -> ChatResult:
        """Run one chat completion, streaming pieces to ``on_token``.

        ``cancel`` (or ``self.cancel()`` from another thread) stops it: the worker is asked to
        stop and is killed if it has not within ``CANCEL_GRACE_S``; the result then has
        ``cancelled=True`` and the model is reloaded by the next request.
        """
        cancel = cancel or CancelFlag()
        with self._lock:
            self.load()
            self._current_cancel = cancel
            rid = next(self._ids)
            self._set_state(BUSY)
            try:
                self._send(
                    {
                        "op": "chat",
                        "id": rid,
                        "messages": messages,
                        "max_tokens": max_tokens,
                        "temperature": temperature,
                        "response_format": response_format,
                        "seed": seed,
                        "flush_s": self.flush_s,
                    }
                )
                result = self._stream(rid, on_token, cancel, timeout)
            finally:
                self._current_cancel = None
            if self.state == BUSY:
                self._set_state(READY)
            return result

    def render(self, messages: list[dict[str, str]], timeout: float = 60) -> RenderedPrompt:
        """The prompt ``chat(messages)`` would evaluate, through the model's pinned chat format."""
        with self._lock:
            self.load()
            rid = next(self._ids)
            self._send({"op": "render", "id": rid, "messages": messages})
            deadline = time.perf_counter() + timeout
            while True:
                message = self._receive(timeout=max(0.0, deadline - time.perf_counter()))
                if message.get("id") != rid:
                    continue
                if message["event"] == "error":
                    raise KnownError(
                        _("The model failed: {reason}").format(reason=message.get("message"))
                    )
                return RenderedPrompt(str(message["prompt"]), int(message["tokens"]))

    def cancel(self) -> None:
        """Stop the generation in progress, if any (thread-safe)."""
        flag = self._current_cancel
        if flag is not None:
            flag.set()

    def _stream(
        self, rid: int, on_token: TokenCallback | None, cancel: CancelFlag, timeout: float
    ) -> ChatResult:
        assert self._conn is not None
        started = time.perf_counter()
        pieces: list[str] = []
        cancel_sent_at: float | None = None
        while True:
            if cancel.is_set() and cancel_sent_at is None:
                cancel_sent_at = time.perf_counter()
                self._conn.send({"op": "cancel"})
            if cancel_sent_at is not None and time.perf_counter() - cancel_sent_at > CANCEL_GRACE_S:
                log.warning("worker did not stop in time; killing it")
                self._stop_process(kill=True)
                self._set_state(STOPPED, _("restarting after cancel"))
                return ChatResult("".join(pieces), True, None, time.perf_counter() - started, 0)
            if time.perf_counter() - started > timeout:
                self._stop_process(kill=True)
                self._set_state(FAILED, _("the model took too long"))
                raise KnownError(_("The model took too long to answer and was restarted."))
            message = self._poll()
            if message is None:
                continue
            if message.get("id") != rid:
                continue  # a late reply to an earlier, cancelled request
            event = message["event"]
            if event == "token":
                if cancel_sent_at is None:
                    pieces.append(message["text"])
                    if on_token:
                        on_token(message["text"])
            elif event == "done":
                return ChatResult(
                    text="".join(pieces) if message["cancelled"] else message["text"],
                    cancelled=bool(message["cancelled"]) or cancel_sent_at is not None,
                    ttft_s=message.get("ttft_s"),
                    total_s=message.get("total_s", time.perf_counter() - started),
                    chunks=message.get("chunks", 0),
                    stats=message.get("stats", {}),
                )
            elif event == "error":
                self._set_state(READY)
                raise KnownError(
                    _("The model failed: {reason}").format(reason=message.get("message"))
                )

    # -- process plumbing -----------------------------------------------------------------------

    def _alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def _start_process(self) -> None:
        if self._alive():
            return
        self._stop_process()
        from tutor.core.llm import worker

        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=worker.main, args=(child,), name="tutor-model", daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def _stop_process(self, kill: bool = False) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        if process is not None:
            if kill:
                process.kill()
            process.join(timeout=0 if kill else 2)
            if process.is_alive():
                process.kill()
                process.join(timeout=2)
        if conn is not None:
            conn.close()

    def _send(self, message: dict[str, Any]) -> None:
        if self._conn is None:
            raise BugError("worker not started")
        try:
            self._conn.send(message)
        except OSError as exc:
            self._crashed()
            raise AssertionError("unreachable") from exc

    def _poll(self) -> dict[str, Any] | None:
        assert self._conn is not None
        try:
            if self._conn.poll(POLL_S):
                message: dict[str, Any] = self._conn.recv()
                return message
        except (EOFError, OSError):
            self._crashed()
        if self._process is not None and not self._process.is_alive():
            # The pipe may still hold the last messages; drain before declaring a crash.
            if self._conn.poll(0):
                return self._poll()
            self._crashed()
        return None

    def _receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            message = self._poll()
            if message is not None:
                return message
        self._stop_process(kill=True)
        raise KnownError(_("The model worker did not answer in time."))

    def _crashed(self) -> None:
        code = self._process.exitcode if self._process else None
        self._stop_process(kill=True)
        message = _(
            "The model process stopped unexpectedly (exit code {code}). "
            "The model file may be damaged or too large for this computer's memory."
        ).format(code=code)
        self._set_state(FAILED, message)
        raise WorkerCrashed(message)


def configured_threads() -> int | None:
    """The ``model_threads`` setting, when the user set a positive number."""
    value = settings.get("model_threads")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def default_threads() -> int:
    """Physical cores (hyper-threads slow llama.cpp down), at least one."""
    import psutil

    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)


__all__ = [
    "BUSY",
    "FAILED",
    "LOADING",
    "READY",
    "STOPPED",
    "CancelFlag",
    "ChatResult",
    "ModelClient",
    "RenderedPrompt",
    "WorkerCrashed",
    "last_load_crashed",
]
