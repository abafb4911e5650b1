"""The faithfulness check: accept/reject tables in all six languages."""

from __future__ import annotations

import pytest

from tutor.core.practice.faithful import check, grounded, negations, numbers

ACCEPT = [
    (
        "en",
        "The cough started four days ago after a runny nose. It is wet and getting worse every "
        "day.",
        "It began four days ago, after a runny nose. The cough is wet and getting worse every day.",
    ),
    ("en", "I have not had any fever.", "I haven't had a fever."),
    ("en", "He takes 500 mg of paracetamol.", "He is taking paracetamol, 500 mg."),
    ("fr", "Il tousse depuis quatre jours.", "Il a une toux depuis quatre jours."),
    ("fr", "Il n'a pas de fièvre.", "Il n'a jamais eu de fièvre."),
    ("es", "Tiene tos desde hace cuatro días.", "Desde hace cuatro días tiene tos."),
    ("es", "No ha tenido fiebre.", "No tuvo fiebre."),
    ("pt", "Ele tosse há quatro dias.", "Ele está a tossir há quatro dias."),
    ("pt", "Não, ele não tem febre.", "Não, ele não está com febre."),
    ("sw", "Kikohozi kilianza siku nne zilizopita.", "Kikohozi kilianza siku 4 zilizopita."),
    ("sw", "Hapana, sijaona kitu kama hicho.", "Hapana, sijaona kitu cha namna hiyo."),
    ("ar", "يسعل منذ أربعة أيام.", "يسعل منذ ٤ أيام."),
    ("ar", "لا، لم أرَ شيئًا من هذا.", "لا، لم ألاحظ شيئًا من هذا."),
]

REJECT = [
    # (language, original, candidate, a reason that must be given)
    ("en", "The cough started four days ago.", "The cough started three days ago.", "number"),
    ("en", "The cough started 4 days ago.", "The cough started some days ago.", "number"),
    ("en", "The cough started days ago.", "The cough started two days ago.", "number"),
    ("en", "He has not had any fits.", "He has had some fits.", "negation"),
    ("en", "He has had a rash.", "He has never had a rash.", "negation"),
    ("en", "I take paracetamol for it.", "I take paracetamol and amoxicillin.", "added"),
    ("en", "I take paracetamol for it.", "I take some tablets for it.", "named"),
    ("en", "My sister Amina brought me.", "My sister brought me here.", "named"),
    ("en", "My sister brought me here.", "My sister Amina brought me.", "added"),
    ("en", "My tummy hurts.", "My chest hurts a lot.", "named"),
    ("en", "I have a headache.", "Tengo dolor de cabeza.", "language"),
    ("en", "The cough started four days ago.", "Four.", "length"),
    ("fr", "Il tousse depuis quatre jours.", "He has been coughing for four days.", "language"),
    ("fr", "Il tousse depuis trois jours.", "Il tousse depuis deux jours.", "number"),
    ("fr", "Il n'a pas de fièvre.", "Il a de la fièvre.", "negation"),
    ("fr", "Il prend du paracétamol.", "Il prend de l'ibuprofène.", "named"),
    ("es", "Tiene tos desde hace tres días.", "Tiene tos desde hace cinco días.", "number"),
    ("es", "No ha tenido fiebre.", "Ha tenido fiebre.", "negation"),
    ("es", "Tiene tos con flema.", "Tiene tos y toma amoxicilina.", "added"),
    ("pt", "Ele tosse há três dias.", "Ele tosse há dois dias.", "number"),
    ("pt", "Ele não tem febre.", "Ele tem febre.", "negation"),
    ("pt", "Ele tosse há três dias.", "Il tousse depuis trois jours.", "language"),
    (
        "sw",
        "Kikohozi kilianza siku nne zilizopita.",
        "Kikohozi kilianza siku tatu zilizopita.",
        "number",
    ),
    ("sw", "Hapana, sijaona kitu kama hicho.", "Ndiyo, nimeona kitu kama hicho.", "negation"),
    ("sw", "Hana homa.", "Ana homa kali sana.", "negation"),
    ("ar", "يسعل منذ أربعة أيام.", "يسعل منذ ثلاثة أيام.", "number"),
    ("ar", "يسعل منذ أربعة أيام.", "يسعل منذ ٣ أيام.", "number"),
    ("ar", "لا، لم أرَ شيئًا من هذا.", "رأيت شيئًا من هذا.", "negation"),
    ("ar", "يسعل منذ أربعة أيام.", "He has been coughing for four days.", "language"),
    # Seen from the 135M model: invented words, and a clause looped in from elsewhere.
    (
        "fr",
        "C'est mon cinquième enfant. Ils sont tous nés à la maison.",
        "C'est mon cinqième enfant. Les célébres sont tous nés à la maison.",
        "added",
    ),
    (
        "pt",
        "Nunca fiz o teste do HIV, por isso não sei o meu estado. A minha mulher fez o teste na "
        "consulta pré-natal há 2 anos e disseram que estava tudo bem.",
        "Nunca fiz o teste do HIV, por que não sei o que estava tudo bem. A minha mulher fez o "
        "teste na consulta pré-natal há 2 anos e disseram que estava tudo bem.",
        "repeated",
    ),
    (
        "ar",
        "توقفت عن إعطائه الماء لأنني ظننت أنه يزيد الإسهال. الصيدلي باع لي شرابًا لإيقاف الإسهال "
        "وأعطيته مرة واحدة أمس.",
        "توقفت عن إعطائه الماء لأنني ظننت أنه يزيد الأعطائه الماء لأنني شرابًا لإيقاف الإسهال "
        "وأعطيته مرة واحدة أمس.",
        "dropped",
    ),
]


@pytest.mark.parametrize(("language", "original", "candidate"), ACCEPT)
def test_faithful_paraphrases_are_accepted(language: str, original: str, candidate: str) -> None:
    verdict = check(original, candidate, language)
    assert verdict.ok, verdict.reasons


@pytest.mark.parametrize(("language", "original", "candidate", "reason"), REJECT)
def test_unfaithful_rephrasings_are_rejected(
    language: str, original: str, candidate: str, reason: str
) -> None:
    verdict = check(original, candidate, language)
    assert not verdict.ok
    assert reason in verdict.reasons


def test_a_free_paraphrase_that_drops_several_words_is_refused() -> None:
    # Strict on purpose: "getting" and "every" gone, "began" and "each" new. The authored
    # text is always a safe answer, so a good but free rewording is an acceptable loss.
    original = "The cough started four days ago after a runny nose. It is wet and getting worse."
    verdict = check(original, "It began four days ago, after a cold. It is wet and worse.", "en")
    assert "dropped" in verdict.reasons


def test_the_same_text_always_passes() -> None:
    for language, original, _candidate in ACCEPT:
        assert check(original, original, language).ok


def test_numbers_normalise_digits_and_words() -> None:
    assert set(numbers("٣ أيام وثلاثة أسابيع", "ar")) == {"3"}
    assert set(numbers("tres días y media hora", "es")) == {"3", "0.5"}
    assert set(numbers("siku tatu na wiki 2", "sw")) == {"3", "2"}
    assert set(numbers("il y a trois jours", "fr")) == {"3"}
    assert set(numbers("há três dias", "pt")) == {"3"}


def test_french_ne_pas_is_one_negation() -> None:
    assert negations("Il ne mange pas et ne boit rien.", "fr") == 2
    assert negations("Il mange pas.", "fr") == 1
    assert negations("Sijaona, hakuna kitu.", "sw") == 2
    assert negations("Habari, ana homa kali.", "sw") == 0


SCORE_SOURCE = (
    "key history points: 3 of 5. missed: fever for three days / vomiting. diagnosis: correct "
    "(pneumonia). unnecessary tests: chest x-ray. cost: 12.5"
)


def test_grounded_paragraph_accepted() -> None:
    text = (
        "Well done: you asked about 3 of 5 key history points and your diagnosis was correct. "
        "Next time, also ask about vomiting."
    )
    assert grounded(text, SCORE_SOURCE, "en").ok


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("You asked about 4 of 5 key points; keep going with your history.", "number"),
        ("Good work. Remember to give amoxicillin for pneumonia next time.", "added"),
        ("Good work. Always check the blood sugar in a child with diabetes.", "added"),
        ("Bon travail, vous avez posé de bonnes questions à ce patient.", "language"),
        ("Good.", "length"),
        (
            "Well done on the history. Well done on the history. Well done on the history.",
            "repeated",
        ),
    ],
)
def test_grounded_paragraph_rejected(text: str, reason: str) -> None:
    verdict = grounded(text, SCORE_SOURCE, "en")
    assert not verdict.ok
    assert reason in verdict.reasons


@pytest.mark.parametrize(
    ("language", "original", "candidate"),
    [
        # Accepted by the first version of the check and seen in the benchmark: a word simply
        # left out was a fact.
        (
            "en",
            "The cough started four days ago after a runny nose. It is wet and getting worse.",
            "The cough started four days ago after a runny nose. It is getting worse.",
        ),
        (
            "fr",
            "Il a commencé à vomir hier, environ 6 fois, surtout après avoir bu.",
            "Il a commencé à vomir, environ 6 fois, surtout après avoir bu.",
        ),
    ],
)
def test_a_word_left_out_with_nothing_in_its_place_is_refused(
    language: str, original: str, candidate: str
) -> None:
    assert check(original, candidate, language).reasons == ["dropped"]
