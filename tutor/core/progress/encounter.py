"""The ``encounter.finished`` event: what the practice engine records when a learner ends a case.

Progress on the laptop and the teacher dashboard on the server both read scores from these events,
so the payload shape is defined once here (documented in docs/progress.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FINISHED = "encounter.finished"
COMPETENCIES = ("history", "examination", "investigations", "diagnosis", "management")


@dataclass(frozen=True)
class EncounterResult:
    case_id: str
    scores: dict[str, float]  # competency -> 0..1; a competency the case did not test is absent
    duration_s: float

    @property
    def overall(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None


def finished_payload(case_id: str, scores: dict[str, float], duration_s: float) -> dict[str, Any]:
    """Build a valid payload (the practice engine may call this so it cannot drift)."""
    result = parse_finished({"case_id": case_id, "scores": scores, "duration_s": duration_s})
    if result is None:
        raise ValueError("invalid encounter.finished payload")
    return {"case_id": result.case_id, "scores": result.scores, "duration_s": result.duration_s}


def parse_finished(payload: Any) -> EncounterResult | None:
    """The result in ``payload``, or None when it is malformed (it is then ignored, not fatal)."""
    if not isinstance(payload, dict):
        return None
    case_id, scores, duration = (payload.get(k) for k in ("case_id", "scores", "duration_s"))
    if not isinstance(case_id, str) or not case_id or not isinstance(scores, dict):
        return None
    if not isinstance(duration, int | float) or isinstance(duration, bool) or duration < 0:
        return None
    clean: dict[str, float] = {}
    for name, value in scores.items():
        if name not in COMPETENCIES:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            return None
        clean[name] = float(value)
    return EncounterResult(case_id, clean, float(duration))
