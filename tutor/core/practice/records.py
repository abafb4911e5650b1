"""The practice tables in ``progress.db``: one row per encounter and one per action, appended as
each action happens (with its outbox event, in the same transaction), so a crash loses nothing
and an encounter resumes by replaying its actions.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from tutor.core.progress.encounter import FINISHED, finished_payload
from tutor.core.progress.store import ProgressStore, Tx, register_migrations

DEFAULT_LEARNER = "default"

practice_migrations = Migrations("practice")


@practice_migrations()
def create_encounters_and_actions(db: sqlite_utils.Database) -> None:
    db.table("encounters").create(
        {
            "id": str,
            "learner_id": str,
            "case_id": str,
            "case_version": int,
            "language": str,
            "started": float,
            "updated": float,
            "finished": float,  # NULL while in progress
            "score": str,  # JSON of the final score, once finished
        },
        pk="id",
        not_null={"learner_id", "case_id", "case_version", "language", "started", "updated"},
    )
    db.table("encounters").create_index(["learner_id", "finished"])
    db.table("encounter_actions").create(
        {"encounter_id": str, "n": int, "kind": str, "payload": str, "created": float},
        pk=("encounter_id", "n"),
        not_null={"kind", "payload", "created"},
        foreign_keys=[("encounter_id", "encounters", "id")],
    )


register_migrations(practice_migrations)


@dataclass(frozen=True)
class EncounterRow:
    id: str
    learner_id: str
    case_id: str
    case_version: int
    language: str
    started: float
    finished: float | None


@dataclass(frozen=True)
class Action:
    n: int
    kind: str
    payload: dict[str, Any]


def ensure_tables(store: ProgressStore) -> None:
    """Apply the practice migrations to a store opened before this module was imported."""
    practice_migrations.apply(store.db)


def ensure_learner(tx: Tx, learner_id: str) -> None:
    if not tx.db.execute("SELECT 1 FROM learners WHERE id = ?", [learner_id]).fetchone():
        tx.db.execute(
            "INSERT INTO learners (id, name, created) VALUES (?, ?, ?)",
            [learner_id, learner_id, time.time()],
        )


def create(
    store: ProgressStore, learner_id: str, case_id: str, case_version: int, language: str
) -> EncounterRow:
    now = time.time()
    row = EncounterRow(str(uuid.uuid4()), learner_id, case_id, case_version, language, now, None)
    with store.transaction() as tx:
        ensure_learner(tx, learner_id)
        tx.db.execute(
            "INSERT INTO encounters (id, learner_id, case_id, case_version, language, started, "
            "updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [row.id, learner_id, case_id, case_version, language, now, now],
        )
        tx.emit(
            "practice.started",
            {
                "encounter_id": row.id,
                "case_id": case_id,
                "case_version": case_version,
                "language": language,
            },
            learner_id,
        )
    return row


def append(
    store: ProgressStore,
    encounter: EncounterRow,
    kind: str,
    payload: dict[str, Any],
    score: dict[str, Any] | None = None,
) -> Action:
    """Record one action and its outbox event atomically; ``score`` also closes the encounter."""
    with store.transaction() as tx:
        n = int(
            tx.db.execute(
                "SELECT COALESCE(MAX(n), 0) + 1 FROM encounter_actions WHERE encounter_id = ?",
                [encounter.id],
            ).fetchone()[0]
        )
        now = time.time()
        tx.db.execute(
            "INSERT INTO encounter_actions (encounter_id, n, kind, payload, created) "
            "VALUES (?, ?, ?, ?, ?)",
            [encounter.id, n, kind, json.dumps(payload, ensure_ascii=False), now],
        )
        if score is None:
            tx.db.execute("UPDATE encounters SET updated = ? WHERE id = ?", [now, encounter.id])
        else:
            tx.db.execute(
                "UPDATE encounters SET updated = ?, finished = ?, score = ? WHERE id = ?",
                [now, now, json.dumps(score, ensure_ascii=False), encounter.id],
            )
        event = {"encounter_id": encounter.id, "n": n, **payload}
        if score is not None:
            event["score"] = score
        tx.emit(f"practice.{kind}", event, encounter.learner_id)
        if score is not None:
            # The summary that learner progress and the teacher dashboard read (docs/progress.md).
            tx.emit(
                FINISHED,
                finished_payload(encounter.case_id, score["competencies"], now - encounter.started),
                encounter.learner_id,
            )
    return Action(n, kind, payload)


def _row(values: Any) -> EncounterRow:
    return EncounterRow(
        values[0], values[1], values[2], int(values[3]), values[4], values[5], values[6]
    )


_COLUMNS = "id, learner_id, case_id, case_version, language, started, finished"


def get(store: ProgressStore, encounter_id: str) -> EncounterRow | None:
    found = store.db.execute(
        f"SELECT {_COLUMNS} FROM encounters WHERE id = ?", [encounter_id]
    ).fetchone()
    return _row(found) if found else None


def unfinished(store: ProgressStore, learner_id: str) -> list[EncounterRow]:
    rows = store.db.execute(
        f"SELECT {_COLUMNS} FROM encounters WHERE learner_id = ? AND finished IS NULL "
        "ORDER BY updated DESC",
        [learner_id],
    ).fetchall()
    return [_row(r) for r in rows]


def actions(store: ProgressStore, encounter_id: str) -> list[Action]:
    rows = store.db.execute(
        "SELECT n, kind, payload FROM encounter_actions WHERE encounter_id = ? ORDER BY n",
        [encounter_id],
    ).fetchall()
    return [Action(int(r[0]), r[1], json.loads(r[2])) for r in rows]
