from __future__ import annotations

import pytest

from tutor.core.errors import KnownError
from tutor.core.kdf import hash_secret, verify_secret
from tutor.core.progress.encounter import finished_payload, parse_finished
from tutor.core.progress.learners import Learners
from tutor.core.progress.queries import learner_progress
from tutor.core.progress.store import ProgressStore


def test_kdf_round_trip_and_salt() -> None:
    a, b = hash_secret("1234"), hash_secret("1234")
    assert a != b  # salted
    assert a.startswith("scrypt$")
    assert verify_secret("1234", a) and not verify_secret("1235", a)
    assert not verify_secret("1234", "garbage")


def test_learner_changes_emit_events_and_pin_stays_local() -> None:
    store = ProgressStore()
    learners = Learners(store)
    amina = learners.create("  Amina   Hassan ", pin="2468")
    learners.create("Bruno")
    assert [x.name for x in learners.list()] == ["Amina Hassan", "Bruno"]
    assert learners.check_pin(amina.id, "2468") and not learners.check_pin(amina.id, "0000")
    learners.rename(amina.id, "Amina H.")
    learners.set_pin(amina.id, None)
    assert learners.check_pin(amina.id, "anything")
    learners.delete(amina.id)
    types = [e.type for e in store.pending_events()]
    assert types == [
        "learner.created",
        "learner.created",
        "learner.renamed",
        "learner.pin_changed",
        "learner.deleted",
    ]
    assert all("2468" not in str(e.payload) for e in store.pending_events())
    assert [x.name for x in learners.list()] == ["Bruno"]


@pytest.mark.parametrize("name, pin", [("", None), ("x" * 81, None), ("Ok", "12"), ("Ok", "abcd")])
def test_bad_input_is_refused_and_nothing_written(name: str, pin: str | None) -> None:
    store = ProgressStore()
    with pytest.raises(KnownError):
        Learners(store).create(name, pin=pin)
    assert store.last_seq() == 0


def test_progress_from_finished_events() -> None:
    store = ProgressStore()
    learner = Learners(store).create("Amina")
    other = Learners(store).create("Bruno")

    def finish(lid: str, case: str, scores: dict[str, float], secs: float) -> None:
        store.write(
            lambda tx: tx.emit("encounter.finished", finished_payload(case, scores, secs), lid)
        )

    finish(learner.id, "c1", {"history": 0.5, "diagnosis": 1.0}, 600)
    finish(learner.id, "c1", {"history": 1.0, "diagnosis": 1.0}, 300)
    finish(learner.id, "c2", {"management": 0.25}, 100)
    finish(other.id, "c1", {"history": 0.0}, 50)
    store.write(lambda tx: tx.emit("encounter.finished", {"case_id": "bad"}, learner.id))
    progress = learner_progress(store, learner.id)
    assert progress.attempt_count == 3
    assert progress.time_s == 1000
    assert progress.competencies["history"] == 0.75
    assert progress.competencies["management"] == 0.25
    assert progress.competencies["examination"] is None
    c1 = progress.cases[0]
    assert (c1.case_id, c1.attempts, c1.best, c1.last, c1.time_s) == ("c1", 2, 1.0, 1.0, 900)


def test_parse_finished_rejects_out_of_range() -> None:
    assert parse_finished({"case_id": "c", "scores": {"history": 1.5}, "duration_s": 1}) is None
    assert parse_finished({"case_id": "c", "scores": {}, "duration_s": -1}) is None
    ok = parse_finished({"case_id": "c", "scores": {"history": 1, "x": 3}, "duration_s": 2})
    assert ok is not None and ok.scores == {"history": 1.0}
