"""The coaching paragraph written by the local model from the structured score alone.

The prompt holds only the ``Score`` (counts, met and missed labels, the diagnosis verdict and the
expected name, unsafe items, unnecessary tests, cost); the paragraph is shown only when every
number, medicine, name and medical term in it occurs in that input (``faithful.grounded``), so it
can encourage and point at the score but cannot add medical claims. Otherwise the caller keeps
the template (``scoring.coaching_text``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from tutor.core.errors import Interrupted, KnownError
from tutor.core.llm.client import BUSY, READY, CancelFlag, ModelClient
from tutor.core.practice import faithful
from tutor.core.practice.rephrase import LANGUAGE_NAMES, clean
from tutor.core.practice.scoring import Check, Score

log = logging.getLogger(__name__)

SEED = 0
MAX_TOKENS = 160
MAX_CHARS = 600

COACH_SYSTEM = (
    "You are a kind clinical teacher. Using ONLY the score below, write 2 to 4 short, "
    "encouraging sentences to the student. Mention what went well and one or two things to do "
    "next time. Do not add any medical facts, medicines or numbers that are not in the score."
)


MAX_ITEMS, MAX_LABEL = 3, 90  # keeps the prompt well inside a small model's context


def _labels(checks: list[Check]) -> str:
    out = []
    for check in checks[:MAX_ITEMS]:
        label = check.label
        out.append(label if len(label) <= MAX_LABEL else label[:MAX_LABEL].rsplit(" ", 1)[0] + "…")
    return "; ".join(out)


def score_summary(score: Score) -> str:
    """The score as plain lines (at most three items a list): the only thing the model is told,
    and the only source its paragraph may draw on."""
    met = sum(c.met for c in score.history)
    lines = [
        f"Key history points asked: {met} of {len(score.history)}",
        "Missed history: " + _labels([c for c in score.history if not c.met]),
        f"Key examinations done: {sum(c.met for c in score.examination)} of "
        f"{len(score.examination)}",
        "Missed examinations: " + _labels([c for c in score.examination if not c.met]),
        "Indicated tests missed: "
        + _labels([c for c in score.investigations if not c.met and not c.unnecessary]),
        "Unnecessary tests: " + _labels([c for c in score.investigations if c.unnecessary]),
        f"Cost of tests: {score.total_cost_usd:g} USD",
        f"Diagnosis verdict: {score.diagnosis.replace('_', ' ')}",
        f"Expected diagnosis: {score.diagnosis_expected}",
        f"Management points covered: {sum(c.met for c in score.management)} of "
        f"{len(score.management)}",
        "Management missed: " + _labels([c for c in score.management if not c.met]),
        "Unsafe actions: " + _labels(score.unsafe),
    ]
    return "\n".join(line for line in lines if not line.endswith(": "))


def coaching_messages(score: Score, language: str) -> list[dict[str, str]]:
    name = LANGUAGE_NAMES.get(language, language)
    user = f"Score:\n{score_summary(score)}\n\nWrite the sentences in {name}."
    return [{"role": "system", "content": COACH_SYSTEM}, {"role": "user", "content": user}]


def check_coaching(text: str, score: Score, language: str) -> faithful.Verdict:
    """Every number and named or medical term in ``text`` must come from the score."""
    source = score_summary(score) + "\n" + score.diagnosis_given
    return faithful.grounded(text, source, language, MAX_CHARS)


def model_coaching(
    client: ModelClient, score: Score, language: str, cancel: CancelFlag | None = None
) -> str | None:
    """A checked coaching paragraph from the model, or None (use the template)."""
    try:
        result = client.chat(
            coaching_messages(score, language),
            cancel=cancel,
            max_tokens=MAX_TOKENS,
            temperature=0,
            seed=SEED,
        )
    except (KnownError, Interrupted) as exc:
        log.warning("no model coaching: %s", exc)
        return None
    if result.cancelled or int(result.stats.get("decode_tokens", 0)) >= MAX_TOKENS:
        return None  # stopped, or cut off mid-sentence
    text = clean(result.text)
    verdict = check_coaching(text, score, language)
    if not verdict.ok:
        log.info("model coaching rejected (%s): %r", ",".join(verdict.reasons), text)
        return None
    return text


def loaded_coach(
    client: ModelClient, enabled: Callable[[], bool]
) -> Callable[[Score, str, CancelFlag | None], str | None]:
    """``model_coaching`` bound to ``client``, used only while ``enabled()`` and the model is
    already loaded (else None: the template stays)."""

    def coach(score: Score, language: str, cancel: CancelFlag | None) -> str | None:
        if client.state not in (READY, BUSY) or not enabled():
            return None
        return model_coaching(client, score, language, cancel)

    return coach
