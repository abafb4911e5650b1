"""The sync protocol, shared by the laptop client and the school server: paths, message shapes,
version, and the compact gzip-JSON event batch.

A batch is a contiguous run of one device's events. It is columnar (learner ids and event types
are listed once, times are deltas in milliseconds, seqs are implied) because most of an event's
bytes would otherwise be repeated names, and gzip does the rest: well under 60 bytes per event.
"""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass
from typing import Any

VERSION = 1
ENROLL = "/api/v1/enroll"
EVENTS = "/api/v1/events"  # POST a batch; GET the highest contiguous seq stored
PACKS = "/api/v1/packs"  # GET the manifest; GET PACKS/<name>/<version> the file (Range ok)
TOKEN_HEADER = "Authorization"  # "Bearer <device token>"
MAX_BATCH_BYTES = 8 * 1024 * 1024  # uncompressed; the server refuses more
MAX_BATCH_EVENTS = 5000


class ProtocolError(ValueError):
    """A message that does not follow the protocol (the server answers 400)."""


@dataclass(frozen=True)
class WireEvent:
    id: str
    seq: int
    learner_id: str | None
    type: str
    payload: dict[str, Any]
    client_time: float


def encode_batch(device_id: str, events: list[WireEvent]) -> bytes:
    """gzip-compressed JSON of ``events``, which must be contiguous in seq."""
    if not events:
        raise ProtocolError("empty batch")
    first = events[0].seq
    if [e.seq for e in events] != list(range(first, first + len(events))):
        raise ProtocolError("batch seqs are not contiguous")
    learners: list[str | None] = []
    types: list[str] = []
    rows: list[list[Any]] = []
    previous_ms = 0
    for e in events:
        if e.learner_id not in learners:
            learners.append(e.learner_id)
        if e.type not in types:
            types.append(e.type)
        ms = round(e.client_time * 1000)
        rows.append(
            [e.id, learners.index(e.learner_id), types.index(e.type), ms - previous_ms, e.payload]
        )
        previous_ms = ms
    body = {
        "v": VERSION,
        "device": device_id,
        "first_seq": first,
        "learners": learners,
        "types": types,
        "events": rows,
    }
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0)


def decode_batch(data: bytes) -> tuple[str, list[WireEvent]]:
    """The device id and events of a batch; raises ProtocolError on anything malformed."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            raw = fh.read(MAX_BATCH_BYTES + 1)
        if len(raw) > MAX_BATCH_BYTES:
            raise ProtocolError("batch too large")
        body = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise ProtocolError(f"unreadable batch: {exc}") from exc
    try:
        if body["v"] != VERSION:
            raise ProtocolError(f"unsupported protocol version {body['v']!r}")
        device, first, learners, types = (
            body["device"],
            body["first_seq"],
            body["learners"],
            body["types"],
        )
        rows = body["events"]
        if not isinstance(device, str) or not isinstance(first, int) or first < 1:
            raise ProtocolError("bad batch header")
        if not isinstance(rows, list) or not 0 < len(rows) <= MAX_BATCH_EVENTS:
            raise ProtocolError("bad number of events")
        events = []
        ms = 0
        for offset, row in enumerate(rows):
            event_id, learner_index, type_index, delta, payload = row
            ms += int(delta)
            learner, type_ = learners[learner_index], types[type_index]
            if not isinstance(event_id, str) or not 0 < len(event_id) <= 64:
                raise ProtocolError("bad event id")
            if not isinstance(type_, str) or not isinstance(payload, dict):
                raise ProtocolError("bad event")
            if learner is not None and not isinstance(learner, str):
                raise ProtocolError("bad learner id")
            events.append(WireEvent(event_id, first + offset, learner, type_, payload, ms / 1000))
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        if isinstance(exc, ProtocolError):
            raise
        raise ProtocolError(f"malformed batch: {exc!r}") from exc
    return device, events


def enroll_request(code: str, device_id: str, device_name: str) -> dict[str, Any]:
    return {"v": VERSION, "code": code, "device": device_id, "name": device_name}


def ack(stored_through: int) -> dict[str, Any]:
    """The server's answer to a batch: the highest seq S such that it holds 1..S."""
    return {"v": VERSION, "stored_through": stored_through}


@dataclass(frozen=True)
class PackEntry:
    name: str
    version: int
    sha256: str
    size: int
    signature: str | None = None  # for the signed-pack verifier of #4; None until then

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "size": self.size,
            "signature": self.signature,
        }

    @staticmethod
    def from_json(data: Any) -> PackEntry:
        try:
            entry = PackEntry(
                str(data["name"]),
                int(data["version"]),
                str(data["sha256"]),
                int(data["size"]),
                data.get("signature"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProtocolError(f"bad pack entry: {exc!r}") from exc
        if not entry.name.replace("-", "").replace("_", "").isalnum() or len(entry.sha256) != 64:
            raise ProtocolError("bad pack entry")
        return entry
