from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tutor.core import paths
from tutor.core.content.schema import CaseError, load_case_file, parse_case

EXAMPLE = paths.source_root() / "docs" / "examples" / "example-case.yaml"


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_example_case_is_valid() -> None:
    case = load_case_file(EXAMPLE)
    assert case.languages == ["en", "fr"]
    assert case.text(case.title, "fr_CA") == ("Fièvre chez un jeune agriculteur", "fr")
    assert case.text(case.title, "sw")[1] == "en"  # falls back, and says so


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["history"][0]["answer"].pop("fr"), "history[0].answer.fr"),
        (lambda d: d["exam"]["vitals"].update(temperature_c=99), "exam.vitals.temperature_c"),
        (lambda d: d.update(id="Bad Id"), "id"),
        (lambda d: d["history"].append(d["history"][0]), "used twice"),
        (lambda d: d.update(unknown_field=1), "unknown_field"),
        (lambda d: d["review"].update(status="reviewed"), "reviewer"),
        (lambda d: d.update(languages=["fr"]), "English"),
    ],
)
def test_bad_case_names_file_field_and_reason(change: object, expected: str) -> None:
    data = example()
    change(data)  # type: ignore[operator]
    with pytest.raises(CaseError) as info:
        parse_case(data, "cases/bad.yaml")
    assert "cases/bad.yaml" in str(info.value)
    assert expected in str(info.value)


def test_broken_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(CaseError, match=r"broken\.yaml"):
        load_case_file(path)
