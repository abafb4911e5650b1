"""Question → case fact: the grounding of everything the virtual patient says.

Retrieval first and model-free: BM25 over each history fact's authored question phrasings and
answer text in the learner's language (English as fallback), after the lexicon has mapped lay
terms to one vocabulary and tagged question types and categories, with typo tolerance from
character trigrams. A match whose *coverage* (the share of the question's informative words the
fact holds) is under the threshold is no match: the patient then gives the case's default answer,
which is how absent symptoms get their pertinent "no". An optional ``chooser`` (the small model)
may pick among close candidates; it is never required.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tutor.core.content.schema import Case
from tutor.core.i18n import fallback_chain
from tutor.core.practice import lexicon
from tutor.core.practice.header import header_facts
from tutor.core.practice.text import (
    STOPWORDS,
    char_grams,
    content_words,
    terms,
    trigrams,
    words,
)

K1 = 1.2
B = 0.75
MIN_COVERAGE = 0.4
# A word the lexicon knows as a clinical concept that no fact of the case holds ("back pain?" in a
# case without back pain) is strong evidence the question is about something absent.
CONCEPT_WEIGHT = 1.5
TYPO_SIMILARITY = 0.45
TYPE_TAGS = ("@duration", "@onset", "@location", "@severity")
TYPE_MISS_FACTOR = 0.5  # a fact that cannot answer the kind of question asked ranks lower
TIE_RATIO = 0.95  # facts scoring this close to the best are all given ("what medicines?")
MAX_FACTS = 4
# Where one question ends and another begins: sentence marks, and "and" in the learner's language
# (only theirs: Portuguese "na" is "in the"). Not Swahili "na", which is also "with" and "have"
# ("kuwa na homa"): split there, "amewahi kuwa" alone matched any past-history fact.
_AND = {"en": "and", "fr": "et", "es": "y", "pt": "e", "ar": "و"}
_PARTS = {lang: re.compile(rf"[?.!;؟،]+|\s{word}\s", re.IGNORECASE) for lang, word in _AND.items()}
_SENTENCES = re.compile(r"[?.!;؟،]+")
OPENING_FACTOR = 0.6  # the opening was said already; a specific fact is the better answer
CHOOSER_MARGIN = 0.15  # ask the chooser only when the runner-up is this close (relative score)

# Canonical words a fact of a category answers to, whatever it says ("any medicines?" is
# answered by a fact listing drug names).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "past_history": ("previous", "illness"),
    "medicines": ("medicine",),
    "allergies": ("allergy",),
    "family": ("family",),
}


@dataclass(frozen=True)
class Options:
    """Switches for the matcher's ideas, so each can be measured on and off."""

    lexicon: bool = True
    typos: bool = True
    authored_questions: bool = True
    header_facts: bool = True
    type_penalty: bool = True
    ties: bool = True
    ngrams: bool = True
    ngram_weight: float = 0.3
    min_coverage: float = MIN_COVERAGE
    concept_weight: float = CONCEPT_WEIGHT
    parts: bool = True


@dataclass(frozen=True)
class Candidate:
    fact_id: str
    text: str
    score: float
    coverage: float


@dataclass(frozen=True)
class Match:
    question: str
    answer: str
    fact_ids: tuple[str, ...]
    language: str  # the language the answer is in (after fallback)
    confidence: float
    candidates: tuple[Candidate, ...] = field(default=())

    @property
    def grounded(self) -> bool:
        return bool(self.fact_ids)


@dataclass(frozen=True)
class _Doc:
    fact_id: str
    answer: str
    language: str
    terms: Counter[str]
    length: int
    grams: Counter[str]
    gram_length: int


Chooser = Callable[[str, Sequence[Candidate]], str | None]


def _localised(value: Mapping[Any, Any], language: str) -> tuple[Any, str] | None:
    for lang in fallback_chain(language):
        if lang in value:
            return value[lang], lang
    return None


@dataclass(frozen=True)
class _Words:
    """Known words with their character trigrams, by length, for typo correction."""

    all: frozenset[str]
    by_length: dict[int, tuple[tuple[str, frozenset[str]], ...]]

    @staticmethod
    def of(known: set[str] | frozenset[str]) -> _Words:
        by_length: dict[int, list[tuple[str, frozenset[str]]]] = {}
        for word in known:
            by_length.setdefault(len(word), []).append((word, frozenset(trigrams(word))))
        return _Words(frozenset(known), {n: tuple(ws) for n, ws in by_length.items()})

    def near(self, length: int) -> Iterator[tuple[str, frozenset[str]]]:
        """Words at most two letters longer or shorter: the only ones a typo can be."""
        for n in range(length - 2, length + 3):
            yield from self.by_length.get(n, ())


@cache
def _language_words(language: str, with_lexicon: bool) -> _Words:
    known = set(STOPWORDS.get(language, ()))
    if with_lexicon:
        known |= lexicon.load(language).words
    return _Words.of(known)


@cache
def _concepts(language: str) -> frozenset[str]:
    """Stems of the lexicon's canonical words: what counts as a clinical concept."""
    return frozenset(terms(" ".join(set(lexicon.load(language).plain.values())), language))


class CaseIndex:
    """The searchable facts of one case in one learner language."""

    def __init__(self, case: Case, language: str, options: Options | None = None) -> None:
        self.case = case
        self.language = language
        self.options = options or Options()
        self.lexicon = lexicon.load(language) if self.options.lexicon else lexicon.parse("", "")
        sources = self._sources()
        # Words a question word may be corrected to: the language's (shared by every case,
        # built once) and this case's own.
        self.shared_words = _language_words(language, self.options.lexicon)
        self.case_words = _Words.of(
            {w for *_, text in sources for w in words(text)} - self.shared_words.all
        )
        self.docs = [
            self._doc(fact_id, answer, lang, text) for fact_id, answer, lang, text in sources
        ]
        self.avg_length = sum(d.length for d in self.docs) / max(len(self.docs), 1)
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.terms.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in frequency.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self.concepts = _concepts(language) if self.options.lexicon else frozenset()
        gram_frequency: Counter[str] = Counter()
        for doc in self.docs:
            gram_frequency.update(doc.grams.keys())
        self.gram_idf = {
            g: math.log(1 + (n - f + 0.5) / (f + 0.5)) for g, f in gram_frequency.items()
        }
        self.avg_gram_length = sum(d.gram_length for d in self.docs) / max(len(self.docs), 1)
        default = _localised(case.default_answer, language)
        assert default is not None
        self.default_answer, self.default_language = default

    def _sources(self) -> list[tuple[str, str, str, str]]:
        """(fact id, answer, answer language, searchable text) for every answerable fact."""
        out: list[tuple[str, str, str, str]] = []
        lang = self.language
        for fact in self.case.history:
            answer = _localised(fact.answer, lang)
            assert answer is not None
            text = answer[0]
            if self.options.authored_questions:
                asked = _localised(fact.questions, lang) if fact.questions else None
                if asked:
                    text += " " + " ".join(asked[0])
            words_ = " ".join(CATEGORY_WORDS.get(fact.category, ()))
            out.append((fact.id, answer[0], answer[1], f"{text} {words_} @cat_{fact.category}"))
        patient = self.case.patient
        opening = _localised(patient.opening, lang)
        assert opening is not None
        # The opening is said at the start; it answers "what brings you" only when no fact does.
        if not any(f.category == "presenting_complaint" for f in self.case.history):
            text = f"{opening[0]} @cat_presenting_complaint"
            out.append(("opening", opening[0], opening[1], text))
        if not self.options.header_facts:
            return out
        has_social = any(f.category == "social" for f in self.case.history)
        out += header_facts(self.case, lang, job=not has_social)
        return out

    def _expand_question(self, text: str) -> str:
        if self.options.typos:
            text = " ".join(self._correct(w) for w in words(text))
        return self.lexicon.expand(text, question=True) if self.options.lexicon else text

    def _doc(self, fact_id: str, answer: str, language: str, text: str) -> _Doc:
        expanded = self._expand_doc(text, language)  # once: terms and n-grams both read it
        tags = [t for t in text.split() if t.startswith("@")]
        counted = Counter(terms(expanded, language) + tags)
        grams: Counter[str] = Counter()
        if self.options.ngrams:
            grams = Counter(self._grams(expanded, language))
        return _Doc(
            fact_id, answer, language, counted, sum(counted.values()), grams, sum(grams.values())
        )

    @staticmethod
    def _grams(expanded: str, language: str) -> list[str]:
        return [g for w in content_words(expanded, language) for g in char_grams(w)]

    def _expand_doc(self, text: str, language: str) -> str:
        plain = " ".join(t for t in text.split() if not t.startswith("@"))
        if not self.options.lexicon:
            return plain
        # A fact is read with its own language's lexicon; canonical words are shared, so a
        # question in Swahili meets an English fallback fact on "fever".
        return (self.lexicon if language == self.language else lexicon.load(language)).expand(plain)

    def _correct(self, word: str) -> str:
        known_words = (self.shared_words, self.case_words)
        if len(word) < 4 or word.isdigit() or any(word in k.all for k in known_words):
            return word
        best, best_sim = word, TYPO_SIMILARITY
        grams = trigrams(word)
        for known, known_grams in (c for k in known_words for c in k.near(len(word))):
            sim = len(grams & known_grams) / len(grams | known_grams)
            # Ties go to the alphabetically first word, so a run never depends on set order.
            if sim > best_sim or (sim == best_sim and best != word and known < best):
                best, best_sim = known, sim
        return best

    def _weight(self, term: str) -> float:
        if term in self.idf:
            return self.idf[term]
        if term in self.concepts:
            return self.unknown_idf * self.options.concept_weight
        if term.isdigit():  # "on a scale of 1-10", "2 days?": a number no fact holds vetoes nothing
            return 0.0
        return self.unknown_idf

    def candidates(self, question: str, limit: int = 5) -> list[Candidate]:
        expanded = self._expand_question(question)
        query = list(dict.fromkeys(terms(expanded, self.language)))
        content = [t for t in query if not t.startswith("@")]
        total = sum(self._weight(t) for t in content)
        grams = list(dict.fromkeys(self._grams(expanded, self.language)))
        gram_total = sum(self.gram_idf.get(g, self.unknown_idf) for g in grams)
        scored: list[Candidate] = []
        for doc in self.docs:
            score, covered = _bm25(query, doc.terms, doc.length, self.avg_length, self.idf)
            coverage = covered / total if total else 1.0
            if grams and doc.grams:
                g_score, g_covered = _bm25(
                    grams, doc.grams, doc.gram_length, self.avg_gram_length, self.gram_idf
                )
                score += self.options.ngram_weight * g_score
                coverage = max(coverage, g_covered / gram_total if gram_total else 0.0)
            if doc.fact_id == "opening":
                score *= OPENING_FACTOR
            if (
                score > 0
                and self.options.type_penalty
                and any(t in query and t not in doc.terms for t in TYPE_TAGS)
            ):
                score *= TYPE_MISS_FACTOR
            if score > 0:
                scored.append(Candidate(doc.fact_id, doc.answer, score, coverage))
        scored.sort(key=lambda c: (-c.score, c.fact_id))
        return scored[:limit]

    def match(self, question: str, chooser: Chooser | None = None) -> Match:
        found = self.candidates(question)
        given = self._choose(question, found, chooser)
        if not given and self.options.parts:
            # "Where does it hurt? Since when?": each sentence asked on its own.
            for part in _PARTS.get(self.language, _SENTENCES).split(question):
                if part.strip() and part.strip() != question.strip():
                    for c in self._choose(part, self.candidates(part), chooser):
                        if all(g.fact_id != c.fact_id for g in given):
                            given.append(c)
            given = given[:MAX_FACTS]
        if not given:
            return Match(
                question,
                self.default_answer,
                (),
                self.default_language,
                found[0].coverage if found else 0.0,
                tuple(found),
            )
        docs = [next(d for d in self.docs if d.fact_id == c.fact_id) for c in given]
        answer = " ".join(_sentence(d.answer) for d in docs) if len(docs) > 1 else docs[0].answer
        return Match(
            question,
            answer,
            tuple(d.fact_id for d in docs),
            docs[0].language,
            given[0].coverage,
            tuple(found),
        )

    def _choose(
        self, question: str, found: list[Candidate], chooser: Chooser | None
    ) -> list[Candidate]:
        """The facts that answer ``question``: the best confident one and its near ties."""
        confident = [c for c in found if c.coverage >= self.options.min_coverage]
        if not confident:
            return []
        chosen = confident[0]
        if chooser is not None and len(confident) > 1:
            top, second = confident[0], confident[1]
            if (top.score - second.score) / top.score < CHOOSER_MARGIN:
                picked = chooser(question, confident[:3])
                chosen = next((c for c in confident if c.fact_id == picked), chosen)
        given = [chosen]
        if self.options.ties:
            given += [
                c for c in confident if c is not chosen and c.score >= TIE_RATIO * chosen.score
            ][: MAX_FACTS - 1]
        return given


def _bm25(
    query: list[str], counts: Counter[str], length: int, avg_length: float, idf: dict[str, float]
) -> tuple[float, float]:
    """BM25 score of one document, and the idf mass of the query's content terms it holds."""
    score = covered = 0.0
    norm = K1 * (1 - B + B * length / max(avg_length, 1e-9))
    for term in query:
        tf = counts.get(term, 0)
        if not tf:
            continue
        weight = idf[term]
        score += weight * tf * (K1 + 1) / (tf + norm)
        if not term.startswith("@"):
            covered += weight
    return score, covered


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?。؟" else text + "."
