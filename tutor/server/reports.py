"""What the teacher dashboard shows, computed from the stored ``encounter.finished`` events of a
class: per-learner and per-case results, weakest competencies, progress over time, CSV rows.
Pure functions over ``StoredEvent`` lists, so any storage backend gives the same numbers.
"""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict
from dataclasses import dataclass

from tutor.core.progress.encounter import COMPETENCIES, EncounterResult, parse_finished
from tutor.server.storage import StoredEvent


@dataclass(frozen=True)
class Result:
    learner_id: str
    learner_name: str
    when: float  # when it was practised, by the laptop's clock but never after it reached us
    result: EncounterResult


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    attempts: int
    mean: float | None
    competencies: dict[str, float | None]
    time_s: float
    last: float | None


def results(events: list[StoredEvent]) -> list[Result]:
    found = []
    for event in events:
        parsed = parse_finished(event.payload)
        if parsed is None or event.learner_id is None:
            continue
        name = event.learner_name or event.learner_id[:8]
        found.append(Result(event.learner_id, name, min(event.client_time, event.received), parsed))
    return sorted(found, key=lambda r: r.when)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _row(key: str, label: str, items: list[Result]) -> Row:
    return Row(
        key=key,
        label=label,
        attempts=len(items),
        mean=_mean([o for r in items if (o := r.result.overall) is not None]),
        competencies={
            c: _mean([r.result.scores[c] for r in items if c in r.result.scores])
            for c in COMPETENCIES
        },
        time_s=sum(r.result.duration_s for r in items),
        last=max((r.when for r in items), default=None),
    )


def by_learner(items: list[Result]) -> list[Row]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in items:
        groups[r.learner_id].append(r)
    rows = [_row(k, v[-1].learner_name, v) for k, v in groups.items()]
    return sorted(rows, key=lambda row: row.label.lower())


def by_case(items: list[Result]) -> list[Row]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in items:
        groups[r.result.case_id].append(r)
    return sorted((_row(k, k, v) for k, v in groups.items()), key=lambda row: row.key)


def weakest(items: list[Result]) -> list[tuple[str, float]]:
    """Competencies by mean score, weakest first (only those that were scored)."""
    overall = _row("", "", items).competencies
    scored = [(c, v) for c, v in overall.items() if v is not None]
    return sorted(scored, key=lambda cv: cv[1])


def over_time(items: list[Result]) -> list[tuple[str, float, int]]:
    """(day, mean overall score, attempts) per day with attempts, in order."""
    days: dict[str, list[float]] = defaultdict(list)
    for r in items:
        overall = r.result.overall
        if overall is not None:
            days[time.strftime("%Y-%m-%d", time.gmtime(r.when))].append(overall)
    return [(day, sum(v) / len(v), len(v)) for day, v in sorted(days.items())]


def csv_text(items: list[Result]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "learner_id", "case_id", "date", "duration_s", *COMPETENCIES])
    for r in items:
        writer.writerow(
            [
                _safe(r.learner_name),
                r.learner_id,
                _safe(r.result.case_id),
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r.when)),
                round(r.result.duration_s),
                *(
                    "" if c not in r.result.scores else f"{r.result.scores[c]:.3f}"
                    for c in COMPETENCIES
                ),
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """Names come from laptops: stop a spreadsheet from running them as formulas."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
