"""The optional model helper: pick, among the matcher's close candidates, the fact a question
asks about, through ``tutor.core.llm.structured.choose`` (output constrained to the option numbers
or "none"). It cannot write free text, so it cannot leak anything; a failure or a stop means "no
opinion" and the retrieval answer stands.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from tutor.core.errors import Interrupted, KnownError
from tutor.core.llm.client import ModelClient
from tutor.core.llm.structured import choose
from tutor.core.practice.matcher import Candidate, Chooser

log = logging.getLogger(__name__)


def model_chooser(client: ModelClient) -> Chooser:
    def pick(question: str, candidates: Sequence[Candidate]) -> str | None:
        try:
            index = choose(client, question, [c.text for c in candidates])
        except (KnownError, Interrupted) as exc:
            log.warning("chooser gave no answer: %s", exc)
            return None
        return candidates[index].fact_id if index is not None else None

    return pick
