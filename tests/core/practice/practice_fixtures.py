"""Cases for the practice tests: the documented example (en + fr) and AgentClinic fixtures."""

from __future__ import annotations

from pathlib import Path

from tutor.core.content.schema import Case, load_case_file

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "examples" / "example-case.yaml"
EVAL = ROOT / "tests" / "eval"
EVAL_CASES = EVAL / "cases"


def example_case() -> Case:
    return load_case_file(EXAMPLE)


def eval_cases() -> dict[str, Case]:
    cases = {p.stem: load_case_file(p) for p in sorted(EVAL_CASES.glob("*.yaml"))}
    cases["example-uncomplicated-malaria"] = example_case()
    return cases
