"""What the patient (or the parent or spouse who speaks for them) says about the facts every case
holds in its header: name, age and occupation, in six languages.

These are answerable facts like any other, so "how old is she?" is grounded in the record. When a
``speaker`` answers for the patient the sentences are in the third person ("Her name is Grace").
"""

from __future__ import annotations

from tutor.core.content.schema import Case
from tutor.core.practice.scoring import localised

# (first person, third person male, third person female)
_NAME = {
    "en": ("My name is {name}.", "His name is {name}.", "Her name is {name}."),
    "fr": ("Je m'appelle {name}.", "Il s'appelle {name}.", "Elle s'appelle {name}."),
    "es": ("Me llamo {name}.", "Se llama {name}.", "Se llama {name}."),
    "pt": ("Chamo-me {name}.", "Chama-se {name}.", "Chama-se {name}."),
    "sw": ("Jina langu ni {name}.", "Jina lake ni {name}.", "Jina lake ni {name}."),
    "ar": ("اسمي {name}.", "اسمه {name}.", "اسمها {name}."),
}
_AGE = {
    "en": ("I am {n} {unit} old.", "He is {n} {unit} old.", "She is {n} {unit} old."),
    "fr": ("J'ai {n} {unit}.", "Il a {n} {unit}.", "Elle a {n} {unit}."),
    "es": ("Tengo {n} {unit}.", "Tiene {n} {unit}.", "Tiene {n} {unit}."),
    "pt": ("Tenho {n} {unit}.", "Tem {n} {unit}.", "Tem {n} {unit}."),
    "sw": ("Nina umri wa {unit} {n}.", "Ana umri wa {unit} {n}.", "Ana umri wa {unit} {n}."),
    "ar": ("عمري {n} {unit}.", "عمره {n} {unit}.", "عمرها {n} {unit}."),
}
_JOB = {
    "en": ("I work as: {job}.", "He works as: {job}.", "She works as: {job}."),
    "fr": (
        "Je travaille comme : {job}.",
        "Il travaille comme : {job}.",
        "Elle travaille comme : {job}.",
    ),
    "es": ("Trabajo como: {job}.", "Trabaja como: {job}.", "Trabaja como: {job}."),
    "pt": ("Trabalho como: {job}.", "Trabalha como: {job}.", "Trabalha como: {job}."),
    "sw": ("Kazi yangu: {job}.", "Kazi yake: {job}.", "Kazi yake: {job}."),
    "ar": ("عملي: {job}.", "عمله: {job}.", "عملها: {job}."),
}
_UNITS = {
    "en": {"years": "years", "months": "months", "days": "days"},
    "fr": {"years": "ans", "months": "mois", "days": "jours"},
    "es": {"years": "años", "months": "meses", "days": "días"},
    "pt": {"years": "anos", "months": "meses", "days": "dias"},
    "sw": {"years": "miaka", "months": "miezi", "days": "siku"},
    "ar": {"years": "سنوات", "months": "أشهر", "days": "أيام"},
}
# One of a unit ("I am 1 year old"); Arabic also takes the singular from 11 on ("عمري 12 سنة").
_UNIT_ONE = {
    "en": {"years": "year", "months": "month", "days": "day"},
    "fr": {"years": "an", "months": "mois", "days": "jour"},
    "es": {"years": "año", "months": "mes", "days": "día"},
    "pt": {"years": "ano", "months": "mês", "days": "dia"},
    "sw": {"years": "mwaka", "months": "mwezi", "days": "siku"},
    "ar": {"years": "سنة", "months": "شهر", "days": "يوم"},
}
# Searchable words a question about each header fact uses (the lexicon adds the rest).
_QUESTIONS = {
    "patient-name": {
        "en": "what is your name who are you called his her name",
        "fr": "comment vous appelez nom s appelle prenom",
        "es": "como se llama nombre",
        "pt": "como se chama nome",
        "sw": "jina lako nani unaitwa jina lake anaitwa",
        "ar": "ما اسمك اسم اسمه اسمها",
    },
    "patient-age": {
        "en": "how old are you age old",
        "fr": "quel age avez vous ans",
        "es": "cuantos anos tiene edad",
        "pt": "quantos anos tem idade",
        "sw": "una umri gani miaka",
        "ar": "كم عمرك عمر",
    },
}


def _unit(language: str, unit: str, n: int) -> str:
    if n == 1 or (language == "ar" and n > 10):
        return _UNIT_ONE[language][unit]
    return _UNITS[language][unit]


def header_facts(case: Case, language: str, *, job: bool) -> list[tuple[str, str, str, str]]:
    """(fact id, answer, answer language, searchable text) for name, age and (with ``job``)
    occupation, said by whoever answers in this case."""
    base = language if language in _NAME else "en"
    patient = case.patient
    voice = 0 if patient.speaker is None else (2 if patient.sex == "female" else 1)
    out: list[tuple[str, str, str, str]] = []
    said = _NAME[base][voice].format(name=localised(patient.name, language))
    out.append(("patient-name", said, base, _QUESTIONS["patient-name"][base]))
    unit = _unit(base, patient.age.unit, patient.age.value)
    said = _AGE[base][voice].format(n=patient.age.value, unit=unit)
    out.append(("patient-age", said, base, _QUESTIONS["patient-age"][base]))
    if job and patient.occupation:
        said = _JOB[base][voice].format(job=localised(patient.occupation, language))
        out.append(("patient-occupation", said, base, "@cat_social job"))
    return out
