"""Learner profiles on one laptop: several learners share it (a clinic), each with a name and an
optional PIN. Every change is written with its outbox event in one transaction, so the school
server learns about learners exactly as it learns about their work.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.kdf import hash_secret, verify_secret
from tutor.core.progress.store import ProgressStore

MAX_NAME = 80


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    has_pin: bool
    created: float


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise KnownError(_("A learner needs a name."))
    if len(name) > MAX_NAME:
        raise KnownError(_("A learner's name can have at most {n} characters.").format(n=MAX_NAME))
    return name


def _check_pin(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise KnownError(_("A PIN is 4 to 12 digits."))


class Learners:
    """Facade over the ``learners`` table of ``progress.db``."""

    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    def list(self) -> list[Learner]:
        rows = self.store.db.execute(
            "SELECT id, name, pin_hash, created FROM learners ORDER BY name COLLATE NOCASE, created"
        ).fetchall()
        return [Learner(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    def get(self, learner_id: str) -> Learner:
        row = self.store.db.execute(
            "SELECT id, name, pin_hash, created FROM learners WHERE id = ?", [learner_id]
        ).fetchone()
        if row is None:
            raise KnownError(_("No such learner on this computer."))
        return Learner(row[0], row[1], bool(row[2]), row[3])

    def create(self, name: str, pin: str | None = None) -> Learner:
        name = _clean_name(name)
        pin_hash = None
        if pin:
            _check_pin(pin)
            pin_hash = hash_secret(pin)
        learner = Learner(str(uuid.uuid4()), name, pin_hash is not None, time.time())
        with self.store.transaction() as tx:
            tx.db.execute(
                "INSERT INTO learners (id, name, pin_hash, created) VALUES (?, ?, ?, ?)",
                [learner.id, name, pin_hash, learner.created],
            )
            # The PIN never leaves the laptop: the event says only whether there is one.
            tx.emit("learner.created", {"name": name, "has_pin": learner.has_pin}, learner.id)
        return learner

    def rename(self, learner_id: str, name: str) -> Learner:
        name = _clean_name(name)
        self.get(learner_id)
        with self.store.transaction() as tx:
            tx.db.execute("UPDATE learners SET name = ? WHERE id = ?", [name, learner_id])
            tx.emit("learner.renamed", {"name": name}, learner_id)
        return self.get(learner_id)

    def set_pin(self, learner_id: str, pin: str | None) -> None:
        """Set, change or (with None) remove the PIN."""
        self.get(learner_id)
        if pin:
            _check_pin(pin)
        pin_hash = hash_secret(pin) if pin else None
        with self.store.transaction() as tx:
            tx.db.execute("UPDATE learners SET pin_hash = ? WHERE id = ?", [pin_hash, learner_id])
            tx.emit("learner.pin_changed", {"has_pin": pin_hash is not None}, learner_id)

    def check_pin(self, learner_id: str, pin: str) -> bool:
        """True if the learner has no PIN or ``pin`` is right."""
        row = self.store.db.execute(
            "SELECT pin_hash FROM learners WHERE id = ?", [learner_id]
        ).fetchone()
        if row is None:
            return False
        return row[0] is None or verify_secret(pin, row[0])

    def delete(self, learner_id: str) -> None:
        """Remove the profile; the learner's events stay in the outbox until the server has them."""
        self.get(learner_id)
        with self.store.transaction() as tx:
            tx.db.execute("DELETE FROM learners WHERE id = ?", [learner_id])
            tx.emit("learner.deleted", {}, learner_id)
