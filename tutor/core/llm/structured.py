"""Answers from the model as JSON that matches a schema, or a clear error: never half-parsed text.

Generation is constrained by llama-cpp-python's grammar support through
``response_format={"type": "json_object", "schema": ...}`` (0.3.x silently ignores
``"json_schema"``, so that spelling must not be used). The grammar keeps the output close to the
schema but does not enforce everything (numeric ranges, or a reply cut off by ``max_tokens``), so
the text is parsed and validated here as well.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from tutor.core.errors import Interrupted, KnownError
from tutor.core.i18n import _
from tutor.core.llm.client import CancelFlag, ModelClient

CHOOSE_SYSTEM = (
    "You match a question to the one option that answers it. "
    "If no option answers it, choose 0. Reply with JSON only."
)


def json_response_format(schema: dict[str, Any]) -> dict[str, Any]:
    """The ``response_format`` that makes llama-cpp-python constrain output to ``schema``."""
    return {"type": "json_object", "schema": schema}


def parse_json(text: str, schema: dict[str, Any]) -> Any:
    """``text`` parsed and checked against ``schema``; a ``KnownError`` saying why not."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KnownError(
            _("The model's answer was not valid JSON ({reason}).").format(reason=exc.msg)
        ) from exc
    try:
        jsonschema.validate(value, schema)
    except jsonschema.ValidationError as exc:
        raise KnownError(
            _("The model's answer did not have the expected form ({reason}).").format(
                reason=exc.message
            )
        ) from exc
    return value


def ask_json(
    client: ModelClient,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    *,
    max_tokens: int = 256,
    cancel: CancelFlag | None = None,
    seed: int = 0,
) -> Any:
    """Ask the model and return its answer as a value valid against ``schema``."""
    jsonschema.validators.validator_for(schema).check_schema(schema)
    result = client.chat(
        messages,
        cancel=cancel,
        max_tokens=max_tokens,
        temperature=0,
        seed=seed,
        response_format=json_response_format(schema),
    )
    if result.cancelled:
        raise Interrupted(_("Cancelled."))
    return parse_json(result.text, schema)


def choice_schema(n_options: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"choice": {"type": "integer", "enum": list(range(n_options + 1))}},
        "required": ["choice"],
        "additionalProperties": False,
    }


def choose_messages(question: str, options: list[str]) -> list[dict[str, str]]:
    listed = "\n".join(f"{i}. {text}" for i, text in enumerate(options, start=1))
    user = (
        f"Question: {question}\n\nOptions:\n{listed}\n0. None of these\n\n"
        'Which option answers the question? Reply as {"choice": <number>}.'
    )
    return [{"role": "system", "content": CHOOSE_SYSTEM}, {"role": "user", "content": user}]


def choose(
    client: ModelClient,
    question: str,
    options: list[str],
    *,
    cancel: CancelFlag | None = None,
) -> int | None:
    """The index in ``options`` of the one that answers ``question``, or None for none of them.

    The practice engine uses it to pick which case fact a student's question asks about.
    """
    if not options:
        return None
    answer = ask_json(
        client,
        choose_messages(question, options),
        choice_schema(len(options)),
        max_tokens=16,
        cancel=cancel,
    )
    number = int(answer["choice"])
    return None if number == 0 else number - 1
