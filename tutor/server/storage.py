"""The school server's storage interface: everything the web app needs from a database, as one
small protocol, so SQLite (the embedded default, ``sqlite_storage.py``) can be joined by
PostgreSQL for a district without touching the app (docs/server.md says how).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from tutor.core.sync.protocol import PackEntry, WireEvent


class Forbidden(Exception):
    """The caller may not do this (wrong device, someone else's learner or class)."""


@dataclass(frozen=True)
class Teacher:
    id: int
    name: str


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    code: str
    teacher_id: int


@dataclass(frozen=True)
class Device:
    id: str
    class_id: int
    name: str
    revoked: bool
    stored_through: int
    last_seen: float | None


@dataclass(frozen=True)
class StoredEvent:
    id: str
    device_id: str
    seq: int
    learner_id: str | None
    learner_name: str | None
    type: str
    payload: dict[str, Any]
    client_time: float
    received: float


class Storage(Protocol):
    # accounts
    def add_teacher(self, name: str, password_hash: str) -> Teacher: ...
    def teacher_by_name(self, name: str) -> tuple[Teacher, str] | None: ...
    def class_code(self, teacher_id: int, class_name: str, new_code: str) -> ClassInfo: ...
    def classes_of(self, teacher_id: int) -> list[ClassInfo]: ...
    def class_by_code(self, code: str) -> ClassInfo | None: ...
    # sessions of the dashboard (token hashes only)
    def add_session(self, token_hash: str, teacher_id: int, expires: float) -> None: ...
    def session_teacher(self, token_hash: str, now: float) -> Teacher | None: ...
    def drop_session(self, token_hash: str) -> None: ...
    # devices
    def enroll_device(self, device_id: str, class_id: int, name: str, token_hash: str) -> None: ...
    def device_by_token(self, token_hash: str) -> Device | None: ...
    def devices_of_class(self, class_id: int) -> list[Device]: ...
    def revoke_device(self, teacher_id: int, device_id: str) -> None: ...
    # events
    def ingest(self, device_id: str, events: list[WireEvent], received: float) -> int: ...
    def stored_through(self, device_id: str) -> int: ...
    def events_of_device(self, device_id: str) -> list[StoredEvent]: ...
    def events_of_class(self, class_id: int, types: tuple[str, ...]) -> list[StoredEvent]: ...
    # content packs
    def add_pack(self, entry: PackEntry, file_name: str) -> None: ...
    def packs(self) -> list[tuple[PackEntry, str]]: ...
    def close(self) -> None: ...
