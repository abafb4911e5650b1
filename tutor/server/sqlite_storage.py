"""``SQLiteStorage``: the embedded default storage of the school server, one SQLite file in the
server's data dir. One connection behind one lock is the single writer; each event batch is one
transaction, so an ack is only ever sent for events that are on disk.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from tutor.core.db import connect
from tutor.core.progress.encounter import FINISHED
from tutor.core.sync.protocol import PackEntry, WireEvent
from tutor.server.storage import ClassInfo, Device, Forbidden, StoredEvent, Teacher

migrations = Migrations("server")

_NAME_EVENTS = ("learner.created", "learner.renamed")


@migrations()
def create_schema(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE teachers (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
            created REAL NOT NULL);
        CREATE TABLE classes (
            id INTEGER PRIMARY KEY, name TEXT NOT NULL,
            teacher_id INTEGER NOT NULL REFERENCES teachers(id),
            code TEXT NOT NULL UNIQUE, created REAL NOT NULL, UNIQUE (teacher_id, name));
        CREATE TABLE devices (
            id TEXT PRIMARY KEY, class_id INTEGER NOT NULL REFERENCES classes(id),
            name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled REAL NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0, stored_through INTEGER NOT NULL DEFAULT 0,
            last_seen REAL);
        CREATE TABLE learners (
            id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id),
            name TEXT, name_seq INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE events (
            id TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id),
            seq INTEGER NOT NULL, learner_id TEXT, type TEXT NOT NULL, payload TEXT NOT NULL,
            client_time REAL NOT NULL, received REAL NOT NULL, UNIQUE (device_id, seq));
        CREATE INDEX events_type ON events (type, device_id);
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY, teacher_id INTEGER NOT NULL REFERENCES teachers(id),
            expires REAL NOT NULL);
        CREATE TABLE packs (
            name TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
            size INTEGER NOT NULL, signature TEXT, file TEXT NOT NULL, added REAL NOT NULL,
            PRIMARY KEY (name, version));
        """
    )


class SQLiteStorage:
    def __init__(self, path: Path) -> None:
        self.conn = connect(path)
        # An ack promises the events are stored: make commits durable across power loss too.
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.isolation_level = None  # explicit BEGIN/COMMIT below
        self.lock = threading.Lock()
        with self.lock:
            migrations.apply(sqlite_utils.Database(self.conn))

    def close(self) -> None:
        self.conn.close()

    def _one(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> Any:
        with self.lock:
            return self.conn.execute(sql, args).fetchone()

    def _all(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def _write(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, args)

    # -- accounts ----------------------------------------------------------------------------

    def add_teacher(self, name: str, password_hash: str) -> Teacher:
        try:
            cursor = self._write(
                "INSERT INTO teachers (name, password_hash, created) VALUES (?, ?, ?)",
                [name, password_hash, time.time()],
            )
        except sqlite3.IntegrityError as exc:
            raise ValueError(name) from exc
        return Teacher(int(cursor.lastrowid or 0), name)

    def teacher_by_name(self, name: str) -> tuple[Teacher, str] | None:
        row = self._one("SELECT id, name, password_hash FROM teachers WHERE name = ?", [name])
        return (Teacher(row[0], row[1]), row[2]) if row else None

    def class_code(self, teacher_id: int, class_name: str, new_code: str) -> ClassInfo:
        """Create the class or give it a new code (the old code stops working)."""
        with self.lock:
            self.conn.execute(
                "INSERT INTO classes (name, teacher_id, code, created) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (teacher_id, name) DO UPDATE SET code = excluded.code",
                [class_name, teacher_id, new_code, time.time()],
            )
            row = self.conn.execute(
                "SELECT id, name, code, teacher_id FROM classes WHERE teacher_id = ? AND name = ?",
                [teacher_id, class_name],
            ).fetchone()
        return ClassInfo(*row)

    def classes_of(self, teacher_id: int) -> list[ClassInfo]:
        rows = self._all(
            "SELECT id, name, code, teacher_id FROM classes WHERE teacher_id = ? ORDER BY name",
            [teacher_id],
        )
        return [ClassInfo(*r) for r in rows]

    def class_by_code(self, code: str) -> ClassInfo | None:
        row = self._one("SELECT id, name, code, teacher_id FROM classes WHERE code = ?", [code])
        return ClassInfo(*row) if row else None

    def add_session(self, token_hash: str, teacher_id: int, expires: float) -> None:
        self._write(
            "INSERT INTO sessions (token_hash, teacher_id, expires) VALUES (?, ?, ?)",
            [token_hash, teacher_id, expires],
        )

    def session_teacher(self, token_hash: str, now: float) -> Teacher | None:
        row = self._one(
            "SELECT t.id, t.name FROM sessions s JOIN teachers t ON t.id = s.teacher_id "
            "WHERE s.token_hash = ? AND s.expires > ?",
            [token_hash, now],
        )
        return Teacher(row[0], row[1]) if row else None

    def drop_session(self, token_hash: str) -> None:
        self._write("DELETE FROM sessions WHERE token_hash = ?", [token_hash])

    # -- devices -----------------------------------------------------------------------------

    def enroll_device(self, device_id: str, class_id: int, name: str, token_hash: str) -> None:
        """Register the device, or give a re-enrolling one a new token (the old one dies)."""
        self._write(
            "INSERT INTO devices (id, class_id, name, token_hash, enrolled) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET class_id = excluded.class_id, name = excluded.name, "
            "token_hash = excluded.token_hash, enrolled = excluded.enrolled, revoked = 0",
            [device_id, class_id, name, token_hash, time.time()],
        )

    def _device(self, where: str, arg: Any) -> Device | None:
        row = self._one(
            "SELECT id, class_id, name, revoked, stored_through, last_seen FROM devices "
            f"WHERE {where} = ?",
            [arg],
        )
        return Device(row[0], row[1], row[2], bool(row[3]), row[4], row[5]) if row else None

    def device_by_token(self, token_hash: str) -> Device | None:
        return self._device("token_hash", token_hash)

    def devices_of_class(self, class_id: int) -> list[Device]:
        rows = self._all(
            "SELECT id, class_id, name, revoked, stored_through, last_seen FROM devices "
            "WHERE class_id = ? ORDER BY name, id",
            [class_id],
        )
        return [Device(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]

    def revoke_device(self, teacher_id: int, device_id: str) -> None:
        cursor = self._write(
            "UPDATE devices SET revoked = 1 WHERE id = ? AND class_id IN "
            "(SELECT id FROM classes WHERE teacher_id = ?)",
            [device_id, teacher_id],
        )
        if cursor.rowcount != 1:
            raise Forbidden(device_id)

    # -- events ------------------------------------------------------------------------------

    def ingest(self, device_id: str, events: list[WireEvent], received: float) -> int:
        """Store a batch in one transaction (events already held are skipped); return the
        highest seq S such that this device's events 1..S are all stored."""
        learner_ids = sorted({e.learner_id for e in events if e.learner_id is not None})
        with self.lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if learner_ids:
                    marks = ",".join("?" * len(learner_ids))
                    owners = conn.execute(
                        f"SELECT DISTINCT device_id FROM learners WHERE id IN ({marks})",
                        learner_ids,
                    ).fetchall()
                    if any(owner[0] != device_id for owner in owners):
                        raise Forbidden("a learner of another device")
                    conn.executemany(
                        "INSERT INTO learners (id, device_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [(lid, device_id) for lid in learner_ids],
                    )
                conn.executemany(
                    "INSERT INTO events (id, device_id, seq, learner_id, type, payload, "
                    "client_time, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [
                        (
                            e.id,
                            device_id,
                            e.seq,
                            e.learner_id,
                            e.type,
                            json.dumps(e.payload, ensure_ascii=False, separators=(",", ":")),
                            e.client_time,
                            received,
                        )
                        for e in events
                    ],
                )
                # Batches may arrive out of order: a name is only replaced by a later one.
                conn.executemany(
                    "UPDATE learners SET name = ?, name_seq = ? WHERE id = ? AND name_seq < ?",
                    [
                        (e.payload.get("name"), e.seq, e.learner_id, e.seq)
                        for e in events
                        if e.type in _NAME_EVENTS and e.learner_id
                    ],
                )
                through = self._advance(device_id)
                conn.execute(
                    "UPDATE devices SET stored_through = ?, last_seen = ? WHERE id = ?",
                    [through, received, device_id],
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return through

    def _advance(self, device_id: str) -> int:
        through = int(
            self.conn.execute(
                "SELECT stored_through FROM devices WHERE id = ?", [device_id]
            ).fetchone()[0]
        )
        for (seq,) in self.conn.execute(
            "SELECT seq FROM events WHERE device_id = ? AND seq > ? ORDER BY seq",
            [device_id, through],
        ):
            if seq != through + 1:
                break
            through = seq
        return through

    def stored_through(self, device_id: str) -> int:
        row = self._one("SELECT stored_through FROM devices WHERE id = ?", [device_id])
        return int(row[0]) if row else 0

    _EVENT_COLUMNS = (
        "e.id, e.device_id, e.seq, e.learner_id, l.name, e.type, e.payload, e.client_time, "
        "e.received FROM events e LEFT JOIN learners l ON l.id = e.learner_id"
    )

    @staticmethod
    def _event(row: Any) -> StoredEvent:
        return StoredEvent(
            row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7], row[8]
        )

    def events_of_device(self, device_id: str) -> list[StoredEvent]:
        rows = self._all(
            f"SELECT {self._EVENT_COLUMNS} WHERE e.device_id = ? ORDER BY e.seq", [device_id]
        )
        return [self._event(r) for r in rows]

    def events_of_class(
        self, class_id: int, types: tuple[str, ...] = (FINISHED,)
    ) -> list[StoredEvent]:
        marks = ",".join("?" * len(types))
        rows = self._all(
            f"SELECT {self._EVENT_COLUMNS} JOIN devices d ON d.id = e.device_id "
            f"WHERE d.class_id = ? AND e.type IN ({marks}) ORDER BY e.client_time",
            [class_id, *types],
        )
        return [self._event(r) for r in rows]

    # -- packs -------------------------------------------------------------------------------

    def add_pack(self, entry: PackEntry, file_name: str) -> None:
        self._write(
            "INSERT INTO packs (name, version, sha256, size, signature, file, added) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                entry.name,
                entry.version,
                entry.sha256,
                entry.size,
                entry.signature,
                file_name,
                time.time(),
            ],
        )

    def packs(self) -> list[tuple[PackEntry, str]]:
        rows = self._all(
            "SELECT name, version, sha256, size, signature, file FROM packs p WHERE version = "
            "(SELECT MAX(version) FROM packs q WHERE q.name = p.name) ORDER BY name"
        )
        return [(PackEntry(r[0], r[1], r[2], r[3], r[4]), r[5]) for r in rows]
