"""Import of AgentClinic OSCE cases (JSONL, MIT licence) into our case format.

AgentClinic's records are machine-written and vary: a field may be a string, a list or a nested
mapping, section names differ from case to case ("Cardiac_Examination", "Cardiopulmonary_Exam"),
and vital signs are free text ("98.1°F (36.7°C)", "Normal for age"). This module maps each record
to a ``Case`` (English only) and reports every record it cannot map with the reason; it never
invents clinical content. What the source does not say — test cost, where a test is available,
turnaround — gets a stated default (see docs/content-packs.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tutor.core.content.schema import Case, format_validation_error
from tutor.core.errors import KnownError
from tutor.core.i18n import _

SOURCE_NAME = "AgentClinic"
SOURCE_URL = "https://github.com/SamuelSchmidgall/AgentClinic"
LICENCE = "MIT"
PACK_ID = "agentclinic"
# Honest defaults for what AgentClinic does not record (documented in docs/content-packs.md).
DEFAULT_COST_TIER = "medium"
DEFAULT_AVAILABLE_AT = "district_hospital"
DEFAULT_TURNAROUND_MINUTES = 60
UNKNOWN_MARKERS = {"not specified", "not applicable", "n/a", "none reported", "not reported"}


@dataclass(frozen=True)
class ImportFailure:
    line: int
    case_id: str
    reason: str


@dataclass(frozen=True)
class AgentClinicResult:
    cases: list[Case]
    failures: list[ImportFailure]


def looks_like_agentclinic(path: Path) -> bool:
    """A ``.jsonl`` file whose first record has AgentClinic's ``OSCE_Examination`` key."""
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        return "OSCE_Examination" in json.loads(first)
    except (OSError, ValueError, UnicodeDecodeError, TypeError):
        return False


def read_agentclinic(path: Path) -> AgentClinicResult:
    """Map every line of ``path``; ids ``agentclinic-001``… follow the record order."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(
            _("{source}: cannot be read: {reason}").format(source=path, reason=exc)
        ) from exc
    cases: list[Case] = []
    failures: list[ImportFailure] = []
    number = 0
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        number += 1
        case_id = f"agentclinic-{number:03d}"
        try:
            record = json.loads(line)
            cases.append(map_record(record, case_id, line_no))
        except ValueError as exc:  # json errors, our own mapping errors
            failures.append(ImportFailure(line_no, case_id, str(exc)))
        except ValidationError as exc:
            reason = format_validation_error(f"{path.name}:{line_no}", exc)
            failures.append(ImportFailure(line_no, case_id, reason))
    return AgentClinicResult(cases, failures)


# Mapping ---------------------------------------------------------------------------------------


def _words(key: str) -> str:
    """``Past_Medical_History`` → ``Past medical history``."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _flatten(value: Any) -> str:
    """Any nested value as one readable line: ``Sub: a; Other: b``."""
    if isinstance(value, dict):
        parts = [f"{_words(k)}: {_flatten(v)}" for k, v in value.items() if _flatten(v)]
        return "; ".join(parts)
    if isinstance(value, list):
        return "; ".join(_flatten(v) for v in value if _flatten(v))
    if value is None:
        return ""
    return str(value).strip()


def _known(text: str) -> bool:
    return bool(text) and text.strip().rstrip(".").lower() not in UNKNOWN_MARKERS


def _sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping decimals and abbreviations such as "Dr." whole."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text.strip())
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and re.search(r"\b(Dr|Mr|Mrs|Ms|vs|e\.g|i\.e|approx)\.$", out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug or fallback


_AGE = re.compile(r"(\d+)[- ](year|month|week|day)s?[- ]old", re.I)
_FEMALE = re.compile(r"\b(female|woman|girl|mother|primigravid|nulliparous|pregnant)\b", re.I)
_MALE = re.compile(r"\b(male|man|boy)\b", re.I)


def _age(demographics: str) -> dict[str, Any]:
    match = _AGE.search(demographics)
    if match:
        value, unit = int(match.group(1)), match.group(2).lower()
        if unit == "week":
            return {"value": value * 7, "unit": "days"}
        return {"value": value, "unit": unit + "s"}
    if re.search(r"newborn|neonate", demographics, re.I):
        return {"value": 0, "unit": "days"}
    raise ValueError(_("no age in the demographics {text!r}").format(text=demographics))


def _sex(demographics: str, history: str) -> str:
    if _FEMALE.search(demographics):
        return "female"
    if _MALE.search(demographics):
        return "male"
    # The demographics leave it out ("Newborn, born at 33 weeks"): the history's pronouns say it.
    she = len(re.findall(r"\b(she|her|girl|daughter)\b", history, re.I))
    he = len(re.findall(r"\b(he|his|him|boy|son)\b", history, re.I))
    if she != he:
        return "female" if she > he else "male"
    raise ValueError(_("the record does not say the patient's sex"))


_HISTORY_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Past_Medical_History", "past_history"),
    ("Current_Medications", "medicines"),
    ("Medications", "medicines"),
    ("Drug_History", "medicines"),
    ("Family_History", "family"),
    ("Social_History", "social"),
    ("Review_of_Systems", "review_of_systems"),
)
_SUBSECTION_CATEGORY = {"medications": "medicines", "current_medications": "medicines"}


def _history_facts(actor: dict[str, Any]) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = []

    def add(category: str, text: str, key: bool, hint: str) -> None:
        if _known(text):
            facts.append(
                {
                    "id": f"{hint}-{len(facts) + 1}",
                    "category": category,
                    "key": key,
                    "answer": {"en": text},
                }
            )

    symptoms = actor.get("Symptoms") or {}
    if isinstance(symptoms, dict):
        primary = _flatten(symptoms.get("Primary_Symptom"))
        if primary:
            add("presenting_complaint", primary, True, "complaint")
        for item in symptoms.get("Secondary_Symptoms") or []:
            add("hpi", _flatten(item), True, "symptom")
    for sentence in _sentences(_flatten(actor.get("History"))):
        add("hpi", sentence, True, "hpi")
    for name, category in _HISTORY_SECTIONS:
        value = actor.get(name)
        hint = category.replace("_", "-")
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                sub_category = _SUBSECTION_CATEGORY.get(sub.lower(), category)
                text = _flatten(sub_value)
                if _known(text):
                    add(sub_category, f"{_words(sub)}: {text}", False, hint)
        elif isinstance(value, list):
            for item in value:
                add(category, _flatten(item), False, hint)
        elif value is not None:
            for sentence in _sentences(_flatten(value)):
                add(category, sentence, False, hint)
    return facts


def _number(text: str, pattern: str = r"(\d+(?:\.\d+)?)") -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def _vitals(raw: dict[str, Any]) -> dict[str, Any]:
    """Numbers we can read with confidence; everything else stays in the "Vital signs" finding."""
    vitals: dict[str, Any] = {}
    for key, value in raw.items():
        text, name = _flatten(value), key.lower()
        if name == "temperature":
            celsius = _number(text, r"(\d+(?:\.\d+)?)\s*°?\s*C\b")
            fahrenheit = _number(text, r"(\d+(?:\.\d+)?)\s*°?\s*F\b")
            if celsius is None and fahrenheit is not None:
                celsius = round((fahrenheit - 32) * 5 / 9, 1)
            if celsius is not None and 25 <= celsius <= 45:
                vitals["temperature_c"] = celsius
        elif name in ("heart_rate", "pulse"):
            rate = _number(text, r"^(\d+)")
            if rate is not None and 0 <= rate <= 300:
                vitals.setdefault("heart_rate", int(rate))
        elif name in ("respiratory_rate", "respirations"):
            rate = _number(text, r"^(\d+)")
            if rate is not None and 0 <= rate <= 120:
                vitals["resp_rate"] = int(rate)
        elif name.startswith("blood_pressure"):
            match = re.match(r"(\d+)\s*/\s*(\d+)", text)
            if match and "bp_systolic" not in vitals:
                vitals["bp_systolic"], vitals["bp_diastolic"] = map(int, match.groups())
        elif name in ("oxygen_saturation", "so2", "pulse_oximetry", "spo2"):
            sat = _number(text, r"(\d+)\s*%")
            if sat is not None and 0 <= sat <= 100:
                vitals["spo2"] = int(sat)
        elif name == "weight":
            kg = _number(text, r"(\d+(?:\.\d+)?)\s*kg")
            if kg is not None and 0 < kg <= 300:
                vitals["weight_kg"] = kg
        elif name == "height":
            cm = _number(text, r"(\d+(?:\.\d+)?)\s*cm")
            if cm is not None and 0 < cm <= 250:
                vitals["height_cm"] = cm
    return vitals


# Section-name word prefixes → our examination systems, first match wins. Whole words only:
# "ear" must not match "heart" or "appearance".
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("vital", "general"),
    ("appearance", "general"),
    ("mental", "neurological"),
    ("psychiatr", "neurological"),
    ("neuro", "neurological"),
    ("cranial", "neurological"),
    ("reflex", "neurological"),
    ("positional", "neurological"),
    ("cardiopulm", "cardiovascular"),
    ("cardi", "cardiovascular"),
    ("heart", "cardiovascular"),
    ("murmur", "cardiovascular"),
    ("jvp", "cardiovascular"),
    ("jugular", "cardiovascular"),
    ("pulses", "cardiovascular"),
    ("peripheral", "cardiovascular"),
    ("pulmon", "respiratory"),
    ("respir", "respiratory"),
    ("lung", "respiratory"),
    ("chest", "respiratory"),
    ("abdom", "abdomen"),
    ("rectal", "abdomen"),
    ("liver", "abdomen"),
    ("spleen", "abdomen"),
    ("hepatomegaly", "abdomen"),
    ("kidney", "genitourinary"),
    ("renal", "genitourinary"),
    ("pelvic", "genitourinary"),
    ("gyn", "genitourinary"),
    ("genit", "genitourinary"),
    ("rectovaginal", "genitourinary"),
    ("scrot", "genitourinary"),
    ("testic", "genitourinary"),
    ("obstet", "obstetric"),
    ("ophthal", "eyes"),
    ("eye", "eyes"),
    ("fundo", "eyes"),
    ("pupil", "eyes"),
    ("ent", "ent"),
    ("ear", "ent"),
    ("audio", "ent"),
    ("oral", "ent"),
    ("nose", "ent"),
    ("nasal", "ent"),
    ("throat", "ent"),
    ("heent", "head_neck"),
    ("head", "head_neck"),
    ("neck", "head_neck"),
    ("thyroid", "head_neck"),
    ("lymph", "head_neck"),
    ("skin", "skin"),
    ("derma", "skin"),
    ("rash", "skin"),
    ("lacera", "skin"),
    ("wound", "skin"),
    ("breast", "skin"),
    ("musc", "musculoskeletal"),
    ("joint", "musculoskeletal"),
    ("knee", "musculoskeletal"),
    ("hip", "musculoskeletal"),
    ("shoulder", "musculoskeletal"),
    ("hand", "musculoskeletal"),
    ("arm", "musculoskeletal"),
    ("leg", "musculoskeletal"),
    ("foot", "musculoskeletal"),
    ("back", "musculoskeletal"),
    ("spin", "musculoskeletal"),
    ("extremit", "musculoskeletal"),
)


def _system(*names: str) -> str:
    for name in names:
        words = re.split(r"[^a-z0-9]+", name.lower())
        for prefix, system in _SYSTEMS:
            if any(w.startswith(prefix) for w in words if w):
                return system
    return "general"


def _exam(raw: dict[str, Any]) -> dict[str, Any]:
    vitals: dict[str, Any] = {}
    findings: list[dict[str, Any]] = []

    def add(system: str, label: str, text: str) -> None:
        if _known(text):
            base = _slug(label, "finding")
            ident, n = base, 2
            while any(f["id"] == ident for f in findings):
                ident, n = f"{base}-{n}", n + 1
            findings.append(
                {
                    "id": ident,
                    "system": system,
                    "label": {"en": label},
                    "finding": {"en": text},
                    "key": False,  # the source does not say which findings a student must elicit
                }
            )

    for section, value in raw.items():
        if "vital" in section.lower() and isinstance(value, dict):
            vitals = _vitals(value)
            add("general", _("Vital signs"), _flatten(value))
        elif isinstance(value, dict):
            for sub, sub_value in value.items():
                label = f"{_words(section)}: {_words(sub).lower()}"
                add(_system(sub, section), label, _flatten(sub_value))
        else:
            add(_system(section), _words(section), _flatten(value))
    return {"vitals": vitals, "findings": findings}


# Groupings whose entries are separate tests ("Blood_Tests": {"TSH": ..., "Ferritin": ...}).
_GROUPS = re.compile(
    r"^(blood_tests?|imaging|laboratory_(tests|studies|results)|lab_results|labs?|"
    r"additional_tests|other_tests|special_tests|blood_work|serology|investigations)$",
    re.I,
)


def _investigations(raw: dict[str, Any]) -> list[dict[str, Any]]:
    tests: list[tuple[str, Any]] = []
    for name, value in raw.items():
        if isinstance(value, dict) and _GROUPS.match(name):
            tests += list(value.items())
        else:
            tests.append((name, value))
    out: list[dict[str, Any]] = []
    for name, value in tests:
        result = _flatten(value)
        if not _known(result):
            continue
        base = _slug(name, "test")
        ident, n = base, 2
        while any(t["id"] == ident for t in out):
            ident, n = f"{base}-{n}", n + 1
        out.append(
            {
                "id": ident,
                "name": {"en": _words(name)},
                "result": {"en": result},
                "cost_tier": DEFAULT_COST_TIER,
                "available_at": DEFAULT_AVAILABLE_AT,
                "turnaround_minutes": DEFAULT_TURNAROUND_MINUTES,
                # AgentClinic lists the tests the case's authors ordered: we take them as indicated.
                "indicated": True,
            }
        )
    return out


def _management(raw: Any) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = []
    if isinstance(raw, dict):
        for name, value in _leaves(raw):
            text = _flatten(value)
            if _known(text):
                points.append(
                    {
                        "id": f"{_slug(name, 'point')}-{len(points) + 1}",
                        "level": "should",
                        "text": {"en": f"{_words(name)}: {text}"},
                    }
                )
    return points


def _leaves(raw: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, value in raw.items():
        if isinstance(value, dict):
            yield from _leaves(value)
        else:
            yield name, value


def map_record(record: Any, case_id: str, line_no: int) -> Case:
    """One AgentClinic record → a validated ``Case``; ``ValueError`` says what is missing."""
    if not isinstance(record, dict) or not isinstance(record.get("OSCE_Examination"), dict):
        raise ValueError(_("no OSCE_Examination object"))
    osce = record["OSCE_Examination"]
    actor = osce.get("Patient_Actor")
    if not isinstance(actor, dict):
        raise ValueError(_("no Patient_Actor object"))
    demographics = _flatten(actor.get("Demographics"))
    history = _flatten(actor.get("History"))
    diagnosis = _flatten(osce.get("Correct_Diagnosis"))
    if not diagnosis:
        raise ValueError(_("no Correct_Diagnosis"))
    symptoms = actor.get("Symptoms") if isinstance(actor.get("Symptoms"), dict) else {}
    primary = _flatten(symptoms.get("Primary_Symptom")) if symptoms else ""
    complaint = primary or (_sentences(history)[0] if history else "")
    if not complaint:
        raise ValueError(_("neither a primary symptom nor a history"))
    opening = (
        f"I have come because of this: {primary[:1].lower() + primary[1:]}."
        if primary
        else complaint
    )
    age = _age(demographics)
    child = age["unit"] != "years" or age["value"] < 12
    patient: dict[str, Any] = {
        "age": age,
        "sex": _sex(demographics, history),
        # AgentClinic patients have no names: say what we know instead of inventing one.
        "name": {"en": f"Patient ({demographics})"},
        "opening": {"en": opening},
    }
    if child:
        patient["speaker"] = {"en": "the child's parent"}
    data = {
        "id": case_id,
        "version": 1,
        "languages": ["en"],
        "title": {"en": f"{complaint.rstrip('.')} — {demographics}"[:200]},
        "tags": ["agentclinic", "imported"],
        "difficulty": "intermediate",
        # Written for well-equipped hospitals (CT, MRI, biopsies), not a health post.
        "setting": "referral",
        "licence": LICENCE,
        "authors": ["AgentClinic authors (Schmidgall et al.)"],
        "review": {"status": "draft"},
        "source": {
            "name": SOURCE_NAME,
            "url": SOURCE_URL,
            "licence": LICENCE,
            "item": f"agentclinic_medqa_extended.jsonl line {line_no}",
        },
        "patient": patient,
        "default_answer": {"en": "No, nothing like that that I know of."},
        "history": _history_facts(actor),
        "exam": _exam(osce.get("Physical_Examination_Findings") or {}),
        "investigations": _investigations(osce.get("Test_Results") or {}),
        "diagnosis": {"final": {"en": diagnosis}},
        "management": _management(osce.get("Management_and_Follow_Up")),
        "teaching_points": (
            [{"en": _flatten(osce["Objective_for_Doctor"])}]
            if _flatten(osce.get("Objective_for_Doctor"))
            else []
        ),
    }
    return Case.model_validate(data)
