"""The ``tutor`` command. With no subcommand it opens the desktop app.

Each subcommand is a thin layer over ``tutor.core``: library errors become one calm line on
stderr and a non-zero exit; ``--json`` prints one object a script can read.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

import tutor
from tutor.core.errors import KnownError


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(tutor.__version__, "--version", prog_name="tutor")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Offline clinical tutor: practise on virtual patients with a local model.

    Run `tutor` alone to open the app, or a subcommand below, e.g. `tutor doctor --json`.
    """
    if ctx.invoked_subcommand is None:
        from tutor.app import run_app

        sys.exit(run_app())


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def doctor(as_json: bool) -> None:
    """Check this computer and installation: versions, CPU, memory, model file, cases.

    Example: tutor doctor --json
    """
    from tutor.core.doctor import report

    data = report()
    if as_json:
        echo_json(data)
    else:
        _print_doctor(data)
    if not data["ok"]:
        sys.exit(1)


def _print_doctor(data: dict[str, Any]) -> None:
    from tutor.core.i18n import _, ngettext

    gib = 1024**3
    cpu, ram, model = data["cpu"], data["ram"], data["model"]
    flags = ", ".join(f for f in ("avx", "avx2", "avx512") if cpu[f]) or _("none")
    lines = [
        f"tutor {data['tutor']}  Python {data['python']}  Qt {data['qt']}  "
        f"llama-cpp-python {data['llama_cpp_python']}",
        _("CPU: {logical} threads, {physical} cores, vector extensions: {flags}").format(
            logical=cpu["logical_cores"], physical=cpu["physical_cores"], flags=flags
        ),
        _("Memory: {total:.1f} GiB total, {free:.1f} GiB available").format(
            total=ram["total_bytes"] / gib, free=ram["available_bytes"] / gib
        ),
        _("Data: {path}").format(path=data["data_dir"]),
        _("Model: {name} ({path})").format(
            name=model.get("name", "?"), path=model.get("path") or _("missing")
        ),
        _("Model file present: {present}, hash ok: {ok}").format(
            present=model.get("present"), ok=model.get("sha256_ok")
        ),
        ngettext(
            "{count} case installed", "{count} cases installed", data["cases_installed"]
        ).format(count=data["cases_installed"]),
    ]
    if model.get("problem"):
        lines.append(_("Problem: {problem}").format(problem=model["problem"]))
    click.echo("\n".join(lines))


# Subcommand groups: one module per area under tutor/commands/, one line each here.
# (e.g. `from tutor.commands.model import model` then `cli.add_command(model)`)
from tutor.commands.server import server  # noqa: E402
from tutor.commands.sync import enroll, sync  # noqa: E402

cli.add_command(server)
cli.add_command(enroll)
cli.add_command(sync)
from tutor.commands.content import content  # noqa: E402

cli.add_command(content)
from tutor.commands.patient import evaluate, patient  # noqa: E402

cli.add_command(patient)
cli.add_command(evaluate)
from tutor.commands.model import model  # noqa: E402

cli.add_command(model)


def main() -> None:
    """Console entry point: known errors print one line and exit 1; no tracebacks for users."""
    from tutor.core.i18n import setup_i18n
    from tutor.core.logsetup import setup_logging

    try:
        from tutor.core import settings

        setup_i18n(settings.get("ui_language"))
    except KnownError:
        setup_i18n(None)
    setup_logging()
    try:
        cli.main(prog_name="tutor", standalone_mode=True)
    except KnownError as exc:
        click.echo(f"tutor: {exc}", err=True)
        sys.exit(1)
