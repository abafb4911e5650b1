"""Text normalisation for matching questions to case facts, in all six languages.

Folds case and diacritics (and Arabic letter variants), splits into words, drops stop words and
reduces words to a crude stem, so "vomiting", "Vomits" and "vómito" meet. Kept deliberately
simple and language-light: the curated lexicon (``lexicon.py``) carries the real vocabulary.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})
# Ligatures and Arabic-Indic digits read as plain letters and digits.
_LETTER_FOLD = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss"}
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)
# The apostrophes and hyphens that glue French and Portuguese words together ("s'asseoir",
# "est-ce", "dá-lhe"): as spaces, a phrase reads the same in a question, a fact and a lexicon line
# however it was typed.
_JOIN_FOLD = str.maketrans({"'": " ", "’": " ", "`": " ", "´": " ", "-": " ", "‐": " "})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _split(text: str) -> list[str]:
    return text.split()


# Function words only: content words (pain, fever, when) must stay searchable.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        _split(
            "a an the and or of to in on at for with is are was were be been am do does did i "
            "you your my me we it its this that have has had any ever there any some so can "
            "could would please tell about mr mrs ms sir madam okay ok well just also what "
            "whats how when where who why which whom u ur yourself yours he she him his her "
            "they them their its it s t does doing done get got getting make makes made feel "
            "feeling felt notice noticed experience experiencing experienced anything "
            "something lately recently today now currently still ever before exactly really "
            "much many more very other else like since going go goes been being having has "
            "into out up down off over there here will shall should may might must isn aren "
            "wasn weren don didn doesn haven hasn describe explain say said let know problem "
            "problems trouble difficulty issue issues take taking takes took use using used "
            "regularly regular usually normally any medical history baby infant newborn "
            "patient bad r rn ur hows whats anyone anybody someone by from as than then if but "
            "because while also too"
        )
    ),
    "fr": frozenset(
        _split(
            "le la les un une des de du d l et ou a au aux en est sont etes je j vous votre "
            "vos mon ma mes me m il elle ils elles on ce cet cette ces ca cela avez avoir ai "
            "as ont eu ete etre suis es sommes qu que qui quoi quel quelle quels quelles dans "
            "pour par sur se s y est-ce quelque bien alors si tu te t ton ta tes toi lui leur "
            "leurs nous notre nos fait faire fais font comment pourquoi combien comme est-il "
            "est-elle estce vraiment encore aussi tres peu plus moins deja toujours jamais "
            "pas ne n non oui ok bon bebe enfant patient madame monsieur docteur quelqu chose "
            "autre aujourd hui maintenant actuellement derniers dernieres dernier derniere "
            "ces-jours ceci sa son ses avec sans chez"
        )
    ),
    "es": frozenset(
        _split(
            "el la los las un una unos unas de del y o a al en es son esta estan estas estoy "
            "soy eres yo usted ustedes su sus mi mis me le les lo se que por para con tiene "
            "tienes tengo ha han he has hay algun alguna alguno algo tu te ti cual cuales "
            "como cuanto cuanta cuantos cuantas porque muy mas menos ya todavia nunca no si "
            "ok bueno bebe nino nina paciente senor senora doctor hoy ahora actualmente "
            "ultimamente estos ese esa eso este esto otro otra sido fue era estado"
        )
    ),
    "pt": frozenset(
        _split(
            "o a os as um uma uns umas de do da dos das e ou em no na nos nas sao esta estao "
            "estou sou voce voces seu sua seus suas meu minha meus minhas me lhe se que por "
            "para com tem tens tenho teve ha algum alguma alguns algo tu te ti qual quais "
            "como quanto quanta quantos quantas porque muito mais menos ja ainda nunca nao "
            "sim ok bom bebe crianca paciente senhor senhora doutor hoje agora atualmente "
            "ultimamente este isto esse essa isso outro outra foi era anda ta ele ela eles "
            "elas"
        )
    ),
    "sw": frozenset(
        _split(
            "na ya wa za la kwa ni je au cha vya hii huo hiyo yako yangu yake wako wangu wake "
            "lako langu lake kama sana tu pia bado sasa leo hivi hapo kuna ana una nina ame "
            "ume nime hana huna sina yeye wewe mimi sisi nyinye wao gani nini nani vipi mtoto "
            "mama baba daktari ndiyo hapana kitu vitu zote wote yote lote kote vyote kila tena "
            "kabisa huyo hao hizo lakini ama"
        )
    ),
    "ar": frozenset(
        _split(
            "في من على الى إلى عن و او أو هل ان إن أن انت أنت انا أنا هو هي هذا هذه ذلك تلك "
            "ما ماذا لك لي له لها عند عنده عندها عندك عندي كان كانت يكون صار صارت شو ايش إيش "
            "كيف ليش لماذا اي أي كم مع بس يا الطفل الولد البنت الطفلة طفل ولد بنت دكتور"
        )
    ),
}

_SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s", "e", "y"),
    "fr": ("ements", "ement", "ant", "ait", "ais", "ees", "ee", "ez", "er", "es", "e", "s", "x"),
    "es": (
        "mente",
        "iendo",
        "ando",
        "ones",
        "ado",
        "ido",
        "ar",
        "er",
        "ir",
        "es",
        "as",
        "os",
        "a",
        "o",
        "s",
    ),
    "pt": (
        "mente",
        "ando",
        "endo",
        "indo",
        "oes",
        "ado",
        "ido",
        "ar",
        "er",
        "ir",
        "es",
        "as",
        "os",
        "a",
        "o",
        "s",
    ),
    "sw": ("wa", "a", "e", "i", "o", "u"),
    "ar": ("ات", "ون", "ين", "ه"),
}
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "بي", "بت", "و")
STEM_LENGTH = 5
# Swahili marks person, tense and negation at the front of the verb: "anakohoa", "alikohoa",
# "hakohoi" and "kukohoa" share the root "koh…" once subject, tense and object prefixes go.
_SWAHILI_VERB = re.compile(
    r"^(?:ha|si)?(?:ni|u|a|tu|m|mu|wa|i|li|ki|vi|zi|ya|ku|pa)"
    r"(?:mesha|lisha|ngali|nge|sha|na|li|ta|me|ja|ki|ka|hu)"
    r"(?:ni|ku|m|mw|tu|wa|ki|vi|zi|ji)?(?P<root>[a-z]{3,})$"
)
_SWAHILI_INFINITIVE = re.compile(r"^(?:ku|kw)(?:ji)?(?P<root>[a-z]{3,})$")


def fold(text: str, *, keep_joins: bool = False) -> str:
    """Lower case without diacritics; Arabic alef/ta marbuta/ya variants made one; apostrophes and
    hyphens made spaces unless ``keep_joins`` (the faithfulness check reads "n't" and "n'")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.translate(_ARABIC_FOLD).translate(_LETTER_FOLD)
    return folded if keep_joins else folded.translate(_JOIN_FOLD)


# Lists are written naturally; compare them folded like everything else.
STOPWORDS = {lang: frozenset(fold(w) for w in stop) for lang, stop in STOPWORDS.items()}


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str, language: str) -> str:
    if word.startswith("@") or word.isdigit():
        return word
    if language == "sw" and len(word) >= 6:
        found = _SWAHILI_VERB.match(word) or _SWAHILI_INFINITIVE.match(word)
        if found:
            word = found.group("root")
    if language == "ar":
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
    for _ in range(2):  # "movements" → "movement" → "move"
        for suffix in _SUFFIXES.get(language, ()):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word[:STEM_LENGTH]


def terms(text: str, language: str) -> list[str]:
    """Stemmed content words of ``text`` (already lexicon-expanded or not)."""
    stop = STOPWORDS.get(language, frozenset())
    out = []
    for token in text.split():
        if token.startswith("@"):
            out.append(token)
            continue
        for word in words(token):
            stemmed = stem(word, language)
            if word not in stop and stemmed not in stop:
                out.append(stemmed)
    return out


def trigrams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character trigrams: tolerant of one or two typos."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def content_words(text: str, language: str) -> list[str]:
    """Folded words of ``text`` that are not stop words, unstemmed (tags dropped)."""
    stop = STOPWORDS.get(language, frozenset())
    return [w for t in text.split() if not t.startswith("@") for w in words(t) if w not in stop]


def char_grams(word: str, n: int = 4) -> list[str]:
    """Character n-grams of a padded word: where stems differ by prefixes or infixes
    (Swahili "anakohoa" / "kukohoa", Arabic "يستفرغ" / "استفراغ") they still share most."""
    if len(word) < 3 or word.isdigit():
        return []
    padded = f"_{word}_"
    return [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]
