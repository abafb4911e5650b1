"""`tutor patient ask` and `tutor eval patient` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTOR = Path(sys.executable).with_name("tutor")
EXAMPLE = ROOT / "docs" / "examples" / "example-case.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TUTOR), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_ask_json_grounded_and_ungrounded() -> None:
    case = "example-uncomplicated-malaria"
    out = run("patient", "ask", case, "any vomiting?", "--json", "--case-file", str(EXAMPLE))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["answer"] == "No vomiting. I can eat and drink."
    assert data["fact_ids"] == ["vomiting"] and data["grounded"] is True
    out = run(
        "patient", "ask", case, "Avez-vous mal à la poitrine ?", "--lang", "fr", "--json",
        "--case-file", str(EXAMPLE),
    )  # fmt: skip
    data = json.loads(out.stdout)
    assert data["fact_ids"] == [] and data["grounded"] is False
    assert data["answer"] == "Non, je n'ai rien remarqué de tel."


def test_ask_unknown_case_is_one_line_error() -> None:
    out = run("patient", "ask", "no-such-case", "hello")
    assert out.returncode == 1
    assert out.stderr.startswith("tutor: ") and "Traceback" not in out.stderr


def test_eval_patient_json(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    lines = [
        {"case": "example-uncomplicated-malaria", "lang": "en", "question": "fever since when?",
         "expect_any": ["three days"]},
        {"case": "example-uncomplicated-malaria", "lang": "fr", "question": "vous vomissez ?",
         "expect_any": ["vomissements"]},
        {"case": "example-uncomplicated-malaria", "lang": "en", "question": "any rash?",
         "expect_unknown": True},
        {"case": "example-uncomplicated-malaria", "lang": "en", "question": "any rash?",
         "expect_any": ["rash"]},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    out = run("eval", "patient", str(questions), "--json", "--case-file", str(EXAMPLE))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["questions"] == 4 and data["passed"] == 3
    assert data["by_language"]["fr"]["accuracy"] == 1.0
    assert data["latency_ms"]["p95"] >= data["latency_ms"]["p50"] > 0
    assert [f["question"] for f in data["failures"]] == ["any rash?"]


def test_eval_rejects_a_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "no case"}\n', encoding="utf-8")
    out = run("eval", "patient", str(bad))
    assert out.returncode == 1 and "line 1" in out.stderr


def test_ask_json_says_whether_the_answer_was_rephrased() -> None:
    case = "example-uncomplicated-malaria"
    out = run("patient", "ask", case, "any vomiting?", "--json", "--case-file", str(EXAMPLE))
    data = json.loads(out.stdout)
    assert data["rephrased"] is False and data["authored"] == data["answer"]


@pytest.mark.model
def test_ask_and_eval_with_rephrasing(tmp_path: Path) -> None:
    from tutor.core.practice.faithful import check

    case = "example-uncomplicated-malaria"
    out = run(
        "patient", "ask", case, "how long have you had the fever?", "--json", "--rephrase",
        "--case-file", str(EXAMPLE),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["authored"].startswith("The fever started three days ago")
    if data["rephrased"]:
        assert check(data["authored"], data["answer"], "en").ok
    else:
        assert data["answer"] == data["authored"]
    questions = tmp_path / "q.jsonl"
    line = {"case": case, "lang": "en", "question": "any vomiting?", "expect_any": ["vomit"]}
    questions.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = run(
        "eval", "patient", str(questions), "--case-file", str(EXAMPLE), "--rephrase", "--json"
    )
    assert out.returncode == 0, out.stderr
    rephrasing = json.loads(out.stdout)["rephrasing"]
    assert rephrasing["attempted"] == 1 and 0 <= rephrasing["acceptance"] <= 1
