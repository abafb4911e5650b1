"""The faithfulness check: may a model's text stand in for authored text (or for a score)?

Pure and deterministic, no model. A rephrasing passes only when it keeps every number, negation
and named thing (drug names, proper nouns, the lexicon's medical vocabulary) of the original,
adds none, is in the learner's language and script, and has a sensible length. It is deliberately
strict: when it rejects, the authored text is shown, which is always a safe answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tutor.core.practice import lexicon
from tutor.core.practice.lexicon import _ANTIBIOTIC, _DRUG  # the INN stems, shared not copied
from tutor.core.practice.text import STOPWORDS, fold, stem

MIN_RATIO, MAX_RATIO = 0.5, 2.0


def _fold(text: str) -> str:
    """``fold`` keeping apostrophes and hyphens: the check reads "n't", "n'" and "dá-lhe"."""
    return fold(text, keep_joins=True)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reasons: list[str] = field(default_factory=list)  # "number", "negation", "named", ...


# -- numbers --------------------------------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _table(spec: str) -> dict[str, str]:
    """``"one=1 two=2"`` → folded word → value (values are strings, "0.5" for a half)."""
    out = {}
    for item in spec.split():
        word, value = item.split("=")
        out[_fold(word)] = value
    return out


# One to twenty and "half" per language. Articles that also mean "one" (un, una, um) are left
# out: they are far more often articles, and a paraphrase may freely add or drop them.
NUMBER_WORDS: dict[str, dict[str, str]] = {
    "en": _table(
        "one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 "
        "twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 "
        "nineteen=19 twenty=20 half=0.5 once=1x twice=2x both=2 single=1 couple=2 dozen=12"
    ),
    "fr": _table(
        "deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9 dix=10 onze=11 douze=12 "
        "treize=13 quatorze=14 quinze=15 seize=16 vingt=20 demi=0.5 demie=0.5 moitié=0.5"
    ),
    "es": _table(
        "uno=1 dos=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9 diez=10 once=11 "
        "doce=12 trece=13 catorce=14 quince=15 dieciséis=16 diecisiete=17 dieciocho=18 "
        "diecinueve=19 veinte=20 medio=0.5 media=0.5 mitad=0.5"
    ),
    "pt": _table(
        "dois=2 duas=2 três=3 quatro=4 cinco=5 seis=6 sete=7 oito=8 nove=9 dez=10 onze=11 "
        "doze=12 treze=13 catorze=14 quatorze=14 quinze=15 dezesseis=16 dezasseis=16 "
        "dezessete=17 dezassete=17 dezoito=18 dezenove=19 dezanove=19 vinte=20 meio=0.5 "
        "meia=0.5 metade=0.5"
    ),
    "sw": _table(
        "moja=1 mmoja=1 mbili=2 wawili=2 pili=2 tatu=3 watatu=3 nne=4 wanne=4 tano=5 watano=5 "
        "sita=6 saba=7 nane=8 tisa=9 kumi=10 ishirini=20 nusu=0.5"
    ),
    "ar": _table(
        "واحد=1 واحدة=1 اثنان=2 اثنين=2 اثنتان=2 اثنتين=2 ثلاث=3 ثلاثة=3 أربع=4 أربعة=4 خمس=5 "
        "خمسة=5 ست=6 ستة=6 سبع=7 سبعة=7 ثمان=8 ثماني=8 ثمانية=8 تسع=9 تسعة=9 عشر=10 عشرة=10 "
        "عشرون=20 عشرين=20 نصف=0.5 مرتين=2x مرتان=2x"
    ),
}
_AR_CLITICS = ("وب", "فب", "وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل")


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", _fold(text).replace("’", "'").translate(_DIGITS))


def _bare_arabic(word: str, table: dict[str, str] | frozenset[str]) -> str:
    """``word`` without a leading conjunction, preposition or article, if that is in ``table``."""
    if word in table:
        return word
    for clitic in _AR_CLITICS:
        if word.startswith(clitic) and word[len(clitic) :] in table:
            return word[len(clitic) :]
    return word


def numbers(text: str, language: str) -> Counter[str]:
    """Every number the text states, digits and number words, as comparable values."""
    table = NUMBER_WORDS.get(language, {})
    found: Counter[str] = Counter()
    folded = _fold(text).translate(_DIGITS)
    for digits in re.findall(r"\d+(?:[.,]\d+)?", folded):
        found[digits.replace(",", ".").lstrip("0") or "0"] += 1
    for token in _tokens(text):
        word = _bare_arabic(token, table) if language == "ar" else token
        if word in table:
            found[table[word]] += 1
    return found


# -- negations ------------------------------------------------------------------------------------


def _wordset(spec: str) -> frozenset[str]:
    return frozenset(_fold(word) for word in spec.split())


_NEGATIONS: dict[str, frozenset[str]] = {
    "en": _wordset("no not never none nothing without nobody neither nor cannot nowhere"),
    "es": _wordset("no nunca nada ningun ninguno ninguna sin ni jamas tampoco nadie"),
    "pt": _wordset("nao nunca nada nenhum nenhuma sem nem jamais ninguem"),
    "sw": _wordset("hapana si sio siyo hakuna hamna bila"),
    "ar": _wordset("لا لم لن ليس ليست لست لسنا ليسوا ما غير بدون دون مش مو"),
}
_FR_NE = frozenset({"ne", "n"})
_FR_AFTER = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "personne", "guere"})
_FR_ALONE = frozenset({"sans", "non"})
# Swahili marks negation on the verb; only forms that cannot be another word are counted
# (si-ja-, ha-ja-, ha-ku-, si-na, ha-we-zi...). Unknown forms count as nothing on both sides.
_SW_NEG = re.compile(
    r"^(?:sija|haja|hawaja|hatuja|hamja|hauja|haija|hazija|hakuw|hakup|hakul|hakut|hakun|"
    r"hakuo|hakuj|hakuk|hakum|hakuf|hakus|hakuh|sikuw|sikup|sikul|sikuj|sikuon|sina|hana|"
    r"hawana|hatuna|haina|siwez|hawez|hatuwez|haiwez|hawaw|sitak|hatak|hawatak|hajawahi)"
)
_SW_NOT_NEG = frozenset({"hakika", "hakuna"})  # hakuna is counted once, by the word list


def negations(text: str, language: str) -> int:
    """How many negations the text holds (a count: "not" and "never" may replace each other)."""
    tokens = _tokens(text)
    if language == "fr":
        ne = sum(t in _FR_NE or t.startswith("n'") for t in tokens)
        after = sum(t in _FR_AFTER for t in tokens)
        return ne + max(0, after - ne) + sum(t in _FR_ALONE for t in tokens)
    if language == "en":
        words = _NEGATIONS["en"]
        return sum(t in words or t.endswith(("n't", "n’t")) for t in tokens)
    if language == "ar":
        words = _NEGATIONS["ar"]
        return sum(_bare_arabic(t, words) in words for t in tokens)
    if language == "sw":
        words = _NEGATIONS["sw"]
        return sum(
            t in words or (t not in _SW_NOT_NEG and _SW_NEG.match(t) is not None) for t in tokens
        )
    return sum(t in _NEGATIONS.get(language, frozenset()) for t in tokens)


# -- named things ---------------------------------------------------------------------------------


# The INN regexes are written in English spelling; French, Spanish and Portuguese endings are
# mapped onto it first ("amoxicilina" → "amoxicillin", "ibuprofène" → "ibuprofen").
_ROMANCE_INN = [
    (re.compile(p), r)
    for p, r in (
        (r"cilin[ae]?(?!\w)", "cillin"),
        (r"micin[ae]?(?!\w)|mycine(?!\w)", "mycin"),
        (r"floxacin[eoa]?(?!\w)", "floxacin"),
        (r"ciclin[ae](?!\w)", "cycline"),
        (r"profen[eo](?!\w)", "profen"),
        (r"dipin[ae]?(?!\w)", "dipine"),
        (r"(?<=\w)(azol|prazol)(?!\w)", r"\1e"),
        (r"(?<=\w)(sartan|pril|statin|formin)[ae]?(?!\w)", r"\1"),
        (r"(?<!\w)(insulin|quinin|aspirin|morfin)[ae]?(?!\w)", r"\1"),
    )
]


def drugs(text: str) -> set[str]:
    folded = _fold(text)
    for pattern, replacement in _ROMANCE_INN:
        folded = pattern.sub(replacement, folded)
    return {m.group(1) for m in _ANTIBIOTIC.finditer(folded)} | {
        m.group(1) for m in _DRUG.finditer(folded)
    }


def proper_nouns(text: str) -> set[str]:
    """Capitalised words not at a sentence start (folded); "I" is not a name."""
    found = set()
    for match in re.finditer(r"(?<![\w'’])([A-ZÀ-ÖØ-Þ][^\W_]*)", text):
        before = text[: match.start()].rstrip()
        if not before or before[-1] in '.!?:;"«“¿¡(-–—\n':
            continue
        if match.group(1) != "I":
            found.add(_fold(match.group(1)))
    return found


def medical_terms(text: str, language: str) -> set[str]:
    """The canonical medical words the lexicon finds in the text ("tummy" → abdomen)."""
    lex = lexicon.load(language)
    canonical = set(lex.plain.values())
    words = re.findall(r"[^\W_]+", lex.expand(text))
    joined, present = f" {' '.join(words)} ", set(words)
    return {t for t in canonical if (t in present if " " not in t else f" {t} " in joined)}


def _words(text: str) -> set[str]:
    return set(_tokens(text))


# -- language -------------------------------------------------------------------------------------


def _arabic_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in letters) / len(
        letters
    )


def language_ok(text: str, language: str) -> bool:
    """The right script and, for Latin-script languages, more of its function words than any
    other's (a French reply to an English learner fails)."""
    share = _arabic_share(text)
    if language == "ar":
        return share >= 0.8
    if share > 0.05:
        return False
    tokens = _tokens(text)
    scores = {lang: sum(t in words for t in tokens) for lang, words in STOPWORDS.items()}
    own = scores.get(language, 0)
    return all(own >= value for lang, value in scores.items() if lang != language)


# -- degenerate or invented text ----------------------------------------------------------------

NOVEL_SHARE = 0.2  # of a rewording's content words, at most this share may be new
# The words any coaching paragraph needs and no score holds: they make no medical claim.
COACHING_WORDS = {
    "en": "ask asked next time well done good great work remember try keep also student",
    "fr": "demander demandez posez prochaine fois bien bravo bon travail pensez essayez aussi",
    "es": "pregunta pregunte preguntar próxima vez bien buen trabajo recuerda intenta también",
    "pt": "pergunte perguntar próxima vez bem bom trabalho lembre tente também",
    "sw": "uliza ulizia wakati ujao vizuri hongera kazi nzuri kumbuka jaribu pia",
    "ar": "اسأل اسال المرة القادمة أحسنت احسنت جيد عمل تذكر حاول أيضا ايضا",
}
GROUNDED_NOVEL_SHARE = 0.4  # of a coaching paragraph's content words, at most this share is new


def repeated(text: str, original: str = "") -> bool:
    """A run of four words said twice (a small model's loop) that the original does not repeat."""

    def grams(value: str) -> Counter[tuple[str, ...]]:
        tokens = _tokens(value)
        return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))

    before = grams(original)
    return any(n > 1 and before[g] < n for g, n in grams(text).items())


def _content_stems(text: str, language: str) -> list[str]:
    """Stemmed content words; numbers (digits or words) are left to the number check."""
    stop = STOPWORDS.get(language, frozenset())
    spelled = NUMBER_WORDS.get(language, {})
    return [
        stem(t, language)
        for t in _tokens(text)
        if t not in stop and len(t) > 2 and not t.isdigit() and t not in spelled
    ]


def novel_words(original: str, candidate: str, language: str) -> int:
    """How many of the candidate's content words (stemmed) the original does not hold."""
    known = set(_content_stems(original, language))
    return sum(s not in known for s in _content_stems(candidate, language))


def dropped_words(original: str, candidate: str, language: str) -> int:
    """How many of the original's content words (stemmed) the candidate no longer holds."""
    return novel_words(candidate, original, language)


# -- the checks -----------------------------------------------------------------------------------


def _vocabulary(text: str, language: str) -> tuple[Counter[str], set[str], set[str], set[str]]:
    return numbers(text, language), drugs(text), proper_nouns(text), medical_terms(text, language)


def check(original: str, candidate: str, language: str) -> Verdict:
    """May ``candidate`` be shown instead of ``original`` (both in ``language``)?"""
    reasons: list[str] = []
    candidate = candidate.strip()
    if not candidate or not MIN_RATIO <= len(candidate) / max(1, len(original)) <= MAX_RATIO:
        reasons.append("length")
    if not language_ok(candidate, language):
        reasons.append("language")
    num_o, drug_o, name_o, med_o = _vocabulary(original, language)
    num_c, drug_c, name_c, med_c = _vocabulary(candidate, language)
    if set(num_o) != set(num_c):
        reasons.append("number")
    if negations(original, language) != negations(candidate, language):
        reasons.append("negation")
    words_o, words_c = _words(original), _words(candidate)
    # A name may move to the start of a sentence: then it is only found among the words.
    if drug_o - drug_c or med_o - med_c or name_o - words_c:
        reasons.append("named")
    novel = novel_words(original, candidate, language)
    if drug_c - drug_o or med_c - med_o or name_c - words_o:
        reasons.append("added")
    elif novel > max(1, NOVEL_SHARE * len(_content_stems(candidate, language))):
        reasons.append("added")  # new words a rewording needs are few; many means invention
    dropped = dropped_words(original, candidate, language)
    if dropped > 1 or dropped > novel:
        # A rewording says everything. One word may give way to another ("kama hicho" → "cha
        # namna hiyo"), but the benchmark showed a word simply left out can be a fact ("It is
        # wet", "hier"), so a loss with nothing in its place is refused.
        reasons.append("dropped")
    if repeated(candidate, original):
        reasons.append("repeated")
    return Verdict(not reasons, reasons)


# Lexicon words that are everyday language, not medical claims: a coaching paragraph may say
# "remember" or "next time start with" without the score holding those words.
GENERAL_TERMS = _wordset(
    "remember unusual school episode worse improve previous start night play sit child family "
    "job illness loss gain size clinic hospital sport travel diet frequency movement back drink "
    "flex"
)


def grounded(text: str, source: str, language: str, max_chars: int = 700) -> Verdict:
    """May ``text`` (a model's paragraph) be shown as built from ``source`` alone?

    Every number, drug, proper noun and medical term in ``text`` must occur in ``source``; the
    paragraph must be in ``language`` and at most ``max_chars`` long. Nothing is required to be
    kept: a summary may leave things out, it may not add.
    """
    reasons: list[str] = []
    text = text.strip()
    if not 20 <= len(text) <= max_chars:
        reasons.append("length")
    if not language_ok(text, language):
        reasons.append("language")
    num_s, drug_s, _name_s, med_s = _vocabulary(source, language)
    num_t, drug_t, name_t, med_t = _vocabulary(text, language)
    if set(num_t) - set(num_s):
        reasons.append("number")
    if drug_t - drug_s or (med_t - GENERAL_TERMS) - med_s or name_t - _words(source):
        reasons.append("added")
    said = set(_content_stems(text, language))
    allowed = set(_content_stems(f"{source} {COACHING_WORDS.get(language, '')}", language))
    if len(said - allowed) > GROUNDED_NOVEL_SHARE * len(said):
        # Not a lexicon term but still a claim: "kwashiorkor, a rare and serious condition"
        # passed the term check in the benchmark. Most of what a coaching paragraph says must
        # be words of the score it was given.
        reasons.append("added")
    if repeated(text):
        reasons.append("repeated")
    return Verdict(not reasons, list(dict.fromkeys(reasons)))
