"""Deterministic scoring: diagnosis by accepted names, unnecessary tests, unsafe plans."""

from __future__ import annotations

from practice_fixtures import example_case

from tutor.core.practice.scoring import coaching_text, judge_diagnosis, score


def test_diagnosis_matches_synonyms_ignoring_case_and_accents() -> None:
    case = example_case()
    assert judge_diagnosis(case, "fr", "PALUDISME a falciparum", []) == "correct"
    assert judge_diagnosis(case, "fr", "Paludisme", []) == "correct"
    assert judge_diagnosis(case, "en", "uncomplicated MALARIA", []) == "correct"
    assert judge_diagnosis(case, "en", "typhoid", ["malaria"]) == "in_differential"
    assert judge_diagnosis(case, "en", "dengue", ["influenza"]) == "wrong"
    assert judge_diagnosis(case, "en", "not malarial fever of unknown origin", []) == "wrong"
    assert judge_diagnosis(case, "en", "", []) == "missing"


def test_unsafe_plan_and_missed_items_are_explained() -> None:
    case = example_case()
    result = score(
        case,
        "en",
        revealed=set(),
        examined=set(),
        ordered=[],
        final="typhoid",
        differentials=[],
        plan="amoxicillin only",
        chosen=set(),
    )
    assert result.diagnosis == "wrong"
    assert [c.id for c in result.unsafe] == ["no-antibiotics-alone"]
    assert [c.met for c in result.management] == [False]
    assert [c.met for c in result.investigations] == [False]  # the indicated mRDT not done
    assert result.percent() == 0
    text = coaching_text(result)
    assert "Uncomplicated falciparum malaria" in text and "unsafe" in text
    assert result.teaching_points and result.references
