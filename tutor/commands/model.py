"""``tutor model``: list, import, choose, remove and benchmark the local language models.

Thin over ``tutor.core.llm``: each command calls one core function and prints its result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tutor.core.i18n import _


def _echo_json(data: object) -> None:
    from tutor.cli import echo_json

    echo_json(data)


@click.group()
def model() -> None:
    """Manage the local language models.

    Example: tutor model list
    """


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_command(as_json: bool) -> None:
    """List known and imported models, whether they fit this computer, and their file state.

    Example: tutor model list --json
    """
    from tutor.core.llm.manage import list_models

    rows = list_models()
    if as_json:
        _echo_json({"models": [row.as_dict() for row in rows]})
        return
    for row in rows:
        e = row.entry
        mark = "*" if row.active else " "
        state = row.state_label()
        click.echo(f"{mark} {e.id:<32} {e.params:>6} {e.quant:<7} {row.fit.label():<12} {state}")
        if row.fit.reasons:
            click.echo(f"    {row.fit.reason}")
        if row.status.problem and row.status.present:
            click.echo(f"    {row.status.problem}")
    click.echo(_("* = active model. Change it with: tutor model use NAME"))


@model.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
def import_command(path: Path) -> None:
    """Copy a .gguf model file (e.g. from a USB stick) into the tutor's data dir.

    The file is checked (GGUF header, complete data, known chat format) and its sha256 is
    recorded; a bad or interrupted import leaves nothing behind.

    Example: tutor model import /media/usb/qwen2.5-0.5b-instruct-q4_k_m.gguf
    """
    from tutor.core.llm.importer import import_model

    with click.progressbar(
        length=max(1, path.stat().st_size if path.is_file() else 1),
        label=_("Copying {file}").format(file=path.name),
        file=sys.stderr,
    ) as bar:
        seen = 0

        def progress(done: int, _total: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        entry = import_model(path, progress=progress)
    click.echo(
        _("Imported {name} as {id}. Use it with: tutor model use {id}").format(
            name=entry.name, id=entry.id
        )
    )


@model.command("use")
@click.argument("name")
@click.option("--force", is_flag=True, help="Use it even if it won't fit this computer.")
def use_command(name: str, force: bool) -> None:
    """Make NAME (an id from `tutor model list`) the model the tutor loads.

    Example: tutor model use qwen2.5-0.5b-instruct-q4_k_m
    """
    from tutor.core.llm.fit import FITS
    from tutor.core.llm.manage import use_model

    fit = use_model(name, force=force)
    if fit.verdict != FITS:
        click.echo(_("Warning: {reason}").format(reason=fit.reason), err=True)
    click.echo(_("The tutor will now use {name}.").format(name=name))


@model.command("remove")
@click.argument("name")
def remove_command(name: str) -> None:
    """Delete an imported model's file. The embedded default model cannot be removed.

    Example: tutor model remove qwen2.5-0.5b-instruct-q4_k_m
    """
    from tutor.core.llm.manage import remove_model

    entry = remove_model(name)
    click.echo(_("Removed {name}.").format(name=entry.name))


@model.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--rounds", default=5, show_default=True, help="Rounds; the best of each is kept.")
@click.option("--tokens", default=160, show_default=True, help="Tokens generated per turn.")
def bench_command(as_json: bool, rounds: int, tokens: int) -> None:
    """Measure the active model: load time, prompt and decode speed, time to first token for a
    first and a follow-up turn, and the worker's peak memory, against plain llama-cpp-python run
    the same way in the same run.

    Example: tutor model bench --json
    """
    from tutor.core import settings
    from tutor.core.llm.bench import run_bench
    from tutor.core.llm.catalog import active_model
    from tutor.core.llm.client import default_threads

    threads = settings.get("model_threads") or default_threads()
    result = run_bench(
        active_model(),
        n_threads=int(threads),
        rounds=max(1, rounds),
        max_tokens=max(16, tokens),
        progress=lambda text: click.echo(text, err=True),
    )
    if as_json:
        _echo_json(result)
        return
    _print_bench(result)


def _print_bench(r: dict[str, object]) -> None:
    def num(key: str, digits: int = 1) -> str:
        value = r.get(key)
        return f"{value:.{digits}f}" if isinstance(value, float) else str(value)

    met = r["targets_met"]
    assert isinstance(met, dict)

    def ok(key: str) -> str:
        return _("ok") if met.get(key) else _("MISSED")

    lines = [
        _("Model {model}, {threads} threads, best of {rounds} rounds").format(
            model=r["model"], threads=r["n_threads"], rounds=r["rounds"]
        ),
        _("Load: {engine} s (raw {raw} s)").format(
            engine=num("load_s", 2), raw=num("raw_load_s", 2)
        ),
        _("Prompt: {engine} tok/s (raw {raw})").format(
            engine=num("prompt_tok_s"), raw=num("raw_prompt_tok_s")
        ),
        _("Decode: {engine} tok/s (raw {raw}), ratio {ratio} [{ok}]").format(
            engine=num("decode_tok_s"),
            raw=num("raw_decode_tok_s"),
            ratio=num("decode_ratio", 3),
            ok=ok("decode_ratio"),
        ),
        _("First token, first turn: {engine} s (raw {raw} s)").format(
            engine=num("ttft_first_s", 3), raw=num("raw_ttft_first_s", 3)
        ),
        _(
            "First token, follow-up: {engine} s for {new} new tokens (raw evaluation of them "
            "{raw} s), ratio {ratio} [{ok}]"
        ).format(
            engine=num("ttft_followup_s", 3),
            new=r["followup_new_tokens"],
            raw=num("raw_followup_eval_s", 3),
            ratio=num("ttft_followup_ratio", 3),
            ok=ok("ttft_followup_ratio"),
        ),
        _("Worker peak memory: {mb} MB [{ok}]").format(
            mb=num("worker_peak_rss_mb"), ok=ok("worker_peak_rss_mb")
        ),
    ]
    click.echo("\n".join(lines))
