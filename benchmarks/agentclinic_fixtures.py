"""Turn AgentClinic OSCE cases into case files for the patient evaluation (tests/eval/cases/).

A stand-in until the content library's own importer (#4) is merged: each sentence of the patient's
history, past history, social history, medications and review of systems becomes one history fact
whose answer is the original sentence, so the matcher must work from fact text alone (AgentClinic
has no authored question phrasings). Run: python benchmarks/agentclinic_fixtures.py N
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "agentclinic" / "agentclinic_medqa_extended.jsonl"
OUT = ROOT / "tests" / "eval" / "cases"

CATEGORIES = {
    "History": "hpi",
    "Past_Medical_History": "past_history",
    "Social_History": "social",
    "Review_of_Systems": "review_of_systems",
    "Current_Medications": "medicines",
    "Medications": "medicines",
    "Drug_History": "medicines",
    "Family_History": "family",
}


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def flatten(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        out: list[tuple[str, str]] = []
        for key, value in node.items():
            out += flatten(value, f"{prefix} {key}".strip())
        return out
    if isinstance(node, list):
        return [(prefix, "; ".join(str(v) for v in node))]
    return [(prefix, str(node))]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


def convert(index: int, osce: dict[str, Any]) -> dict[str, Any]:
    actor = osce["Patient_Actor"]
    demo = actor["Demographics"]
    age = int(m.group(1)) if (m := re.search(r"(\d+)", demo)) else 40
    sex = "female" if re.search(r"female|woman|girl|\bF\b", demo, re.I) else "male"
    history: list[dict[str, Any]] = []
    for field, category in CATEGORIES.items():
        value = actor.get(field)
        if not value:
            continue
        texts = sentences(value) if isinstance(value, str) else [t for _, t in flatten(value)]
        for n, text in enumerate(texts, 1):
            fid = f"{slug(field)}-{n}"
            history.append({"id": fid, "category": category, "answer": {"en": text}})
    symptoms = actor.get("Symptoms", {})
    if symptoms.get("Primary_Symptom"):
        history.insert(
            0,
            {
                "id": "primary-symptom",
                "category": "presenting_complaint",
                "key": True,
                "answer": {"en": f"My main problem is: {symptoms['Primary_Symptom']}."},
            },
        )
    for n, text in enumerate(symptoms.get("Secondary_Symptoms", []), 1):
        history.append(
            {"id": f"symptom-{n}", "category": "hpi", "answer": {"en": f"Also: {text}."}}
        )
    findings = []
    for n, (label, text) in enumerate(flatten(osce["Physical_Examination_Findings"]), 1):
        findings.append(
            {
                "id": f"exam-{n}",
                "system": "general",
                "label": {"en": label.replace("_", " ")},
                "finding": {"en": text},
            }
        )
    investigations = []
    for n, (label, text) in enumerate(flatten(osce.get("Test_Results", {})), 1):
        investigations.append(
            {
                "id": f"test-{n}",
                "name": {"en": label.replace("_", " ")},
                "result": {"en": text},
                "cost_tier": "medium",
                "available_at": "referral",
                "turnaround_minutes": 60,
                "indicated": True,
            }
        )
    return {
        "schema_version": 1,
        "id": f"agentclinic-{index:03d}",
        "version": 1,
        "languages": ["en"],
        "title": {"en": osce["Objective_for_Doctor"][:120]},
        "difficulty": "intermediate",
        "setting": "referral",
        "licence": "MIT",
        "authors": ["AgentClinic authors"],
        "review": {"status": "draft"},
        "source": {
            "name": "AgentClinic MedQA extended",
            "url": "https://github.com/SamuelSchmidgall/AgentClinic",
            "licence": "MIT",
            "item": str(index),
        },
        "patient": {
            "age": {"value": min(age, 120), "unit": "years"},
            "sex": sex,
            "name": {"en": "Patient"},
            "opening": {"en": f"I came because of {symptoms.get('Primary_Symptom', 'a problem')}."},
        },
        "default_answer": {"en": "No, I have not noticed anything like that."},
        "history": history,
        "exam": {"vitals": {}, "findings": findings},
        "investigations": investigations,
        "diagnosis": {"final": {"en": osce["Correct_Diagnosis"]}},
    }


def main(count: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with SOURCE.open(encoding="utf-8") as fh:
        for index, line in enumerate(fh):
            if index >= count:
                break
            data = convert(index, json.loads(line)["OSCE_Examination"])
            path = OUT / f"{data['id']}.yaml"
            path.write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                encoding="utf-8",
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
