"""Rephrasing and coaching with the real embedded model: whatever it writes, the student sees
only the authored text or text the faithfulness check accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.core.content.schema import load_case_file
from tutor.core.llm import catalog
from tutor.core.llm.client import ModelClient
from tutor.core.practice import faithful
from tutor.core.practice.coaching import check_coaching, model_coaching
from tutor.core.practice.encounter import Practice
from tutor.core.practice.rephrase import model_rephraser
from tutor.core.progress.store import ProgressStore

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[3]
CASES = {
    p.stem: load_case_file(p)
    for p in sorted((ROOT / "content" / "cases").glob("*.yaml"))
    if p.stem in ("childhood-pneumonia", "pulmonary-tuberculosis")
}
QUESTIONS = {
    "en": ["how long has the cough been going on?", "any fever?", "is he eating?"],
    "fr": ["depuis quand tousse-t-il ?", "il a de la fièvre ?"],
    "sw": ["kikohozi kimeanza lini?", "ana homa?"],
}


@pytest.fixture(scope="module")
def client(default_model_path: Path) -> Iterator[ModelClient]:
    c = ModelClient(catalog.default_model(), n_ctx=1024, n_threads=2)
    yield c
    c.shutdown()


@pytest.fixture(scope="module")
def default_model_path() -> Path:  # module scope: one model load for the whole file
    path = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make setup` (make test does it)")
    return path


def test_every_answer_shown_is_authored_or_checked(client: ModelClient) -> None:
    store = ProgressStore()
    practice = Practice(store, CASES.__getitem__, rephraser=model_rephraser(client))
    encounter_ids = []
    for case_id in CASES:
        for language, questions in QUESTIONS.items():
            enc = practice.start(case_id, language)
            encounter_ids.append(enc.id)
            for question in questions:
                pieces: list[str] = []
                reply = enc.ask(question, on_token=pieces.append)
                assert "".join(pieces) == reply.answer
                if reply.rephrased:
                    assert faithful.check(reply.authored, reply.answer, language).ok
                else:
                    assert reply.answer == reply.authored
    rows = store.db.query("SELECT payload FROM encounter_actions WHERE kind = 'asked'")
    for row in rows:
        payload = json.loads(row["payload"])
        assert {"question", "answer", "fact_ids", "authored", "rephrased"} <= set(payload)
        assert payload["rephrased"] == (payload["answer"] != payload["authored"])
    # Resume (without a model) shows exactly what was shown live.
    for encounter_id in encounter_ids:
        live = [
            json.loads(r["payload"])["answer"]
            for r in store.db.query(
                "SELECT payload FROM encounter_actions WHERE encounter_id = ? AND kind = 'asked' "
                "ORDER BY n",
                [encounter_id],
            )
        ]
        resumed = Practice(store, CASES.__getitem__).resume(encounter_id)
        assert [answer for _q, answer, _f in resumed.state.transcript] == live


def test_model_coaching_is_none_or_checked(client: ModelClient) -> None:
    practice = Practice(ProgressStore(), CASES.__getitem__)
    for language in ("en", "fr"):
        enc = practice.start("childhood-pneumonia", language)
        enc.ask("how long has the cough been going on?")
        enc.diagnose("pneumonia", [])
        enc.plan("amoxicillin")
        score = enc.finish()
        text = model_coaching(client, score, language)
        assert text is None or check_coaching(text, score, language).ok
