"""Small case fixtures for the content tests: variations of docs/examples/example-case.yaml."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tutor.core import paths
from tutor.core.content.schema import Case, parse_case

EXAMPLE = paths.source_root() / "docs" / "examples" / "example-case.yaml"
AGENTCLINIC = paths.source_root().parent / "shared" / "data" / "agentclinic"
AGENTCLINIC_JSONL = AGENTCLINIC / "agentclinic_medqa_extended.jsonl"
_BASE: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def case_data(case_id: str = "example-uncomplicated-malaria", **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(_BASE)
    data["id"] = case_id
    data.update(changes)
    return data


def make_case(case_id: str = "example-uncomplicated-malaria", **changes: Any) -> Case:
    return parse_case(case_data(case_id, **changes), case_id)


def write_cases(folder: Path, *datas: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for data in datas:
        (folder / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return folder
