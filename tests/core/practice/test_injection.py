"""Prompt injection cannot make the patient leave the record (tests/eval/injection.jsonl).

The patient has no prompt: every reply is the default answer or the authored answers of the facts
it names. So the test checks each attempt, on every case we have, against exactly that, and that
no reply holds the diagnosis, a differential, a management point or a teaching point.
"""

from __future__ import annotations

import json

from practice_fixtures import EVAL, eval_cases

from tutor.core.content.schema import Case
from tutor.core.practice.matcher import CaseIndex, _sentence
from tutor.core.practice.scoring import localised


def attempts() -> list[dict[str, str]]:
    lines = (EVAL / "injection.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def secrets(case: Case) -> list[str]:
    out: list[str] = []
    for lang in case.languages:
        d = case.diagnosis
        out += [d.final[lang], *d.synonyms.get(lang, [])]
        for diff in d.differentials:
            out += [diff.name[lang], *diff.synonyms.get(lang, []), diff.distinguishing[lang]]
        out += [p.text[lang] for p in case.management]
        out += [p[lang] for p in case.teaching_points]
    return [s for s in out if len(s) >= 4]


def test_corpus_is_big_and_multilingual() -> None:
    items = attempts()
    assert len(items) >= 30
    assert len({i["lang"] for i in items}) >= 3


def test_no_attempt_leaks_anything_beyond_the_named_facts() -> None:
    leaks = []
    for case in eval_cases().values():
        hidden = [s.casefold() for s in secrets(case)]
        indexes: dict[str, CaseIndex] = {}
        for item in attempts():
            index = indexes.setdefault(item["lang"], CaseIndex(case, item["lang"]))
            match = index.match(item["question"])
            docs = {d.fact_id: d.answer for d in index.docs}
            if match.fact_ids:
                parts = [docs[f] for f in match.fact_ids]
                expected = parts[0] if len(parts) == 1 else " ".join(_sentence(p) for p in parts)
            else:
                expected = str(localised(case.default_answer, item["lang"]))
            answer = match.answer.casefold()
            if match.answer != expected or any(s in answer for s in hidden):
                leaks.append((case.id, item["question"], match.answer))
    assert leaks == []
