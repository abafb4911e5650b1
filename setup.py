"""Build hook only (metadata lives in pyproject.toml): compile the translation catalogs.

Every ``locales/<lang>/LC_MESSAGES/tutor.po`` becomes ``tutor/_locale/.../tutor.mo`` before
setuptools looks for packages and package data, so a wheel built from a clean checkout or an sdist
carries the compiled catalogs (pyproject's package-data lists ``_locale/**/*.mo``). Compiling in
``build_py`` would be too late: the folders must exist when packages are discovered. ``make``
compiles the same files for a working copy.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent


def compile_catalogs() -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    built = []
    for po in sorted((ROOT / "locales").glob("*/LC_MESSAGES/tutor.po")):
        language = po.parent.parent.name
        mo = ROOT / "tutor" / "_locale" / language / "LC_MESSAGES" / "tutor.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        with mo.open("wb") as fh:
            write_mo(fh, catalog)  # fuzzy entries are left out, as pybabel compile does
        built.append(mo)
    return built


compile_catalogs()
setup()
