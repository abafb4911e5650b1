"""``ProgressStore``: the one writer of ``progress.db`` and its outbox.

Every learner action changes some rows *and* appends an immutable event to the outbox in the same
SQLite transaction, so a change is never recorded without its event or the other way round. The
sync client sends events in ``seq`` order and deletes nothing before the server has acknowledged
it. Each area keeps its own tables in this database with its own named ``Migrations`` set,
registered with ``register_migrations``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from tutor.core import paths
from tutor.core.db import open_db

core_migrations = Migrations("progress-core")


@core_migrations()
def create_device_learners_events(db: sqlite_utils.Database) -> None:
    db.table("device").create({"id": str, "created": float}, pk="id")
    db.table("learners").create(
        {"id": str, "name": str, "pin_hash": str, "created": float}, pk="id", not_null={"name"}
    )
    db.table("events").create(
        {
            "id": str,  # made on the device (uuid4): the server's idempotency key
            "seq": int,  # per-device sequence number, 1, 2, 3 … without gaps
            "learner_id": str,
            "type": str,
            "payload": str,  # JSON
            "client_time": float,
            "acked": int,  # 1 once the server confirmed it stored the event
        },
        pk="id",
        not_null={"seq", "type", "payload", "client_time", "acked"},
        defaults={"acked": 0},
    )
    db.table("events").create_index(["seq"], unique=True)
    db.table("device").insert({"id": str(uuid.uuid4()), "created": time.time()})


_extra_migrations: list[Migrations] = []


def register_migrations(migrations: Migrations) -> None:
    """Add an area's migration set; it is applied after the core set on every open."""
    if all(m.name != migrations.name for m in _extra_migrations):
        _extra_migrations.append(migrations)


def default_path() -> Path:
    return paths.data_dir() / "progress.db"


@dataclass(frozen=True)
class Event:
    id: str
    seq: int
    learner_id: str | None
    type: str
    payload: dict[str, Any]
    client_time: float


class Tx:
    """An open write transaction: change rows through ``db``, record what happened with ``emit``."""

    def __init__(
        self, db: sqlite_utils.Database, device_id: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.device_id = device_id
        self.clock = clock
        self.events: list[Event] = []

    def emit(self, type_: str, payload: dict[str, Any], learner_id: str | None = None) -> Event:
        row = self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()
        event = Event(
            id=str(uuid.uuid4()),
            seq=int(row[0]),
            learner_id=learner_id,
            type=type_,
            payload=payload,
            client_time=self.clock(),
        )
        self.db.execute(
            "INSERT INTO events (id, seq, learner_id, type, payload, client_time, acked) "
            "VALUES (?, ?, ?, ?, ?, ?, 0)",
            [
                event.id,
                event.seq,
                learner_id,
                type_,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                event.client_time,
            ],
        )
        self.events.append(event)
        return event


class ProgressStore:
    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.path = path or default_path()
        self.clock = clock  # client_time of events; replaceable so tests can skew the clock
        self.db = open_db(self.path)
        self._lock = threading.RLock()  # one writer at a time, whatever thread calls
        with self._lock:
            core_migrations.apply(self.db)
            for migrations in _extra_migrations:
                migrations.apply(self.db)
        self.device_id = str(self.db.execute("SELECT id FROM device").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """``with store.transaction() as tx:`` — all of it commits, or none of it does."""
        with self._lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self.db, self.device_id, self.clock)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def write(self, fn: Callable[[Tx], Any]) -> Any:
        with self.transaction() as tx:
            return fn(tx)

    def pending_events(self, limit: int = 1000) -> list[Event]:
        rows = self.db.execute(
            "SELECT id, seq, learner_id, type, payload, client_time FROM events "
            "WHERE acked = 0 ORDER BY seq LIMIT ?",
            [limit],
        ).fetchall()
        return [Event(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def acknowledge_through(self, seq: int) -> int:
        """Mark every event up to ``seq`` as stored by the server; returns how many changed."""
        with self._lock:
            cursor = self.db.execute(
                "UPDATE events SET acked = 1 WHERE seq <= ? AND acked = 0", [seq]
            )
            self.db.conn.commit()
            return int(cursor.rowcount)

    def pending_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM events WHERE acked = 0").fetchone()[0])

    def last_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def unacknowledge_after(self, seq: int) -> int:
        """The server says it holds only up to ``seq`` (e.g. restored from a backup): send the
        rest again. Returns how many events became pending again."""
        with self._lock:
            cursor = self.db.execute(
                "UPDATE events SET acked = 0 WHERE seq > ? AND acked = 1", [seq]
            )
            self.db.conn.commit()
            return int(cursor.rowcount)
