"""The AgentClinic importer on the real 214-case file (skipped cleanly when it is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from content_fixtures import AGENTCLINIC_JSONL

from tutor.core.content import agentclinic
from tutor.core.content.importer import import_path
from tutor.core.content.library import Library

needs_data = pytest.mark.skipif(
    not AGENTCLINIC_JSONL.is_file(), reason="../shared/data/agentclinic is not present"
)


@needs_data
def test_every_record_imports_or_is_reported_with_a_reason() -> None:
    result = agentclinic.read_agentclinic(AGENTCLINIC_JSONL)
    lines = [line for line in AGENTCLINIC_JSONL.read_text().splitlines() if line.strip()]
    assert len(result.cases) + len(result.failures) == len(lines) == 214
    ids = [c.id for c in result.cases] + [f.case_id for f in result.failures]
    assert sorted(ids) == [f"agentclinic-{n:03d}" for n in range(1, 215)]
    for failure in result.failures:
        assert failure.reason
    assert len(result.cases) >= 200


@needs_data
def test_first_record_maps_every_part() -> None:
    case = agentclinic.read_agentclinic(AGENTCLINIC_JSONL).cases[0]
    assert case.id == "agentclinic-001"
    assert case.languages == ["en"]
    assert case.source is not None and case.source.licence == "MIT"
    assert case.source.item and "line 1" in case.source.item
    assert case.patient.age.value == 35 and case.patient.sex == "female"
    assert case.diagnosis.final["en"] == "Myasthenia gravis"
    assert case.exam.vitals.temperature_c == 36.6
    assert case.exam.vitals.bp_systolic == 125 and case.exam.vitals.bp_diastolic == 80
    categories = {f.category for f in case.history}
    assert {"presenting_complaint", "hpi", "past_history", "social", "review_of_systems"} <= (
        categories
    )
    texts = " ".join(f.answer["en"] for f in case.history)
    assert "graphic designer" in texts and "wine" in texts
    names = {t.name["en"] for t in case.investigations}
    assert {"Acetylcholine Receptor Antibodies", "Electromyography", "Chest CT"} <= names
    ct = next(t for t in case.investigations if t.name["en"] == "Chest CT")
    assert "thymoma" in ct.result["en"]
    assert all(t.cost_tier == "medium" for t in case.investigations)
    systems = {f.system for f in case.exam.findings}
    assert "neurological" in systems


def test_messy_record_with_nested_sections_and_fahrenheit() -> None:
    record = {
        "OSCE_Examination": {
            "Objective_for_Doctor": "Assess the patient.",
            "Patient_Actor": {
                "Demographics": "Newborn, 3050-g male",
                "History": "Born at term. He is feeding poorly.",
                "Symptoms": {},
                "Past_Medical_History": {"Surgeries": ["None reported"], "Medications": ["Iron"]},
                "Social_History": {"Occupation": "Not specified"},
                "Review_of_Systems": {"General": "Denies fever."},
            },
            "Physical_Examination_Findings": {
                "Vital_Signs": {"Temperature": "102°F", "Heart_Rate": "Normal for age"},
                "Cardiac_Examination": {"Heart_Sounds": "Continuous murmur"},
            },
            "Test_Results": {"Blood_Tests": {"CBC": {"Hb": "9 g/dL"}}},
            "Correct_Diagnosis": "Patent ductus arteriosus",
        }
    }
    case = agentclinic.map_record(record, "agentclinic-999", 7)
    assert case.patient.sex == "male" and case.patient.age.unit == "days"
    assert case.exam.vitals.temperature_c == 38.9
    assert case.exam.vitals.heart_rate is None  # "Normal for age" is kept as text, not a number
    assert any("Normal for age" in f.finding["en"] for f in case.exam.findings)
    murmur = next(f for f in case.exam.findings if "murmur" in f.finding["en"])
    assert murmur.system == "cardiovascular"  # "heart" is not "ear"
    meds = [f for f in case.history if f.category == "medicines"]
    assert meds and "Iron" in meds[0].answer["en"]
    assert not any("Not specified" in f.answer["en"] for f in case.history)
    assert case.investigations[0].name["en"] == "CBC"


def test_record_without_sex_is_reported(tmp_path: Path) -> None:
    good = {
        "OSCE_Examination": {
            "Patient_Actor": {
                "Demographics": "40-year-old man",
                "History": "Cough for two weeks.",
                "Symptoms": {"Primary_Symptom": "Cough", "Secondary_Symptoms": []},
            },
            "Physical_Examination_Findings": {"Chest": "Crackles at the right base."},
            "Test_Results": {},
            "Correct_Diagnosis": "Pneumonia",
        }
    }
    unknown = json.loads(json.dumps(good))
    unknown["OSCE_Examination"]["Patient_Actor"]["Demographics"] = "Newborn"
    unknown["OSCE_Examination"]["Patient_Actor"]["History"] = "The newborn is unwell."
    path = tmp_path / "ac.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (good, unknown, {"x": 1})) + "\n")
    library = Library()
    report = import_path(path, library)
    assert library.case_ids() == ["agentclinic-001"]
    assert [(f.case_id, f.line) for f in report.failures] == [
        ("agentclinic-002", 2),
        ("agentclinic-003", 3),
    ]
    assert "sex" in report.failures[0].reason
    assert "OSCE_Examination" in report.failures[1].reason
