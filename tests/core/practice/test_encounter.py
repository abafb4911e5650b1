"""An encounter from first question to feedback: stages, autosave with outbox events, resume."""

from __future__ import annotations

import json

import pytest
from practice_fixtures import example_case

from tutor.core.errors import KnownError
from tutor.core.practice.encounter import Practice
from tutor.core.progress.queries import attempts
from tutor.core.progress.store import ProgressStore


def practice(store: ProgressStore | None = None) -> Practice:
    case = example_case()
    return Practice(store or ProgressStore(), {case.id: case}.__getitem__)


def test_full_encounter_scores_and_records_every_action() -> None:
    p = practice()
    enc = p.start("example-uncomplicated-malaria", "en")
    reply = enc.ask("How long have you had the fever?")
    assert reply.fact_ids == ("fever-duration",) and reply.new_fact_ids == ("fever-duration",)
    assert enc.ask("when did the fever start").new_fact_ids == ()  # already revealed
    enc.move("examination")
    assert "not pale" in enc.examine("general")
    enc.move("history")  # going back to history after examining is allowed
    enc.ask("any vomiting?")
    enc.move("investigations")
    assert enc.order("mrdt").startswith("Positive")
    enc.diagnose("Malaria (P. falciparum)", ["typhoid"])
    enc.plan("Artemether-lumefantrine for 3 days, paracetamol")
    score = enc.finish()
    assert score.diagnosis == "correct"
    assert all(c.met for c in score.history)
    assert [c.met for c in score.management] == [True]
    assert score.unsafe == [] and score.total_cost_usd == 0.5
    assert score.percent() == 100
    kinds = [r["kind"] for r in p.store.db.query("SELECT kind FROM encounter_actions ORDER BY n")]
    assert kinds == [
        "asked", "asked", "moved", "examined", "moved", "asked", "moved", "ordered",
        "diagnosed", "planned", "finished",
    ]  # fmt: skip
    events = [e.type for e in p.store.pending_events()]
    assert events[0] == "practice.started" and events[-2:] == [
        "practice.finished",
        "encounter.finished",
    ]
    # one outbox event per action, plus the start and the progress summary
    assert len(events) == len(kinds) + 2
    finished = p.store.pending_events()[-2].payload
    assert finished["score"]["diagnosis"] == "correct"
    # The summary is what learner progress and the teacher dashboard read.
    (attempt,) = attempts(p.store, "default")
    assert attempt.result.case_id == "example-uncomplicated-malaria"
    assert attempt.result.scores == {
        "history": 1.0, "examination": 1.0, "investigations": 1.0, "diagnosis": 1.0,
        "management": 1.0,
    }  # fmt: skip
    row = p.store.db.execute("SELECT finished, score FROM encounters").fetchone()
    assert row[0] is not None and json.loads(row[1])["percent"] == 100
    with pytest.raises(KnownError):
        enc.ask("anything else?")


def test_resume_rebuilds_the_encounter_from_its_actions() -> None:
    store = ProgressStore()
    enc = practice(store).start("example-uncomplicated-malaria", "fr", learner_id="amina")
    enc.ask("Depuis quand avez-vous de la fièvre ?")
    enc.examine("general")
    enc.note("fièvre 3 jours")
    enc.diagnose("paludisme", [])
    store.close()

    again = practice(ProgressStore(store.path))
    assert [r.id for r in again.unfinished("amina")] == [enc.id]
    resumed = again.resume(enc.id)
    assert resumed.language == "fr"
    assert resumed.state.revealed == ["fever-duration"]
    assert resumed.state.examined == ["general"]
    assert resumed.state.notes == "fièvre 3 jours"
    assert resumed.state.stage == "management" and resumed.state.final == "paludisme"
    assert resumed.state.transcript == enc.state.transcript
    resumed.plan("Coartem")
    assert resumed.finish().diagnosis == "correct"
    assert again.unfinished("amina") == []


def test_management_needs_a_diagnosis_and_unknown_items_are_refused() -> None:
    enc = practice().start("example-uncomplicated-malaria", "en")
    with pytest.raises(KnownError):
        enc.move("management")
    with pytest.raises(KnownError):
        enc.plan("coartem")
    with pytest.raises(KnownError):
        enc.examine("no-such-finding")
    with pytest.raises(KnownError):
        enc.ask("   ")
    assert enc.state.transcript == []


def test_default_learner_row_is_created() -> None:
    p = practice()
    p.start("example-uncomplicated-malaria", "en")
    assert p.store.db["learners"].get("default")["name"] == "default"
