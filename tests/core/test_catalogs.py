"""The shipped translation catalogs: in step with the code, complete, placeholders, plurals.

These read the .po sources and extract the messages from tutor/ afresh, so a new ``_()`` string
anywhere fails here until `make messages` has merged it and a translator has filled it in.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tutor.core import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
KEYWORDS = {"_": None, "ngettext": (1, 2)}
TRANSLATED = [lang for lang in i18n.SUPPORTED if lang != i18n.SOURCE_LANGUAGE]


def load(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "tutor.po").open("rb") as fh:
        return read_po(fh, locale=language)


def entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def first_id(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def source_messages() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "tutor"),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    )
    return {msg if isinstance(msg, str) else msg[0] for _f, _l, msg, _c, _x in found}


def fields(text: str) -> set[str]:
    """The ``{name}`` / ``{name:spec}`` placeholders of a str.format template, spec included."""
    out = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.add(f"{name}!{conversion}:{spec}" if conversion else f"{name}:{spec}")
    return out


def mnemonics(text: str) -> int:
    return len(re.findall(r"&(?!&)\S", text.replace("&&", "")))


def test_every_supported_language_has_a_catalog_and_no_other() -> None:
    shipped = {p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/tutor.po")}
    assert shipped == set(i18n.SUPPORTED)


@pytest.mark.parametrize("language", i18n.SUPPORTED)
def test_catalog_holds_every_string_of_the_code(language: str) -> None:
    in_code = source_messages()
    assert len(in_code) > 40  # the extraction itself works
    in_catalog = {first_id(m) for m in entries(load(language))}
    missing = sorted(in_code - in_catalog)
    assert not missing, f"run `make messages` and translate: {missing}"


@pytest.mark.parametrize("language", i18n.SUPPORTED)
def test_catalog_is_complete_and_has_no_fuzzy_entries(language: str) -> None:
    problems = []
    for message in entries(load(language)):
        if message.fuzzy:
            problems.append(("fuzzy", first_id(message)))
        # English is the source: an empty msgstr shows the msgid itself.
        elif language != i18n.SOURCE_LANGUAGE and not all(forms(message)):
            problems.append(("untranslated", first_id(message)))
    assert not problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_mnemonics_match(language: str) -> None:
    problems = []
    for message in entries(load(language)):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            # A form may drop {count} ("حالة واحدة" = one case) but never invent a placeholder.
            for text in forms(message):
                if not fields(text) <= fields(singular) | fields(plural):
                    problems.append((singular, text))
            continue
        text = message.string
        if fields(text) != fields(message.id):
            problems.append((message.id, text))
        if mnemonics(text) != mnemonics(message.id):
            problems.append((message.id, text))
    assert not problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_differ_from_english_where_words_are_translatable(language: str) -> None:
    """Copying each msgid into msgstr would pass the completeness test, but not this one."""

    def words(text: str) -> list[str]:
        """Words outside placeholders: a pure format like "{name}, {age} {unit}" has none."""
        return re.findall(r"[^\W\d_]{2,}", re.sub(r"\{[^}]*\}", " ", text))

    same = [
        m.id
        for m in entries(load(language))
        if not isinstance(m.id, tuple) and m.string == m.id and len(words(m.id)) > 2
    ]
    assert not same


# GNU gettext's order for Arabic (the order Poedit, Weblate and the Plural-Forms header use).
ARABIC_ORDER = ("zero", "one", "two", "few", "many", "other")


def test_arabic_catalog_plural_rule_picks_the_cldr_category() -> None:
    """Babel's own Arabic rule swaps "many" and "other" (python-babel/babel#816); ours must not."""
    catalog = load("ar")
    assert catalog.num_plurals == 6
    i18n.setup_i18n("ar")
    rule = i18n._translation.plural  # type: ignore[attr-defined]
    cldr = Locale.parse("ar").plural_form
    wrong = [n for n in range(0, 1200) if ARABIC_ORDER[rule(n)] != cldr(n)]
    assert not wrong


def test_arabic_ngettext_chooses_each_form() -> None:
    i18n.setup_i18n("ar")
    text = {
        n: i18n.ngettext("{count} case installed", "{count} cases installed", n).format(count=n)
        for n in (0, 1, 2, 3, 10, 11, 99, 100, 102)
    }
    assert text[0] == "لا توجد حالات مثبّتة"  # zero: no number at all
    assert text[1] == "حالة واحدة مثبّتة"  # one
    assert text[2] == "حالتان مثبّتتان"  # two: the dual
    assert text[3] == "3 حالات مثبّتة" and text[10] == "10 حالات مثبّتة"  # few: plural noun
    assert text[11] == "11 حالة مثبّتة" and text[99] == "99 حالة مثبّتة"  # many: singular noun
    assert text[100] == "100 حالة مثبّتة" and text[102] == "102 حالة مثبّتة"  # other


def test_two_form_languages_follow_their_own_rule() -> None:
    """French counts 0 as singular; Portuguese (European/African) and Spanish do not."""
    results = {}
    for language in ("fr", "pt", "en"):
        i18n.setup_i18n(language)
        results[language] = i18n.ngettext("{count} case installed", "{count} cases installed", 0)
    assert results == {
        "fr": "{count} cas installé",
        "pt": "{count} casos instalados",
        "en": "{count} cases installed",
    }


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalog_is_installed_and_used(language: str) -> None:
    assert (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "tutor.mo").is_file()
    i18n.setup_i18n(language)
    assert i18n._("Settings") != "Settings"
    assert i18n.current_language() == language


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """pybabel cannot see `_()` inside an f-string: such a string is never translated."""
    hidden = []
    for path in sorted((ROOT / "tutor").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in ("_", "ngettext")
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden
