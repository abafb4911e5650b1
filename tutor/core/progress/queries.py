"""Progress of one learner on this laptop, read from the ``encounter.finished`` events in the
outbox (the practice engine writes them; see ``encounter.py``). Events are kept after the server
acknowledges them, so the history is complete offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tutor.core.progress.encounter import COMPETENCIES, FINISHED, EncounterResult, parse_finished
from tutor.core.progress.store import ProgressStore


@dataclass(frozen=True)
class Attempt:
    seq: int
    time: float
    result: EncounterResult


@dataclass(frozen=True)
class CaseProgress:
    case_id: str
    attempts: int
    best: float | None
    last: float | None
    time_s: float


@dataclass(frozen=True)
class LearnerProgress:
    learner_id: str
    attempts: list[Attempt]
    cases: list[CaseProgress]
    competencies: dict[str, float | None]  # mean score per competency over all attempts
    time_s: float

    @property
    def attempt_count(self) -> int:
        return len(self.attempts)


def attempts(store: ProgressStore, learner_id: str) -> list[Attempt]:
    rows = store.db.execute(
        "SELECT seq, client_time, payload FROM events WHERE type = ? AND learner_id = ? "
        "ORDER BY seq",
        [FINISHED, learner_id],
    ).fetchall()
    found = []
    for seq, when, payload in rows:
        result = parse_finished(json.loads(payload))
        if result is not None:
            found.append(Attempt(seq, when, result))
    return found


def learner_progress(store: ProgressStore, learner_id: str) -> LearnerProgress:
    tries = attempts(store, learner_id)
    by_case: dict[str, list[Attempt]] = {}
    for attempt in tries:
        by_case.setdefault(attempt.result.case_id, []).append(attempt)
    cases = []
    for case_id, items in sorted(by_case.items()):
        overall = [a.result.overall for a in items if a.result.overall is not None]
        cases.append(
            CaseProgress(
                case_id=case_id,
                attempts=len(items),
                best=max(overall) if overall else None,
                last=items[-1].result.overall,
                time_s=sum(a.result.duration_s for a in items),
            )
        )
    competencies: dict[str, float | None] = {}
    for name in COMPETENCIES:
        values = [a.result.scores[name] for a in tries if name in a.result.scores]
        competencies[name] = sum(values) / len(values) if values else None
    return LearnerProgress(
        learner_id=learner_id,
        attempts=tries,
        cases=cases,
        competencies=competencies,
        time_s=sum(a.result.duration_s for a in tries),
    )
