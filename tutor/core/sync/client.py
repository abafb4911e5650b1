"""``SyncClient``: the laptop side of sync. Enrols with a class code, sends the outbox in gzip
batches and marks events acknowledged only up to the seq the server says it stored, and pulls
content packs (see ``packs.py``).

The server's answer is always "I hold 1..S", so every failure mode (a dropped request, an ack lost
after the server committed, a killed server) ends the same way: the next attempt resends from S+1
and the server ignores what it already has. Nothing is deleted locally, ever.
"""

from __future__ import annotations

import functools
import logging
import platform
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tutor.core import settings
from tutor.core.errors import Interrupted, KnownError
from tutor.core.i18n import _
from tutor.core.progress.store import ProgressStore
from tutor.core.sync import protocol
from tutor.core.sync.packs import PackOutcome, pull_packs
from tutor.core.sync.state import SyncState, load_state, save_state

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (events acknowledged so far, events to send)
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class SyncResult:
    sent: int  # events sent (resends included)
    acknowledged: int  # events newly acknowledged by the server in this sync
    pending: int  # events still waiting
    stored_through: int
    batches: int
    retries: int
    bytes_sent: int

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "acknowledged": self.acknowledged,
            "pending": self.pending,
            "stored_through": self.stored_through,
            "batches": self.batches,
            "retries": self.retries,
            "bytes_sent": self.bytes_sent,
            "all_acknowledged": self.pending == 0,
        }


class _Retry(Exception):
    """A failure worth trying again after a pause."""


class SyncClient:
    def __init__(
        self,
        store: ProgressStore,
        *,
        batch_size: int = 1000,
        max_attempts: int = 6,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        timeout_s: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
        keepalive: bool = True,
        state_file: Path | None = None,
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.timeout_s = timeout_s
        self.sleep = sleep
        self.retries = 0
        self.keepalive = keepalive
        self.state_file = state_file  # None: sync.json in the data dir

    # -- enrolment ---------------------------------------------------------------------------

    def state(self) -> SyncState:
        return load_state(self.state_file)

    def enroll(self, url: str, code: str) -> SyncState:
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise KnownError(_("The server address must start with http:// or https://."))
        body = protocol.enroll_request(code.strip().upper(), self.store.device_id, platform.node())
        try:
            with self._http(url) as http:
                response = http.post(protocol.ENROLL, json=body)
        except httpx.HTTPError as exc:
            raise KnownError(
                _("The school server {url} could not be reached: {reason}").format(
                    url=url, reason=exc
                )
            ) from exc
        if response.status_code == 403:
            raise KnownError(_("The class code was not accepted. Ask your teacher for a new one."))
        if response.status_code != 200:
            raise KnownError(
                _("The school server refused the enrolment ({status}).").format(
                    status=response.status_code
                )
            )
        data = response.json()
        state = load_state(self.state_file)
        state.server_url = url
        state.device_token = str(data["device_token"])
        state.class_name = str(data.get("class_name") or "")
        state.last_error = None
        save_state(state, self.state_file)
        settings.set_value("server_url", url)
        return state

    # -- events ------------------------------------------------------------------------------

    def sync(
        self, on_progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> SyncResult:
        """Send every pending event; returns when all are acknowledged or raises KnownError."""
        state = load_state(self.state_file)
        if not state.enrolled:
            raise KnownError(_("This computer is not enrolled with a school server yet."))
        assert state.server_url and state.device_token
        self.retries = 0
        sent = acknowledged = batches = bytes_sent = stalled = 0
        total = self.store.pending_count()
        try:
            with self._http(state.server_url, state.device_token) as http:
                stored = self._call(http, lambda: http.get(protocol.EVENTS), cancelled)
                acknowledged += self._apply_ack(int(stored["stored_through"]))
                total = max(total, self.store.pending_count())
                while True:
                    if cancelled and cancelled():
                        raise Interrupted()
                    events = self.store.pending_events(limit=self.batch_size)
                    if not events:
                        break
                    wire = [
                        protocol.WireEvent(
                            e.id, e.seq, e.learner_id, e.type, e.payload, e.client_time
                        )
                        for e in events
                    ]
                    body = protocol.encode_batch(self.store.device_id, wire)
                    post = functools.partial(
                        http.post,
                        protocol.EVENTS,
                        content=body,
                        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
                    )
                    answer = self._call(http, post, cancelled)
                    sent += len(events)
                    batches += 1
                    bytes_sent += len(body)
                    through = int(answer["stored_through"])
                    acknowledged += self._apply_ack(through)
                    if through < events[0].seq:
                        # The server is missing an earlier event (it lost a batch it had, or
                        # never had it): _apply_ack reopened them, so the loop resends. A
                        # server that never moves on would loop forever: give up after a few.
                        stalled += 1
                        log.warning(
                            "server stored through %d, before batch %d", through, events[0].seq
                        )
                        if stalled > 3:
                            raise KnownError(
                                _("The school server is not storing this computer's events.")
                            )
                    else:
                        stalled = 0
                    if on_progress:
                        on_progress(min(acknowledged, total), total)
        except KnownError as exc:
            state = load_state(self.state_file)
            state.last_error = str(exc)
            save_state(state, self.state_file)
            raise
        state = load_state(self.state_file)
        state.last_sync = time.time()
        state.last_error = None
        save_state(state, self.state_file)
        return SyncResult(
            sent=sent,
            acknowledged=acknowledged,
            pending=self.store.pending_count(),
            stored_through=self._acked_through(),
            batches=batches,
            retries=self.retries,
            bytes_sent=bytes_sent,
        )

    def pull(
        self, on_progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> list[PackOutcome]:
        """Download and import content packs newer than those installed."""
        state = load_state(self.state_file)
        if not state.enrolled:
            raise KnownError(_("This computer is not enrolled with a school server yet."))
        assert state.server_url and state.device_token
        try:
            with self._http(state.server_url, state.device_token) as http:
                return pull_packs(http, on_progress, cancelled, self.state_file)
        except httpx.HTTPError as exc:
            raise KnownError(
                _("Content packs could not be fetched: {reason}").format(reason=exc)
            ) from exc

    def _acked_through(self) -> int:
        row = self.store.db.execute("SELECT COALESCE(MAX(seq), 0) FROM events WHERE acked = 1")
        return int(row.fetchone()[0])

    def _apply_ack(self, through: int) -> int:
        if through < self._acked_through():
            self.store.unacknowledge_after(through)
            return 0
        return self.store.acknowledge_through(through)

    def _call(
        self, http: httpx.Client, request: Callable[[], httpx.Response], cancelled: Cancelled | None
    ) -> dict[str, Any]:
        """One request with retries and exponential backoff (with jitter, so 30 laptops that
        lost the Wi-Fi together do not come back in lockstep)."""
        for attempt in range(self.max_attempts):
            if cancelled and cancelled():
                raise Interrupted()
            try:
                response = request()
                if response.status_code == 401:
                    raise KnownError(
                        _(
                            "The school server no longer accepts this computer. Enrol it again "
                            "with a new class code."
                        )
                    )
                if response.status_code in (400, 403, 413):
                    raise KnownError(
                        _("The school server rejected the data: {reason}").format(
                            reason=response.text[:200]
                        )
                    )
                if response.status_code != 200:
                    raise _Retry(f"HTTP {response.status_code}")
                data = response.json()
                if not isinstance(data, dict) or "stored_through" not in data:
                    raise _Retry("unexpected answer")
                return data
            except (httpx.HTTPError, ValueError, _Retry) as exc:
                if attempt + 1 == self.max_attempts:
                    raise KnownError(
                        _("The school server could not be reached: {reason}").format(reason=exc)
                    ) from exc
                self.retries += 1
                pause = min(self.max_backoff_s, self.backoff_s * 2**attempt)
                log.info("sync attempt %d failed (%s); retrying in %.1f s", attempt + 1, exc, pause)
                self.sleep(pause * random.uniform(0.5, 1.0))
        raise AssertionError("unreachable")

    def _http(self, url: str, token: str | None = None) -> httpx.Client:
        headers = {protocol.TOKEN_HEADER: f"Bearer {token}"} if token else {}
        # trust_env=False: never go through a proxy from the environment; only the configured
        # school server is contacted.
        if not self.keepalive:
            headers["Connection"] = "close"  # one request per connection (fault tests)
        return httpx.Client(base_url=url, headers=headers, timeout=self.timeout_s, trust_env=False)
