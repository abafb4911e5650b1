"""``tutor patient ask`` and ``tutor eval patient``: the virtual patient from the command line.

Thin over ``tutor.core.practice``: cases come from the installed library, or from case files
given with ``--case-file``/``--case-dir`` (for authors and tests). ``--model`` lets the embedded
model choose among close candidates; without it the answer is retrieval only. ``--rephrase`` lets
the model reword a matched answer, shown only when the faithfulness check accepts it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from tutor.core.i18n import _


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def case_source(case_files: tuple[Path, ...], case_dirs: tuple[Path, ...]) -> Callable[[str], Any]:
    """``get_case(id)``: the given files first, then the installed library."""
    from tutor.core.content.schema import CASE_SUFFIXES, load_case_file

    files = list(case_files)
    for folder in case_dirs:
        files += sorted(p for p in folder.iterdir() if p.suffix in CASE_SUFFIXES)
    cases = {case.id: case for case in (load_case_file(p) for p in files)}
    library: list[Any] = []

    def get_case(case_id: str) -> Any:
        if case_id in cases:
            return cases[case_id]
        if not library:
            from tutor.core.content.library import Library

            library.append(Library())
        return library[0].get_case(case_id)

    return get_case


def _client(_clients: list[Any]) -> Any:
    """The one model client of this command run, kept in ``_clients`` (loaded on first use)."""
    if not _clients:
        from tutor.core.llm import catalog
        from tutor.core.llm.client import ModelClient

        client = ModelClient(catalog.active_model())
        client.load()
        _clients.append(client)
    return _clients[0]


def _chooser(use_model: bool, clients: list[Any]) -> Any:
    if not use_model:
        return None
    from tutor.core.practice.chooser import model_chooser

    return model_chooser(_client(clients))


def _rephraser(rephrase: bool, clients: list[Any]) -> Any:
    if not rephrase:
        return None
    from tutor.core.practice.rephrase import model_rephraser

    return model_rephraser(_client(clients))


_case_options = [
    click.option(
        "--case-file",
        "case_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A case file to use instead of the library (repeatable).",
    ),
    click.option(
        "--case-dir",
        "case_dirs",
        multiple=True,
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of case files to use instead of the library (repeatable).",
    ),
    click.option(
        "--model", "use_model", is_flag=True, help="Let the model pick among close facts."
    ),
    click.option(
        "--rephrase",
        is_flag=True,
        help="Let the model reword matched answers (kept only if the check accepts them).",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print JSON."),
]


def case_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_case_options):
        fn = option(fn)
    return fn


@click.group()
def patient() -> None:
    """Talk to a case's virtual patient.

    Example: tutor patient ask pulmonary-tuberculosis "how long have you been coughing?"
    """


@patient.command()
@click.argument("case_id")
@click.argument("question")
@click.option("--lang", default="en", show_default=True, help="The learner's language.")
@case_options
def ask(
    case_id: str,
    question: str,
    lang: str,
    case_files: tuple[Path, ...],
    case_dirs: tuple[Path, ...],
    use_model: bool,
    rephrase: bool,
    as_json: bool,
) -> None:
    """Answer one QUESTION as the patient of CASE_ID would, from the case record only.

    Example: tutor patient ask example-uncomplicated-malaria "any vomiting?" --json
    """
    from tutor.core.practice.matcher import CaseIndex
    from tutor.core.practice.rephrase import checked, speaker_role

    case = case_source(case_files, case_dirs)(case_id)
    clients: list[Any] = []
    started = time.perf_counter()
    match = CaseIndex(case, lang).match(question, _chooser(use_model, clients))
    answer, rephrased = match.answer, False
    rephraser = _rephraser(rephrase, clients)
    if rephraser is not None and match.grounded:
        attempt = checked(rephraser, match.answer, match.language, speaker_role(case))
        answer, rephrased = attempt.shown, attempt.accepted
    if as_json:
        _echo_json(
            {
                "answer": answer,
                "authored": match.answer,
                "rephrased": rephrased,
                "fact_ids": list(match.fact_ids),
                "grounded": match.grounded,
                "language": match.language,
                "confidence": round(match.confidence, 3),
                "candidates": [
                    {"fact_id": c.fact_id, "score": round(c.score, 3)} for c in match.candidates
                ],
                "seconds": round(time.perf_counter() - started, 4),
            }
        )
    else:
        click.echo(answer)


@click.group("eval")
def evaluate() -> None:
    """Measure parts of the tutor on question sets.

    Example: tutor eval patient tests/eval/agentclinic.jsonl --case-dir tests/eval/cases
    """


@evaluate.command("patient")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@case_options
def eval_patient(
    file: Path,
    case_files: tuple[Path, ...],
    case_dirs: tuple[Path, ...],
    use_model: bool,
    rephrase: bool,
    as_json: bool,
) -> None:
    """Run a JSONL question set against the patient; report accuracy and latency.

    Each line: {"case", "lang", "question", "expect_any", "expect_none", "expect_unknown"}.

    Example: tutor eval patient tests/eval/agentclinic.jsonl --case-dir tests/eval/cases --json
    """
    from tutor.core.practice.evaluate import evaluate as run
    from tutor.core.practice.evaluate import read_items, summary

    items = read_items(file)
    clients: list[Any] = []
    outcomes = run(
        items,
        case_source(case_files, case_dirs),
        chooser=_chooser(use_model, clients),
        rephraser=_rephraser(rephrase, clients),
    )
    result = summary(outcomes)
    if as_json:
        _echo_json(result)
        return
    click.echo(
        _("{passed}/{total} passed ({accuracy:.1%}); p50 {p50:.2f} ms, p95 {p95:.2f} ms").format(
            passed=result["passed"],
            total=result["questions"],
            accuracy=result["accuracy"],
            p50=result["latency_ms"]["p50"],
            p95=result["latency_ms"]["p95"],
        )
    )
    for lang, group in result["by_language"].items():
        click.echo(f"  {lang}: {group['accuracy']:.1%} ({group['questions']})")
    if "rephrasing" in result:
        r = result["rephrasing"]
        click.echo(
            _(
                "Rephrasings accepted: {accepted}/{attempted} ({rate:.1%}); "
                "p50 {p50:.0f} ms, p95 {p95:.0f} ms"
            ).format(
                accepted=r["accepted"],
                attempted=r["attempted"],
                rate=r["acceptance"],
                p50=r["latency_ms"]["p50"],
                p95=r["latency_ms"]["p95"],
            )
        )
    for failure in result["failures"]:
        click.echo(
            _("FAIL {case} [{lang}] {question!r} → {answer!r}").format(
                case=failure["case"],
                lang=failure["lang"],
                question=failure["question"],
                answer=failure["answer"],
            )
        )
