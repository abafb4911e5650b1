"""Rephrasing a patient's authored answer with the local model, for variety in the interview.

The prompt holds only the authored answer, who is speaking ("the child's mother") and the
language's name: never the diagnosis, plan, teaching points or other facts, so no rephrasing can
leak them. Generation is deterministic (temperature 0, fixed seed). What comes back is unchecked:
``Encounter.ask`` shows it only when ``faithful.check`` accepts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from tutor.core.errors import Interrupted, KnownError
from tutor.core.llm.client import CancelFlag, ModelClient

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


def rephrase_messages(answer: str, language: str, role: str = "") -> list[dict[str, str]]:
    name = LANGUAGE_NAMES.get(language, language)
    speaker = f"Speaker: {role}\n" if role else ""
    user = f"{speaker}Language: {name}\nReword this in {name}:\n{answer}"
    return [{"role": "system", "content": REPHRASE_SYSTEM}, {"role": "user", "content": user}]


def max_tokens_for(answer: str) -> int:
    # The check refuses anything over twice the answer's length; a token is at least one
    # character in every shipped language, so this bound never cuts off an acceptable reply.
    return max(24, min(384, 2 * len(answer)))


def clean(text: str) -> str:
    """The reply without the quotes or label a small model likes to wrap it in."""
    text = text.strip()
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
        limit = max_tokens_for(answer)
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
        if result.cancelled or int(result.stats.get("decode_tokens", 0)) >= limit:
            return None  # stopped, or cut off mid-sentence
        return clean(result.text) or None

    return rephrase
