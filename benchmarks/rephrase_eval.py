"""Measure the model's two optional jobs in practice (#5): rephrasing the patient's authored
answers (acceptance by ``faithful.check`` per language, latency, question accuracy with
rephrasing on vs off in the same run) and the coaching paragraph (acceptance on synthetic
play-throughs). Writes the "Rephrasing and coaching (#5)" section of docs/benchmarks.md.

Run: .venv/bin/python benchmarks/rephrase_eval.py [--per-language 25]
Uses the authored cases (content/cases) with tests/eval/authored.jsonl and the embedded default
model on 2 threads. Questions are sampled evenly (every k-th per language) to keep the run short.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from patient_eval import load_cases, machine

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- rephrase-eval:begin -->", "<!-- rephrase-eval:end -->"
LANGS = ("en", "fr", "es", "pt", "sw", "ar")


def sample(items: list[Any], per_language: int) -> list[Any]:
    out = []
    for lang in LANGS:
        group = [i for i in items if i.lang == lang]
        step = max(1, len(group) // per_language)
        out += group[::step][:per_language]
    return out


def play_through(practice: Any, case: Any, language: str, good: bool) -> Any:
    """A synthetic student: asks half the key facts by their authored questions, examines and
    orders the first of each, gives the right (or a wrong) diagnosis and a partial plan."""
    from tutor.core.practice.scoring import localised, phrases

    enc = practice.start(case.id, language)
    keys = [f for f in case.history if f.key]
    for fact in keys[: max(1, len(keys) // 2)]:
        questions = phrases(fact.questions, language)
        if questions:
            enc.ask(questions[0])
    if case.exam.findings:
        enc.move("examination")
        enc.examine(case.exam.findings[0].id)
    if case.investigations:
        enc.move("investigations")
        enc.order(case.investigations[-1].id)
    final = str(localised(case.diagnosis.final, language)) if good else "gastritis"
    enc.diagnose(final, [])
    must = [p for p in case.management if p.level == "must"]
    keywords = phrases(must[0].keywords, language) if must else []
    enc.plan(keywords[0] if keywords else "")
    return enc.finish()


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-language", type=int, default=25)
    parser.add_argument("--coaching-cases", type=int, default=12)
    args = parser.parse_args()

    from tutor.core.errors import KnownError
    from tutor.core.llm import catalog
    from tutor.core.llm.client import ModelClient
    from tutor.core.practice import faithful
    from tutor.core.practice.coaching import MAX_TOKENS, check_coaching, coaching_messages
    from tutor.core.practice.encounter import Practice
    from tutor.core.practice.evaluate import evaluate, percentile, read_items, summary
    from tutor.core.practice.rephrase import clean, model_rephraser
    from tutor.core.progress.store import ProgressStore

    cases = load_cases(ROOT / "content" / "cases")
    items = [i for i in read_items(ROOT / "tests" / "eval" / "authored.jsonl") if i.case in cases]
    chosen = sample(items, args.per_language)
    client = ModelClient(catalog.default_model(), n_ctx=2048, n_threads=2)
    load_started = time.perf_counter()
    client.load()
    load_s = time.perf_counter() - load_started

    started = time.perf_counter()
    off = summary(evaluate(chosen, cases.__getitem__))
    on_outcomes = evaluate(chosen, cases.__getitem__, rephraser=model_rephraser(client))
    on = summary(on_outcomes)
    rephrase_s = time.perf_counter() - started
    r = on["rephrasing"]
    accepted = [o for o in on_outcomes if o.rephrasing and o.rephrasing.accepted]
    rejected = [
        o
        for o in on_outcomes
        if o.rephrasing and o.rephrasing.candidate and not o.rephrasing.accepted
    ]
    per_lang_counts = {
        lang: (
            sum(
                bool(o.rephrasing and o.rephrasing.accepted)
                for o in on_outcomes
                if o.item.lang == lang
            ),
            sum(o.rephrasing is not None for o in on_outcomes if o.item.lang == lang),
        )
        for lang in LANGS
    }

    # Coaching: 12 cases x 2 languages (English and one other, in turn), right and wrong answers.
    coach_rows = []
    practice = Practice(ProgressStore(), cases.__getitem__)
    others = [lang for lang in LANGS if lang != "en"]
    coach_started = time.perf_counter()
    for n, case in enumerate(list(cases.values())[: args.coaching_cases]):
        for language in ("en", others[n % len(others)]):
            if language not in case.languages:
                continue
            score = play_through(practice, case, language, good=n % 2 == 0)
            t = time.perf_counter()
            # As coaching.model_coaching does (same prompt, bound and check), keeping the text.
            try:
                result = client.chat(
                    coaching_messages(score, language),
                    max_tokens=MAX_TOKENS,
                    temperature=0,
                    seed=0,
                )
            except KnownError as exc:  # counted as refused, as model_coaching returns None
                coach_rows.append(
                    (case.id, language, str(exc), faithful.Verdict(False, ["error"]), 0.0)
                )
                continue
            seconds = time.perf_counter() - t
            text = clean(result.text)
            verdict = check_coaching(text, score, language)
            if int(result.stats.get("decode_tokens", 0)) >= MAX_TOKENS:
                verdict = faithful.Verdict(False, [*verdict.reasons, "cut off"])
            coach_rows.append((case.id, language, text, verdict, seconds))
    coach_s = time.perf_counter() - coach_started
    client.shutdown()

    coach_ok = sum(v.ok for _c, _l, _t, v, _s in coach_rows)
    coach_times = [s * 1000 for *_rest, s in coach_rows]
    coach_reasons: dict[str, int] = {}
    for *_rest, v, _s in coach_rows:
        for reason in v.reasons:
            coach_reasons[reason] = coach_reasons.get(reason, 0) + 1

    def example(o: Any) -> str:
        reasons = ", ".join(o.rephrasing.reasons) or "accepted"
        return (
            f"- [{o.item.lang}] *{reasons}* — authored: “{o.rephrasing.authored}” → "
            f"model: “{o.rephrasing.candidate}”"
        )

    def spread(outcomes: list[Any], n: int) -> list[Any]:
        step = max(1, len(outcomes) // n)
        return outcomes[::step][:n]

    lines = [
        BEGIN,
        "## Rephrasing and coaching (#5)",
        "",
        f"`benchmarks/rephrase_eval.py`, machine: {machine()}; default model "
        f"(SmolLM2-135M-Instruct Q4_1, 2 threads, n_ctx 2048 as in the app, loaded in "
        f"{load_s:.1f} s). "
        f"Authored set sampled: {len(chosen)} of {len(items)} questions ({args.per_language} per "
        f"language, every k-th); rephrasing is attempted only for matched answers "
        f"({r['attempted']} here). Run time: rephrasing {rephrase_s:.0f} s, coaching "
        f"{coach_s:.0f} s.",
        "",
        "| | value |",
        "| --- | --- |",
        f"| rephrasings accepted by `faithful.check` | **{r['accepted']}/{r['attempted']} "
        f"({pct(r['acceptance'])})** |",
        "| per language (accepted/attempted) | "
        + ", ".join(f"{lang} {a}/{t}" for lang, (a, t) in per_lang_counts.items())
        + " |",
        "| refusal reasons (an attempt may have several) | "
        + ", ".join(f"{k} {v}" for k, v in r["reasons"].items())
        + " |",
        f"| latency per rephrased reply, p50 / p95 | {r['latency_ms']['p50']:.0f} / "
        f"{r['latency_ms']['p95']:.0f} ms |",
        f"| question accuracy, rephrasing off → on (same sample, same run) | "
        f"{pct(off['accuracy'])} → {pct(on['accuracy'])} |",
        f"| coaching paragraphs accepted (synthetic play-throughs) | **{coach_ok}/{len(coach_rows)}"
        f"** |",
        "| coaching refusal reasons | "
        + (", ".join(f"{k} {v}" for k, v in sorted(coach_reasons.items())) or "—")
        + " |",
        f"| coaching latency p50 / p95 | {percentile(coach_times, 50):.0f} / "
        f"{percentile(coach_times, 95):.0f} ms |",
        "",
        "`none` = the model gave nothing usable: a verbatim copy of the authored answer (not a "
        "rewording), an empty reply, or one cut off at the token bound.",
        "",
        "Accepted rephrasings (up to 5, spread over the run):",
        "",
        *[example(o) for o in spread(accepted, 5)],
        "",
        "Rejected rephrasings (5, spread over the run):",
        "",
        *[example(o) for o in spread(rejected, 5)],
        "",
        "Coaching paragraphs (first accepted and first two rejected):",
        "",
        *[
            f"- [{lang}] {case_id}, *{', '.join(v.reasons) or 'accepted'}*: “{text[:400]}”"
            for case_id, lang, text, v, _s in (
                [row for row in coach_rows if row[3].ok][:1]
                + [row for row in coach_rows if not row[3].ok][:2]
            )
        ],
        END,
    ]
    section = "\n".join(
        re.sub(r"\s+", " ", line) if line.startswith("- [") else line for line in lines
    )
    doc = DOC.read_text(encoding="utf-8")
    if BEGIN in doc:
        doc = doc[: doc.index(BEGIN)] + section + doc[doc.index(END) + len(END) :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(doc, encoding="utf-8")
    print(section)
    print(json.dumps({"off": off["accuracy"], "on": on["accuracy"], "rephrasing": r}, indent=1))


if __name__ == "__main__":
    main()
