"""List what still needs a translator: untranslated and fuzzy entries in each catalog.

Usage: python locales/untranslated.py [LANG ...]   (default: every catalog under locales/)
Run `make messages` first so new strings in the code reach the catalogs. English is the source
language: its empty msgstr falls back to the msgid, so only fuzzy English entries are listed.
Exits 1 when anything is left, so scripts and CI can use it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "en"


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "tutor.po"


def pending(language: str) -> list[tuple[str, str]]:
    """(problem, msgid) for every entry of ``language`` that a translator must look at."""
    with catalog_path(language).open("rb") as fh:
        catalog = read_po(fh, locale=language)
    found: list[tuple[str, str]] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(("fuzzy", msgid))
        elif language != SOURCE_LANGUAGE and not all(strings):
            found.append(("untranslated", msgid))
    return found


def main(argv: list[str]) -> int:
    languages = argv or sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/*.po"))
    total = 0
    for language in languages:
        entries = pending(language)
        total += len(entries)
        print(f"{language}: {len(entries)} to do")
        for problem, msgid in entries:
            print(f"  [{problem}] {msgid!r}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
