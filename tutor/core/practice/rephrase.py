"""Rephrasing a patient's authored answer with the local model, for variety in the interview.

The prompt holds only the authored answer, who is speaking ("the child's mother") and the
language's name: never the diagnosis, plan, teaching points or other facts, so no rephrasing can
leak them. Generation is deterministic (temperature 0, fixed seed). What comes back is unchecked:
``Encounter.ask`` shows it only when ``faithful.check`` accepts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from tutor.core.content.schema import Case
from tutor.core.errors import Interrupted, KnownError
from tutor.core.llm.client import BUSY, READY, CancelFlag, ModelClient
from tutor.core.practice import faithful
from tutor.core.practice.scoring import localised

log = logging.getLogger(__name__)

TokenCallback = Callable[[str], None]

# Named in English: the small models follow English instructions best.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "sw": "Swahili",
    "ar": "Arabic",
}
SEED = 0

REPHRASE_SYSTEM = (
    "You reword what a patient said. Say the same thing in other words, in the first person, "
    "as the same speaker. Keep every number, every no or not, every name and every medicine. "
    "Add nothing. Reply with the reworded text only."
)


class Rephraser(Protocol):
    """``(answer, language, on_token, cancel, role=)`` → the unchecked rewording, or None.

    ``on_token`` receives raw, unchecked pieces (for progress only, never for the student).
    """

    def __call__(
        self,
        answer: str,
        language: str,
        on_token: TokenCallback | None,
        cancel: CancelFlag | None,
        role: str = "",
    ) -> str | None: ...


# One worked example, about no case, shows the small model what a rewording is.
EXAMPLE = (
    "I have had a headache for two days. It is worse in the morning and I have not vomited.",
    "For two days my head has been aching. Mornings are worse, and I have not vomited.",
)


def _request(answer: str, name: str, role: str) -> str:
    speaker = f"Speaker: {role}\n" if role else ""
    return f"{speaker}Reword this in {name}:\n{answer}"


def rephrase_messages(answer: str, language: str, role: str = "") -> list[dict[str, str]]:
    name = LANGUAGE_NAMES.get(language, language)
    return [
        {"role": "system", "content": REPHRASE_SYSTEM},
        {"role": "user", "content": _request(EXAMPLE[0], "English", "the patient")},
        {"role": "assistant", "content": EXAMPLE[1]},
        {"role": "user", "content": _request(answer, name, role)},
    ]


def max_tokens_for(answer: str, language: str) -> int:
    # The check refuses anything over twice the answer's length. Latin-script text runs at two
    # or more characters a token, Arabic at about one, so these bounds keep every acceptable
    # reply and stop a runaway one early.
    per_char = 2 if language == "ar" else 1
    return max(24, min(384, per_char * len(answer)))


def clean(text: str) -> str:
    """The reply's first paragraph, without the quotes or label a small model wraps it in (it
    tends to go on with another made-up request after a blank line)."""
    text = text.strip().split("\n\n", 1)[0].strip()
    for label in ("Reworded:", "Reworded text:", "Answer:"):
        if text.startswith(label):
            text = text[len(label) :].strip()
    if len(text) >= 2 and text[0] in "\"'«“" and text[-1] in "\"'»”":
        text = text[1:-1].strip()
    return text


def model_rephraser(client: ModelClient) -> Rephraser:
    def rephrase(
        answer: str,
        language: str,
        on_token: TokenCallback | None,
        cancel: CancelFlag | None,
        role: str = "",
    ) -> str | None:
        limit = max_tokens_for(answer, language)
        try:
            result = client.chat(
                rephrase_messages(answer, language, role),
                on_token=on_token,
                cancel=cancel,
                max_tokens=limit,
                temperature=0,
                seed=SEED,
            )
        except (KnownError, Interrupted) as exc:
            log.warning("no rephrasing: %s", exc)
            return None
        if result.cancelled:
            return None
        if "\n\n" not in result.text.strip() and int(result.stats.get("decode_tokens", 0)) >= limit:
            return None  # cut off mid-sentence
        text = clean(result.text)
        return text if text and text != answer.strip() else None  # a copy is no rewording

    return rephrase


def loaded_rephraser(client: ModelClient, enabled: Callable[[], bool]) -> Rephraser:
    """``model_rephraser`` used only while ``enabled()`` and the model is already loaded: a
    question asked while the model is still loading is answered at once with the authored text
    rather than waiting for it (and never starts a load)."""
    inner = model_rephraser(client)

    def rephrase(
        answer: str,
        language: str,
        on_token: TokenCallback | None,
        cancel: CancelFlag | None,
        role: str = "",
    ) -> str | None:
        if client.state not in (READY, BUSY) or not enabled():
            return None
        return inner(answer, language, on_token, cancel, role=role)

    return rephrase


@dataclass(frozen=True)
class Rephrasing:
    """One attempt: what the model wrote (None: nothing usable) and whether it may be shown."""

    authored: str
    candidate: str | None
    reasons: list[str] = field(default_factory=list)  # the check's, when it rejected

    @property
    def accepted(self) -> bool:
        return self.candidate is not None and not self.reasons

    @property
    def shown(self) -> str:
        return self.candidate if self.accepted and self.candidate else self.authored


def speaker_role(case: Case) -> str:
    """Who speaks in ``case``, in English for the prompt ("the child's mother")."""
    speaker = case.patient.speaker
    return str(localised(speaker, "en")) if speaker else "the patient"


def checked(
    rephraser: Rephraser,
    authored: str,
    language: str,
    role: str = "",
    cancel: CancelFlag | None = None,
) -> Rephrasing:
    """Ask ``rephraser`` for a rewording of ``authored`` and run ``faithful.check`` on it."""
    if cancel is not None and cancel.is_set():
        return Rephrasing(authored, None, ["cancelled"])
    candidate = rephraser(authored, language, None, cancel, role=role)
    if cancel is not None and cancel.is_set():
        return Rephrasing(authored, None, ["cancelled"])
    if candidate is None:
        return Rephrasing(authored, None, ["none"])
    return Rephrasing(authored, candidate, faithful.check(authored, candidate, language).reasons)
