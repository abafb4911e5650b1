"""Structured output: JSON constrained by a schema, validated, and clean failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.core.errors import KnownError
from tutor.core.llm import catalog
from tutor.core.llm.client import ModelClient
from tutor.core.llm.structured import ask_json, choice_schema, choose, parse_json

NUMBER = {
    "type": "object",
    "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 9}},
    "required": ["n"],
}
OPTIONS = [
    "The pain started this morning.",
    "I smoke 20 cigarettes a day.",
    "My father had a heart attack at 50.",
]


def test_parse_json_accepts_valid() -> None:
    assert parse_json('{"n": 7}', NUMBER) == {"n": 7}


def test_parse_json_rejects_text_cut_short() -> None:
    with pytest.raises(KnownError, match="not valid JSON"):
        parse_json('{"n" : 1010101011011', NUMBER)


def test_parse_json_rejects_what_the_grammar_lets_through() -> None:
    # llama.cpp's schema grammar does not enforce numeric ranges; validation does.
    with pytest.raises(KnownError, match="expected form"):
        parse_json('{"n": 1010}', NUMBER)


def test_choice_schema_allows_none_and_each_option() -> None:
    schema = choice_schema(3)
    for n in range(4):
        assert parse_json(f'{{"choice": {n}}}', schema) == {"choice": n}
    with pytest.raises(KnownError):
        parse_json('{"choice": 4}', schema)


@pytest.fixture
def client(default_model_path: Path) -> Iterator[ModelClient]:
    c = ModelClient(catalog.default_model(), n_ctx=1024, n_threads=2)
    yield c
    c.shutdown()


@pytest.mark.model
def test_real_model_answers_in_schema(client: ModelClient) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}},
        "required": ["answer"],
    }
    messages = [{"role": "user", "content": "Is the sky blue? Answer in JSON."}]
    assert ask_json(client, messages, schema)["answer"] in ("yes", "no")


@pytest.mark.model
def test_real_model_choose_returns_an_option_or_none(client: ModelClient) -> None:
    picked = choose(client, "Do you smoke?", OPTIONS)
    assert picked is None or 0 <= picked < len(OPTIONS)
    assert choose(client, "Anything?", []) is None


@pytest.mark.model
def test_answer_cut_off_fails_cleanly(client: ModelClient) -> None:
    messages = [{"role": "user", "content": "Write a JSON object describing a patient."}]
    schema = {
        "type": "object",
        "properties": {"history": {"type": "string"}},
        "required": ["history"],
    }
    with pytest.raises(KnownError, match="not valid JSON"):
        ask_json(client, messages, schema, max_tokens=3)
    # The client is still usable afterwards.
    assert client.chat(messages, max_tokens=4).text


def test_invalid_schema_is_a_bug_not_a_model_failure(default_model_path: Path) -> None:
    import jsonschema

    c = ModelClient(catalog.default_model())
    with pytest.raises(jsonschema.SchemaError):
        ask_json(c, [], {"type": "no-such-type"})
    assert c.pid is None  # refused before the model was even started
