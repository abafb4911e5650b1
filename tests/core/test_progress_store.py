from __future__ import annotations

import pytest

from tutor.core.progress.store import ProgressStore


def test_change_and_event_commit_together() -> None:
    store = ProgressStore()
    with store.transaction() as tx:
        tx.db["learners"].insert({"id": "l1", "name": "Amina", "created": 0.0})
        tx.emit("learner.created", {"name": "Amina"}, learner_id="l1")
    events = store.pending_events()
    assert [(e.seq, e.type) for e in events] == [(1, "learner.created")]
    assert store.db["learners"].count == 1


def test_failure_rolls_back_change_and_event() -> None:
    store = ProgressStore()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.db["learners"].insert({"id": "l1", "name": "Amina", "created": 0.0})
        tx.emit("learner.created", {"name": "Amina"}, learner_id="l1")
        raise RuntimeError("crash half-way")
    assert store.db["learners"].count == 0
    assert store.pending_events() == []


def test_sequence_has_no_gaps_and_ack_keeps_rows() -> None:
    store = ProgressStore()
    for i in range(5):
        store.write(lambda tx, i=i: tx.emit("ping", {"i": i}))
    assert [e.seq for e in store.pending_events()] == [1, 2, 3, 4, 5]
    assert store.acknowledge_through(3) == 3
    assert [e.seq for e in store.pending_events()] == [4, 5]
    assert store.db["events"].count == 5  # acknowledged events are kept, only marked
    reopened = ProgressStore(store.path)
    assert reopened.device_id == store.device_id
