"""The case format: one human-editable YAML (or JSON) file per case, validated with pydantic.

Modelled on the MedBiquitous Virtual Patient standard (ANSI/MEDBIQ VP.10.1-2010): demographics,
interview items (question → response), physical examination findings, diagnostic tests with
results and normal values, diagnoses, and interventions with their appropriateness, adapted to
low-resource settings (where a test is available, what it costs, how long it takes).

Text a learner reads is *localised*: a mapping from language code to text, e.g.
``{"en": "I have a cough.", "fr": "J'ai de la toux."}``. Every localised field must hold every
language the case declares in ``languages`` (English always); ``docs/case-format.md`` is the
author's guide. ``load_case_file`` turns any problem into one message naming the file, the field and
the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from tutor.core.errors import KnownError
from tutor.core.i18n import _

SCHEMA_VERSION: Literal[1] = 1
LANGUAGES = ("en", "fr", "es", "pt", "sw", "ar")

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Lang = Literal["en", "fr", "es", "pt", "sw", "ar"]
LText = dict[Lang, NonEmpty]  # localised text
LList = dict[Lang, list[NonEmpty]]  # localised list of phrases

HistoryCategory = Literal[
    "presenting_complaint",
    "hpi",  # history of present illness
    "past_history",
    "medicines",
    "allergies",
    "family",
    "social",
    "obstetric",
    "review_of_systems",
]
ExamSystem = Literal[
    "general",
    "head_neck",
    "eyes",
    "ent",
    "cardiovascular",
    "respiratory",
    "abdomen",
    "genitourinary",
    "obstetric",
    "neurological",
    "musculoskeletal",
    "skin",
]
Level = Literal["health_post", "district_hospital", "referral"]
LEVEL_ORDER: dict[str, int] = {"health_post": 0, "district_hospital": 1, "referral": 2}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(Model):
    title: NonEmpty
    publisher: NonEmpty
    year: int = Field(ge=1900, le=2100)
    url: NonEmpty
    licence: NonEmpty


class Review(Model):
    status: Literal["draft", "reviewed"]
    reviewer: str | None = None
    date: dt.date | None = None

    @model_validator(mode="after")
    def _reviewed_needs_reviewer(self) -> Review:
        if self.status == "reviewed" and not (self.reviewer and self.date):
            raise ValueError("a reviewed case needs reviewer and date")
        return self


class Age(Model):
    value: int = Field(ge=0, le=120)
    unit: Literal["days", "months", "years"] = "years"


class Patient(Model):
    age: Age
    sex: Literal["female", "male"]
    name: LText
    occupation: LText | None = None
    speaker: LText | None = None  # who answers, when not the patient: "the child's mother"
    opening: LText  # the presenting complaint in the patient's (or speaker's) own words


class HistoryFact(Model):
    id: Slug
    category: HistoryCategory
    key: bool = False  # on the history-taking checklist
    answer: LText  # in the patient's own words
    questions: LList = Field(default_factory=dict)  # natural ways a student might ask


class Vitals(Model):
    temperature_c: float | None = Field(None, ge=25, le=45)
    heart_rate: int | None = Field(None, ge=0, le=300)
    resp_rate: int | None = Field(None, ge=0, le=120)
    bp_systolic: int | None = Field(None, ge=0, le=300)
    bp_diastolic: int | None = Field(None, ge=0, le=200)
    spo2: int | None = Field(None, ge=0, le=100)
    weight_kg: float | None = Field(None, gt=0, le=300)
    height_cm: float | None = Field(None, gt=0, le=250)
    muac_mm: int | None = Field(None, gt=0, le=400)
    gcs: int | None = Field(None, ge=3, le=15)
    blood_glucose_mmol_l: float | None = Field(None, ge=0, le=60)


class ExamFinding(Model):
    id: Slug
    system: ExamSystem
    label: LText  # the manoeuvre the student chooses: "Auscultate the chest"
    finding: LText
    key: bool = False  # expected in a competent examination


class Exam(Model):
    vitals: Vitals
    findings: list[ExamFinding] = Field(min_length=1)


class Investigation(Model):
    id: Slug
    name: LText
    result: LText
    normal: LText | None = None
    cost_tier: Literal["free", "low", "medium", "high"]
    cost_usd: float | None = Field(None, ge=0)
    available_at: Level  # the lowest level of care that has it
    turnaround_minutes: int = Field(ge=0)
    indicated: bool


class Differential(Model):
    name: LText
    synonyms: LList = Field(default_factory=dict)
    distinguishing: LText  # the features that separate it from the final diagnosis


class Diagnosis(Model):
    final: LText
    synonyms: LList = Field(default_factory=dict)  # accepted alternative names and abbreviations
    differentials: list[Differential] = Field(default_factory=list)


class ManagementPoint(Model):
    id: Slug
    level: Literal["must", "should", "never"]  # never = harmful if chosen
    text: LText
    keywords: LList = Field(default_factory=dict)  # phrases in a free-text plan that match it


class Source(Model):
    """Where an imported case came from (third-party material)."""

    name: NonEmpty
    url: str | None = None
    licence: NonEmpty
    item: str | None = None


class Case(Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    id: Slug
    version: int = Field(ge=1)
    languages: list[Lang] = Field(min_length=1)
    title: LText
    tags: list[NonEmpty] = Field(default_factory=list)
    difficulty: Literal["beginner", "intermediate", "advanced"]
    setting: Level
    licence: NonEmpty
    authors: list[NonEmpty] = Field(min_length=1)
    review: Review
    references: list[Reference] = Field(default_factory=list)
    source: Source | None = None
    patient: Patient
    default_answer: LText  # in character, for anything the record does not hold
    history: list[HistoryFact] = Field(min_length=1)
    exam: Exam
    investigations: list[Investigation] = Field(default_factory=list)
    diagnosis: Diagnosis
    management: list[ManagementPoint] = Field(default_factory=list)
    teaching_points: list[LText] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _english_first(cls, value: list[str]) -> list[str]:
        if "en" not in value:
            raise ValueError("every case must include English ('en')")
        if len(set(value)) != len(value):
            raise ValueError("languages are listed twice")
        return value

    @model_validator(mode="after")
    def _complete_and_unique(self) -> Case:
        if not self.references and self.source is None:
            raise ValueError("a case needs references (authored) or a source (imported)")
        for kind, items in (
            ("history", self.history),
            ("exam.findings", self.exam.findings),
            ("investigations", self.investigations),
            ("management", self.management),
        ):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"{kind}: id {item.id!r} is used twice")
                seen.add(item.id)
        missing = sorted(set(_missing_translations(self, tuple(self.languages))))
        if missing:
            shown = "; ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            raise ValueError(f"translations missing: {shown}")
        return self

    def text(self, value: dict[str, str], language: str) -> tuple[str, str]:
        """``value`` in ``language`` or its fallback; returns (text, language used)."""
        from tutor.core.i18n import fallback_chain

        for lang in fallback_chain(language):
            if lang in value:
                return value[lang], lang
        first = next(iter(value))
        return value[first], first


# Localised fields where a case may leave a language out (phrasings are optional helpers).
_OPTIONAL_LOCALISED = {"questions", "synonyms", "keywords"}


def _missing_translations(node: Any, languages: tuple[str, ...], path: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name in _OPTIONAL_LOCALISED:
                continue
            out += _missing_translations(
                getattr(node, name), languages, f"{path}.{name}".lstrip(".")
            )
    elif isinstance(node, list):
        for i, item in enumerate(node):
            out += _missing_translations(item, languages, f"{path}[{i}]")
    elif isinstance(node, dict) and node and set(node) <= set(LANGUAGES):
        out += [f"{path}.{lang}" for lang in languages if lang not in node]
    return out


# libyaml's safe loader when PyYAML was built with it: ~10x faster on a 1,000-case pack.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CaseError(KnownError):
    """A case file that cannot be used; the message names the file, the field and the reason."""


def format_validation_error(source: str, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:10]:
        field = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"{source}: {field}: {err['msg']}")
    if exc.error_count() > 10:
        lines.append(
            _("{source}: … and {n} more problems").format(source=source, n=exc.error_count() - 10)
        )
    return "\n".join(lines)


def parse_case(data: Any, source: str) -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(format_validation_error(source, exc)) from exc


def read_case_data(text: str, source: str) -> Any:
    try:
        if source.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=_SafeLoader)  # a safe loader: plain data only
    except (ValueError, yaml.YAMLError) as exc:
        raise CaseError(
            _("{source}: not valid YAML/JSON: {reason}").format(source=source, reason=exc)
        ) from exc


def load_case_file(path: Path) -> Case:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = _("{source}: cannot be read: {reason}").format(source=path, reason=exc)
        raise CaseError(message) from exc
    return parse_case(read_case_data(text, path.name), str(path))


def case_to_yaml(case: Case) -> str:
    data = case.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


CASE_SUFFIXES = (".yaml", ".yml", ".json")
