"""Question-set evaluation of the virtual patient (``tutor eval patient``).

Each JSONL line is ``{"case", "lang", "question", "expect_any", "expect_none", "expect_unknown"}``;
an answer passes when it contains (ignoring case) one ``expect_any`` string, none of the
``expect_none`` strings and, with ``expect_unknown``, no fact matched. Reports overall and
per-language accuracy and per-question latency (the reply path, case indexes built beforehand).
With a rephraser, matched answers are reworded and checked as in an encounter; the answer judged
is the one a student would see, and the acceptance rate and rephrasing latency are reported.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tutor.core.content.schema import Case
from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.practice.matcher import CaseIndex, Chooser, Match, Options
from tutor.core.practice.rephrase import Rephraser, Rephrasing, checked, speaker_role


@dataclass(frozen=True)
class Item:
    case: str
    lang: str
    question: str
    expect_any: tuple[str, ...]
    expect_none: tuple[str, ...]
    expect_unknown: bool


@dataclass(frozen=True)
class Outcome:
    item: Item
    answer: str
    fact_ids: tuple[str, ...]
    passed: bool
    seconds: float  # the reply path (matching), without any rephrasing
    rephrasing: Rephrasing | None = None  # the attempt, when a rephraser was given
    rephrase_seconds: float = 0.0


def read_items(path: Path) -> list[Item]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(
            _("{path}: cannot be read: {reason}").format(path=path, reason=exc)
        ) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(
                Item(
                    case=str(data["case"]),
                    lang=str(data.get("lang", "en")),
                    question=str(data["question"]),
                    expect_any=tuple(data.get("expect_any", ())),
                    expect_none=tuple(data.get("expect_none", ())),
                    expect_unknown=bool(data.get("expect_unknown", False)),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KnownError(
                _("{path}, line {line}: not a valid question: {reason}").format(
                    path=path, line=number, reason=exc
                )
            ) from exc
    return items


def passes(item: Item, match: Match, shown: str | None = None) -> bool:
    answer = (match.answer if shown is None else shown).casefold()
    if item.expect_any and not any(s.casefold() in answer for s in item.expect_any):
        return False
    if any(s.casefold() in answer for s in item.expect_none):
        return False
    return not (item.expect_unknown and match.grounded)


def evaluate(
    items: list[Item],
    get_case: Callable[[str], Case],
    *,
    options: Options | None = None,
    chooser: Chooser | None = None,
    rephraser: Rephraser | None = None,
) -> list[Outcome]:
    indexes: dict[tuple[str, str], CaseIndex] = {}
    for item in items:
        key = (item.case, item.lang)
        if key not in indexes:
            indexes[key] = CaseIndex(get_case(item.case), item.lang, options)
    outcomes = []
    for item in items:
        started = time.perf_counter()
        index = indexes[(item.case, item.lang)]
        match = index.match(item.question, chooser)
        seconds = time.perf_counter() - started
        attempt, rephrase_s = None, 0.0
        if rephraser is not None and match.grounded:
            started = time.perf_counter()
            attempt = checked(rephraser, match.answer, item.lang, speaker_role(index.case))
            rephrase_s = time.perf_counter() - started
        shown = attempt.shown if attempt is not None else match.answer
        outcomes.append(
            Outcome(
                item,
                shown,
                match.fact_ids,
                passes(item, match, shown),
                seconds,
                attempt,
                rephrase_s,
            )
        )
    return outcomes


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by_lang: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_lang.setdefault(outcome.item.lang, []).append(outcome)
    times = [o.seconds * 1000 for o in outcomes]

    def accuracy(group: list[Outcome]) -> float:
        return round(sum(o.passed for o in group) / len(group), 4) if group else 0.0

    result: dict[str, Any] = {
        "questions": len(outcomes),
        "passed": sum(o.passed for o in outcomes),
        "accuracy": accuracy(outcomes),
        "by_language": {
            lang: {"questions": len(group), "accuracy": accuracy(group)}
            for lang, group in sorted(by_lang.items())
        },
        "latency_ms": {
            "p50": round(percentile(times, 50), 3),
            "p95": round(percentile(times, 95), 3),
        },
        "failures": [
            {**asdict(o.item), "answer": o.answer, "fact_ids": list(o.fact_ids)}
            for o in outcomes
            if not o.passed
        ],
    }
    attempts = [o for o in outcomes if o.rephrasing is not None]
    if attempts:
        result["rephrasing"] = rephrasing_summary(attempts)
    return result


def rephrasing_summary(attempts: list[Outcome]) -> dict[str, Any]:
    """Acceptance of the model's rewordings, overall and per language, and their latency."""
    by_lang: dict[str, list[Outcome]] = {}
    for outcome in attempts:
        by_lang.setdefault(outcome.item.lang, []).append(outcome)

    def rate(group: list[Outcome]) -> float:
        accepted = sum(bool(o.rephrasing and o.rephrasing.accepted) for o in group)
        return round(accepted / len(group), 4) if group else 0.0

    reasons: dict[str, int] = {}
    for outcome in attempts:
        for reason in outcome.rephrasing.reasons if outcome.rephrasing else []:
            reasons[reason] = reasons.get(reason, 0) + 1
    times = [o.rephrase_seconds * 1000 for o in attempts]
    return {
        "attempted": len(attempts),
        "accepted": sum(bool(o.rephrasing and o.rephrasing.accepted) for o in attempts),
        "acceptance": rate(attempts),
        "by_language": {lang: rate(group) for lang, group in sorted(by_lang.items())},
        "reasons": dict(sorted(reasons.items())),
        "latency_ms": {
            "p50": round(percentile(times, 50), 1),
            "p95": round(percentile(times, 95), 1),
        },
    }
