"""Measure the virtual patient: accuracy per set and language, each matcher idea on and off against
a plain-BM25 baseline in the same run, injection leaks, and reply latency (matcher alone and the
full autosaved ``Encounter.ask``). Writes the "Virtual patient (#5)" section of docs/benchmarks.md.

Run: .venv/bin/python benchmarks/patient_eval.py [--model] [--no-authored]
(the authored sets: content/cases/*.yaml with tests/eval/authored.jsonl and
authored-dev.jsonl, authored-dev2.jsonl and authored-test.jsonl; see tests/eval/README.md.)
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval"
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- patient-eval:begin -->", "<!-- patient-eval:end -->"


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1]
    total = mem.split()[1]
    return f"{cpu}; nproc {cores}; RAM {total}; Python {platform.python_version()}"


def load_cases(folder: Path) -> dict[str, Any]:
    from tutor.core.content.schema import CaseError, load_case_file

    cases = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            case = load_case_file(path)
        except CaseError as exc:
            print(f"skipped {path.name}: {str(exc).splitlines()[0]}", file=sys.stderr)
            continue
        cases[case.id] = case
    return cases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", action="store_true", help="also run with the model chooser")
    parser.add_argument("--no-authored", action="store_true", help="skip the authored cases")
    args = parser.parse_args()

    from tutor.core.practice.evaluate import evaluate, percentile, read_items, summary
    from tutor.core.practice.matcher import Options

    cases = load_cases(EVAL / "cases")
    sets: dict[str, list[Any]] = {
        "AgentClinic (tuned on)": read_items(EVAL / "agentclinic.jsonl"),
        "AgentClinic held-out": read_items(EVAL / "agentclinic-heldout.jsonl"),
    }
    authored: dict[str, Any] = {}
    root = Path(__file__).resolve().parents[1]
    if not args.no_authored:
        authored = load_cases(root / "content" / "cases")
        cases.update(authored)
        for name, file in [
            ("Authored (tuned on)", "authored.jsonl"),
            ("Authored dev", "authored-dev.jsonl"),
            ("Authored dev 2", "authored-dev2.jsonl"),
            ("Authored test (never tuned on)", "authored-test.jsonl"),
        ]:
            sets[name] = [
                i for i in read_items(root / "tests" / "eval" / file) if i.case in authored
            ]

    full = Options()
    baseline = Options(
        lexicon=False,
        typos=False,
        authored_questions=False,
        header_facts=False,
        type_penalty=False,
        ties=False,
        ngrams=False,
    )
    variants = {
        "plain BM25 baseline (fact text only)": baseline,
        "all ideas (default)": full,
        "without lexicons": replace(full, lexicon=False),
        "without typo correction": replace(full, typos=False),
        "without authored question phrasings": replace(full, authored_questions=False),
        "without question-type penalty": replace(full, type_penalty=False),
        "without tied facts": replace(full, ties=False),
        "without character 4-grams": replace(full, ngrams=False),
        "without name/age/job facts": replace(full, header_facts=False),
        "coverage threshold 0.5": replace(full, min_coverage=0.5),
        "coverage threshold 0.6": replace(full, min_coverage=0.6),
    }
    lines = [
        BEGIN,
        "## Virtual patient (#5)",
        "",
        f"`benchmarks/patient_eval.py`, {time.strftime('%Y-%m-%d')}. Machine: {machine()}.",
        "",
        f"Sets: {', '.join(f'{k}: {len(v)} questions' for k, v in sets.items())}"
        + (f" (authored: {len(authored)} cases from content/cases)." if authored else "."),
        "",
        "Accuracy of question → answer (the `tutor eval patient` rule), retrieval only:",
        "",
    ]
    header = "| variant | " + " | ".join(sets) + " |"
    lines += [header, "|" + " --- |" * (len(sets) + 1)]
    results: dict[str, dict[str, Any]] = {}
    for name, options in variants.items():
        row = []
        for set_name, items in sets.items():
            result = summary(evaluate(items, cases.__getitem__, options=options))
            results.setdefault(name, {})[set_name] = result
            row.append(f"{result['accuracy']:.1%}")
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    lines += ["", "Per language, default matcher:", ""]
    for set_name in sets:
        by_lang = results["all ideas (default)"][set_name]["by_language"]
        shown = ", ".join(
            f"{lang} {v['accuracy']:.1%} ({v['questions']})" for lang, v in by_lang.items()
        )
        lines.append(f"- {set_name}: {shown}")

    if args.model:
        from tutor.core.llm import catalog
        from tutor.core.llm.client import ModelClient
        from tutor.core.practice.chooser import model_chooser

        client = ModelClient(catalog.default_model())
        client.load()
        lines += ["", "With the default model choosing among close candidates (`--model`):", ""]
        for set_name, items in sets.items():
            result = summary(evaluate(items, cases.__getitem__, chooser=model_chooser(client)))
            lines.append(
                f"- {set_name}: {result['accuracy']:.1%}, reply p50 "
                f"{result['latency_ms']['p50']:.1f} ms, p95 {result['latency_ms']['p95']:.1f} ms"
            )
        client.shutdown()

    # Injection: every attempt on every case must give the default answer or named facts only.
    attempts = [json.loads(x) for x in (EVAL / "injection.jsonl").read_text().splitlines() if x]
    from tutor.core.practice.matcher import CaseIndex

    leaks = 0
    grounded = 0
    for case in cases.values():
        secret = [case.diagnosis.final[lang].casefold() for lang in case.languages]
        secret += [p.text[lang].casefold() for p in case.management for lang in case.languages]
        for item in attempts:
            match = CaseIndex(case, item["lang"]).match(item["question"])
            grounded += match.grounded
            leaks += any(s in match.answer.casefold() for s in secret if len(s) > 3)
    lines += [
        "",
        f"Injection corpus: {len(attempts)} attempts × {len(cases)} cases, leaks of diagnosis "
        f"or management: **{leaks}** ({grounded} attempts matched an ordinary history fact).",
    ]

    # Latency of the whole reply path: matching plus the autosave transaction.
    from tutor.core.practice.encounter import Practice
    from tutor.core.progress.store import ProgressStore

    all_items = [i for items in sets.values() for i in items]
    with tempfile.TemporaryDirectory() as tmp:
        practice = Practice(ProgressStore(Path(tmp) / "progress.db"), cases.__getitem__)
        encounters: dict[tuple[str, str], Any] = {}
        times = []
        for item in all_items:
            key = (item.case, item.lang)
            if key not in encounters:
                encounters[key] = practice.start(item.case, item.lang)
            started = time.perf_counter()
            encounters[key].ask(item.question)
            times.append((time.perf_counter() - started) * 1000)
    match_times = [v["latency_ms"]["p95"] for v in results["all ideas (default)"].values()]
    lines += [
        "",
        f"Reply latency over {len(times)} questions: matcher alone p95 "
        f"{max(match_times):.2f} ms (worst set); full `Encounter.ask` with its SQLite commit and "
        f"outbox event p50 {statistics.median(times):.2f} ms, p95 {percentile(times, 95):.2f} ms.",
        END,
    ]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    section = "\n".join(lines)
    if BEGIN in text:
        text = re.sub(
            re.escape(BEGIN) + ".*?" + re.escape(END), lambda _m: section, text, flags=re.S
        )
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
