"""The Encounter's rephrasing wiring, with plain functions as rephrasers: a rewording is shown only
when the faithfulness check accepts it, the payload records both texts, and resume replays what
was shown. (The real model is exercised in test_rephrase_model.py.)"""

from __future__ import annotations

import json
from collections.abc import Callable

from practice_fixtures import example_case

from tutor.core.llm.client import CancelFlag
from tutor.core.practice import records
from tutor.core.practice.encounter import Practice
from tutor.core.practice.rephrase import TokenCallback
from tutor.core.progress.store import ProgressStore

AUTHORED = "The fever started three days ago. It comes with shivering, mostly in the evening."
GOOD = "My fever began three days ago. It comes with shivering, mostly in the evening."
BAD = "The fever started two days ago and I take amoxicillin for it every evening."


def fixed(
    text: str | None, calls: list[tuple[str, str, str]] | None = None
) -> Callable[..., str | None]:
    def rephrase(
        answer: str,
        language: str,
        on_token: TokenCallback | None,
        cancel: CancelFlag | None,
        role: str = "",
    ) -> str | None:
        if calls is not None:
            calls.append((answer, language, role))
        return text

    return rephrase


def practice(
    rephraser: Callable[..., str | None] | None, store: ProgressStore | None = None
) -> Practice:
    case = example_case()
    return Practice(store or ProgressStore(), {case.id: case}.__getitem__, rephraser=rephraser)


def payloads(p: Practice) -> list[dict[str, object]]:
    rows = p.store.db.query("SELECT payload FROM encounter_actions WHERE kind = 'asked' ORDER BY n")
    return [json.loads(r["payload"]) for r in rows]


def test_an_accepted_rephrasing_is_shown_streamed_and_recorded() -> None:
    calls: list[tuple[str, str, str]] = []
    p = practice(fixed(GOOD, calls))
    enc = p.start("example-uncomplicated-malaria", "en")
    pieces: list[str] = []
    reply = enc.ask("How long have you had the fever?", on_token=pieces.append)
    assert calls == [(AUTHORED, "en", "the patient")]
    assert reply.answer == GOOD and reply.rephrased and reply.authored == AUTHORED
    assert "".join(pieces) == GOOD and len(pieces) > 1  # word by word, after the check
    (payload,) = payloads(p)
    assert payload == {
        "question": "How long have you had the fever?",
        "answer": GOOD,
        "fact_ids": ["fever-duration"],
        "authored": AUTHORED,
        "rephrased": True,
    }


def test_a_rejected_rephrasing_falls_back_to_the_authored_answer() -> None:
    p = practice(fixed(BAD))
    enc = p.start("example-uncomplicated-malaria", "en")
    pieces: list[str] = []
    reply = enc.ask("How long have you had the fever?", on_token=pieces.append)
    assert reply.answer == AUTHORED and not reply.rephrased
    assert pieces == [AUTHORED]  # the unchecked text never reached the student
    assert payloads(p)[0]["rephrased"] is False and payloads(p)[0]["answer"] == AUTHORED


def test_no_rephrasing_when_nothing_matched_or_when_cancelled() -> None:
    calls: list[tuple[str, str, str]] = []
    p = practice(fixed(GOOD, calls))
    enc = p.start("example-uncomplicated-malaria", "en")
    default = enc.ask("Do you keep any pets at home?")
    assert not default.grounded and not default.rephrased and calls == []
    cancel = CancelFlag()
    cancel.set()
    reply = enc.ask("How long have you had the fever?", cancel=cancel)
    assert reply.answer == AUTHORED and not reply.rephrased and calls == []


def test_none_from_the_rephraser_means_the_authored_answer() -> None:
    enc = practice(fixed(None)).start("example-uncomplicated-malaria", "en")
    assert enc.ask("How long have you had the fever?").answer == AUTHORED


def test_resume_shows_the_same_transcript_and_reads_old_actions() -> None:
    store = ProgressStore()
    p = practice(fixed(GOOD), store)
    enc = p.start("example-uncomplicated-malaria", "en")
    enc.ask("How long have you had the fever?")
    # An action written before rephrasing existed has no "authored"/"rephrased" keys.
    records.append(store, enc.row, "asked", {"question": "q", "answer": "a", "fact_ids": []})
    resumed = practice(None, store).resume(enc.id)
    assert resumed.state.transcript == [
        ("How long have you had the fever?", GOOD, ("fever-duration",)),
        ("q", "a", ()),
    ]
