"""The optional model helper: pick, among the matcher's close candidates, the fact a question
asks about, with output constrained to a JSON schema whose only choices are those fact ids or
"none". It cannot write free text, so it cannot leak anything; a failure means "no opinion".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from tutor.core.errors import KnownError
from tutor.core.llm.client import ModelClient
from tutor.core.practice.matcher import Candidate, Chooser

log = logging.getLogger(__name__)

SYSTEM = (
    "You match a medical student's question to the one statement that answers it. "
    'Reply with JSON {"fact": ID} using an ID from the list, or "none" if no statement answers it.'
)


def schema(ids: Sequence[str]) -> dict[str, object]:
    return {
        "type": "object",
        "properties": {"fact": {"type": "string", "enum": [*ids, "none"]}},
        "required": ["fact"],
    }


def model_chooser(client: ModelClient) -> Chooser:
    def choose(question: str, candidates: Sequence[Candidate]) -> str | None:
        ids = [c.fact_id for c in candidates]
        listing = "\n".join(f"{c.fact_id}: {c.text}" for c in candidates)
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Statements:\n{listing}\n\nQuestion: {question}"},
        ]
        try:
            result = client.chat(
                messages,
                max_tokens=24,
                temperature=0.0,
                seed=0,
                response_format={"type": "json_object", "schema": schema(ids)},
            )
            picked = json.loads(result.text).get("fact")
        except (KnownError, ValueError, AttributeError) as exc:
            log.warning("chooser gave no answer: %s", exc)
            return None
        return picked if picked in ids else None

    return choose
