from __future__ import annotations

from pathlib import Path

from tutor.core import paths, settings


def test_tutor_home_overrides_data_dir(tutor_home: Path) -> None:
    assert paths.data_dir() == tutor_home
    assert tutor_home.is_dir()
    assert paths.is_portable()


def test_settings_round_trip_and_defaults(tutor_home: Path) -> None:
    assert settings.get("active_model") == "smollm2-135m-instruct-q4_1"
    settings.set_value("ui_language", "fr")
    assert settings.get("ui_language") == "fr"
    assert (tutor_home / "settings.json").exists()


def test_settings_documented() -> None:
    doc = (paths.source_root() / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in settings.SETTINGS:
        assert f"`{name}`" in doc, f"setting {name} is not documented in docs/settings.md"


def test_model_threads_setting_reaches_the_model_client() -> None:
    from tutor.core.llm import catalog
    from tutor.core.llm.client import ModelClient, default_threads

    entry = catalog.default_model()
    assert ModelClient(entry).n_threads == default_threads()
    settings.set_value("model_threads", 1)
    assert ModelClient(entry).n_threads == 1
    assert ModelClient(entry, n_threads=2).n_threads == 2  # an explicit choice still wins
