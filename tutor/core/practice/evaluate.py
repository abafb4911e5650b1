"""Question-set evaluation of the virtual patient (``tutor eval patient``).

Each JSONL line is ``{"case", "lang", "question", "expect_any", "expect_none", "expect_unknown"}``;
an answer passes when it contains (ignoring case) one ``expect_any`` string, none of the
``expect_none`` strings and, with ``expect_unknown``, no fact matched. Reports overall and
per-language accuracy and per-question latency (the reply path, case indexes built beforehand).
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
    seconds: float


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


def passes(item: Item, match: Match) -> bool:
    answer = match.answer.casefold()
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
) -> list[Outcome]:
    indexes: dict[tuple[str, str], CaseIndex] = {}
    for item in items:
        key = (item.case, item.lang)
        if key not in indexes:
            indexes[key] = CaseIndex(get_case(item.case), item.lang, options)
    outcomes = []
    for item in items:
        started = time.perf_counter()
        match = indexes[(item.case, item.lang)].match(item.question, chooser)
        seconds = time.perf_counter() - started
        outcomes.append(Outcome(item, match.answer, match.fact_ids, passes(item, match), seconds))
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

    return {
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
