"""The curated lay-term lexicons (``lexicon/<lang>.txt``): how a question and a fact meet.

"tummy" and "belly" become *abdomen*, "sugar disease" *diabetes*; question types (how long → a
``@duration`` tag) and history categories (job → ``@cat_social``) are added as tags. The same
expansion runs on the case's text and on the learner's question, so both sides use one vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tutor.core.practice.text import STOPWORDS, fold

LEXICON_DIR = Path(__file__).with_name("lexicon")


@dataclass(frozen=True)
class Lexicon:
    language: str
    plain: dict[str, str]  # folded variant → canonical word(s)
    tags: dict[str, tuple[str, ...]]  # folded variant → tags it adds
    consumed: frozenset[str]  # tag variants that only say what is asked (dropped from questions)
    plain_re: re.Pattern[str] | None
    tags_re: re.Pattern[str] | None
    words: frozenset[str] = frozenset()  # every word of every variant (Arabic clitic stripping)

    def expand(self, text: str, question: bool = False) -> str:
        """Folded ``text`` with lay terms replaced by canonical words and tags appended.

        In a ``question``, phrases that only say what kind of thing is asked ("how long", "any
        medical conditions") become tags and leave the text, so they do not count as unknown
        words when the coverage of a fact is judged.
        """
        folded = fold(text)
        if self.language == "ar":
            folded = " ".join(self._arabic_base(w) for w in folded.split())
        folded = _ANTIBIOTIC.sub(r"\1 antibiotic", folded)
        folded = _DRUG.sub(r"\1 medicine", folded)
        replaced = folded
        if self.plain_re is not None:
            replaced = self.plain_re.sub(
                lambda m: self.plain[_base(m.group(1), self.plain)], folded
            )
        found: list[str] = []
        if self.tags_re is not None:
            for source in (folded, replaced):
                for match in self.tags_re.finditer(source):
                    found += self.tags[_base(match.group(1), self.tags)]
            if question:  # a question asks once; a fact may say it several times
                found = list(dict.fromkeys(found))
            if question:
                replaced = self.tags_re.sub(
                    lambda m: " " if _base(m.group(1), self.tags) in self.consumed else m.group(0),
                    replaced,
                )
        return " ".join([replaced, *found])

    def _arabic_base(self, word: str) -> str:
        """``word`` without the clitics glued to it ("وبالمفاصل" → "مفاصل", "راسه" → "راس") when
        only the bare form is a word the lexicon knows; otherwise ``word`` as it is."""
        if word in self.words:
            return word
        for prefix in _AR_PREFIXES:
            if not word.startswith(prefix):
                continue
            for suffix in _AR_SUFFIXES:
                if suffix and not word.endswith(suffix):
                    continue
                core = word[len(prefix) : len(word) - len(suffix)]
                if len(core) >= 2 and core in self.words:
                    return core
        return word


_AR_PREFIXES = ("", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("", "هما", "كما", "ها", "هم", "كم", "كن", "نا", "ه", "ك", "ي")

# International non-proprietary name stems: a drug name is a medicine in every language.
_ANTIBIOTIC = re.compile(r"(?<!\w)(\w*(?:cillin|mycin|floxacin|oxacin|cycline)|ce[fp]h?\w+)(?!\w)")
_DRUG = re.compile(
    r"(?<!\w)(\w+(?:pril|olol|statin|prazole|cillin|mycin|floxacin|formin|sartan|dipine|"
    r"azole|cycline|mab|parin|semide|thiazide|lukast|triptan|oxacin|sone|lone|glargine|"
    r"fenac|profen|xaban|tidine)|paracetamol|acetaminophen|aspirin|insulin|quinine|artesunate|"
    r"artemether|lumefantrine|coartem|tenofovir|efavirenz|dolutegravir|lamivudine|zidovudine|"
    r"nevirapine|cotrimoxazole|septrin|hydroxyurea|salbutamol|rifampicin|isoniazid|ethambutol|"
    r"pyrazinamide|amphotericin|morphine|tramadol|oxytocin|misoprostol|arvs?|ors)(?!\w)"
)


def _base(matched: str, table: Mapping[str, object]) -> str:
    """The table key a (possibly plural) match came from."""
    for candidate in (matched, matched[:-1], matched[:-2]):
        if candidate in table:
            return candidate
    return matched


def _pattern(variants: list[str]) -> re.Pattern[str] | None:
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)((?:{alternatives})(?:e?s)?)(?!\w)")


def _entries(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, canonical, its non-empty variants) of every ``canonical | variant…`` line."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if "|" in line:
            canonical, *variants = (part.strip() for part in line.split("|"))
            yield number, canonical, [v for v in variants if v]


def _text(language: str) -> str:
    path = LEXICON_DIR / f"{language}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def parse(language: str, text: str) -> Lexicon:
    plain: dict[str, str] = {}
    tags: dict[str, list[str]] = {}
    consumed: set[str] = set()
    for _number, canonical, variants in _entries(text):
        if canonical == "~":  # filler: words that say nothing about what is asked
            for raw_variant in variants:
                plain.setdefault(fold(raw_variant), "")
            continue
        for raw_variant in variants:
            variant = fold(raw_variant.lstrip("-").strip())
            if canonical.startswith("@"):
                tags.setdefault(variant, []).append(canonical)
                if raw_variant.startswith("-") or " " in variant:
                    consumed.add(variant)
            else:
                plain.setdefault(variant, fold(canonical))
        if not canonical.startswith("@"):
            plain.setdefault(fold(canonical), fold(canonical))
    frozen_tags = {k: tuple(dict.fromkeys(v)) for k, v in tags.items()}
    return Lexicon(
        language,
        plain,
        frozen_tags,
        frozenset(consumed),
        _pattern(list(plain)),
        _pattern(list(tags)),
        frozenset(w for variant in [*plain, *tags] for w in variant.split()),
    )


@cache
def load(language: str) -> Lexicon:
    return parse(language, _text(language))


def conflicts(language: str) -> list[str]:
    """Lines of ``lexicon/<language>.txt`` that can never take effect: a variant already given to
    another canonical word (the first one wins, silently), or a canonical word that is a stop word
    (it is dropped before matching). Checked by a test, so authors learn of them at once."""
    stop = STOPWORDS.get(language, frozenset())
    owner: dict[str, str] = {}
    found: list[str] = []
    for number, canonical, variants in _entries(_text(language)):
        if canonical.startswith("@"):
            continue
        if canonical != "~" and any(w in stop for w in fold(canonical).split()):
            found.append(f"{language}.txt:{number}: canonical {canonical!r} is a stop word")
        for variant in variants:
            key = fold(variant.lstrip("-").strip())
            first = owner.setdefault(key, canonical)
            if fold(first) != fold(canonical):
                where = f"{language}.txt:{number}"
                found.append(f"{where}: {variant!r} already means {first!r}, not {canonical!r}")
    return found
