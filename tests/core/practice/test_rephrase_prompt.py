"""What the model is told: the rephrasing prompt holds only the authored answer, the speaker and
the language's name, for every authored case; the coaching prompt holds only the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.core.content.schema import Case, load_case_file
from tutor.core.practice.coaching import check_coaching, coaching_messages, score_summary
from tutor.core.practice.rephrase import LANGUAGE_NAMES, clean, max_tokens_for, rephrase_messages
from tutor.core.practice.scoring import Check, Score, localised

ROOT = Path(__file__).resolve().parents[3]
CASES = sorted((ROOT / "content" / "cases").glob("*.yaml"))


def secrets(case: Case, language: str) -> list[str]:
    """The texts a patient must never be able to reveal."""
    out = [str(localised(case.diagnosis.final, language))]
    out += [str(localised(p.text, language)) for p in case.management]
    out += [str(localised(p, language)) for p in case.teaching_points]
    return out


def test_there_are_authored_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_rephrase_prompt_never_holds_the_diagnosis_or_plan(path: Path) -> None:
    case = load_case_file(path)
    template = None
    for language in case.languages:
        role = str(localised(case.patient.speaker, "en")) if case.patient.speaker else ""
        hidden = secrets(case, language)
        for fact in case.history:
            answer = str(localised(fact.answer, language))
            messages = rephrase_messages(answer, language, role)
            text = "\n".join(m["content"] for m in messages)
            for secret in hidden:
                if secret not in answer:
                    assert secret not in text, (fact.id, language, secret)
            # Everything but the answer, the speaker and the language is one fixed template.
            rest = text.replace(answer, "<answer>").replace(f"Speaker: {role}\n", "")
            rest = rest.replace(f"in {LANGUAGE_NAMES[language]}:\n<answer>", "<request>")
            template = template or rest
            assert rest == template


def test_clean_keeps_the_first_paragraph_without_wrapping() -> None:
    assert clean('"I feel hot."\n\nReword this in English: ...') == "I feel hot."
    assert clean("Reworded: It hurts here.") == "It hurts here."


def test_max_tokens_grow_with_the_answer() -> None:
    assert max_tokens_for("short", "en") == 24
    assert max_tokens_for("x" * 200, "en") == 200 and max_tokens_for("x" * 200, "ar") == 384


def sample_score() -> Score:
    return Score(
        history=[Check("cough", "Cough for four days", True), Check("fever", "Fever", False)],
        examination=[Check("chest", "Chest indrawing", True)],
        investigations=[Check("xray", "Chest X-ray", False, "not needed here", unnecessary=True)],
        total_cost_usd=12.5,
        diagnosis="correct",
        diagnosis_given="pneumonia",
        diagnosis_expected="Severe pneumonia",
        management=[Check("amox", "Give amoxicillin", False)],
        unsafe=[],
        teaching_points=["A secret teaching point about oxygen saturation below 90%"],
    )


def test_coaching_prompt_holds_the_score_but_not_teaching_points() -> None:
    score = sample_score()
    text = "\n".join(m["content"] for m in coaching_messages(score, "fr"))
    assert "1 of 2" in text and "Severe pneumonia" in text and "Chest X-ray" in text
    assert "12.5 USD" in text and "French" in text
    assert "oxygen" not in text and "90" not in text
    assert "Fever" in score_summary(score)


def test_coaching_check() -> None:
    score = sample_score()
    good = (
        "Well done: your diagnosis of severe pneumonia was correct. Next time, also ask about "
        "fever, and remember to give amoxicillin."
    )
    assert check_coaching(good, score, "en").ok
    assert not check_coaching(good.replace("amoxicillin", "ceftriaxone"), score, "en").ok
    assert not check_coaching("You asked 3 of 4 questions, great work on the case!", score, "en").ok
    assert not check_coaching(
        "Good work. Always check oxygen saturation when a child breathes fast.", score, "en"
    ).ok
    # Seen in the benchmark: no lexicon term added, but a claim the score never made.
    assert not check_coaching(
        "The student was diagnosed with severe pneumonia, a rare and serious condition that "
        "can affect the body of a child.",
        score,
        "en",
    ).ok
